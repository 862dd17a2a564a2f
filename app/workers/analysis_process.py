"""The window's model runs in a child process, so the viewer's own process stays light.

A run in a thread of the viewer's process shared its interpreter lock with the GUI thread:
importing torch, building the model and the Python between torch's operators made page
flips wait (median 44 ms, p95 86-124 ms during a 24-h analysis on 2 cores). Here the model,
the reading of the recording and the resampling run in a *spawned* child process at a
lower CPU priority; the worker thread of :mod:`app.workers.analysis_job` only receives the
per-second results (a few kB per 300-s chunk) and keeps the session file, with the same
:func:`app.core.analysis_run.analyse` as ``ictal analyze``. The viewer never imports torch.

Protocol over one duplex pipe (pickled tuples):

- child → parent ``("ready", ModelMeta)`` once the model is loaded and the file opened,
  or ``("error", exc)`` (an :class:`~app.core.errors.IctalError`, or a one-line error);
- parent → child ``("run", done_s, elapsed_s)``: compute from ``done_s`` to the end;
- child → parent ``("chunk", AnalysisChunk)`` per chunk, then ``("done",)``;
- parent → child ``("stop",)`` between chunks (cancel); the child answers ``("done",)``.

The child waits between chunks, and before loading the model, while the reviewer turns
pages (:mod:`app.workers.reviewer_activity`): on 2 cores a chunk computed meanwhile took
CPU from the page flips (median 38 ms, p95 67-120 ms during a 24-h analysis).

A child that dies (killed, out of memory) ends the run with a one-line
:class:`~app.core.errors.AnalysisError`; what was computed stays in the session as a
partial result, as for a cancelled run.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from app.core.errors import AnalysisError, IctalError
from app.workers.reviewer_activity import (
    ReviewerActivity,
    lower_this_thread_priority,
    quiet_or_stopped,
    reviewer_activity,
)

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from app.core.analysis import Analysis, AnalysisChunk
    from models.checkpoint import Manifest
    from models.config import ModelConfig

log = logging.getLogger(__name__)

#: How often the parent looks at the cancel flag while waiting for the child (s).
POLL_S = 0.1
#: How long a closed child may take to end before it is terminated (s); it holds nothing
#: that must be saved (the parent keeps the session), so closing the window does not wait.
STOP_GRACE_S = 2.0


@dataclass(frozen=True, slots=True)
class ModelMeta:
    """What the parent needs to know of the child's model (an ``app.core.analysis.ModelSource``)."""

    config: ModelConfig
    manifest: Manifest
    sha256: str
    device: str


@dataclass(frozen=True, slots=True)
class ChildSpec:
    """What the child runs: the recording, the model and where, torch's threads."""

    path: str
    model: str | None
    device: str
    threads: int | None


def _serve(conn: Connection, spec: ChildSpec, last_active: Any) -> None:
    """Child process body: load, say ready, run on request, stream the chunks back."""
    from app.core.analysis import new_analysis, run_analysis  # noqa: PLC0415 - in the child
    from app.core.analysis_run import load_model  # noqa: PLC0415
    from app.core.recording import open_recording  # noqa: PLC0415

    lower_this_thread_priority()
    try:
        if quiet_or_stopped(last_active, conn.poll):  # loading torch costs ~2 s of CPU too
            return
        detector = load_model(spec.model, spec.device, threads=spec.threads)
        with open_recording(spec.path) as recording:
            meta = ModelMeta(detector.config, detector.manifest, detector.sha256, detector.device)
            conn.send(("ready", meta))
            while True:
                message = conn.recv()
                if message[0] != "run":
                    return
                analysis = new_analysis(recording, detector, "")
                analysis.done_s, analysis.elapsed_s = int(message[1]), float(message[2])
                run_analysis(
                    recording,
                    detector,
                    analysis,
                    on_chunk=lambda chunk: conn.send(("chunk", chunk)),
                    should_stop=lambda: quiet_or_stopped(last_active, conn.poll),
                )
                conn.send(("done",))
    except (EOFError, BrokenPipeError):  # the parent went away: nothing to tell
        return
    except BaseException as exc:
        _send_error(conn, exc)


def _send_error(conn: Connection, exc: BaseException) -> None:
    if not isinstance(exc, IctalError):
        exc = AnalysisError("analysis", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(("error", exc))
    except (OSError, ValueError):  # parent gone, or the error does not pickle
        try:
            conn.send(("error", AnalysisError("analysis", str(exc))))
        except OSError:
            return


def _never() -> bool:
    return False


class ModelProcess:
    """The child that runs the model on one recording; use as a context manager.

    ``start`` spawns it and waits until its model is loaded (``should_stop`` is asked
    while waiting). :attr:`meta` then describes the model (a ``ModelSource``) and
    :meth:`compute` is an ``analyse(compute=...)`` for it.
    """

    def __init__(
        self,
        path: str,
        model: str | None,
        device: str,
        threads: int | None,
        activity: ReviewerActivity | None = None,
    ) -> None:
        self._spec = ChildSpec(str(path), model, device, threads)
        self._activity = activity if activity is not None else reviewer_activity()
        self._conn: Connection | None = None
        self._process: BaseProcess | None = None
        self.meta: ModelMeta | None = None

    def __enter__(self) -> ModelProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, should_stop: Callable[[], bool]) -> ModelMeta | None:
        """Spawn the child; its model description, or None when stopped while loading."""
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe(duplex=True)
        process = context.Process(
            target=_serve,
            args=(child, self._spec, self._activity.shared),
            name="ictal-analysis",
            daemon=True,
        )
        process.start()
        child.close()
        self._conn, self._process = parent, process
        message = self._receive(should_stop)
        if message is None:
            return None
        if message[0] != "ready":
            raise AnalysisError(
                "analysis", f"unexpected answer from the model process: {message[0]}"
            )
        self.meta = message[1]
        return self.meta

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._process.pid if self._process is not None else None

    def compute(
        self,
        analysis: Analysis,
        on_chunk: Callable[[AnalysisChunk], None],
        should_stop: Callable[[], bool] | None,
    ) -> None:
        """Fill ``analysis`` from its ``done_s`` with the child's chunks (see the module)."""
        conn = self._connection()
        conn.send(("run", analysis.done_s, analysis.elapsed_s))
        stop = should_stop or _never
        while True:
            message = self._receive(stop)
            if message is None:  # asked to stop: tell the child, then wait for its "done"
                conn.send(("stop",))
                stop = _never
            elif message[0] == "done":
                return
            elif message[0] == "chunk":
                analysis.add(message[1])
                on_chunk(message[1])

    def _connection(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the model process is not started")
        return self._conn

    def _receive(self, should_stop: Callable[[], bool]) -> tuple[Any, ...] | None:
        """The child's next message; None when ``should_stop`` said so first.

        Raises the child's error, or :class:`AnalysisError` when it died.
        """
        conn = self._connection()
        while True:
            if should_stop():
                return None
            try:
                if not conn.poll(POLL_S):
                    if self._process is not None and not self._process.is_alive():
                        raise EOFError
                    continue
                message: tuple[Any, ...] = conn.recv()
            except (EOFError, OSError) as exc:
                raise AnalysisError("analysis", self._death()) from exc
            if message[0] == "error":
                raise message[1]
            return message

    def _death(self) -> str:
        process = self._process
        if process is not None:
            process.join(1.0)
        code = process.exitcode if process is not None else None
        if code is not None and code < 0 and -code == 9:
            return "the model process was killed (out of memory?)"
        return f"the model process ended unexpectedly (exit code {code})"

    def close(self) -> None:
        """Ask the child to end; terminate it if it does not within a few seconds."""
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.send(("quit",))
            conn.close()
        if process is not None:
            process.join(STOP_GRACE_S)
            if process.is_alive():
                log.warning("the model process did not end: terminating it")
                process.terminate()
                process.join(STOP_GRACE_S)
