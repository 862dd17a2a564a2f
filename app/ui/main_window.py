"""The review window: traces in the middle, overview bar under them, docks around.

The window wires models to views; it holds no review state of its own. The page/time
model is :attr:`MainWindow.viewport`, the open recording :attr:`MainWindow.recording`,
the page on screen :attr:`MainWindow.page`; overlays add items to
``window.trace_view.view_box`` (x: seconds from the first sample, y: mm from the top)
and follow ``recording_opened`` / ``page_drawn``. Whole-night trends go in the dock area
above the traces (:meth:`add_top_dock`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from app.core.calibration import Calibration
from app.core.errors import IctalError
from app.core.viewport import Viewport, main_signal_type
from app.ui import window_requests as requests
from app.ui.actions import ViewerActions
from app.ui.analysis_controller import AnalysisController
from app.ui.annotation_review import AnnotationReview
from app.ui.cursor_status import CursorStatus
from app.ui.header_dock import HeaderDock
from app.ui.menus import build_menus
from app.ui.overview_bar import OverviewBar
from app.ui.prompter import DialogPrompter, Prompter
from app.ui.toolbar import ViewerToolBar
from app.ui.trace_view import TraceView
from app.ui.trends_dock import TrendsDock
from app.workers.page_loader import FirstPage, PageLoader
from app.workers.reviewer_activity import reviewer_activity
from app.workers.settings_store import SettingsStore, ViewerSettings, settings_of

if TYPE_CHECKING:
    from app.core.annotation import Annotation
    from app.core.recording import Recording
    from app.workers.page_job import Page, PageSource

log = logging.getLogger(__name__)
READY_LINE = "ictal: ready"


class MainWindow(QMainWindow):
    """One recording under review."""

    recording_opened = Signal(object)  # Recording, once its annotations are read
    open_failed = Signal(object)  # the exception (IctalError for a bad file)
    page_drawn = Signal(object)  # Page

    def __init__(
        self,
        store: SettingsStore,
        prompter: Prompter | None = None,
        loader: PageLoader | None = None,
    ) -> None:
        super().__init__()
        self._build_state(store, prompter, loader)
        self._build_central()
        self._build_docks()
        self._build_toolbar()
        self._build_menus()
        self._build_annotations()
        self._build_analysis()
        self._build_layout()
        self._connect_viewport()
        self._connect_views()
        self._connect_loader()
        self._connect_actions()

    # --- building -----------------------------------------------------------------------
    def _build_state(
        self, store: SettingsStore, prompter: Prompter | None, loader: PageLoader | None
    ) -> None:
        from app.core.filters import FilterSettings  # noqa: PLC0415 - loads scipy: see launch.py

        self.store = store
        self.settings: ViewerSettings = store.load()
        self.prompter: Prompter = prompter if prompter is not None else DialogPrompter()
        s = self.settings
        filters = FilterSettings(s.highpass_hz, s.lowpass_hz, s.notch_hz)
        self.viewport = Viewport(
            page_s=s.page_s,
            sensitivity_uv_mm=s.sensitivity_uv_mm,
            seeg_sensitivity_uv_mm=s.seeg_sensitivity_uv_mm,
            montage=s.montage,
            filters=filters,
            type_scale=s.type_scale,
        )
        self.loader = loader if loader is not None else PageLoader()
        self.loader.setParent(self)
        self._source: PageSource | None = None
        self._ready = False
        self._announced = False  # recording_opened emitted for the open recording
        self._holding = False
        self._closed = False
        self.setObjectName("mainWindow")
        self.setWindowTitle("Ictal")
        self.setAcceptDrops(True)

    def _build_central(self) -> None:
        self.trace_view = TraceView(self.viewport)
        self.overview = OverviewBar()
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 2)
        column.setSpacing(2)
        column.addWidget(self.trace_view, 1)
        column.addWidget(self.overview)
        self.setCentralWidget(body)

    def _build_docks(self) -> None:
        self.header_dock = HeaderDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.header_dock)
        self.trends_dock = TrendsDock(self)
        self.add_top_dock(self.trends_dock)

    def _build_toolbar(self) -> None:
        self.toolbar = ViewerToolBar(self.viewport, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.cursor_status = CursorStatus(self.statusBar())

    def _build_menus(self) -> None:
        self.actions_ = ViewerActions(self)
        self.recent_menu = build_menus(self, self.actions_)
        requests.fill_recent_menu(self)

    def _build_annotations(self) -> None:
        self.annotations = AnnotationReview.attach(self, self.prompter)
        # Patient/recording header and the annotation list share the right column as tabs.
        self.tabifyDockWidget(self.header_dock, self.annotations.dock)
        self.annotations.dock.raise_()
        if self.actions_.docks_menu is not None:
            self.actions_.docks_menu.addAction(self.annotations.dock.toggleViewAction())
            self.actions_.docks_menu.addAction(self.trends_dock.toggleViewAction())

    def _build_analysis(self) -> None:
        self.analysis = AnalysisController.attach(self)

    def _build_layout(self) -> None:
        self.resize(1600, 1000)
        self.restoreGeometry(self.settings.window_geometry)
        if not self.restoreState(self.settings.window_state):
            self.resizeDocks([self.trends_dock], [240], Qt.Orientation.Vertical)

    # --- public -------------------------------------------------------------------------
    @property
    def recording(self) -> Recording | None:
        return self._source.recording if self._source is not None else None

    @property
    def page(self) -> Page | None:
        return self.trace_view.page

    def is_busy(self) -> bool:
        """True while background panels (session, trends) are still filling in."""
        if self.recording is None:
            return False
        return (
            not self._announced
            or not self.annotations.is_loaded()
            or self.trends_dock.is_busy()
            or self.analysis.is_busy()
        )

    def add_top_dock(self, dock: QDockWidget) -> None:
        """Put a whole-night panel (trends) above the traces."""
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, dock)

    def open_file(self, path: str | Path) -> None:
        """Open a recording in the background; the first page follows."""
        self.statusBar().showMessage(self.tr("Opening %1…").replace("%1", Path(path).name))
        vm = self.viewport
        self.loader.open(path, FirstPage.of(vm.page_s, vm.montage, vm.filters))

    def calibration(self) -> Calibration:
        screen = self.screen()
        ratio = screen.devicePixelRatio() or 1.0
        return Calibration.from_screen(
            screen.physicalDotsPerInchX() / ratio,
            screen.physicalDotsPerInchY() / ratio,
            self.settings.calibration_factor,
        )

    # --- connections --------------------------------------------------------------------
    def _connect_viewport(self) -> None:
        vm = self.viewport
        for signal in (vm.span_changed, vm.montage_changed, vm.filters_changed, vm.bad_changed):
            signal.connect(self._request_page)
        for signal in (vm.sensitivity_changed, vm.hidden_changed, vm.type_scale_changed):
            signal.connect(self.trace_view.refresh)
        vm.span_changed.connect(self.overview.set_page)
        vm.span_changed.connect(lambda *_: reviewer_activity().touch())  # jobs wait meanwhile
        vm.span_changed.connect(self.trends_dock.set_page)

    def _connect_views(self) -> None:
        self.trace_view.columns_changed.connect(self._request_page)
        self.trace_view.cursor_moved.connect(self.cursor_status.show_cursor)
        self.trace_view.context_requested.connect(
            lambda label, pos: requests.show_channel_menu(self, label, pos)
        )
        self.overview.jump_requested.connect(self.viewport.center_on)
        self.trends_dock.jump_requested.connect(self.viewport.center_on)
        review = self.annotations
        review.loaded.connect(self._on_session_loaded)
        review.annotations_changed.connect(
            lambda: self.trends_dock.set_annotations(review.annotations())
        )
        self.toolbar.timebase_chosen.connect(lambda mm_s: requests.set_timebase(self, mm_s))
        self.toolbar.message.connect(lambda text: self.statusBar().showMessage(text, 8000))

    def _connect_loader(self) -> None:
        self.loader.opened.connect(self._on_opened)
        self.loader.open_failed.connect(self._on_open_failed)
        self.loader.page_ready.connect(self._on_page)
        self.loader.page_failed.connect(self._on_page_failed)
        self.loader.annotations_ready.connect(self._on_annotations_ready)

    def _connect_actions(self) -> None:
        a, vm = self.actions_, self.viewport
        a.open.triggered.connect(lambda: requests.ask_open(self))
        a.quit.triggered.connect(self.close)
        a.next_page.triggered.connect(lambda: vm.scroll(1.0))
        a.previous_page.triggered.connect(lambda: vm.scroll(-1.0))
        a.forward_half.triggered.connect(lambda: vm.scroll(0.5))
        a.back_half.triggered.connect(lambda: vm.scroll(-0.5))
        a.home.triggered.connect(vm.home)
        a.end.triggered.connect(vm.end)
        a.goto.triggered.connect(lambda: requests.ask_goto(self))
        a.more_sensitive.triggered.connect(lambda: vm.step_sensitivity(-1))
        a.less_sensitive.triggered.connect(lambda: vm.step_sensitivity(1))
        a.next_annotation.triggered.connect(lambda: vm.next_annotation(self._annotations()))
        a.previous_annotation.triggered.connect(lambda: vm.previous_annotation(self._annotations()))
        a.show_all.triggered.connect(vm.show_all)
        a.calibrate.triggered.connect(lambda: requests.ask_calibration(self))

    # --- loading ------------------------------------------------------------------------
    def _on_opened(self, source: PageSource) -> None:
        self._source = source
        recording = source.recording
        options = source.montage_options
        key = source.montage_key(self.viewport.montage)
        self.toolbar.set_montages(options)
        for action, option in zip(
            self.actions_.set_montages([o.name for o in options]), options, strict=False
        ):
            action.triggered.connect(lambda _c=False, k=option.key: self.viewport.set_montage(k))
        self.header_dock.set_recording(recording.info, recording.channels)
        self._announced = False
        self.overview.set_recording(recording.info.duration_s, ())  # annotations come later
        self.trace_view.time_axis.set_start_time(recording.info.start)
        self.cursor_status.set_start_time(recording.info.start)
        self.trace_view.calibration = self.calibration()
        self.setWindowTitle(f"{recording.info.path.name} – Ictal")
        self.settings = self.settings.with_recent(recording.info.path)
        requests.fill_recent_menu(self)
        self._holding = True  # one page request for all the changes below
        try:
            self.viewport.set_bad(self.viewport.bad, False)
            self.viewport.show_all()
            self.viewport.set_signal_type(main_signal_type(ch.type for ch in recording.channels))
            self.viewport.set_montage(key)
            self.viewport.set_duration(recording.info.duration_s)
        finally:
            self._holding = False
        self.statusBar().clearMessage()
        self._request_page()

    def _on_annotations_ready(self, recording: Recording) -> None:
        """The file's annotations are read (after the first page): the review starts."""
        if recording is not self.recording:
            return
        if recording.annotation_error is not None:
            self.statusBar().showMessage(_one_line(recording.annotation_error))
        self._announced = True
        self.recording_opened.emit(recording)

    def _on_open_failed(self, error: BaseException) -> None:
        text = _one_line(error)
        self.statusBar().showMessage(text)
        self.prompter.error(self, self.tr("Cannot open recording"), text)
        self.open_failed.emit(error)

    def _request_page(self, *_: object) -> None:
        if self._source is None or self._holding:
            return
        from app.workers.page_job import PageRequest  # noqa: PLC0415 - lazy: start-up time

        vm = self.viewport
        self.loader.request(
            PageRequest(
                vm.start_s, vm.page_s, vm.montage, vm.filters, vm.bad, self.trace_view.columns
            )
        )

    def _on_page(self, page: Page) -> None:
        self.trace_view.show_page(page)
        self.overview.set_page(page.request.start_s, page.request.duration_s)
        width = self.trace_view.view_box.width()
        self.toolbar.show_timebase(
            self.trace_view.calibration.timebase_for_page(width, page.request.duration_s)
        )
        if page.filter_note:
            self.statusBar().showMessage(page.filter_note, 8000)
        if not self._ready:
            self._ready = True
            log.info(READY_LINE)
        self.page_drawn.emit(page)

    def _on_page_failed(self, error: BaseException) -> None:
        text = _one_line(error)
        self.statusBar().showMessage(text)
        if isinstance(error, IctalError):
            self.prompter.error(self, self.tr("Cannot show this page"), text)
        else:
            log.error("page failed", exc_info=error)

    def _annotations(self) -> tuple[Annotation, ...]:
        if not self._announced and self.recording is not None:
            return self.recording.annotations  # still being read: wait for them
        return self.annotations.annotations()

    def _on_session_loaded(self) -> None:
        recording = self.recording
        if recording is None:
            return
        self.trends_dock.set_recording(recording, self.annotations.session)
        self.trends_dock.set_page(self.viewport.start_s, self.viewport.page_s)
        self.trends_dock.set_annotations(self.annotations.annotations())

    # --- window events ------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            self.open_file(files[0])
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            geometry, state = bytes(self.saveGeometry().data()), bytes(self.saveState().data())
            self.store.save(settings_of(self.settings, self.viewport, geometry, state))
            self.trends_dock.shutdown()
            self.loader.close()
        super().closeEvent(event)


def _one_line(error: BaseException) -> str:
    if isinstance(error, IctalError):
        return f"{error.what} : {error.why}"
    return " ".join(f"{type(error).__name__}: {error}".split())
