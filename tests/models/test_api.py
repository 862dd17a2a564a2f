"""models.api: cheap import, predict shapes for any layout and rate, long inputs, validation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.api import Detector, load_detector
from tests.models.helpers import SEEG_NAMES, tiny_checkpoint
from tests.models.toy_eeg import SCALP_19


@pytest.fixture(scope="module")
def detector(tmp_path_factory: pytest.TempPathFactory) -> Detector:
    return load_detector(tiny_checkpoint(tmp_path_factory.mktemp("ck") / "tiny"), "cpu")


def test_importing_the_api_does_not_import_torch() -> None:
    code = "import sys, models.api; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("names", "sfreq", "seconds"),
    [
        (("Bonn",), 173.61, 23.6),
        (("Fp1", "F3"), 200.0, 10.0),
        (SCALP_19, 256.0, 65.0),
        (tuple(f"C{i}" for i in range(23)), 512.0, 8.0),
        (SEEG_NAMES, 1000.0, 4.0),
        (tuple(f"X{i}" for i in range(60)), 64.0, 3.0),
    ],
)
def test_predict_shapes(
    detector: Detector, names: tuple[str, ...], sfreq: float, seconds: float
) -> None:
    n = round(seconds * sfreq)
    x = np.random.default_rng(0).standard_normal((len(names), n)).astype(np.float32) * 40
    pred = detector.predict(x, names, sfreq)
    n_sec = int(np.ceil(n / sfreq - 1e-3))
    assert pred.channel_prob.shape == (len(names), n_sec)
    assert pred.prob.shape == (n_sec,)
    assert pred.pattern_scores.shape == (n_sec, 6)
    assert pred.type_scores.shape == (n_sec, 4)
    assert np.all((pred.prob >= 0) & (pred.prob <= 1))
    np.testing.assert_allclose(pred.pattern_scores.sum(axis=1), 1.0, atol=1e-5)
    assert pred.model_sfreq == 128 and pred.model_name == "tiny"
    assert len(pred.checkpoint_sha256) == 64


def test_long_input_is_windowed_and_deterministic(detector: Detector) -> None:
    x = np.random.default_rng(1).standard_normal((3, 256 * 95)).astype(np.float32) * 30
    seen: list[float] = []
    a = detector.predict(x, ["Fp1", "Cz", "O2"], 256.0, progress=seen.append)
    b = detector.predict(x, ["Fp1", "Cz", "O2"], 256.0)
    np.testing.assert_array_equal(a.prob, b.prob)
    assert a.n_seconds == 95 and seen[-1] == 1.0


def test_predict_refuses_mismatched_input(detector: Detector) -> None:
    with pytest.raises(ValueError, match="channels"):
        detector.predict(np.zeros((3, 1000), np.float32), ["a", "b"], 256.0)
    with pytest.raises(ValueError):
        detector.predict(np.zeros((2, 10), np.float32), ["a", "b"], 256.0)


def test_flat_and_nan_channels_do_not_break_predict(detector: Detector) -> None:
    x = np.random.default_rng(2).standard_normal((3, 256 * 10)).astype(np.float32)
    x[1] = 0.0
    x[2, 100:200] = np.nan
    pred = detector.predict(x, ["Fp1", "Cz", "O2"], 256.0)
    assert np.isfinite(pred.channel_prob).all()


def test_default_model_is_the_student() -> None:
    from models.api import DEFAULT_MODEL, WEIGHTS_DIR

    assert DEFAULT_MODEL == "student"
    assert Path(WEIGHTS_DIR).name == "weights"
