"""Seizure analysis in the review window, wired together: one object the window holds.

It owns the :class:`~app.workers.analysis_job.AnalysisJob` of the open recording and
connects it to what the reviewer sees: when the recording's session is read, the stored
results are shown at once and, if the settings say so (default), the model starts (or
resumes) on its worker; progress and time left show in the status bar; the probability
strip, events, ECAM tint, overview marks and trends row fill in as the chunks arrive
(redrawn at most every ``REDRAW_MS``); the detections are reviewed through
:class:`~app.ui.detection_review.DetectionReview`; the selected one is mapped in the
topomap dock. A failure is one line through the window's prompter and the window stays
usable. :meth:`attach` plugs it into the main window.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMenu

from app.ui.analysis_actions import AnalysisActions
from app.ui.analysis_extras import AnalysisExtras
from app.ui.analysis_overlays import AnalysisOverlays
from app.ui.analysis_status import AnalysisStatus
from app.ui.annotation_table_model import clock_text, elapsed_text
from app.ui.detection_review import DetectionReview
from app.ui.events_dock import EventsDock
from app.ui.topomap_dock import TopomapDock
from app.workers.analysis_job import AnalysisJob

if TYPE_CHECKING:
    from app.core.analysis import Analysis
    from app.core.analysis_run import AnalysisOutcome
    from app.core.events import Event
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
REDRAW_MS = 500
#: Width of the right dock column on first start (the detections table needs it), at
#: most this share of the window.
DOCK_WIDTH_PX = 470
DOCK_SHARE = 0.3


class AnalysisController(QObject):
    """The seizure analysis of the window's recording and its review."""

    events_changed = Signal()  # the events (or their review) were recomputed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        s = window.settings
        self.job = AnalysisJob(self)
        self.overlays = AnalysisOverlays(window)
        self.events_dock = EventsDock(window)
        self.review = DetectionReview(window, self.events_dock)
        self.topomap_dock = TopomapDock(window)
        self.status = AnalysisStatus()
        self.extras = AnalysisExtras(window)
        self.actions = AnalysisActions(window, s.analysis_model, s.analysis_device)
        #: True/False: start (or not) on open whatever the settings say (``ictal demo``).
        self.autostart_override: bool | None = None
        self._active = False  # the open recording's session is read: results may be shown
        self._closed = False
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_MS)

    @classmethod
    def attach(cls, window: MainWindow) -> AnalysisController:
        """Build and plug into the main window (docks, menus, status bar, signals)."""
        c = cls(window)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        window.addDockWidget(right, c.events_dock)
        window.tabifyDockWidget(window.annotations.dock, c.events_dock)
        window.addDockWidget(right, c.topomap_dock, Qt.Orientation.Vertical)
        if not window.settings.window_state:  # first start: room for the detections table
            QTimer.singleShot(0, c._size_docks)
        window.menuBar().addMenu(c.actions.menu)
        _add_file_actions(window, c.actions)
        window.statusBar().addPermanentWidget(c.status)
        docks = window.actions_.docks_menu
        if docks is not None:
            docks.addAction(c.events_dock.toggleViewAction())
            docks.addAction(c.topomap_dock.toggleViewAction())
        c.actions.autostart.setChecked(window.settings.analysis_autostart)
        c.actions.tint.setChecked(window.settings.ecam_tint)
        c.overlays.set_tint_enabled(window.settings.ecam_tint)
        c.actions.set_running(False, False)
        c._connect()
        window.installEventFilter(c)
        return c

    def _size_docks(self) -> None:
        w = self.window
        width = min(DOCK_WIDTH_PX, int(DOCK_SHARE * w.width()))
        w.resizeDocks([self.events_dock], [width], Qt.Orientation.Horizontal)
        w.resizeDocks([self.topomap_dock], [int(0.4 * w.height())], Qt.Orientation.Vertical)

    def _connect(self) -> None:
        w, job, a, review = self.window, self.job, self.actions, self.review
        w.loader.opened.connect(self._on_recording_opened)
        w.annotations.loaded.connect(self._on_session_loaded)
        w.page_drawn.connect(self._on_page)
        job.reset.connect(lambda _a: self.refresh())
        job.updated.connect(lambda _a: self._redraw.isActive() or self._redraw.start())
        job.progress.connect(self.status.show_progress)
        job.running_changed.connect(self._on_running)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        self._redraw.timeout.connect(self.refresh)
        review.changed.connect(self.refresh)
        self.events_dock.event_selected.connect(self._on_selected)
        self.events_dock.model.span_edited.connect(lambda *_: self._show())
        self.status.cancel_requested.connect(job.cancel)
        a.run.triggered.connect(lambda: self.run(resume=True))
        a.rerun.triggered.connect(lambda: self.run(resume=False))
        a.cancel.triggered.connect(job.cancel)
        a.autostart.toggled.connect(lambda on: self._remember(analysis_autostart=on))
        a.tint.toggled.connect(self._set_tint)
        a.next_event.triggered.connect(lambda: review.step(1))
        a.previous_event.triggered.connect(lambda: review.step(-1))
        a.accept.triggered.connect(lambda: review.review_selected("accepted"))
        a.reject.triggered.connect(lambda: review.review_selected("rejected"))
        a.leave.triggered.connect(lambda: review.review_selected("unreviewed"))
        a.model_chosen.connect(self.set_model)
        a.device_chosen.connect(lambda d: self._remember(analysis_device=d))
        a.export_report.triggered.connect(self._export_report)
        a.compare.triggered.connect(self.extras.compare_with)
        a.treated.triggered.connect(self.extras.ask_treated)

    # --- public -------------------------------------------------------------------------
    @property
    def analysis(self) -> Analysis | None:
        """The results drawn now (None before the session is read or without results)."""
        return self.job.analysis if self._active else None

    @property
    def events(self) -> tuple[Event, ...]:
        return self.review.events

    @property
    def model_name(self) -> str:
        return self.window.settings.analysis_model

    def is_busy(self) -> bool:
        """True while the model runs or the overlays are still catching up."""
        return self.job.is_running() or self._redraw.isActive() or self.topomap_dock.is_busy()

    def run(self, *, resume: bool = True, auto: bool = False) -> bool:
        """Start (or resume) the analysis; False when it cannot start (message shown)."""
        from app.core.analysis_input import choose_input  # noqa: PLC0415 - lazy: start-up
        from app.core.errors import AnalysisError  # noqa: PLC0415

        recording = self.window.recording
        if recording is None or not self._active:
            return False
        try:
            choose_input(recording)
        except AnalysisError as exc:
            text = f"{exc.what} : {exc.why}"
            self.window.statusBar().showMessage(text, 10000)
            if not auto:
                self.window.prompter.error(self.window, self.tr("No analysis"), text)
            return False
        shown = self.job.analysis
        if resume and shown is not None and shown.complete:
            if not auto:
                self.window.statusBar().showMessage(
                    self.tr("The analysis is complete (%1).").replace("%1", self.model_name), 8000
                )
            return False
        self.job.start(self.model_name, self.window.settings.analysis_device, resume)
        return True

    def set_model(self, name: str) -> None:
        """Show (and, if set so, compute) the results of model ``name``."""
        self._remember(analysis_model=name)
        if self._active and self.window.recording is not None:
            self.review.flush()
            self._load()
            if self.window.settings.analysis_autostart:
                self.run(auto=True)

    def refresh(self) -> None:
        """Recompute the events of what is computed so far and redraw every view."""
        self._redraw.stop()
        analysis, review = self.analysis, self.review
        events = self.job.events(review.params, review.reviews) if analysis is not None else ()
        review.show_events(events, analysis)
        self._show()
        review.follow_page()
        self.events_changed.emit()

    # --- drawing ------------------------------------------------------------------------
    def _show(self) -> None:
        selected = self.events_dock.selected
        edits = self.events_dock.model.edits
        self.overlays.show(self.analysis, self.events, self.review.params, edits, selected)
        self._show_topomap(selected)

    def _show_topomap(self, event: Event | None) -> None:
        title = ""
        recording = self.window.recording
        if event is not None:
            start = recording.info.start if recording is not None else None
            when = clock_text(start, event.onset_s) or elapsed_text(event.onset_s)
            title = f"{event.label} · {when}"
        self.topomap_dock.show_event(self.analysis, event, title)

    # --- events -------------------------------------------------------------------------
    def _on_recording_opened(self, _source: object) -> None:
        """Another recording: forget the last one's results until its session is read."""
        self.review.clear()
        self.job.cancel()
        self._active = False
        self.refresh()
        self.actions.set_running(False, False)
        menu = self.window.actions_.montage_menu
        if menu is not None:  # the montage menu is rebuilt for each recording
            menu.addSeparator()
            menu.addAction(self.actions.treated)

    def _on_session_loaded(self) -> None:
        if self.window.recording is None:
            return
        self._active = True
        self.extras.load_treated(self.window.annotations.session)
        self._load()
        self.actions.set_running(self.job.is_running(), True)
        auto = self.autostart_override
        if auto if auto is not None else self.window.settings.analysis_autostart:
            self.run(auto=True)

    def _load(self) -> None:
        """Thresholds, decisions and stored results of the chosen model."""
        recording = self.window.recording
        if recording is None:
            return
        self.review.load(self.model_name)
        session = self.window.annotations.session
        self.job.open(str(recording.info.path), session, self.model_name)  # reset -> refresh

    def _on_page(self, _page: object) -> None:
        self.overlays.redraw_page()
        self.review.follow_page()

    def _on_selected(self, event: Event | None) -> None:
        self.overlays.select(event)
        self._show_topomap(event)

    def _on_running(self, running: bool) -> None:
        self.status.setVisible(running)
        self.actions.set_running(running, self.window.recording is not None)

    def _on_finished(self, outcome: AnalysisOutcome) -> None:
        self.refresh()
        a = outcome.analysis
        text = self.tr("Seizure analysis done: %1 (%2, %3 s)")
        text = text.replace("%1", self.review.summary(a).split(" · ")[0])
        text = text.replace("%2", a.model.name).replace("%3", f"{a.elapsed_s:.0f}")
        self.window.statusBar().showMessage(text, 10000)
        log.info("%s", text)

    def _on_failed(self, text: str) -> None:
        self.refresh()
        self.window.statusBar().showMessage(self.tr("Analysis failed: %1").replace("%1", text))
        self.window.prompter.error(self.window, self.tr("Analysis failed"), text)

    def _set_tint(self, on: bool) -> None:
        self.overlays.set_tint_enabled(on)
        self._remember(ecam_tint=on)

    def _remember(self, **changes: object) -> None:
        self.window.settings = replace(self.window.settings, **changes)  # type: ignore[arg-type]

    def _export_report(self) -> None:
        self.review.flush()
        self.extras.export_report(self.analysis)

    def close(self) -> None:
        """The window is closing: save, stop the model (its partial result is kept)."""
        if self._closed:
            return
        self._closed = True
        self._redraw.stop()
        self.review.flush()
        self.job.shutdown()
        self.topomap_dock.shutdown()
        self.extras.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.close()
        return super().eventFilter(watched, event)


def _add_file_actions(window: MainWindow, actions: AnalysisActions) -> None:
    """File → Export report… and Compare with…, above Quit."""
    quit_action = window.actions_.quit
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu) and quit_action in menu.actions():
            menu.insertAction(quit_action, actions.export_report)
            menu.insertAction(quit_action, actions.compare)
            menu.insertSeparator(quit_action)
            return
