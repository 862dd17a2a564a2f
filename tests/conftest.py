"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real EEG in ``../shared/data``; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not available: {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20-min simulated scalp night with two seizures (tests.core.analysis_helpers),
    written once per test module."""
    from tests.core.analysis_helpers import simulated

    path, _spec = simulated(tmp_path_factory.mktemp("night") / "night.edf")
    return path


@pytest.fixture
def fresh(night: Path, tmp_path: Path) -> Path:
    """A copy of ``night`` without a session file."""
    copy = tmp_path / "night.edf"
    copy.write_bytes(night.read_bytes())
    return copy
