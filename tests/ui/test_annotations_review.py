"""Annotations wired together on a small window: keys, autosave, reopen, list, menu, export."""

from __future__ import annotations

from pathlib import Path

import h5py
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu

from app.core.annotation_io import read_bids_events
from app.core.recording import open_recording
from app.core.session import Session, beside_path
from app.core.viewport import Viewport
from app.ui.annotation_review import AnnotationReview
from app.ui.trace_view import TraceView
from tests.ui.annotation_helpers import ScriptedAnnotationPrompter, page
from tests.ui.recordings import ANNOTATIONS, write_test_edf


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return write_test_edf(tmp_path_factory.mktemp("rec") / "night.edf")


@pytest.fixture
def edf(source: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "night.edf"
    copy.write_bytes(source.read_bytes())
    return copy


class Harness:
    """A window with a trace view and the review, on one recording."""

    def __init__(self, qtbot, edf: Path, data_dir: Path) -> None:
        self.window = QMainWindow()
        self.view = TraceView(Viewport(120.0))
        self.window.setCentralWidget(self.view)
        self.prompter = ScriptedAnnotationPrompter()
        self.review = AnnotationReview(self.view, self.window, self.prompter, data_dir=data_dir)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review.dock)
        self.errors: list[str] = []
        self.review.error.connect(lambda title, text: self.errors.append(text))
        qtbot.addWidget(self.window)
        self.window.resize(1200, 700)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.recording = open_recording(edf)
        with qtbot.waitSignal(self.review.loaded, timeout=10000):
            self.review.open_recording(self.recording)
        self.view.viewport_model.set_duration(120.0)
        self.view.show_page(page(0.0, 10.0))

    def close(self) -> None:
        self.review.close()
        self.recording.close()


@pytest.fixture
def harness(qtbot, edf: Path, tmp_path: Path):
    h = Harness(qtbot, edf, tmp_path / "private")
    yield h
    h.close()


def _stored(edf: Path, tmp_path: Path):
    return Session.open(edf, data_dir=tmp_path / "private").read_annotations()[0]


def test_hotkey_creates_saves_undoes_and_reopens(qtbot, harness, edf, tmp_path) -> None:
    model = harness.review.model
    assert model is not None
    assert [(a.onset, a.duration, a.description) for a in model.annotations()] == list(ANNOTATIONS)
    harness.review.editor.track_cursor(4.0)
    qtbot.keyClick(harness.window, Qt.Key.Key_K)  # K: spike at the cursor
    [spike] = model.filter(origin="reviewer")
    assert (spike.onset, spike.duration, spike.description) == (4.0, 0.0, "Spike")
    # on disk already: the autosave ran before the key press returned
    assert [(e.id, e.deleted) for e in _stored(edf, tmp_path)] == [(spike.id, False)]
    assert "night.edf.ictal.h5" in harness.review.dock.status.text()
    qtbot.keyClick(harness.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spike.id not in model
    assert [(e.id, e.deleted) for e in _stored(edf, tmp_path)] == [(spike.id, True)]
    qtbot.keyClick(
        harness.window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert spike.id in model
    harness.close()
    again = Harness(qtbot, edf, tmp_path / "private")
    try:
        assert again.review.model is not None and spike.id in again.review.model
        assert again.review.editor.item(spike.id) is not None  # drawn on the first page
    finally:
        again.close()
    assert beside_path(edf).exists()


def test_free_text_asks_and_escape_clears_the_selection(qtbot, harness) -> None:
    harness.prompter.label = "eyes closed"
    harness.review.editor.select_span(1.0, 3.0)
    qtbot.keyClick(harness.window, Qt.Key.Key_T)
    [entry] = harness.review.model.filter("eyes")
    assert (entry.onset, entry.duration) == (1.0, 2.0)
    assert harness.prompter.asked[0] == ("label", "")
    harness.review.editor.select_span(4.0, 5.0)
    qtbot.keyClick(harness.window, Qt.Key.Key_Escape)
    assert harness.review.editor.pending is None
    harness.prompter.label = None  # cancelled: nothing is made
    qtbot.keyClick(harness.window, Qt.Key.Key_T)
    assert len(harness.review.model.filter("eyes")) == 1


def test_list_filters_and_double_click_jumps(qtbot, harness) -> None:
    dock = harness.review.dock
    table = dock.table_model
    assert table.rowCount() == 3
    assert [table.index(r, table.ELAPSED).data() for r in range(3)] == [
        "0:00:30.0",
        "0:01:15.0",
        "0:01:40.0",
    ]
    assert table.index(0, table.CLOCK).data() == "22:00:30"
    assert table.index(0, table.SOURCE).data() == "edf"
    dock.filter_box.setText("spik")
    assert table.rowCount() == 1
    index = table.index(0, table.LABEL)
    assert index.data() == "Spike"
    dock.table.doubleClicked.emit(index)
    viewport = harness.view.viewport_model
    assert viewport.start_s == pytest.approx(75.0 - 0.25 * viewport.page_s)
    assert harness.review.editor.selected_id == table.entry(0).id
    dock.origin_box.setCurrentIndex(1)  # reviewer annotations only
    assert table.rowCount() == 0


@pytest.fixture
def popups(monkeypatch) -> list[QMenu]:
    """Menus the code pops up, recorded instead of shown (no popup windows offscreen)."""
    shown: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, *_args: shown.append(menu))
    return shown


def _menu_after_right_click(harness, popups, t_s: float, y_mm: float) -> QMenu | None:
    view = harness.view
    before = len(popups)
    scene = view.view_box.mapViewToScene(QPointF(t_s, y_mm))
    local = view.mapFromScene(scene)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, local, view.viewport().mapToGlobal(local)
    )
    QApplication.sendEvent(view.viewport(), event)
    return popups[-1] if len(popups) > before else None


def test_right_click_menu_on_a_band_deletes_it(qtbot, harness, popups) -> None:
    model = harness.review.model
    harness.review.editor.track_cursor(5.0)
    new = harness.review.editor.create("Artefact", 2.0)
    menu = _menu_after_right_click(harness, popups, 6.0, 10.0)
    assert menu is not None
    texts = [a.text() for a in menu.actions()]
    assert "Delete" in texts and any(t.startswith("Only on") for t in texts)
    next(a for a in menu.actions() if a.text().startswith("Only on")).trigger()
    assert len(model.get(new).channels) == 1
    menu = _menu_after_right_click(harness, popups, 6.0, 10.0)
    assert menu is not None
    next(a for a in menu.actions() if a.text() == "Delete").trigger()
    assert new not in model
    assert _menu_after_right_click(harness, popups, 8.5, 10.0) is None  # nothing there: not ours


def test_export_bids_and_edf(qtbot, harness, edf, tmp_path) -> None:
    harness.review.editor.track_cursor(2.0)
    harness.review.editor.create("Seizure", 3.0)
    harness.prompter.path = str(tmp_path / "night_events.tsv")
    harness.review.ask_export_bids()
    rows = read_bids_events(tmp_path / "night_events.tsv")
    assert [(a.onset, a.description) for a in rows][:2] == [(2.0, "Seizure"), (30.0, "Seizure")]
    harness.prompter.path = str(tmp_path / "export.edf")
    with qtbot.waitSignal(harness.review.exporter.finished, timeout=20000):
        harness.review.ask_export_edf()
    with open_recording(tmp_path / "export.edf") as exported:
        assert [(a.onset, a.description) for a in exported.annotations][:1] == [(2.0, "Seizure")]
        assert exported.info.duration_s == pytest.approx(120.0)
    harness.prompter.path = str(edf)  # never over the recording
    harness.review.ask_export_bids()
    harness.review.ask_export_edf()
    assert len(harness.errors) == 2


def test_a_session_from_another_recording_is_reported(qtbot, edf, tmp_path) -> None:
    other = write_test_edf(tmp_path / "other.edf", duration_s=60)
    Session.open(other, data_dir=tmp_path).write_annotations([], [])
    beside_path(edf).write_bytes(beside_path(other).read_bytes())
    h = Harness(qtbot, edf, tmp_path / "private")
    try:
        assert any("different recording" in e for e in h.errors)
        assert h.review.model is not None and len(h.review.model) == 3
    finally:
        h.close()


def test_a_failed_save_is_shown_and_kept(qtbot, harness, monkeypatch) -> None:
    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(harness.review.session, "write_annotations", full_disk)
    harness.review.editor.create("Spike")
    assert "NOT SAVED" in harness.review.dock.status.text()
    assert harness.errors and "No space" in harness.errors[-1]
    assert harness.review.autosave is not None and harness.review.autosave.dirty
    monkeypatch.undo()
    assert harness.review.autosave.save_now()
    with h5py.File(harness.review.session.path, "r") as h5:
        assert h5["annotations/table"].shape == (1,)


def test_delete_key_in_the_list_and_double_click_relabel(qtbot, harness) -> None:
    model = harness.review.model
    dock = harness.review.dock
    dock.filter_box.setText("artefact")
    dock.table.setCurrentIndex(dock.table_model.index(0, 0))
    target = dock.table_model.entry(0).id
    assert harness.review.editor.selected_id == target  # the list selects on the traces too
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_Delete)
    assert target not in model and dock.table_model.rowCount() == 0
    seizure = model.filter("seizure")[0]
    harness.review.editor.set_span(25.0, 35.0)
    harness.prompter.label = "Seizure (electrographic)"
    harness.review.editor.item(seizure.id).double_clicked.emit(seizure.id)
    assert model.get(seizure.id).description == "Seizure (electrographic)"
    assert harness.prompter.asked[-1] == ("label", "Seizure")


def test_no_edits_until_the_session_is_read_and_none_if_it_cannot_be(qtbot, harness, edf) -> None:
    review = harness.review
    review.editor.track_cursor(4.0)
    with qtbot.waitSignal(review.loaded, timeout=10000):
        review.open_recording(harness.recording)
        assert review.editor.read_only and review.model is not None
        qtbot.keyClick(harness.window, Qt.Key.Key_K)  # too early: refused, not lost silently
        assert review.model.filter(origin="reviewer") == ()
    qtbot.keyClick(harness.window, Qt.Key.Key_K)
    assert len(review.model.filter(origin="reviewer")) == 1
    edf.unlink()  # the recording vanished (a USB disk pulled out): no session can be kept
    with qtbot.waitSignal(review.error, timeout=10000):
        review.open_recording(harness.recording)
    qtbot.wait(50)
    assert review.session is None and review.editor.read_only
    assert len(review.model) == 3  # its own annotations are still shown
    assert any("night.edf" in e for e in harness.errors)
