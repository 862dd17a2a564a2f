"""The analysis views on bare models: probability strip, ECAM tint, event shading, the
detections dock and its thresholds, overview marks, the topomap of an event."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor

from app.core.analysis import channel_view
from app.core.events import EventParams, detect_events
from app.core.simulate import SCALP_19
from app.ui.ecam_tint_item import MIN_PROBABILITY, EcamTintItem, tint_argb
from app.ui.event_region_item import EventRegionItem, event_text
from app.ui.events_dock import EventsDock
from app.ui.events_table_model import EventsTableModel, parse_seconds
from app.ui.overview_bar import EVENT_COLOURS, OverviewBar
from app.ui.probability_strip import ProbabilityStrip
from app.ui.report.colours import PROB_LUT
from app.ui.thresholds_panel import ThresholdsPanel
from app.ui.topomap_dock import TopomapDock
from tests.core.analysis_helpers import analysis_of


def _bumps(peaks=(0.6, 0.8, 0.95), width=20, gap=60, n=300) -> np.ndarray:
    """Background 0.05 with a plateau of each peak, ``width`` s long, every ``gap`` s."""
    prob = np.full(n, 0.05, np.float32)
    for k, peak in enumerate(peaks):
        start = 40 + k * gap
        prob[start : start + width] = peak
    return prob


# --- probability strip ------------------------------------------------------------------
def test_strip_draws_the_page_seconds_the_threshold_and_what_is_pending(qtbot) -> None:
    strip = ProbabilityStrip()
    qtbot.addWidget(strip)
    prob = (np.arange(60) / 100.0).astype(np.float32)
    strip.set_span(10.0, 10.0, 82)
    strip.show_probability(prob, 15, 0.7, [(12.0, 3.0, "accepted"), (40.0, 5.0, "unreviewed")])
    x, y = strip.curve_values()
    np.testing.assert_allclose(x, np.arange(9, 16))  # second edges, up to what is computed
    np.testing.assert_allclose(y, prob[9:15], atol=1e-6)
    assert strip.threshold.value() == pytest.approx(0.7) and strip.threshold.isVisible()
    assert strip.pending.isVisible() and strip.pending.getRegion() == pytest.approx((15.0, 20.0))
    assert list(strip.events.opts["x0"]) == [12.0]  # the event off the page is not drawn
    assert strip.getPlotItem().getAxis("left").maximumWidth() == 82  # as the label column

    strip.show_probability(prob, 60, 0.5)
    assert not strip.pending.isVisible()
    np.testing.assert_allclose(strip.curve_values()[1], prob[9:21], atol=1e-6)
    strip.show_probability(None, 0, 0.5)
    assert strip.curve_values()[0].size == 0 and not strip.threshold.isVisible()


# --- ECAM tint --------------------------------------------------------------------------
def test_tint_colours_only_the_rows_of_the_seizure_channels(qtbot) -> None:
    names = ("T7", "T8", "Fp1")
    cp = np.full((3, 30), 0.05, np.float32)
    cp[0, 5:15] = 0.9  # T7 carries the seizure from second 5
    analysis = analysis_of(np.full(30, 0.5), cp, names)
    labels = ("Fp1-F7", "F7-T7", "T7-P7", "Fp2-F8")
    values = channel_view(analysis, labels, 0, 20)
    assert values.shape == (4, 20)
    np.testing.assert_allclose(values[1, 5:15], 0.9)
    np.testing.assert_allclose(values[0, 5:15], 0.05)
    assert np.isnan(values[3]).all()  # Fp2 and F8 are not model inputs
    item = EcamTintItem()
    item.set_rows(0.0, values, (0.0, 10.0, 20.0, 30.0), (10.0,) * 4)
    assert item.tinted_rows == 2  # F7-T7 and T7-P7; Fp1-F7 stays under the minimum
    rect = item.boundingRect()
    assert (rect.left(), rect.top(), rect.width(), rect.height()) == (0.0, 10.0, 20.0, 20.0)
    words = tint_argb([0.0, MIN_PROBABILITY - 0.01, MIN_PROBABILITY, 1.0, np.nan])
    alpha = words >> 24
    assert list(alpha[[0, 1, 4]]) == [0, 0, 0] and alpha[2] > 0 and alpha[3] > alpha[2]
    assert int(words[3]) & 0xFFFFFF == (
        int(PROB_LUT[-1][0]) << 16 | int(PROB_LUT[-1][1]) << 8 | int(PROB_LUT[-1][2])
    )


# --- the event on the traces ------------------------------------------------------------
def test_event_region_labels_and_spans(qtbot) -> None:
    [event] = detect_events(analysis_of(_bumps((0.93,))))
    item = EventRegionItem()
    item.set_event(event, (38.0, 61.0), 100.0, page_start_s=50.0)
    assert (item.onset, item.end) == (38.0, 61.0)
    assert item.label.pos().x() == 50.0  # began before the page: label at the page's edge
    assert item.text == f"Seizure 0.93 · {event.type_label} ({event.type_source})"
    assert event_text(event) == item.text
    rect = item.boundingRect()
    assert rect.left() < 38.0 and rect.right() > 61.0 and rect.height() == 100.0


# --- detections dock and thresholds -----------------------------------------------------
@pytest.fixture
def dock(qtbot):
    widget = EventsDock()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_raising_the_threshold_drops_events_exactly_as_core_computes(qtbot, dock) -> None:
    analysis = analysis_of(_bumps())
    shown = []

    def recompute(params: EventParams) -> None:
        events = detect_events(analysis, params)
        shown.append(len(events))
        dock.set_events(events, None, "")

    dock.params_changed.connect(recompute)
    recompute(EventParams())
    for threshold in (0.7, 0.9, 0.96, 0.55):
        dock.thresholds.threshold.setValue(threshold)
        expected = detect_events(analysis, EventParams(threshold=threshold))
        assert dock.model.rowCount() == len(expected)
        assert [dock.model.event_at(i).peak_prob for i in range(len(expected))] == [
            e.peak_prob for e in expected
        ]
    dock.thresholds.min_duration.setValue(25.0)  # every plateau is 20 s long
    assert dock.model.rowCount() == 0
    assert shown == [3, 2, 1, 0, 3, 0]


def test_table_texts_edits_and_review_buttons(qtbot, dock) -> None:
    events = detect_events(analysis_of(_bumps()))
    dock.set_events(events, None, "3 detections")
    model = dock.model
    assert model.index(0, EventsTableModel.ONSET).data() == "0:00:40.0"
    assert model.index(0, EventsTableModel.DURATION).data() == "20 s"
    assert model.index(2, EventsTableModel.CONFIDENCE).data() == "0.95"
    assert model.index(0, EventsTableModel.TYPE).data() == (
        f"{events[0].type_label} ({events[0].type_source})"
    )
    assert dock.table.isColumnHidden(EventsTableModel.CLOCK)  # no clock time known
    edited = []
    model.span_edited.connect(lambda key, on, end: edited.append((key, on, end)))
    assert model.setData(model.index(0, EventsTableModel.ONSET), "0:00:37")
    assert model.setData(model.index(0, EventsTableModel.DURATION), "25 s")
    assert not model.setData(model.index(0, EventsTableModel.DURATION), "soon")
    assert dock.span(events[0]) == (37.0, 62.0)
    assert edited[-1] == ((40.0, 60.0), 37.0, 62.0)
    dock.set_events(events, None, "")  # a redraw keeps the correction
    assert model.index(0, EventsTableModel.ONSET).data() == "0:00:37.0"

    asked = []
    dock.review_requested.connect(lambda event, state: asked.append((event.onset_s, state)))
    assert not dock.accept_button.isEnabled()
    dock.select(events[1])
    dock.accept_button.click()
    dock.reject_button.click()
    assert asked == [(100.0, "accepted"), (100.0, "rejected")]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("400", 400.0),
        ("6:40", 400.0),
        ("0:06:40.5", 400.5),
        ("1,5", 1.5),
        ("x", None),
        ("-3", None),
    ],
)
def test_parse_seconds(text: str, seconds: float | None) -> None:
    assert parse_seconds(text) == seconds


def test_thresholds_panel_emits_only_for_the_reviewer(qtbot) -> None:
    panel = ThresholdsPanel()
    qtbot.addWidget(panel)
    got = []
    panel.params_changed.connect(got.append)
    panel.set_params(EventParams(0.8, 12.0, 4.0, smooth_s=3))
    assert got == [] and panel.merge_gap.value() == 4.0
    panel.merge_gap.setValue(20.0)
    assert got == [EventParams(0.8, 12.0, 20.0, smooth_s=3)]


# --- overview bar -----------------------------------------------------------------------
def test_overview_bar_marks_detections_by_review_state(qtbot) -> None:
    bar = OverviewBar()
    qtbot.addWidget(bar)
    bar.resize(1000, 22)
    bar.set_recording(1000.0, ())
    bar.set_events([(100.0, 50.0, "unreviewed"), (600.0, 50.0, "accepted")])
    image = bar.grab().toImage()
    y = image.height() - 3
    assert QColor(image.pixel(120, y)) == EVENT_COLOURS["unreviewed"]
    assert QColor(image.pixel(620, y)) == EVENT_COLOURS["accepted"]
    assert QColor(image.pixel(400, y)) != EVENT_COLOURS["unreviewed"]


# --- topomap ----------------------------------------------------------------------------
def test_topomap_of_a_left_temporal_event(qtbot) -> None:
    names = tuple(SCALP_19)
    prob = _bumps((0.9,), n=120)
    cp = np.tile(prob * 0.1, (len(names), 1))
    for name in ("F7", "T7", "P7"):
        cp[names.index(name)] = prob
    analysis = analysis_of(prob, cp, names)
    [event] = detect_events(analysis)
    dock = TopomapDock()
    qtbot.addWidget(dock)
    dock.show()
    dock.show_event(analysis, event, "left temporal")
    qtbot.waitUntil(lambda: dock.view.maps is not None, timeout=30_000)
    maps = dock.view.maps
    assert maps.title == "left temporal"
    assert maps.onset.kind == "scalp" and maps.peak.kind == "scalp"
    assert set(maps.bars.names[:3]) == {"F7", "T7", "P7"}
    dock.show_event(None, None)
    assert dock.view.maps is None
    dock.shutdown()
