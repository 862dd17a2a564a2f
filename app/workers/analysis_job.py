"""Seizure analysis in the background, with the one job pattern (:mod:`app.workers.job`).

:class:`AnalysisJob` shows what the session file already holds for the open recording
at once (complete results, or a partial run to resume), and runs the analysis from its
worker thread: the job function starts the model in a child process
(:mod:`app.workers.analysis_process`: torch, reading and resampling never run in the
viewer's process, so they never hold its interpreter lock while the reviewer flips pages)
and calls :func:`app.core.analysis_run.analyse` with it, the same core path as
``ictal analyze``; the session file is written here, in the window's process. Each chunk
(300 s of recording) comes back as a partial result and is added to the window's copy of
the :class:`~app.core.analysis.Analysis`, so the probability strip and the ECAM fill in
from left to right; progress comes with an ETA.

The child runs torch on ``WORKER_THREADS`` intra-op threads at a lower CPU priority, so on
the 2-core target machine a page flip gets a core when the reviewer asks for one.

Cancel (or closing the window) stops the run between chunks; what was computed is in the
session file with ``complete`` false and the next start resumes from there.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.workers.job import JobInterrupted, JobRunner, TaskState
from app.workers.reviewer_activity import reviewer_activity

if TYPE_CHECKING:
    from app.core.analysis import Analysis, AnalysisChunk
    from app.core.analysis_run import AnalysisOutcome
    from app.core.events import Event, EventParams, Review
    from app.core.session import Session
    from app.workers.reviewer_activity import ReviewerActivity

log = logging.getLogger(__name__)

#: torch intra-op threads of the window's analysis worker (see the module docstring).
WORKER_THREADS = 1


@dataclass(frozen=True, slots=True)
class AnalysisRequest:
    """What to analyse and how: the file, the model (None: default), the device."""

    path: str
    model: str | None = None
    device: str = "auto"
    threads: int | None = WORKER_THREADS
    resume: bool = True
    params: EventParams | None = None  # None: the reviewer's last thresholds (session)


def analysis_job(
    state: TaskState,
    request: AnalysisRequest,
    session: Session | None,
    activity: ReviewerActivity | None = None,
) -> AnalysisOutcome:
    """Job: analyse ``request.path``; the starting point, then each chunk, as partials."""
    from app.core.analysis_run import analyse  # noqa: PLC0415 - lazy: start-up time
    from app.core.recording import open_recording  # noqa: PLC0415 - lazy: start-up time
    from app.workers.analysis_process import ModelProcess  # noqa: PLC0415

    stop = state.is_interruption_requested
    args = (request.path, request.model, request.device, request.threads, activity)
    with ModelProcess(*args) as child:
        meta = child.start(should_stop=stop)
        if meta is None:
            raise JobInterrupted
        with open_recording(request.path) as recording:
            outcome = analyse(
                recording,
                meta,
                name=request.model,
                session=session,
                params=request.params,
                on_start=state.set_partial_result,
                on_chunk=lambda chunk: _report(state, chunk),
                should_stop=stop,
                resume=request.resume,
                compute=child.compute,
            )
    if not outcome.analysis.complete:
        raise JobInterrupted
    return outcome


def _report(state: TaskState, chunk: AnalysisChunk) -> None:
    state.set_partial_result(chunk)
    state.set_progress(chunk.fraction)


def eta_seconds(elapsed_s: float, fraction: float, start_fraction: float) -> float:
    """Seconds left at the pace of this run so far; NaN until something was done."""
    done = fraction - start_fraction
    if done <= 0 or elapsed_s <= 0:
        return math.nan
    return max(0.0, elapsed_s / done * (1.0 - fraction))


class AnalysisJob(QObject):
    """The seizure analysis of the open recording: stored, running, or done.

    Signals: ``reset(Analysis | None)`` when results to draw replace the previous ones
    (stored results on :meth:`open`, the starting point of a run), ``updated(Analysis)``
    after each chunk, ``progress(fraction, eta_s)`` (eta NaN while unknown),
    ``running_changed(bool)``, ``finished(AnalysisOutcome)``, ``failed(str)`` (one line).
    """

    reset = Signal(object)
    updated = Signal(object)
    progress = Signal(float, float)
    running_changed = Signal(bool)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = JobRunner(parent=self)
        self._runner.partial_result.connect(self._on_partial)
        self._runner.progress_changed.connect(self._on_progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._analysis: Analysis | None = None
        self._path = ""
        self._session: Session | None = None
        self._model: str | None = None
        self._started = (0.0, 0.0)  # (monotonic time, fraction) when the run's chunks began

    @property
    def analysis(self) -> Analysis | None:
        """What is drawn now (NaN where not computed yet), or None."""
        return self._analysis

    def is_running(self) -> bool:
        return self._runner.is_running()

    def open(self, path: str, session: Session | None, model: str | None = None) -> None:
        """Show the stored results of ``model`` for the recording at ``path`` (no run)."""
        from app.core.analysis_store import (  # noqa: PLC0415 - lazy: start-up time
            expected_checkpoint_sha256,
            load_analysis,
        )

        self.cancel()
        self._path, self._session, self._model = str(path), session, model
        stored = None
        if session is not None:
            sha = expected_checkpoint_sha256(model)
            stored = load_analysis(session, model, checkpoint_sha256=sha)
        self._analysis = stored
        self.reset.emit(stored)

    def start(self, model: str | None = None, device: str = "auto", resume: bool = True) -> None:
        """Run (or resume) the analysis of the opened recording with ``model`` on ``device``.

        Does nothing while running, or when the complete results of this model are shown
        already and ``resume`` is true (``resume=False`` recomputes from the start).
        """
        if not self._path or self.is_running():
            return
        if model is not None and model != self._model:
            self._model, self._analysis = model, None
        if resume and self._analysis is not None and self._analysis.complete:
            return
        request = AnalysisRequest(self._path, self._model, device, resume=resume)
        self._started = (time.monotonic(), self._analysis.fraction if self._analysis else 0.0)
        self._runner.start(analysis_job, request, self._session, reviewer_activity())
        self.running_changed.emit(True)

    def cancel(self) -> None:
        """Stop after the current chunk; what was computed stays drawn and stored."""
        if not self.is_running():
            return
        self._runner.cancel()
        self.running_changed.emit(False)

    def shutdown(self) -> None:
        """Cancel and wait for the worker (it saves the partial result before ending)."""
        self.cancel()
        self._runner.shutdown()

    def events(
        self, params: EventParams | None = None, reviews: tuple[Review, ...] = ()
    ) -> tuple[Event, ...]:
        """Events of what is computed so far, recomputed for ``params`` (milliseconds)."""
        from app.core.events import detect_events  # noqa: PLC0415 - lazy: start-up time

        if self._analysis is None:
            return ()
        return detect_events(self._analysis, params, reviews)

    def _on_partial(self, _request_id: int, value: object) -> None:
        from app.core.analysis import Analysis  # noqa: PLC0415 - lazy: start-up time

        if isinstance(value, Analysis):
            self._analysis = value
            self._started = (time.monotonic(), value.fraction)
            self.reset.emit(value)
        elif self._analysis is not None:
            self._analysis.add(value)  # type: ignore[arg-type]
            self.updated.emit(self._analysis)

    def _on_progress(self, _request_id: int, fraction: float) -> None:
        t0, f0 = self._started
        self.progress.emit(fraction, eta_seconds(time.monotonic() - t0, fraction, f0))

    def _on_finished(self, _request_id: int, outcome: AnalysisOutcome) -> None:
        self._analysis = outcome.analysis
        if outcome.reused:  # stored results of another model than the one shown
            self.reset.emit(outcome.analysis)
        self.progress.emit(1.0, 0.0)
        self.updated.emit(outcome.analysis)
        self.running_changed.emit(False)
        self.finished.emit(outcome)

    def _on_failed(self, _request_id: int, error: BaseException) -> None:
        from app.core.errors import IctalError  # noqa: PLC0415 - lazy: start-up time

        self.running_changed.emit(False)
        if isinstance(error, IctalError):
            self.failed.emit(f"{error.what} : {error.why}")
        else:
            log.error("analysis failed", exc_info=error)
            self.failed.emit(f"{type(error).__name__}: {error}")
