"""Fixtures for the Qt-free core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.edf_builders import Sig, ramp, write_edf


@pytest.fixture
def simple(tmp_path: Path) -> Path:
    """10 s, 100 Hz: EEG Fp1 (ramp), EEG T7 (ramp + 1000), EKG (ramp - 1000)."""
    n = 1000
    sigs = [
        Sig("EEG FP1-REF", 100, ramp(n)),
        Sig("EEG T7-REF", 100, ramp(n, 1000.0)),
        Sig("ECG EKG", 100, ramp(n, -1000.0)),
    ]
    return write_edf(tmp_path / "simple.edf", sigs)


# -- opening and reading -------------------------------------------------------------
