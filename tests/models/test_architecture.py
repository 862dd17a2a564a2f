"""The encoder's shapes, channel-agnosticism, padding invariance and determinism."""

from __future__ import annotations

import pytest
import torch

from models.config import ModelConfig
from models.network import IctalNet, count_parameters
from tests.models.helpers import SEEG_NAMES, TINY, geometry_batch, tiny_model
from tests.models.toy_eeg import SCALP_19

CHB_MIT_23 = [
    "FP1-F7",
    "F7-T7",
    "T7-P7",
    "P7-O1",
    "FP1-F3",
    "F3-C3",
    "C3-P3",
    "P3-O1",
    "FP2-F4",
    "F4-C4",
    "C4-P4",
    "P4-O2",
    "FP2-F8",
    "F8-T8",
    "T8-P8-0",
    "P8-O2",
    "FZ-CZ",
    "CZ-PZ",
    "P7-T7",
    "T7-FT9",
    "FT9-FT10",
    "FT10-T8",
    "T8-P8-1",
]


def _names(n: int) -> tuple[str, ...]:
    if n == 19:
        return SCALP_19
    if n == 23:
        return tuple(CHB_MIT_23)
    if n == 60:
        return tuple(f"{s}{i}" for s in ("A'", "B'", "C'", "H", "OF", "TP") for i in range(1, 11))
    return SCALP_19[:n]


@pytest.mark.parametrize("n_channels", [1, 2, 19, 23, 60])
def test_output_shapes_for_any_channel_count(n_channels: int) -> None:
    model = tiny_model()
    names = _names(n_channels)
    x = torch.randn(2, n_channels, 7 * 128)
    out = model(x, *geometry_batch(names, 2))
    assert out.channel_logits.shape == (2, n_channels, 7)
    assert out.global_logits.shape == (2, 7)
    assert out.pattern_logits.shape == (2, 7, 6)
    assert out.type_logits.shape == (2, 7, 4)
    assert out.features.shape == (2, n_channels, 7, TINY.d_model)
    assert torch.isfinite(out.channel_logits).all()


def test_seeg_names_use_the_unknown_embedding() -> None:
    model = tiny_model()
    pos, region, known, mask = geometry_batch(SEEG_NAMES)
    assert not known.any() and (region == 0).all()
    out = model(torch.randn(1, len(SEEG_NAMES), 5 * 128), pos, region, known, mask)
    assert out.channel_logits.shape == (1, len(SEEG_NAMES), 5)


def test_padded_channels_do_not_change_real_outputs() -> None:
    model = tiny_model()
    names = SCALP_19[:5]
    x = torch.randn(1, 5, 6 * 128)
    alone = model(x, *geometry_batch(names))
    pos, region, known, mask = geometry_batch((*names, "Cz", "Pz", "O1"))
    padded_x = torch.cat([x, 100 * torch.randn(1, 3, 6 * 128)], dim=1)
    mask = mask.clone()
    mask[:, 5:] = False
    padded = model(padded_x, pos, region, known, mask)
    torch.testing.assert_close(
        padded.channel_logits[:, :5], alone.channel_logits, atol=1e-5, rtol=0
    )
    torch.testing.assert_close(padded.global_logits, alone.global_logits, atol=1e-5, rtol=0)
    assert (padded.channel_logits[:, 5:] == 0).all()


def test_single_channel_global_equals_its_channel_logit() -> None:
    model = tiny_model()
    out = model(torch.randn(1, 1, 4 * 128), *geometry_batch(("Bonn",)))
    torch.testing.assert_close(out.global_logits, out.channel_logits[:, 0])


def test_same_seed_same_weights_and_outputs() -> None:
    a, b = tiny_model(seed=3), tiny_model(seed=3)
    x = torch.randn(1, 4, 5 * 128)
    geo = geometry_batch(SCALP_19[:4])
    with torch.no_grad():
        assert torch.equal(a(x, *geo).channel_logits, b(x, *geo).channel_logits)
        assert torch.equal(a(x, *geo).channel_logits, a(x, *geo).channel_logits)


def test_student_is_at_most_a_third_of_the_teacher() -> None:
    student = IctalNet(ModelConfig(d_model=32, n_heads=2, n_layers=2, conv_channels=8))
    teacher = IctalNet(ModelConfig(d_model=64, n_heads=4, n_layers=3, conv_channels=16))
    assert count_parameters(student) <= count_parameters(teacher) / 3
