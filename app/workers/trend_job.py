"""Whole-night trends computed in the background with the one job pattern.

:class:`TrendJob` plans the trends of an opened recording, shows what the session
file already holds at once, and computes the rest on its own worker thread (so page
flips never wait behind a trend chunk). The job function opens its own reader of the
file, streams it in chunks and hands each chunk over as a partial result (between chunks
it waits while the reviewer turns pages, :mod:`app.workers.reviewer_activity`); the display's
copy of the :class:`~app.core.trend_result.Trends` is filled on the GUI thread, so the
panel fills in from left to right. Finished, cancelled or interrupted by closing, the
trends computed so far go to the session file and the next opening resumes from there.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.workers.job import JobInterrupted, JobRunner, TaskState
from app.workers.reviewer_activity import (
    lower_this_thread_priority,
    quiet_or_stopped,
    reviewer_activity,
)

if TYPE_CHECKING:
    from app.core.recording import Recording
    from app.core.trend_result import GroupStore, Trends
    from app.core.trends import TrendChunk, TrendSettings

log = logging.getLogger(__name__)


def compute_trends_job(state: TaskState, path: str, trends: Trends, last_turn: Any) -> Trends:
    """Job: fill ``trends`` (owned by this job) from its own reader of ``path``, waiting
    between chunks while the reviewer turns pages (``last_turn``: the
    ``ReviewerActivity.shared`` clock)."""
    from app.core.recording import open_recording  # noqa: PLC0415 - lazy: start-up time
    from app.core.trend_result import compute_trends  # noqa: PLC0415 - lazy: start-up time

    lower_this_thread_priority()  # this runner's own thread, used for trends only

    def should_stop() -> bool:
        return quiet_or_stopped(last_turn, state.wait_for_interruption)

    def report(chunk: TrendChunk) -> None:
        state.set_partial_result(chunk)
        state.set_progress(chunk.end_s / max(trends.duration_s, 1e-9))

    if should_stop():  # the first chunk also imports scipy.signal (~1 s): not while paging
        raise JobInterrupted
    with open_recording(path) as recording:
        compute_trends(recording.read_page, trends, report, should_stop)
    if state.is_interruption_requested():
        raise JobInterrupted
    return trends


class TrendJob(QObject):
    """The trends of the open recording: cached, computing, or done.

    Signals: ``reset(Trends)`` when a recording's trends (maybe cached) are ready to draw,
    ``updated(Trends)`` after each chunk, ``progress(float)`` in [0, 1],
    ``running_changed(bool)``, ``failed(str)`` with a one-line reason.
    """

    reset = Signal(object)
    updated = Signal(object)
    progress = Signal(float)
    running_changed = Signal(bool)
    failed = Signal(str)

    def __init__(
        self, parent: QObject | None = None, settings: TrendSettings | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._runner = JobRunner(parent=self)
        self._runner.partial_result.connect(self._on_chunk)
        self._runner.progress_changed.connect(lambda _id, f: self.progress.emit(f))
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._trends: Trends | None = None
        self._path = ""
        self._store: GroupStore | None = None
        self._fingerprint = ""

    @property
    def trends(self) -> Trends | None:
        """What is drawn now (NaN where not computed yet)."""
        return self._trends

    def is_running(self) -> bool:
        return self._runner.is_running()

    def open(self, recording: Recording, store: GroupStore | None = None) -> None:
        """Show the cached trends of ``recording`` and compute whatever is missing."""
        from app.core.trend_plan import plan_trends  # noqa: PLC0415 - lazy: start-up time
        from app.core.trend_result import (  # noqa: PLC0415 - lazy: start-up time
            Trends,
            load_cached,
            recording_fingerprint,
        )
        from app.core.trends import TrendSettings  # noqa: PLC0415 - lazy: start-up time

        self.cancel()
        settings = self._settings or TrendSettings()
        info = recording.info
        plan = plan_trends(recording.channels, info.sfreq)
        empty = Trends.empty(plan, settings, info.sfreq, info.n_samples)
        self._path, self._store = str(info.path), store
        self._fingerprint = recording_fingerprint(recording)
        cached = load_cached(store, empty, self._fingerprint) if store is not None else None
        self._trends = cached or empty
        self.reset.emit(self._trends)
        self.start()

    def start(self) -> None:
        """Compute the missing part of the trends (resumes after a cancel)."""
        trends = self._trends
        if trends is None or trends.complete or trends.plan.empty or self.is_running():
            return
        clock = reviewer_activity().shared
        self._runner.start(compute_trends_job, self._path, trends.copy(), clock)
        self.running_changed.emit(True)

    def cancel(self) -> None:
        """Stop computing; what arrived so far stays drawn and is cached."""
        if not self.is_running():
            return
        self._runner.cancel()
        self._save()
        self.running_changed.emit(False)

    def shutdown(self) -> None:
        """Cancel, cache what was computed, and wait for the worker thread to end."""
        self.cancel()
        self._runner.shutdown()

    def _on_chunk(self, _request_id: int, chunk: TrendChunk) -> None:
        if self._trends is not None:
            self._trends.add(chunk)
            self.updated.emit(self._trends)

    def _on_finished(self, _request_id: int, trends: Trends) -> None:
        self._trends = trends
        self._save()
        self.progress.emit(1.0)
        self.updated.emit(trends)
        self.running_changed.emit(False)

    def _on_failed(self, _request_id: int, error: BaseException) -> None:
        from app.core.errors import IctalError  # noqa: PLC0415 - lazy: start-up time

        self._save()
        self.running_changed.emit(False)
        if isinstance(error, IctalError):
            self.failed.emit(f"{error.what} : {error.why}")
        else:
            log.error("trend computation failed", exc_info=error)
            self.failed.emit(f"{type(error).__name__}: {error}")

    def _save(self) -> None:
        from app.core.trend_result import save_cached  # noqa: PLC0415 - lazy: start-up time

        if self._store is not None and self._trends is not None and self._trends.chunks_done:
            save_cached(self._store, self._trends, self._fingerprint)
