"""The one background-job pattern: page loading, trends, analysis and export all use it.

Modelled on Orange's ``concurrent.py``. A *pure* function runs on a one-thread executor;
it reports through a :class:`TaskState` (``set_progress``, ``set_partial_result``,
``is_interruption_requested``) and returns its result. A :class:`JobRunner` living on
the GUI thread re-emits everything as Qt signals there. Each start gets a request id;
starting again or cancelling makes the previous request stale, and stale answers are
dropped, so a slow old page never overwrites the page the reviewer asked for last.

Job functions never touch widgets or shared mutable state; they return values.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

_ids = itertools.count(1)


class JobInterrupted(Exception):
    """Raised by a job function that noticed it was cancelled (its answer is dropped)."""


def new_executor(name: str = "ictal-job") -> ThreadPoolExecutor:
    """One worker thread: jobs run in submission order, never two at once."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)


class _Relay(QObject):
    """Carries worker-thread emissions to the GUI thread (queued connections)."""

    progress = Signal(int, float)
    partial = Signal(int, object)
    done = Signal(int, object, object)


class TaskState:
    """What a job function sees of the outside world, from the worker thread."""

    def __init__(self, relay: _Relay, request_id: int) -> None:
        self._relay = relay
        self.request_id = request_id
        self._interrupt = threading.Event()

    def set_progress(self, fraction: float) -> None:
        """Report progress in [0, 1]."""
        self._relay.progress.emit(self.request_id, float(min(1.0, max(0.0, fraction))))

    def set_partial_result(self, value: object) -> None:
        """Hand over a piece of the result early (e.g. a page before its neighbours)."""
        self._relay.partial.emit(self.request_id, value)

    def is_interruption_requested(self) -> bool:
        return self._interrupt.is_set()

    def wait_for_interruption(self, timeout_s: float) -> bool:
        """Sleep up to ``timeout_s``; True (at once) when the job is asked to stop."""
        return self._interrupt.wait(timeout_s)

    def request_interruption(self) -> None:
        self._interrupt.set()


class JobRunner(QObject):
    """Runs one job at a time for one purpose and re-emits its reports on the GUI thread.

    Signals carry the request id first. Only the latest request's reports are emitted.
    """

    progress_changed = Signal(int, float)
    partial_result = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, executor: Executor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owns_executor = executor is None
        self._executor = executor if executor is not None else new_executor()
        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self._relay.partial.connect(self._on_partial)
        self._relay.done.connect(self._on_done)
        self._current: int | None = None
        self._state: TaskState | None = None
        self._futures: dict[int, Future[None]] = {}

    @property
    def current_id(self) -> int | None:
        """The id of the request whose answer is awaited (None when idle or cancelled)."""
        return self._current

    def is_running(self) -> bool:
        return self._current is not None

    def start(self, fn: Callable[..., Any], *args: Any) -> int:
        """Run ``fn(state, *args)`` in the background; the previous request becomes stale."""
        self.cancel()
        request_id = next(_ids)
        state = TaskState(self._relay, request_id)
        self._current, self._state = request_id, state
        future = self._executor.submit(_run, fn, state, args, self._relay)
        self._futures[request_id] = future
        future.add_done_callback(self._forget)
        return request_id

    def _forget(self, future: Future[None]) -> None:
        """Done callback (worker thread): drop the finished future from the table."""
        for request_id, known in list(self._futures.items()):
            if known is future:
                self._futures.pop(request_id, None)

    def cancel(self) -> None:
        """Ask the running job to stop; whatever it still reports is dropped."""
        if self._state is not None:
            self._state.request_interruption()
        self._current, self._state = None, None

    def shutdown(self) -> None:
        """Cancel and wait for this runner's jobs (and its own executor) to end."""
        self.cancel()
        for future in list(self._futures.values()):
            future.cancel()
            try:
                future.result()
            except BaseException:
                log.debug("job ended during shutdown", exc_info=True)
        if self._owns_executor:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def _on_progress(self, request_id: int, fraction: float) -> None:
        if request_id == self._current:
            self.progress_changed.emit(request_id, fraction)

    def _on_partial(self, request_id: int, value: object) -> None:
        if request_id == self._current:
            self.partial_result.emit(request_id, value)

    def _on_done(self, request_id: int, result: object, error: object) -> None:
        if request_id != self._current:
            log.debug("dropped stale answer to request %d", request_id)
            return
        self._current, self._state = None, None
        if error is None:
            self.finished.emit(request_id, result)
        else:
            self.failed.emit(request_id, error)


def _run(fn: Callable[..., Any], state: TaskState, args: tuple[Any, ...], relay: _Relay) -> None:
    """Worker-thread body: call ``fn`` and send its result or error to the GUI thread."""
    if state.is_interruption_requested():
        return
    try:
        result = fn(state, *args)
    except JobInterrupted:
        return
    except Exception as exc:
        log.debug("job %d failed", state.request_id, exc_info=True)
        relay.done.emit(state.request_id, None, exc)
        return
    relay.done.emit(state.request_id, result, None)
