"""Whole-recording seizure analysis: stream a night through the model, second by second.

:func:`run_analysis` reads the recording in chunks (:mod:`app.core.analysis_input`), runs
``Detector.predict`` on each and stitches the per-second outputs into an
:class:`Analysis`: the seizure probability of every second, the per-channel probability
(the ECAM: which channels carry the seizure), and pattern/type scores. Every chunk is
handed to ``on_chunk`` as it is computed, so a window can draw the night filling in and
a batch can show progress; ``should_stop`` is asked between chunks (cancel). Chunks are
computed in order, so what is done is always the prefix ``[0, done_s)``: an interrupted
run resumes where it stopped and gives the same numbers as an uninterrupted one.

Nothing here imports torch; :func:`load_model` does, when analysis starts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from app.core.analysis_input import AnalysisInput, Chunk, choose_input, plan_chunks
from app.core.errors import AnalysisError

if TYPE_CHECKING:
    from app.core.recording import Recording
    from models.api import Detector, Prediction
    from models.checkpoint import Manifest
    from models.config import ModelConfig

log = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, eq=False)
class AnalysisChunk:
    """The results of seconds ``[start_s, stop_s)``, as handed over while a run goes on."""

    start_s: int
    stop_s: int
    prob: F32  # (n,)
    channel_prob: F32  # (n_ch, n)
    pattern_scores: F32  # (n, n_patterns)
    type_scores: F32  # (n, n_types)
    elapsed_s: float  # since the run started (model loading not included)
    fraction: float  # of the whole recording done after this chunk


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model produced the results; ``checkpoint_sha256`` keys them in the session."""

    name: str  # the name it is loaded by ("student", or a checkpoint folder's name)
    model_name: str  # the architecture's own name ("ictal-student")
    version: str
    checkpoint_sha256: str
    heads_trained: tuple[str, ...]
    pattern_classes: tuple[str, ...]
    type_classes: tuple[str, ...]


class Analysis:
    """One model's results over a whole recording (NaN where not computed yet).

    Mutable on purpose: a run (or the window's copy of it) fills it chunk by chunk. A
    result is ``complete`` only when every second has been computed.
    """

    def __init__(
        self,
        model: ModelInfo,
        channel_names: tuple[str, ...],
        n_seconds: int,
        *,
        montage: str = "referential",
        fingerprint: str = "",
    ) -> None:
        n_ch = len(channel_names)
        self.model = model
        self.channel_names = channel_names
        self.montage = montage
        self.fingerprint = fingerprint
        self.prob: F32 = np.full(n_seconds, np.nan, np.float32)
        self.channel_prob: F32 = np.full((n_ch, n_seconds), np.nan, np.float32)
        self.pattern_scores: F32 = np.full(
            (n_seconds, len(model.pattern_classes)), np.nan, np.float32
        )
        self.type_scores: F32 = np.full((n_seconds, len(model.type_classes)), np.nan, np.float32)
        self.done_s = 0
        self.elapsed_s = 0.0

    @property
    def n_seconds(self) -> int:
        return int(self.prob.shape[0])

    @property
    def complete(self) -> bool:
        return self.done_s >= self.n_seconds

    @property
    def fraction(self) -> float:
        return self.done_s / max(self.n_seconds, 1)

    def add(self, chunk: AnalysisChunk) -> None:
        """Store one chunk (chunks arrive in order; a repeated chunk overwrites)."""
        sl = slice(chunk.start_s, chunk.stop_s)
        self.prob[sl] = chunk.prob
        self.channel_prob[:, sl] = chunk.channel_prob
        self.pattern_scores[sl] = chunk.pattern_scores
        self.type_scores[sl] = chunk.type_scores
        self.done_s = max(self.done_s, chunk.stop_s)
        self.elapsed_s = chunk.elapsed_s

    def copy(self) -> Analysis:
        other = Analysis(
            self.model,
            self.channel_names,
            self.n_seconds,
            montage=self.montage,
            fingerprint=self.fingerprint,
        )
        other.prob[:] = self.prob
        other.channel_prob[:] = self.channel_prob
        other.pattern_scores[:] = self.pattern_scores
        other.type_scores[:] = self.type_scores
        other.done_s, other.elapsed_s = self.done_s, self.elapsed_s
        return other


class ModelSource(Protocol):
    """What a result needs to know of its model: a loaded ``Detector``, or a stand-in for
    one that runs in another process (:mod:`app.workers.analysis_process`)."""

    @property
    def config(self) -> ModelConfig: ...

    @property
    def manifest(self) -> Manifest: ...

    @property
    def sha256(self) -> str: ...


def model_info(detector: ModelSource, name: str) -> ModelInfo:
    config = detector.config
    return ModelInfo(
        name=name,
        model_name=config.name,
        version=config.version,
        checkpoint_sha256=detector.sha256,
        heads_trained=tuple(detector.manifest.heads_trained),
        pattern_classes=tuple(config.pattern_classes),
        type_classes=tuple(config.type_classes),
    )


def _take(values: npt.NDArray[Any], lo: int, n: int, axis: int) -> F32:
    """``n`` entries from ``lo`` along ``axis``; the last one repeated if the page fell short."""
    size = values.shape[axis]
    index = np.clip(np.arange(lo, lo + n), 0, size - 1)
    return np.asarray(np.take(values, index, axis=axis), dtype=np.float32)


def chunk_result(pred: Prediction, chunk: Chunk, elapsed_s: float, total_s: int) -> AnalysisChunk:
    """The seconds of ``chunk`` out of a prediction over its (wider) read span."""
    lo = chunk.start_s - int(chunk.read_start_s)
    n = chunk.stop_s - chunk.start_s
    return AnalysisChunk(
        start_s=chunk.start_s,
        stop_s=chunk.stop_s,
        prob=_take(pred.prob, lo, n, 0),
        channel_prob=_take(pred.channel_prob, lo, n, 1),
        pattern_scores=_take(pred.pattern_scores, lo, n, 0),
        type_scores=_take(pred.type_scores, lo, n, 0),
        elapsed_s=elapsed_s,
        fraction=chunk.stop_s / max(total_s, 1),
    )


def _out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or (
        isinstance(exc, RuntimeError)
        and ("out of memory" in str(exc).lower() or type(exc).__name__ == "OutOfMemoryError")
    )


def predict_chunk(
    recording: Recording, detector: Detector, spec: AnalysisInput, chunk: Chunk
) -> Prediction:
    """Read one chunk of the model input and run the model on it."""
    x = recording.read_page(
        chunk.read_start_s, chunk.read_stop_s - chunk.read_start_s, list(spec.indices)
    )
    try:
        return detector.predict(x, spec.names, spec.sfreq)
    except (MemoryError, RuntimeError) as exc:
        if not _out_of_memory(exc):
            raise
        raise AnalysisError(
            f"analysis of {recording.info.path.name}",
            f"out of memory on {detector.device} at {chunk.start_s} s "
            "(close other programs, or analyse on the CPU with --device cpu)",
        ) from exc


def new_analysis(
    recording: Recording, detector: ModelSource, name: str, fingerprint: str = ""
) -> Analysis:
    """An empty result for ``recording`` (raises AnalysisError when it cannot be analysed)."""
    spec = choose_input(recording)
    return Analysis(
        model_info(detector, name),
        spec.names,
        spec.n_seconds,
        montage=spec.montage,
        fingerprint=fingerprint,
    )


def run_analysis(
    recording: Recording,
    detector: Detector,
    analysis: Analysis,
    *,
    on_chunk: Callable[[AnalysisChunk], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    page_s: int | None = None,
) -> Analysis:
    """Fill ``analysis`` from ``analysis.done_s`` to the end (or until ``should_stop``).

    Returns ``analysis``; check ``analysis.complete``. Raises :class:`AnalysisError` for a
    recording that cannot be analysed or a model that runs out of memory, and
    :class:`~app.core.errors.RecordingError` when the file cannot be read.
    """
    from models.api import ANALYSIS_PAGE_S  # noqa: PLC0415 - cheap, but keep core imports light

    spec = choose_input(recording)
    if spec.names != analysis.channel_names or spec.n_seconds != analysis.n_seconds:
        raise ValueError("the analysis was started for other channels or another length")
    chunks = plan_chunks(spec.duration_s, page_s or ANALYSIS_PAGE_S, start_s=analysis.done_s)
    started = time.perf_counter() - analysis.elapsed_s
    for chunk in chunks:
        if should_stop is not None and should_stop():
            log.info("analysis stopped at %d s of %d s", analysis.done_s, analysis.n_seconds)
            break
        pred = predict_chunk(recording, detector, spec, chunk)
        piece = chunk_result(pred, chunk, time.perf_counter() - started, spec.n_seconds)
        analysis.add(piece)
        if on_chunk is not None:
            on_chunk(piece)
    return analysis


def channel_view(
    analysis: Analysis, labels: Sequence[str], start_s: int, stop_s: int
) -> npt.NDArray[np.float32]:
    """The ECAM of seconds ``[start_s, stop_s)`` for the traces a montage shows.

    ``labels`` are the displayed trace names (``Fp1-F7``, ``T7``, ``T3-Avg``...). A trace
    takes the highest probability among the model's input channels that share an
    electrode with it (old and new 10-20 names match: T3 is T7); exact names (a bipolar
    input shown as recorded, SEEG contacts) match first. NaN for a trace with no match
    and for seconds not computed yet. Shape ``(len(labels), stop_s - start_s)``.
    """
    from app.core.channels import canonical_electrode, electrodes_of  # noqa: PLC0415

    lo, hi = max(0, start_s), min(analysis.n_seconds, stop_s)
    out = np.full((len(labels), max(0, stop_s - start_s)), np.nan, np.float32)
    if hi <= lo:
        return out
    page = analysis.channel_prob[:, lo:hi]
    exact = {name: i for i, name in enumerate(analysis.channel_names)}
    by_electrode: dict[str, list[int]] = {}
    for i, name in enumerate(analysis.channel_names):
        for electrode in electrodes_of(name):
            by_electrode.setdefault(canonical_electrode(electrode), []).append(i)
    for row, label in enumerate(labels):
        if label in exact:
            rows = [exact[label]]
        else:
            found = (by_electrode.get(canonical_electrode(e), []) for e in electrodes_of(label))
            rows = sorted({i for group in found for i in group})
        if rows:
            out[row, lo - start_s : hi - start_s] = np.max(page[rows], axis=0)
    return out
