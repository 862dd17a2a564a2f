"""The trace view on a bare model: calibrated scaling, layout, reuse of curve items."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from app.core.calibration import Calibration
from app.core.viewport import Viewport
from app.ui.trace_layout import GROUP_GAP, layout_traces
from app.ui.trace_view import BAD_PEN, TraceView
from tests.ui.fakes import make_page

LABELS = ("Fp1-F7", "F7-T7", "Fp2-F8", "ECG")


@pytest.fixture
def view(qtbot):
    viewport = Viewport(60.0, sensitivity_uv_mm=10.0, type_scale=(("ECG", 20.0),))
    widget = TraceView(viewport)
    widget.calibration = Calibration(100.0, 100.0)
    widget.resize(1000, 600)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _page(start_s: float = 0.0):
    t = np.arange(1000) / 100.0
    data = np.stack(
        [
            50.0 * np.sin(2 * np.pi * t),
            -20.0 * np.ones_like(t),
            np.zeros_like(t),
            1000.0 * np.sin(2 * np.pi * t),
        ]
    )
    return make_page(
        data, LABELS, groups=(0, 0, 1, 2), types=("EEG", "EEG", "EEG", "ECG"), start_s=start_s
    )


def test_layout_has_gaps_between_groups() -> None:
    layout = layout_traces([0, 0, 1], 100.0)
    spacing = 100.0 / (3 + GROUP_GAP)
    assert layout.baselines == pytest.approx(
        (0.5 * spacing, 1.5 * spacing, (2.5 + GROUP_GAP) * spacing)
    )


def test_traces_are_drawn_at_the_calibrated_sensitivity(qtbot, view) -> None:
    with qtbot.waitSignal(view.page_drawn):
        view.show_page(_page())
    curve = view.curve_for("F7-T7")
    # -20 µV at 10 µV/mm is 2 mm; negative is drawn upwards (smaller y on an inverted axis).
    baseline = view.layout_mm.baselines[1]
    mapped = curve.mapToParent(curve.xData[0], curve.yData[0])
    assert mapped.y() == pytest.approx(baseline - 2.0)
    ecg = view.curve_for("ECG")
    assert ecg.transform().m22() == pytest.approx(1.0 / 200.0)  # ECG at ×20
    # The y axis is in mm of screen: 600 px at 100 dpi is about 152 mm minus the axis.
    low, high = view.view_box.viewRange()[1]
    assert high - low == pytest.approx(view.view_box.height() / (100.0 / 25.4), rel=1e-3)


def test_sensitivity_change_rescales_without_new_data(qtbot, view) -> None:
    view.show_page(_page())
    curve = view.curve_for("Fp1-F7")
    data_before = curve.yData.copy()
    view.viewport_model.step_sensitivity(-1)  # 10 -> 7 µV/mm
    view.refresh()
    assert curve.transform().m22() == pytest.approx(1.0 / 7.0)
    np.testing.assert_array_equal(curve.yData, data_before)


def test_curve_items_are_reused_across_pages(qtbot, view) -> None:
    view.show_page(_page(0.0))
    curves = list(view._curves)
    view.show_page(_page(10.0))
    assert view._curves == curves
    assert view.view_box.viewRange()[0] == pytest.approx([10.0, 20.0])


def test_hidden_and_bad_channels(qtbot, view) -> None:
    view.show_page(_page())
    view.viewport_model.set_hidden("F7-T7", True)
    view.viewport_model.set_bad(["Fp2-F8"], True)
    view.refresh()
    assert view.shown_labels() == ("Fp1-F7", "Fp2-F8", "ECG")
    assert view.curve_for("F7-T7") is None
    assert view.curve_for("Fp2-F8").opts["pen"].color() == BAD_PEN.color()
    assert view.label_axis.labels == ("Fp1-F7", "Fp2-F8", "ECG")


def test_cursor_readout(qtbot, view) -> None:
    view.show_page(_page())
    seen = []
    view.cursor_moved.connect(lambda t, label, value, unit: seen.append((label, value)))
    y = view.layout_mm.baselines[1]
    scene_pos = view.view_box.mapViewToScene(QPointF(2.0, y))
    view.scene().sigMouseMoved.emit(scene_pos)
    assert seen == [("F7-T7", pytest.approx(-20.0))]
