"""Shared test fixtures: where things are, the OOXML validator, LibreOffice.

``ROOT`` is the repository, ``SHARED`` the design folder beside it (or
``$BRIEFING_SHARED``), ``CORPUS`` its real-world .docx files.

Markers: ``libreoffice`` tests are skipped when LibreOffice or its UNO Python
is missing, and fail instead when ``CI=true`` (``browser`` tests likewise when
Playwright or Debian's chromium is missing); ``corpus`` tests are skipped
when the corpus folder is absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The harness modules sit beside this file; make them importable however
# pytest is started (``pytest``, ``python -m pytest``, from any folder).
from tests.support.libreoffice import LibreOffice, unavailable_reason

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BRIEFING_SHARED") or ROOT.parent / "shared").resolve()
CORPUS = SHARED / "corpus"
VALIDATOR = SHARED / "tools" / "validate_ooxml.py"


def in_ci() -> bool:
    """Return whether the tests run under CI (env CI=true), where nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() == "true"


SEED_MINUTES = SHARED / "seeds" / "000_a28ce0ba90a83160.txt"  # the board minutes


@pytest.fixture(scope="session")
def seed_text() -> str:
    """Return the seed board minutes; required under CI=true, else skipped when absent."""
    if not SEED_MINUTES.is_file():
        if in_ci():
            pytest.fail(f"the seed minutes are required under CI=true ({SEED_MINUTES})",
                        pytrace=False)
        pytest.skip(f"the seed minutes are not available ({SEED_MINUTES})")
    return SEED_MINUTES.read_text(encoding="utf-8")


def corpus_files() -> list[Path]:
    """Return every .docx in the shared corpus, sorted; empty when the corpus is absent."""
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.rglob("*.docx"))


def corpus_file(relative: str) -> Path:
    """Return the corpus file at `relative`, skipping the test when it is absent."""
    path = CORPUS / relative
    if not path.is_file():
        pytest.skip(f"corpus file {relative} is not available")
    return path


def validate_ooxml(path: Path | str) -> tuple[bool, str]:
    """Return (valid, validator output) for a .docx checked against ECMA-376.

    Skips the calling test when the validator or its schemas are absent.
    """
    if not VALIDATOR.is_file() or not (SHARED / "ooxml-schema").is_dir():
        pytest.skip("the OOXML validator (shared/tools/validate_ooxml.py) is not available")
    done = subprocess.run(
        [sys.executable, str(VALIDATOR), str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def _libreoffice_missing(reason: str) -> None:
    """Skip the current test for `reason`, or fail it under CI."""
    if in_ci():
        pytest.fail(f"LibreOffice is required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Apply the ``libreoffice`` and ``corpus`` markers before each test runs."""
    if item.get_closest_marker("libreoffice"):
        reason = unavailable_reason()
        if reason:
            _libreoffice_missing(reason)
    if item.get_closest_marker("browser"):
        from tests.support.web_harness import browser_missing

        reason = browser_missing()
        if reason and in_ci():
            pytest.fail(f"the browser tests are required under CI=true: {reason}", pytrace=False)
        if reason:
            pytest.skip(reason)
    if item.get_closest_marker("corpus") and not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not available ({CORPUS})")


@pytest.fixture(scope="session")
def lo():
    """Return the session's LibreOffice (one private headless soffice for all tests)."""
    reason = unavailable_reason()
    if reason:
        _libreoffice_missing(reason)
    office = LibreOffice()
    yield office
    office.close()
