"""Fixtures of the clearance tests."""

from __future__ import annotations

import shutil

import pytest

from briefing.document.build import build_file
from tests.conftest import ROOT

ABSORB_FIXTURE = ROOT / "tests" / "fixtures" / "absorb" / "briefing.yaml"


@pytest.fixture
def built(tmp_path):
    """Return (yaml, docx): the absorb test briefing copied into tmp_path and built."""
    yaml = tmp_path / "briefing.yaml"
    shutil.copyfile(ABSORB_FIXTURE, yaml)
    out = tmp_path / "draft.docx"
    build_file(yaml, out=out)
    return yaml, out
