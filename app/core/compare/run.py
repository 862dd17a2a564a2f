"""Compare two recording files: open, compute both recordings' metrics, compare.

The one path the command line (``ictal compare``) and the compare window share. The
model's per-channel seizure probability comes from the session file when a complete
analysis of the same recording and checkpoint is stored there; otherwise (``model_mode``
``"auto"``) the model runs through :func:`app.core.analysis_run.analyse`, which stores
its results in the session as ``ictal analyze`` would. ``"stored"`` uses stored results
only, ``"off"`` skips the seizure metrics.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from app.core.compare.change import Comparison, compare
from app.core.compare.features import DEFAULT_EPOCH_S, epoch_features, seizure_epochs
from app.core.compare.metrics import RecordingMetrics, compute_metrics
from app.core.compare.source import CompareCancelled, recording_source

if TYPE_CHECKING:
    from app.core.analysis import Analysis
    from app.core.recording import Recording

log = logging.getLogger(__name__)
ModelMode = Literal["auto", "stored", "off"]
Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class CompareOptions:
    """How to compare (defaults: 10-s epochs, 50 Hz mains, the shipped model if needed)."""

    epoch_s: int = DEFAULT_EPOCH_S
    mains_hz: float | None = 50.0
    model: str | None = None
    model_mode: ModelMode = "auto"
    device: str = "auto"
    replicates: int = 1000
    threshold: float = 0.5


def _stored_analysis(recording: Recording, options: CompareOptions) -> Analysis | None:
    from app.core.analysis_store import expected_checkpoint_sha256, load_analysis  # noqa: PLC0415
    from app.core.session import Session  # noqa: PLC0415

    session = Session.open(recording.info.path)
    sha = expected_checkpoint_sha256(options.model)
    return load_analysis(session, options.model, checkpoint_sha256=sha, complete_only=True)


def _run_model(
    recording: Recording, options: CompareOptions, should_stop: Callable[[], bool] | None
) -> Analysis:
    from app.core.analysis_run import analyse, load_model  # noqa: PLC0415 - torch is lazy
    from app.core.session import Session  # noqa: PLC0415

    stored = _stored_analysis(recording, options)
    if stored is not None:
        return stored
    detector = load_model(options.model, options.device, threads=None)
    session = Session.open(recording.info.path)
    outcome = analyse(
        recording, detector, name=options.model, session=session, should_stop=should_stop
    )
    if not outcome.analysis.complete:
        raise CompareCancelled
    return outcome.analysis


def recording_metrics(
    recording: Recording,
    options: CompareOptions,
    *,
    seed: int = 0,
    band_rate: float | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RecordingMetrics:
    """The metrics of one open recording (model results as ``options.model_mode`` says)."""
    from app.core.events import EventParams  # noqa: PLC0415

    source = recording_source(recording)
    analysis: Analysis | None = None
    if options.model_mode == "auto":
        analysis = _run_model(recording, options, should_stop)
    elif options.model_mode == "stored":
        analysis = _stored_analysis(recording, options)
    if progress is not None:
        progress(0.5)
    features = epoch_features(
        source,
        epoch_s=options.epoch_s,
        mains_hz=options.mains_hz,
        band_rate=band_rate,
        progress=None if progress is None else (lambda f: progress(0.5 + 0.5 * f)),
        should_stop=should_stop,
    )
    seizure = None
    if analysis is not None:
        params = EventParams(threshold=options.threshold)
        seizure = seizure_epochs(
            np.asarray(analysis.channel_prob),
            analysis.channel_names,
            source.names,
            n_epochs=features.n_epochs,
            epoch_s=options.epoch_s,
            params=params,
        )
    return compute_metrics(
        features,
        kind=source.kind,
        label=source.label,
        duration_s=source.duration_s,
        seizure=seizure,
        model=analysis.model.name if analysis is not None else None,
        replicates=options.replicates,
        seed=seed,
    )


def compare_metrics(
    pre: str | Path,
    post: str | Path,
    options: CompareOptions | None = None,
    *,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[RecordingMetrics, RecordingMetrics]:
    """Open both recordings and compute their metrics (pre first, then post)."""
    from app.core.recording import open_recording  # noqa: PLC0415

    options = options or CompareOptions()
    rates = []
    for path in (pre, post):
        with open_recording(path) as recording:
            rates.append(recording.info.sfreq)
    results = []
    for k, path in enumerate((pre, post)):

        def part(fraction: float, k: int = k) -> None:
            if progress is not None:
                progress((k + fraction) / 2.0)

        with open_recording(path) as recording:
            log.info("comparison: metrics of %s", recording.info.path.name)
            results.append(
                recording_metrics(
                    recording,
                    options,
                    seed=k + 1,
                    band_rate=min(rates),
                    progress=part,
                    should_stop=should_stop,
                )
            )
    return results[0], results[1]


def compare_files(
    pre: str | Path,
    post: str | Path,
    treated: Sequence[str] = (),
    options: CompareOptions | None = None,
    *,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Comparison:
    """Open both recordings, compute their metrics and compare them."""
    before, after = compare_metrics(pre, post, options, progress=progress, should_stop=should_stop)
    return compare(before, after, treated)
