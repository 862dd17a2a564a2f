"""Pages for the viewer, loaded in the background with the one job pattern.

The GUI thread never reads the file: opening (header, annotations) and every page go
through one worker thread. Each page request gets an id; a newer request makes older
ones stale and their answers are dropped. After a page arrives, the next and previous
pages are prefetched into the :class:`~app.workers.page_job.PageSource` cache, so
PgDn usually costs only decimation and drawing.

A night's EDF+ annotations take a scan of the whole file, so they are read after the
first page is on screen, by a job on a thread of its own (page flips never queue behind
it); ``annotations_ready`` says when ``recording.annotations`` can be used without
waiting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.workers.job import JobRunner, TaskState, new_executor

if TYPE_CHECKING:
    from app.core.filters import FilterSettings
    from app.core.recording import Recording
    from app.workers.page_job import Page, PageRequest, PageSource


@dataclass(frozen=True, slots=True)
class FirstPage:
    """The page a recording will open on, computed right after opening (cache warm-up).

    Plain numbers so it can be built before the filters module is imported.
    """

    page_s: float
    montage: str
    highpass: float | None
    lowpass: float | None
    notch: float | None

    @classmethod
    def of(cls, page_s: float, montage: str, filters: FilterSettings) -> FirstPage:
        return cls(page_s, montage, filters.highpass, filters.lowpass, filters.notch)


log = logging.getLogger(__name__)


def _open(state: TaskState, path: str, first: FirstPage | None) -> PageSource:
    """Job: open a recording and compute its first page's traces (on the worker thread).

    The readers, filters and montages are imported here, so on a cold start this runs
    while the GUI thread builds the window.
    """
    from app.core.filters import FilterSettings  # noqa: PLC0415 - lazy: start-up time
    from app.core.recording import open_recording  # noqa: PLC0415 - lazy: start-up time
    from app.workers.page_job import PageRequest, PageSource  # noqa: PLC0415 - lazy: start-up time

    source = PageSource(open_recording(path))
    if first is not None and not state.is_interruption_requested():
        filters = FilterSettings(first.highpass, first.lowpass, first.notch)
        request = PageRequest(
            0.0, first.page_s, source.montage_key(first.montage), filters, frozenset(), n_columns=1
        )
        try:
            source.traces(request)
        except Exception:  # the page itself will report it when asked for
            log.debug("first page warm-up failed", exc_info=True)
    return source


def _read_annotations(state: TaskState, recording: Recording) -> Recording:
    """Job: read the recording's annotations (a whole-file scan for an EDF+C night)."""
    _ = recording.annotations
    return recording


class PageLoader(QObject):
    """Opens one recording at a time and serves its pages.

    Signals: ``opened(PageSource)``, ``open_failed(Exception)``, ``page_ready(Page)``,
    ``page_failed(Exception)``, ``annotations_ready(Recording)`` (after the first page).
    """

    opened = Signal(object)
    open_failed = Signal(object)
    page_ready = Signal(object)
    page_failed = Signal(object)
    annotations_ready = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = new_executor("ictal-pages")
        self._open_job = JobRunner(self._executor, self)
        self._page_job = JobRunner(self._executor, self)
        self._prefetch_job = JobRunner(self._executor, self)
        self._annotation_job = JobRunner(parent=self)  # its own thread
        self._source: PageSource | None = None
        self._annotations_due: Recording | None = None
        self._open_job.finished.connect(self._on_opened)
        self._open_job.failed.connect(lambda _id, exc: self.open_failed.emit(exc))
        self._page_job.finished.connect(self._on_page)
        self._page_job.failed.connect(self._on_page_failed)
        self._annotation_job.finished.connect(
            lambda _id, recording: self.annotations_ready.emit(recording)
        )
        self.prefetch_enabled = True

    @property
    def source(self) -> PageSource | None:
        """The open :class:`PageSource` (None before the first successful open)."""
        return self._source

    def open(self, path: str | Path, first: FirstPage | None = None) -> int:
        """Open ``path`` in the background; ``opened`` or ``open_failed`` follows.

        ``first``: the page it will be shown on, computed ahead into the cache.
        """
        self._page_job.cancel()
        self._prefetch_job.cancel()
        return self._open_job.start(_open, str(path), first)

    def request(self, request: PageRequest) -> int:
        """Ask for a page; any older page request becomes stale."""
        from app.workers.page_job import load_page  # noqa: PLC0415 - lazy: start-up time

        if self._source is None:
            raise RuntimeError("no recording is open")
        self._prefetch_job.cancel()
        return self._page_job.start(load_page, self._source, request)

    def is_busy(self) -> bool:
        return self._page_job.is_running() or self._open_job.is_running()

    def close(self) -> None:
        """Stop every job, wait for the worker thread, and close the recording."""
        for job in (self._open_job, self._page_job, self._prefetch_job):
            job.cancel()
        self._annotation_job.shutdown()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._close_source()

    def _close_source(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            source.recording.close()

    def _on_opened(self, _request_id: int, source: PageSource) -> None:
        old, self._source = self._source, source
        if old is not None:
            # The worker is idle for the old recording: jobs for it were cancelled.
            self._executor.submit(old.recording.close)
        self._annotation_job.cancel()
        self._annotations_due = source.recording
        self.opened.emit(source)

    def _on_page(self, _request_id: int, page: Page) -> None:
        from app.workers.page_job import prefetch_pages  # noqa: PLC0415 - lazy: start-up time

        self.page_ready.emit(page)
        self._start_annotations()
        if self.prefetch_enabled and self._source is not None:
            request = page.request
            neighbours = [request.shifted(1.0), request.shifted(-1.0)]
            self._prefetch_job.start(prefetch_pages, self._source, neighbours)

    def _on_page_failed(self, _request_id: int, error: BaseException) -> None:
        self.page_failed.emit(error)
        self._start_annotations()

    def _start_annotations(self) -> None:
        """Read the new recording's annotations now that its first page is answered."""
        recording, self._annotations_due = self._annotations_due, None
        if recording is not None:
            self._annotation_job.start(_read_annotations, recording)
