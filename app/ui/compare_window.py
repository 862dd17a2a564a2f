"""Compare mode: a pre and a post recording side by side, and what changed per channel.

Two panes (the review window's trace view, viewport and page loader each) are
time-locked: paging moves the pre recording and the post recording follows at
``pre time + offset``. With more channels than fit (an SEEG implantation) both panes
scroll through them together (scroll bar, mouse wheel, ↑/↓), so every label stays
readable. Traces without a partner of the same name in the other pane are hidden (and
listed under *Unmatched*), so matched channels sit side by side. Treated contacts are
typed in the toolbar and highlighted on the traces, in the ranking and in the figures.
*Compare* computes both recordings' metrics in the background
(:mod:`app.ui.compare_job`); the change chart, shaft strip (SEEG) or scalp map, and the
ranking fill in when it is done. Double-clicking a ranked channel shows its first
detected discharge before treatment.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter

from app.core.compare.change import Comparison, compare
from app.core.compare.matching import match_channels
from app.core.compare.run import CompareOptions
from app.core.compare.seeg import parse_treated
from app.core.errors import IctalError
from app.core.viewport import Viewport
from app.ui.compare_job import metrics_job
from app.ui.compare_pane import ComparePane
from app.ui.compare_results import CompareResults
from app.ui.compare_toolbar import CompareToolBar
from app.ui.prompter import DialogPrompter, Prompter
from app.ui.trace_view import WHEEL_ROWS
from app.workers.job import JobRunner

if TYPE_CHECKING:
    from app.core.compare.metrics import RecordingMetrics
    from app.workers.page_job import Page, PageSource

log = logging.getLogger(__name__)
#: SEEG opens in the shaft-bipolar montage (discharges localised between neighbouring
#: contacts, far-field reference activity removed), at the viewer's SEEG sensitivity
#: (:data:`app.core.viewport.SEEG_SENSITIVITY_UV_MM`, set by the pane's viewport).
SEEG_MONTAGE = "seeg_bipolar"


class CompareWindow(QMainWindow):
    """Pre/post comparison of two recordings of one patient."""

    comparison_ready = Signal(object)  # Comparison
    compare_failed = Signal(object)  # exception

    def __init__(self, prompter: Prompter | None = None) -> None:
        super().__init__()
        self._build_state(prompter)
        self._build_panes()
        self._build_toolbar()
        self._build_results()
        self._build_shortcuts()
        self._connect_panes()
        self._connect_toolbar()
        self._connect_job()

    # --- building -----------------------------------------------------------------------
    def _build_state(self, prompter: Prompter | None) -> None:
        self.prompter: Prompter = prompter if prompter is not None else DialogPrompter()
        self.offset_s = 0.0
        self.treated: tuple[str, ...] = ()
        self.metrics: tuple[RecordingMetrics, RecordingMetrics] | None = None
        self.comparison: Comparison | None = None
        self.runner = JobRunner(parent=self)
        self._aligned: tuple[object, ...] = ()
        self._closed = False
        self.setObjectName("compareWindow")
        self.setWindowTitle(self.tr("Ictal – compare"))
        self.resize(1600, 1000)

    def _build_panes(self) -> None:
        self.pre = ComparePane(self.tr("Before"), Viewport(montage="as_recorded"))
        self.post = ComparePane(self.tr("After"), Viewport(montage="as_recorded"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.pre)
        self.splitter.addWidget(self.post)
        self.setCentralWidget(self.splitter)

    def _build_toolbar(self) -> None:
        self.toolbar = CompareToolBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.show_sensitivity(self.pre.viewport.sensitivity_uv_mm)

    def _build_results(self) -> None:
        self.results = CompareResults()
        self.results_dock = QDockWidget(self.tr("Change post − pre"), self)
        self.results_dock.setObjectName("compareResultsDock")
        self.results_dock.setWidget(self.results)
        self.results_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.results_dock)
        self.resizeDocks([self.results_dock], [380], Qt.Orientation.Vertical)

    def _build_shortcuts(self) -> None:
        keys = (
            (QKeySequence.StandardKey.MoveToNextPage, 1.0),
            (QKeySequence.StandardKey.MoveToPreviousPage, -1.0),
            (Qt.Key.Key_Right, 0.5),
            (Qt.Key.Key_Left, -0.5),
        )
        for key, pages in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda p=pages: self.pre.viewport.scroll(p))
        for key, rows in ((Qt.Key.Key_Down, WHEEL_ROWS), (Qt.Key.Key_Up, -WHEEL_ROWS)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda r=rows: self.pre.trace_view.scroll_channels(r))

    # --- connections --------------------------------------------------------------------
    def _connect_panes(self) -> None:
        self.pre.viewport.span_changed.connect(lambda *_: self._follow())
        # Many channels (SEEG): both panes scroll through them together.
        pre, post = self.pre.trace_view, self.post.trace_view
        pre.channels_scrolled.connect(post.set_channel_top)
        post.channels_scrolled.connect(pre.set_channel_top)
        for pane in (self.pre, self.post):
            pane.opened.connect(lambda source, p=pane: self._on_opened(p, source))
            pane.open_failed.connect(self._on_open_failed)
            pane.page_drawn.connect(self._on_page)

    def _connect_toolbar(self) -> None:
        tb = self.toolbar
        tb.montage_chosen.connect(self.set_montage)
        tb.sensitivity_step.connect(self._step_sensitivity)
        tb.page_step.connect(self.pre.viewport.scroll)
        tb.offset_changed.connect(self.set_offset)
        tb.treated_entered.connect(self._on_treated_text)
        tb.compare_requested.connect(self.start_compare)
        self.results.channel_activated.connect(self.show_first_discharge)

    def _connect_job(self) -> None:
        self.runner.progress_changed.connect(lambda _id, f: self.toolbar.show_progress(f))
        self.runner.finished.connect(lambda _id, result: self._on_metrics(result))
        self.runner.failed.connect(lambda _id, exc: self._on_failed(exc))

    # --- public -------------------------------------------------------------------------
    def open_pair(self, pre: str | Path, post: str | Path) -> None:
        """Open the recording before (left) and after (right) treatment."""
        self.metrics = self.comparison = None
        self._aligned = ()
        self.pre.open(pre)
        self.post.open(post)

    def set_offset(self, offset_s: float) -> None:
        """Show post time ``pre time + offset_s`` beside the pre page."""
        self.offset_s = float(offset_s)
        if self.toolbar.offset.value() != self.offset_s:
            self.toolbar.offset.setValue(self.offset_s)
        self._follow()

    def set_treated(self, names: Sequence[str]) -> None:
        """Treated contacts (already parsed): highlighted on both panes and in the results."""
        self.treated = tuple(names)
        text = ", ".join(self.treated)
        if self.toolbar.treated.text() != text:
            self.toolbar.treated.setText(text)
        for pane in (self.pre, self.post):
            pane.treated_bands.set_treated(self.treated)
        if self.metrics is not None:
            self._show(compare(*self.metrics, self.treated))

    def set_montage(self, key: str) -> None:
        for pane in (self.pre, self.post):
            source = pane.source
            pane.viewport.set_montage(source.montage_key(key) if source is not None else key)

    def start_compare(self, options: CompareOptions | None = None) -> None:
        """Compute both recordings' metrics in the background."""
        pre, post = self.pre.path, self.post.path
        if pre is None or post is None:
            self.prompter.error(self, self.tr("Compare"), self.tr("Open both recordings first."))
            return
        if options is None:
            run_model = self.toolbar.run_model.isChecked()
            options = CompareOptions(model_mode="auto" if run_model else "stored")
        self.toolbar.show_progress(0.0)
        self.runner.start(metrics_job, str(pre), str(post), options)

    def show_first_discharge(self, name: str) -> None:
        """Centre the pre page on ``name``'s first detected discharge (if it had any)."""
        if self.metrics is None:
            return
        pre = self.metrics[0]
        if name in pre.names and pre.spike_times:
            times = pre.spike_times[pre.names.index(name)]
            if len(times):
                self.pre.viewport.center_on(float(times[0]))

    # --- reactions ----------------------------------------------------------------------
    def _follow(self) -> None:
        self.post.viewport.set_start(self.pre.viewport.start_s + self.offset_s)

    def _on_opened(self, pane: ComparePane, source: PageSource) -> None:
        """Both panes show the pre recording's montage: SEEG shaft-bipolar, scalp the
        review window's default (double banana when it can be built)."""
        self.toolbar.show_sensitivity(self.pre.viewport.sensitivity_uv_mm)
        if pane.viewport.signal_type == "SEEG":
            preferred = source.montage_key(SEEG_MONTAGE)
        else:
            preferred = source.default_montage
        if pane is self.pre:
            self.set_montage(preferred)
            self.toolbar.set_montages(source.montage_options, pane.viewport.montage)
        else:
            pre = self.pre.source
            pane.viewport.set_montage(source.montage_key(self.pre.viewport.montage)
                                      if pre is not None else preferred)  # fmt: skip
        self._follow()

    def _step_sensitivity(self, steps: int) -> None:
        for pane in (self.pre, self.post):
            pane.viewport.step_sensitivity(steps)
        self.toolbar.show_sensitivity(self.pre.viewport.sensitivity_uv_mm)

    def _on_treated_text(self, text: str) -> None:
        try:
            self.set_treated(parse_treated(text))
        except IctalError as exc:
            self.statusBar().showMessage(f"{exc.what} : {exc.why}", 8000)

    def _on_page(self, _page: Page) -> None:
        """Hide exactly the traces without a partner in the other pane.

        Only once both panes show their current montage (a montage change reaches the
        two panes one after the other).
        """
        a, b = self.pre.trace_view.page, self.post.trace_view.page
        if a is None or b is None:
            return
        if (a.request.montage, b.request.montage) != (
            self.pre.viewport.montage,
            self.post.viewport.montage,
        ):
            return
        key = (a.traces.labels, b.traces.labels)
        if key == self._aligned:
            return
        self._aligned = key
        matching = match_channels(a.traces.labels, b.traces.labels)
        # Nothing in common on screen (montages without a shared label): hide nothing.
        lonely_pre, lonely_post = (
            (matching.only_pre, matching.only_post) if matching.pairs else ((), ())
        )
        for pane, lonely in ((self.pre, lonely_pre), (self.post, lonely_post)):
            wanted, vm = frozenset(lonely), pane.viewport
            for label in vm.hidden - wanted:
                vm.set_hidden(label, False)
            for label in wanted - vm.hidden:
                vm.set_hidden(label, True)
        if self.comparison is None:
            self.results.set_unmatched(matching.only_pre, matching.only_post)

    def _on_metrics(self, result: tuple[RecordingMetrics, RecordingMetrics]) -> None:
        self.toolbar.show_progress(None)
        self.metrics = result
        try:
            comparison = compare(*result, self.treated)
        except IctalError as exc:
            self._on_failed(exc)
            return
        self._show(comparison)

    def _show(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.results.set_comparison(comparison)
        self.statusBar().showMessage(self.tr("Comparison ready"), 5000)
        self.comparison_ready.emit(comparison)

    def _on_failed(self, error: BaseException) -> None:
        self.toolbar.show_progress(None)
        text = f"{error.what} : {error.why}" if isinstance(error, IctalError) else str(error)
        if not isinstance(error, IctalError):
            log.error("comparison failed", exc_info=error)
        self.prompter.error(self, self.tr("Cannot compare"), text)
        self.compare_failed.emit(error)

    def _on_open_failed(self, error: BaseException) -> None:
        text = f"{error.what} : {error.why}" if isinstance(error, IctalError) else str(error)
        self.prompter.error(self, self.tr("Cannot open recording"), text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.runner.shutdown()
            for pane in (self.pre, self.post):
                pane.close_loader()
        super().closeEvent(event)
