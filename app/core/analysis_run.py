"""One analysis of one recording, with its session file: the path the window and CLI share.

:func:`load_model` loads a detector (torch is imported here, not before) and turns every
checkpoint or device problem into a one-line :class:`AnalysisError`. :func:`analyse`
takes stored results of the same recording and checkpoint if there are any (complete:
returned at once; partial: resumed where the last run stopped), runs the rest, and
writes the session as it goes: partial results every ``save_every_s`` seconds of wall
time with ``complete`` false, so a crash loses at most that much work and is never read
back as a finished run; the one write with ``complete`` true comes after the last chunk.

Threads: ``threads`` sets torch's intra-op threads *of the calling thread* (the worker).
The window uses one: on a 2-core machine that leaves a core for drawing and page loading,
and the student model runs ~10 % slower on one thread than on two (the reading, resampling
and normalisation around it are single-threaded anyway).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from app.core.analysis import Analysis, AnalysisChunk, ModelSource, new_analysis, run_analysis
from app.core.analysis_store import (
    load_analysis,
    load_event_params,
    load_reviews,
    model_id,
    save_analysis,
)
from app.core.errors import AnalysisError, IctalError
from app.core.events import Event, EventParams, detect_events

if TYPE_CHECKING:
    from app.core.recording import Recording
    from app.core.session import Session
    from models.api import Detector

#: Fills an :class:`Analysis` from its ``done_s`` to the end, handing each chunk to
#: ``on_chunk`` and asking ``should_stop`` between chunks (see :func:`run_analysis`).
Compute = Callable[[Analysis, Callable[[AnalysisChunk], None], Callable[[], bool] | None], None]

log = logging.getLogger(__name__)

#: Partial results are written at most this often (wall-clock seconds) during a run.
SAVE_EVERY_S = 10.0


def set_torch_threads(threads: int | None) -> None:
    """Limit torch's intra-op threads for the calling thread (None: leave torch's default)."""
    if threads is None:
        return
    import torch  # noqa: PLC0415 - torch stays lazy: only when analysis starts

    torch.set_num_threads(max(1, int(threads)))


def load_model(
    name: str | Path | None = None, device: str = "auto", *, threads: int | None = None
) -> Detector:
    """The detector ``name`` (default: the shipped CPU student) on ``device``.

    Raises :class:`AnalysisError` for a missing or corrupt checkpoint or an unavailable
    device (one line: what and why).
    """
    from models.api import WeightsError, load_detector  # noqa: PLC0415 - lazy torch

    set_torch_threads(threads)
    try:
        return load_detector(name, device=device)
    except WeightsError as exc:
        raise AnalysisError(exc.what, exc.why) from exc
    except (OSError, MemoryError) as exc:
        raise AnalysisError(f"model '{model_id(name)}'", f"cannot be loaded: {exc}") from exc


@dataclass(frozen=True, slots=True)
class AnalysisOutcome:
    """What a run produced: the results, their events, and whether this run computed them."""

    analysis: Analysis
    events: tuple[Event, ...]
    reused: bool  # True when complete results were already stored


class _Saver:
    """Writes partial results at most every ``every_s`` seconds; failures are logged."""

    def __init__(self, session: Session | None, params: EventParams, every_s: float) -> None:
        self.session, self.params, self.every_s = session, params, every_s
        self.last = time.monotonic()
        self.error: IctalError | OSError | None = None

    def save(self, analysis: Analysis) -> tuple[Event, ...]:
        reviews = load_reviews(self.session, analysis.model.name) if self.session else ()
        events = detect_events(analysis, self.params, reviews)
        if self.session is not None:
            try:
                save_analysis(self.session, analysis, events, self.params)
                self.error = None
            except (OSError, IctalError, ValueError) as exc:
                log.error("analysis not saved to %s: %s", self.session.path, exc)
                self.error = exc if isinstance(exc, IctalError | OSError) else OSError(str(exc))
        self.last = time.monotonic()
        return events

    def maybe_save(self, analysis: Analysis) -> None:
        if time.monotonic() - self.last >= self.every_s:
            self.save(analysis)


def starting_point(
    recording: Recording, detector: ModelSource, name: str, session: Session | None
) -> Analysis:
    """Stored results of this recording and checkpoint (maybe partial), or an empty one."""
    fresh = new_analysis(recording, detector, name, session.fingerprint.key if session else "")
    if session is None:
        return fresh
    stored = load_analysis(session, name, checkpoint_sha256=detector.sha256)
    if stored is None or stored.channel_names != fresh.channel_names:
        return fresh
    if stored.n_seconds != fresh.n_seconds:
        return fresh
    return stored


def analyse(
    recording: Recording,
    detector: ModelSource,
    *,
    name: str | Path | None = None,
    session: Session | None = None,
    params: EventParams | None = None,
    on_start: Callable[[Analysis], None] | None = None,
    on_chunk: Callable[[AnalysisChunk], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    resume: bool = True,
    save_every_s: float = SAVE_EVERY_S,
    compute: Compute | None = None,
) -> AnalysisOutcome:
    """Analyse ``recording`` with ``detector``, resuming and saving through ``session``.

    ``params`` default to the thresholds the reviewer last set (see
    :func:`~app.core.analysis_store.load_event_params`). ``on_start`` gets a copy of the
    starting point (empty, or the stored partial result being resumed) before the first
    chunk, ``on_chunk`` each chunk as it is computed. ``compute`` runs the model (default:
    :func:`~app.core.analysis.run_analysis` with ``detector``, which must then be a
    ``Detector``; the window passes one that runs it in a child process).
    Returns when done or stopped (``outcome.analysis.complete`` tells which). Raises
    :class:`AnalysisError` / ``RecordingError`` (what was done so far is saved first).
    """
    key = model_id(name)
    if params is None:
        params = load_event_params(session, key) if session is not None else EventParams()
    saver = _Saver(session, params, save_every_s)
    if resume:
        analysis = starting_point(recording, detector, key, session)
    else:
        analysis = new_analysis(
            recording, detector, key, session.fingerprint.key if session else ""
        )
    if analysis.complete:
        log.info("%s: complete %s results found in the session", recording.info.path.name, key)
        reviews = load_reviews(session, key) if session else ()
        return AnalysisOutcome(analysis, detect_events(analysis, params, reviews), reused=True)
    if analysis.done_s:
        log.info("resuming the %s analysis at %d s", key, analysis.done_s)
    if on_start is not None:
        on_start(analysis.copy())

    def chunk_done(chunk: AnalysisChunk) -> None:
        if on_chunk is not None:
            on_chunk(chunk)
        if not analysis.complete:
            saver.maybe_save(analysis)

    if compute is None:
        compute = _in_this_process(recording, cast("Detector", detector))
    try:
        compute(analysis, chunk_done, should_stop)
    except BaseException:
        if analysis.done_s and session is not None:
            saver.save(analysis)  # keep what was computed; complete stays false
        raise
    events = saver.save(analysis)
    if analysis.complete and saver.error is not None:
        raise AnalysisError(
            f"session file {session.path if session else ''}",
            f"the results could not be saved: {saver.error}",
        )
    return AnalysisOutcome(analysis, events, reused=False)


def _in_this_process(recording: Recording, detector: Detector) -> Compute:
    def compute(
        analysis: Analysis,
        on_chunk: Callable[[AnalysisChunk], None],
        should_stop: Callable[[], bool] | None,
    ) -> None:
        run_analysis(recording, detector, analysis, on_chunk=on_chunk, should_stop=should_stop)

    return compute
