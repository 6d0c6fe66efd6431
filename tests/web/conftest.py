"""Fixtures of the Clearance page tests: a served folder holding a briefing and its draft."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.document.build import build_file
from tests.clearance.test_combine import SAMPLE
from tests.support.web_harness import BRIEFING


@pytest.fixture
def served(tmp_path: Path) -> Path:
    """Return a folder to serve: the sample briefing as BRIEFING and the draft built from it."""
    folder = tmp_path / "served"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / BRIEFING)
    build_file(folder / BRIEFING)
    return folder


@pytest.fixture
def draft(served: Path) -> Path:
    """Return the draft built in the served folder."""
    (found,) = served.glob("*.docx")
    return found
