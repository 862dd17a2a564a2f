"""µV/mm and mm/s become the right number of pixels on a calibrated screen."""

from __future__ import annotations

import pytest

from app.core.calibration import FALLBACK_DPI, Calibration, usable_dpi


def test_96_dpi_screen() -> None:
    cal = Calibration.from_screen(96.0, 96.0)
    assert cal.px_per_mm_y == pytest.approx(96 / 25.4)
    # 7 µV/mm: one pixel is 7 / 3.78 = 1.85 µV
    assert cal.uv_per_px(7.0) == pytest.approx(1.852, abs=1e-3)


def test_timebase_and_page_length_are_inverse() -> None:
    cal = Calibration.from_screen(100.0, 100.0)
    width_px = 1500.0  # 381 mm
    page = cal.page_s_for_timebase(width_px, 30.0)
    assert page == pytest.approx(381 / 30.0)
    assert cal.timebase_for_page(width_px, page) == pytest.approx(30.0)


def test_user_correction_factor_scales_both_axes() -> None:
    cal = Calibration.from_screen(96.0, 96.0, factor=1.25)
    assert cal.px_per_mm_x == pytest.approx(96 / 25.4 * 1.25)
    assert cal.height_mm(cal.px_per_mm_y * 10) == pytest.approx(10.0)


@pytest.mark.parametrize("reported", [0.0, -5.0, float("nan"), float("inf"), 5000.0])
def test_implausible_dpi_falls_back(reported: float) -> None:
    assert usable_dpi(reported) == FALLBACK_DPI


def test_implausible_factor_is_ignored() -> None:
    assert Calibration.from_screen(96.0, 96.0, factor=0.0).factor == 1.0
