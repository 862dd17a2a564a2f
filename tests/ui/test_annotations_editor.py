"""The annotation editor on a bare trace view: bands, drags, presets, undo/redo."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from app.core.annotation import Annotation
from app.core.annotation_model import AnnotationModel
from app.ui.annotation_editor import AnnotationEditor, TraceRow, row_spans
from app.ui.annotation_review import trace_rows
from tests.ui.annotation_helpers import drag, page, trace_view

FILE = (Annotation(2.0, 3.0, "Seizure", (), "edf"), Annotation(6.0, 1.0, "Spike", ("T7",), "edf"))


@pytest.fixture
def setup(qtbot):
    view = trace_view(qtbot)
    stack = QUndoStack()
    editor = AnnotationEditor(view.view_box, stack)
    model = AnnotationModel(FILE)
    editor.set_model(model)
    editor.duration_s = 60.0
    view.show_page(page())
    editor.set_rows(trace_rows(view), view.layout_mm.height_mm)
    editor.set_span(0.0, 10.0)
    yield view, editor, model, stack
    editor.set_model(None)


def _ids(model: AnnotationModel) -> list[str]:
    return [e.id for e in model]


def test_row_spans_merge_neighbours_and_match_sources() -> None:
    rows = (
        TraceRow("Fp1-F7", ("Fp1", "F7"), 0.0, 10.0),
        TraceRow("F7-T7", ("F7", "T7"), 10.0, 20.0),
        TraceRow("Fp2-F8", ("Fp2", "F8"), 25.0, 35.0),
    )
    assert row_spans(["f7"], rows) == [(0.0, 20.0)]
    assert row_spans(["Fp1-F7", "F8"], rows) == [(0.0, 10.0), (25.0, 35.0)]
    assert row_spans(["O1"], rows) == []


def test_bands_cover_the_whole_height_or_the_channel_rows(setup) -> None:
    view, editor, model, _ = setup
    seizure_id, spike_id = _ids(model)
    whole, spike = editor.item(seizure_id), editor.item(spike_id)
    assert whole is not None and spike is not None
    assert (whole.onset, whole.end) == (2.0, 5.0)
    assert whole.spans == [(0.0, pytest.approx(view.layout_mm.height_mm))]
    rows = trace_rows(view)  # T7 feeds F7-T7 and T7-P7: rows 1 and 2, merged
    assert spike.spans == [(pytest.approx(rows[1].top), pytest.approx(rows[2].bottom))]
    assert whole.label == "Seizure"
    editor.set_span(10.0, 20.0)  # the next page: no bands, items kept for reuse
    assert editor.items() == {}
    editor.set_span(0.0, 10.0)
    assert set(editor.items()) == {seizure_id, spike_id}


def test_preset_at_the_cursor_then_undo_and_redo(setup) -> None:
    _, editor, model, stack = setup
    editor.track_cursor(7.5)
    new = editor.create("Artefact", 2.0)
    assert new is not None and model.get(new).annotation == Annotation(
        7.5, 2.0, "Artefact", (), "user"
    )
    assert editor.item(new) is not None and editor.selected_id == new
    stack.undo()
    assert new not in model and editor.item(new) is None
    stack.redo()
    assert new in model and model.get(new).onset == 7.5
    editor.track_cursor(None)  # mouse off the traces: the middle of the page
    middle = editor.create("Spike")
    assert middle is not None and model.get(middle).onset == 5.0


def test_drag_selects_a_span_and_a_preset_annotates_it(qtbot, setup) -> None:
    view, editor, model, _ = setup
    row_y = trace_rows(view)[0].top + 1.0
    drag(view, 6.5, 8.5, row_y)
    assert editor.pending is not None
    start, end, channels = editor.pending
    assert (start, end) == (pytest.approx(6.5, abs=0.05), pytest.approx(8.5, abs=0.05))
    assert channels == ()
    assert editor.selection_item.isVisible()
    new = editor.create("Seizure")
    assert new is not None and model.get(new).duration == pytest.approx(2.0, abs=0.1)
    assert editor.pending is None and not editor.selection_item.isVisible()


def test_shift_drag_makes_a_channel_specific_selection(qtbot, setup) -> None:
    from PySide6.QtCore import Qt

    view, editor, model, _ = setup
    rows = trace_rows(view)
    drag(view, 7.5, 9.0, rows[1].top + 1, rows[2].top + 1, mods=Qt.KeyboardModifier.ShiftModifier)
    assert editor.pending is not None and editor.pending[2] == ("F7-T7", "T7-P7")
    new = editor.create("Spike")
    assert new is not None and model.get(new).channels == ("F7-T7", "T7-P7")
    item = editor.item(new)
    assert item is not None and item.spans == [
        (pytest.approx(rows[1].top), pytest.approx(rows[2].bottom))
    ]


def test_dragging_an_edge_resizes_and_the_body_moves(qtbot, setup) -> None:
    view, editor, model, stack = setup
    seizure_id = _ids(model)[0]
    y = trace_rows(view)[3].top + 1.0  # a row the spike does not cover
    drag(view, 5.0, 6.0, y)  # the right edge at 5 s, one second later
    entry = model.get(seizure_id)
    assert (entry.onset, entry.duration) == (2.0, pytest.approx(4.0, abs=0.05))
    assert model.is_edited(seizure_id) and model.original(seizure_id) == FILE[0]
    drag(view, 3.5, 4.5, y)  # the body: a move keeps the length
    entry = model.get(seizure_id)
    assert entry.onset == pytest.approx(3.0, abs=0.05)
    assert entry.duration == pytest.approx(4.0, abs=0.05)
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert model.get(seizure_id).annotation == FILE[0]
    assert editor.item(seizure_id).onset == 2.0


def test_delete_relabel_and_channels_are_undoable(setup) -> None:
    _, editor, model, stack = setup
    seizure_id, spike_id = _ids(model)
    editor.relabel(seizure_id, "Seizure (confirmed)")
    editor.set_channels(seizure_id, ("Fp1-F7",))
    editor.select(spike_id)
    editor.delete()
    assert _ids(model) == [seizure_id]
    assert model.get(seizure_id).annotation == Annotation(
        2.0, 3.0, "Seizure (confirmed)", ("Fp1-F7",), "edf"
    )
    for _ in range(3):
        stack.undo()
    assert model.annotations() == FILE
