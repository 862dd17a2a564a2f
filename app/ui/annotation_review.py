"""Annotations of the open recording, wired together: one object the window holds.

It owns the session file, the :class:`AnnotationModel`, the autosave, the undo stack,
the editor on the traces, the list dock and the actions, and connects them: a new
recording loads its session (fingerprint-checked), every edit is saved before the next
event is handled, page flips re-place the bands, the list jumps the viewport.
:meth:`attach` plugs it into the main window with its public signals only.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QUndoStack

from app.core.annotation import Annotation
from app.core.annotation_model import AnnotationModel
from app.core.errors import IctalError
from app.core.viewport import ANNOTATION_LEAD
from app.ui.annotation_actions import AnnotationActions, Preset, annotation_menu, selection_menu
from app.ui.annotation_editor import AnnotationEditor, TraceRow
from app.ui.annotation_export import AnnotationExporter
from app.ui.annotation_label_dialog import AnnotationPrompter, DialogAnnotationPrompter
from app.ui.annotations_dock import AnnotationsDock
from app.workers.autosave import AnnotationAutosave, LoadedSession, load_session
from app.workers.job import JobRunner

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QWidget

    from app.core.recording import Recording
    from app.core.session import Session
    from app.ui.trace_view import TraceView

log = logging.getLogger(__name__)


def trace_rows(view: TraceView) -> tuple[TraceRow, ...]:
    """The rows the trace view draws now: label, source channels, band in mm."""
    page, layout = view.page, view.layout_mm
    if page is None:
        return ()
    half = layout.spacing_mm / 2.0
    rows = []
    for label, baseline in zip(view.shown_labels(), layout.baselines, strict=False):
        sources = page.traces.sources[page.traces.labels.index(label)]
        rows.append(TraceRow(label, tuple(sources), baseline - half, baseline + half))
    return tuple(rows)


class AnnotationReview(QObject):
    """The reviewer's annotations for ``trace_view``. Signals carry one-line messages."""

    message = Signal(str)  # for the status bar
    error = Signal(str, str)  # title, one line
    annotations_changed = Signal()
    loaded = Signal()  # the session of the new recording is read: edits are possible

    def __init__(
        self,
        trace_view: TraceView,
        window: QWidget,
        prompter: AnnotationPrompter | None = None,
        *,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(window)
        self.trace_view = trace_view
        self.window = window
        self.prompter: AnnotationPrompter = prompter or DialogAnnotationPrompter()
        self.data_dir = data_dir
        self.session: Session | None = None
        self.autosave: AnnotationAutosave | None = None
        self.recording: Recording | None = None
        self._pending = False
        self.undo_stack = QUndoStack(self)
        self.editor = AnnotationEditor(trace_view.view_box, self.undo_stack, self)
        self.dock = AnnotationsDock(window)
        self.actions = AnnotationActions(window, self.undo_stack)
        self.exporter = AnnotationExporter(self.prompter, window)
        self._loader = JobRunner(parent=self)
        self._connect()

    @classmethod
    def attach(
        cls,
        window: QMainWindow,
        prompter: AnnotationPrompter | None = None,
        *,
        data_dir: Path | None = None,
    ) -> AnnotationReview:
        """Build and plug into a main window (trace_view, overview, recording_opened...)."""
        review = cls(window.trace_view, window, prompter, data_dir=data_dir)  # type: ignore[attr-defined]
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, review.dock)
        window.menuBar().addMenu(review.actions.menu)
        window.recording_opened.connect(review.open_recording)  # type: ignore[attr-defined]
        review.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        overview = window.overview  # type: ignore[attr-defined]
        review.annotations_changed.connect(
            lambda: overview.set_recording(review.duration_s, review.annotations())
        )
        prompt = getattr(window, "prompter", None)
        if prompt is not None:
            review.error.connect(lambda title, text: prompt.error(window, title, text))
        window.installEventFilter(review)
        return review

    # --- wiring -------------------------------------------------------------------------
    def _connect(self) -> None:
        view, a = self.trace_view, self.actions
        view.page_drawn.connect(self._on_page)
        view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        view.viewport().installEventFilter(self)
        for preset, action in a.presets:
            action.triggered.connect(lambda _c=False, p=preset: self.create_preset(p))
        a.delete.triggered.connect(lambda _checked=False: self.editor.delete())
        a.cancel.triggered.connect(self._cancel)
        a.export_bids.triggered.connect(self.ask_export_bids)
        a.export_edf.triggered.connect(self.ask_export_edf)
        self._loader.finished.connect(self._on_loaded)
        self._loader.failed.connect(self._on_load_failed)
        self.dock.jump_requested.connect(self.jump_to)
        self.dock.annotation_selected.connect(self.editor.select)
        self.dock.delete_requested.connect(self.editor.delete)
        self.editor.relabel_requested.connect(self.ask_relabel)
        self.editor.selection_changed.connect(
            lambda: self.dock.select_annotation(self.editor.selected_id)
        )
        self.exporter.message.connect(self.message)
        self.exporter.error.connect(self.error)

    @property
    def model(self) -> AnnotationModel | None:
        return self.editor.model

    @property
    def duration_s(self) -> float:
        return self.recording.info.duration_s if self.recording is not None else 0.0

    def is_loaded(self) -> bool:
        """False while the session of the open recording is still being read."""
        return not self._pending

    def annotations(self) -> tuple[Annotation, ...]:
        """The visible annotations by onset (navigation, overview); () with none open."""
        model = self.model
        return model.annotations() if model is not None else ()

    # --- a recording --------------------------------------------------------------------
    def open_recording(self, recording: Recording) -> None:
        """Load the session of ``recording`` in the background (``loaded`` follows).

        Until then the recording's own annotations are shown and edits are refused.
        """
        self.close_recording()
        self.recording = recording
        self._pending = True
        self._show(AnnotationModel(recording.annotations), None)
        self._loader.start(load_session, Path(recording.info.path), self.data_dir)

    def _on_loaded(self, _request_id: int, result: LoadedSession) -> None:
        recording = self.recording
        if recording is None or Path(recording.info.path) != result.recording:
            return
        model = AnnotationModel(recording.annotations, result.entries, result.history)
        self._show(model, result.session)
        self._pending = False
        if result.session.notice:
            self.error.emit(self.tr("Earlier annotations set aside"), result.session.notice)
        self.loaded.emit()

    def _on_load_failed(self, _request_id: int, exc: object) -> None:
        text = f"{exc.what} : {exc.why}" if isinstance(exc, IctalError) else str(exc)
        log.error("session not loaded: %s", text)
        self._pending = False
        self.error.emit(self.tr("Annotations cannot be saved"), text)
        self.loaded.emit()  # the rest of the window goes on without a session file

    def _show(self, model: AnnotationModel, session: Session | None) -> None:
        """Put ``model`` on screen; with a session, edits are possible and autosaved."""
        self._release_model()
        self.session = session
        if session is not None:
            self.autosave = AnnotationAutosave(model, session, self)
            self.autosave.saved.connect(self._on_saved)
            self.autosave.failed.connect(self._on_save_failed)
        self.editor.duration_s = self.duration_s
        self.editor.read_only = session is None
        self.editor.set_model(model)
        self.dock.set_model(model, self.recording.info.start if self.recording else None)
        model.changed.connect(self._on_model_changed)
        self.annotations_changed.emit()

    def close_recording(self) -> None:
        self._loader.cancel()
        self._release_model()
        self.undo_stack.clear()
        self.session, self.recording = None, None

    def _release_model(self) -> None:
        if self.autosave is not None:
            self.autosave.close()
            self.autosave.deleteLater()
            self.autosave = None
        if self.model is not None:
            self.model.changed.disconnect(self._on_model_changed)
        self.editor.set_model(None)
        self.dock.set_model(None, None)

    def close(self) -> None:
        """The window is closing: stop the export, detach from the model."""
        self._loader.shutdown()
        self.exporter.shutdown()
        self.close_recording()

    # --- reviewer actions ---------------------------------------------------------------
    def create_preset(self, preset: Preset) -> str | None:
        """A preset key: annotate the selection or the cursor (T asks for the text)."""
        if self.model is None:
            return None
        if self.editor.read_only:
            self.message.emit(self.tr("Annotations cannot be edited: the session file is not open"))
            return None
        label = preset.label or self._ask_text(self.tr("New annotation"), "")
        return self.editor.create(label, preset.duration_s) if label else None

    def ask_relabel(self, annotation_id: str) -> None:
        if self.model is not None:
            current = self.model.get(annotation_id).description
            label = self._ask_text(self.tr("Relabel annotation"), current)
            if label:
                self.editor.relabel(annotation_id, label)

    def _ask_text(self, title: str, current: str) -> str:
        choices = [p.label for p, _ in self.actions.presets if p.label]
        if self.model is not None:
            choices += [e.description for e in self.model]
        return self.prompter.ask_label(self.window, title, current, choices) or ""

    def jump_to(self, onset_s: float, annotation_id: str = "") -> None:
        """Put ``onset_s`` a quarter page from the left, as the N/P keys do."""
        viewport = self.trace_view.viewport_model
        viewport.set_start(onset_s - ANNOTATION_LEAD * viewport.page_s)
        if annotation_id:
            self.editor.select(annotation_id)

    def _cancel(self) -> None:
        self.editor.clear_selection()
        self.editor.select(None)

    def ask_export_bids(self) -> None:
        """File > Export BIDS events.tsv (the path asked through the prompter)."""
        if self.recording is not None and self.model is not None:
            self.exporter.ask_bids(Path(self.recording.info.path), self.model.annotations())

    def ask_export_edf(self) -> None:
        """File > Export EDF+ with the annotations (in the background)."""
        if self.recording is not None and self.model is not None:
            self.exporter.ask_edf(self.recording, self.model.annotations())

    # --- events -------------------------------------------------------------------------
    def _on_page(self, page: object) -> None:
        view = self.trace_view
        self.editor.set_rows(trace_rows(view), view.layout_mm.height_mm)
        start, end = view.view_box.viewRange()[0]
        self.editor.set_span(float(start), float(end))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        box = self.trace_view.view_box
        inside = box.sceneBoundingRect().contains(scene_pos)
        self.editor.track_cursor(box.mapSceneToView(scene_pos).x() if inside else None)

    def _on_model_changed(self, _change: object) -> None:
        self.annotations_changed.emit()

    def _on_saved(self, path: str) -> None:
        self.dock.show_saved(self.tr("Saved to %1").replace("%1", Path(path).name))

    def _on_save_failed(self, exc: object) -> None:
        text = str(exc)
        self.dock.show_saved(self.tr("NOT SAVED: %1").replace("%1", text))
        self.error.emit(self.tr("Annotations not saved"), text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.close()
        elif (
            event.type() == QEvent.Type.ContextMenu
            and isinstance(event, QContextMenuEvent)
            and watched is self.trace_view.viewport()
        ):
            return self._context_menu(event)
        return super().eventFilter(watched, event)

    def _context_menu(self, event: QContextMenuEvent) -> bool:
        """Right click on a band or the selection: the annotation menu (else the channel's)."""
        if self.model is None:
            return False
        view = self.trace_view
        point = view.view_box.mapSceneToView(view.mapToScene(event.pos()))
        item = self.editor.item_at(point)
        pending = self.editor.pending
        if item is not None:
            self.editor.select(item.annotation_id)
            menu = annotation_menu(
                self.window,
                self.editor,
                item.annotation_id,
                row=self.editor.row_at(point.y()),
                names=self.actions.names,
                ask_label=self.ask_relabel,
            )
        elif pending is not None and pending[0] <= point.x() <= pending[1]:
            menu = selection_menu(self.window, self.editor, self.actions.names, self._ask_create)
        else:
            return False
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(event.globalPos())
        return True

    def _ask_create(self) -> None:
        label = self._ask_text(self.tr("New annotation"), "")
        if label:
            self.editor.create(label)
