"""One side of the compare window: a recording's traces with its own page loader.

A pane is the viewer's trace view, viewport and page loader (the same classes as the
review window) under a title line saying which recording it is. The compare window
drives both panes' viewports (time-locked with an offset) and hides the traces that have
no partner in the other pane, so matched channels sit side by side.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.core.viewport import Viewport, main_signal_type
from app.ui.compare_treated_item import TreatedBandsItem
from app.ui.trace_view import TraceView
from app.workers.page_loader import FirstPage, PageLoader

if TYPE_CHECKING:
    from app.core.recording import Recording
    from app.workers.page_job import Page, PageSource


class ComparePane(QWidget):
    """Traces of one recording (``role``: "Before" or "After")."""

    opened = Signal(object)  # PageSource
    open_failed = Signal(object)  # exception
    page_drawn = Signal(object)  # Page

    def __init__(
        self, role: str, viewport: Viewport, loader: PageLoader | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.role = role
        self.viewport = viewport
        self.loader = loader if loader is not None else PageLoader()
        self.loader.setParent(self)
        self.source: PageSource | None = None
        self._build()
        self._connect()

    def _build(self) -> None:
        self.title = QLabel(self.tr("%1: no recording").replace("%1", self.role))
        self.title.setObjectName("comparePaneTitle")
        self.title.setStyleSheet("font-weight: bold; padding: 2px 4px;")
        self.trace_view = TraceView(self.viewport)
        self.treated_bands = TreatedBandsItem.attach(self.trace_view)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.title)
        column.addWidget(self.trace_view, 1)

    def _connect(self) -> None:
        vm = self.viewport
        for signal in (vm.span_changed, vm.montage_changed, vm.filters_changed, vm.bad_changed):
            signal.connect(self.request_page)
        for signal in (vm.sensitivity_changed, vm.hidden_changed, vm.type_scale_changed):
            signal.connect(self.trace_view.refresh)
        self.trace_view.columns_changed.connect(self.request_page)
        self.loader.opened.connect(self._on_opened)
        self.loader.open_failed.connect(self.open_failed.emit)
        self.loader.page_ready.connect(self._on_page)
        self.loader.page_failed.connect(self.open_failed.emit)

    @property
    def recording(self) -> Recording | None:
        return self.source.recording if self.source is not None else None

    @property
    def path(self) -> Path | None:
        rec = self.recording
        return rec.info.path if rec is not None else None

    def open(self, path: str | Path) -> None:
        vm = self.viewport
        self.title.setText(self.tr("%1: opening %2…").replace("%1", self.role)
                           .replace("%2", Path(path).name))  # fmt: skip
        self.loader.open(path, FirstPage.of(vm.page_s, vm.montage, vm.filters))

    def request_page(self, *_: object) -> None:
        if self.source is None:
            return
        from app.workers.page_job import PageRequest  # noqa: PLC0415 - lazy: start-up time

        vm = self.viewport
        self.loader.request(
            PageRequest(
                vm.start_s, vm.page_s, vm.montage, vm.filters, vm.bad, self.trace_view.columns
            )
        )

    def _on_opened(self, source: PageSource) -> None:
        self.source = source
        info = source.recording.info
        minutes = info.duration_s / 60.0
        self.title.setText(
            f"{self.role}: {info.path.name} · {minutes:.1f} min · "
            f"{len(source.recording.channels)} ch"
        )
        self.trace_view.time_axis.set_start_time(info.start)
        self.viewport.set_signal_type(main_signal_type(ch.type for ch in source.recording.channels))
        self.viewport.set_montage(source.montage_key(self.viewport.montage))
        self.viewport.set_duration(info.duration_s)  # requests the first page
        self.opened.emit(source)

    def _on_page(self, page: Page) -> None:
        self.trace_view.show_page(page)
        self.page_drawn.emit(page)

    def close_loader(self) -> None:
        self.loader.close()
