"""The shipped student and teacher: verified, small, and the ECAM finds the onset zone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.api import WEIGHTS_DIR, available_models, load_detector
from models.checkpoint import WEIGHTS_FILE, build_model, read_checkpoint, sha256_of
from models.network import count_parameters

pytestmark = pytest.mark.skipif(
    not (Path(WEIGHTS_DIR) / "student" / "config.json").is_file(),
    reason="shipped weights not built yet (ictal train ... models/configs/*.json)",
)


def test_student_and_teacher_are_shipped_verified_and_small() -> None:
    assert {"student", "teacher"} <= set(available_models())
    sizes = 0
    counts = {}
    for name in ("student", "teacher"):
        folder = Path(WEIGHTS_DIR) / name
        checkpoint = read_checkpoint(folder)
        assert checkpoint.sha256 == sha256_of(folder / WEIGHTS_FILE)
        card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
        assert "Not a medical device" in card and "Andrzejak" in card
        assert checkpoint.manifest.synthetic_hours > 0 and checkpoint.manifest.real_hours > 0
        sizes += (folder / WEIGHTS_FILE).stat().st_size
        counts[name] = count_parameters(build_model(checkpoint))
    assert sizes < 3_000_000
    assert counts["student"] <= counts["teacher"] / 3


@pytest.mark.parametrize(("region", "seed"), [("right_frontal", 11), ("left_temporal", 12)])
def test_student_ecam_is_highest_in_the_onset_zone(region: str, seed: int) -> None:
    from app.core.simulate.generator import generate
    from app.core.simulate.layout import REGIONS, scalp_channels
    from app.core.simulate.spec import SeizureSpec, SimulationSpec

    onset, length = 120.0, 60.0
    spec = SimulationSpec(
        duration_s=300.0,
        sfreq=256.0,
        channels=scalp_channels(19),
        seed=seed,
        seizures=(SeizureSpec(onset, length, "focal", region, spread=False),),
    )
    x = generate(spec, 0.0, spec.duration_s)
    pred = load_detector(None, "cpu").predict(x, spec.channels, spec.sfreq)
    first = pred.channel_prob[:, int(onset) + 2 : int(onset) + 12].mean(axis=1)
    best = spec.channels[int(np.argmax(first))]
    assert best in REGIONS[region]
    ictal = pred.prob[int(onset) + 5 : int(onset + length) - 5].mean()
    before = pred.prob[20 : int(onset) - 20].mean()
    assert ictal > 0.5 > before
    side = "left" if region.startswith("left") else "right"
    assert load_detector(None, "cpu").onset_type(pred, int(onset) + 2).lateralisation == side
