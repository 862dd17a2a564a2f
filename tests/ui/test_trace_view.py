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


def test_layout_keeps_a_minimum_spacing_and_grows_taller() -> None:
    layout = layout_traces([0] * 10, 20.0, min_spacing_mm=4.0)
    assert layout.spacing_mm == 4.0 and layout.height_mm == pytest.approx(40.0)
    assert layout.baselines[-1] == pytest.approx(38.0)
    assert layout_traces([0] * 10, 100.0, min_spacing_mm=4.0).height_mm == 100.0  # fits


def test_many_traces_scroll_with_readable_labels(qtbot, view) -> None:
    n = 90  # an SEEG implantation: 9 shafts of 10 contacts
    labels = tuple(f"X{k // 10}'{k % 10 + 1}" for k in range(n))
    data = np.zeros((n, 1000))
    page = make_page(data, labels, groups=tuple(k // 10 for k in range(n)), types=("SEEG",) * n)
    with qtbot.waitSignal(view.page_drawn):
        view.show_page(page)
    assert view.scrolls_channels and view.channel_bar.isVisible()
    px_per_mm = view.calibration.px_per_mm_y
    assert view.layout_mm.spacing_mm * px_per_mm >= view.min_row_px - 1e-6  # labels never touch
    shown = view.visible_labels()
    assert shown[0] == labels[0] and 10 < len(shown) < n
    with qtbot.waitSignal(view.channels_scrolled) as moved:
        view.wheelEvent(_wheel(view, -120 * 40))  # far down: clamped to the last trace
    assert moved.args[0] == pytest.approx(view.channel_top_mm) and view.channel_top_mm > 0
    assert view.visible_labels()[-1] == labels[-1] and labels[0] not in view.visible_labels()
    assert view.view_box.viewRange()[1][1] == pytest.approx(view.layout_mm.height_mm)
    view.channel_bar.setValue(0)  # the scroll bar drives the view too
    assert view.channel_top_mm == 0.0 and view.visible_labels()[0] == labels[0]
    view.viewport_model.set_hidden(labels[0], True)  # few traces again: no scrolling
    for label in labels[20:]:
        view.viewport_model.set_hidden(label, True)
    view.refresh()
    assert not view.scrolls_channels and not view.channel_bar.isVisible()
    assert view.visible_labels() == labels[1:20]


def _wheel(widget, delta: int):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    centre = QPointF(widget.width() / 2, widget.height() / 2)
    return QWheelEvent(
        centre, widget.mapToGlobal(centre), QPoint(), QPoint(0, delta),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
