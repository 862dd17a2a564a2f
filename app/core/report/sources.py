"""What a report is made from: the analysis, the review, the annotations and the trends.

:class:`ReportSources` is the one input of :func:`app.core.report.build.build_report`
besides the recording. It is written against small protocols, so a test (or the window,
which already holds all of these in memory) can hand over its own objects; the real
ones are :class:`app.core.analysis.ModelInfo`, :class:`app.core.events.Event` and
:class:`app.core.trend_result.Trends`. :func:`load_sources` gathers them from the
session file of a recording.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from app.core.events import EventParams, detect_events

if TYPE_CHECKING:
    from app.core.analysis import Analysis
    from app.core.recording import Recording
    from app.core.session import Session
    from app.core.trend_result import Trends

log = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]


class ModelLike(Protocol):
    """Which model produced the detections (``app.core.analysis.ModelInfo``)."""

    @property
    def name(self) -> str: ...
    @property
    def model_name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def checkpoint_sha256(self) -> str: ...


class EventLike(Protocol):
    """A detected seizure (``app.core.events.Event``)."""

    @property
    def onset_s(self) -> float: ...
    @property
    def duration_s(self) -> float: ...
    @property
    def peak_prob(self) -> float: ...
    @property
    def peak_s(self) -> float: ...
    @property
    def type_label(self) -> str: ...
    @property
    def type_source(self) -> str: ...
    @property
    def channels(self) -> tuple[str, ...]: ...
    @property
    def review(self) -> str: ...
    @property
    def lateralisation(self) -> str: ...


class TrendsLike(Protocol):
    """Whole-night CDSA per hemisphere (``app.core.trend_result.Trends``)."""

    @property
    def cdsa(self) -> Mapping[str, F32]: ...
    @property
    def freqs(self) -> F32: ...

    def cdsa_levels(self, low: float = ..., high: float = ...) -> tuple[float, float]: ...


@dataclass(frozen=True, slots=True)
class NoteRow:
    """An annotation as the reviewer sees it: from the file or made in Ictal."""

    onset: float
    duration: float
    description: str
    channels: tuple[str, ...]
    origin: str  # "file" | "reviewer"
    edited: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class ReportSources:
    """Everything known about a recording besides its signal.

    ``prob`` is the per-second seizure probability, ``channel_prob`` the ECAM
    (``channel_names`` × seconds); both None when the recording was not analysed.
    """

    model: ModelLike | None = None
    channel_names: tuple[str, ...] = ()
    prob: F32 | None = None
    channel_prob: F32 | None = None
    events: tuple[EventLike, ...] = ()
    annotations: tuple[NoteRow, ...] = ()
    trends: TrendsLike | None = None
    input_montage: str = ""
    threshold: float = 0.5
    complete: bool = True


def annotation_rows(recording: Recording, session: Session | None) -> tuple[NoteRow, ...]:
    """The visible annotations (file ones with the reviewer's edits, and the reviewer's).

    EDF+ stores a channel-specific annotation once per channel; rows that differ only in
    their channel are merged into one row with all the channels (one event, k channels).
    """
    from app.core.annotation_model import AnnotationModel  # noqa: PLC0415 - psygnal

    stored, history = session.read_annotations() if session is not None else ([], [])
    model = AnnotationModel(recording.annotations, stored, history)
    merged: dict[tuple[float, float, str, str, bool], list[str]] = {}
    for e in model:
        if e.annotation.source == "gap":
            continue
        key = (e.onset, e.duration, e.description, e.origin, model.is_edited(e.id))
        channels = merged.setdefault(key, [])
        channels += [c for c in e.channels if c not in channels]
    return tuple(
        NoteRow(onset, duration, text, tuple(channels), origin, edited)
        for (onset, duration, text, origin, edited), channels in merged.items()
    )


def cached_trends(recording: Recording, session: Session | None, compute: bool) -> Trends | None:
    """The session's complete trends; computed (and cached) when missing and ``compute``."""
    from app.core.trend_plan import plan_trends  # noqa: PLC0415
    from app.core.trend_result import (  # noqa: PLC0415
        Trends,
        compute_trends,
        load_cached,
        recording_fingerprint,
        save_cached,
    )
    from app.core.trends import TrendSettings  # noqa: PLC0415

    info = recording.info
    plan = plan_trends(recording.channels, info.sfreq)
    if not plan.groups:
        return None
    empty = Trends.empty(plan, TrendSettings(), info.sfreq, info.n_samples)
    key = recording_fingerprint(recording)
    trends = load_cached(session, empty, key) if session is not None else None
    if trends is not None and trends.complete:
        return trends
    if not compute:
        return None
    trends = compute_trends(recording.read_page, trends or empty)
    if session is not None:
        save_cached(session, trends, key)
    return trends


def load_sources(
    recording: Recording,
    session: Session | None,
    analysis: Analysis | None,
    *,
    trends: bool = True,
) -> ReportSources:
    """Gather a report's inputs: ``analysis`` (stored or just run), its events with the
    reviewer's decisions and the stored event parameters, annotations and trends."""
    rows = annotation_rows(recording, session)
    cdsa = cached_trends(recording, session, compute=trends)
    if analysis is None:
        return ReportSources(annotations=rows, trends=cdsa)
    from app.core.analysis_store import load_reviews  # noqa: PLC0415

    params = stored_params(session, analysis.model.name)
    reviews = load_reviews(session, analysis.model.name) if session is not None else ()
    events = detect_events(analysis, params, reviews)
    return ReportSources(
        model=analysis.model,
        channel_names=analysis.channel_names,
        prob=analysis.prob,
        channel_prob=analysis.channel_prob,
        events=events,
        annotations=rows,
        trends=cdsa,
        input_montage=analysis.montage,
        threshold=params.threshold,
        complete=analysis.complete,
    )


def stored_params(session: Session | None, model: str) -> EventParams:
    """The event thresholds the reviewer last used (stored with the results), else defaults."""
    if session is None:
        return EventParams()
    stored = session.read_analysis(model)
    meta = stored.meta if stored is not None else {}
    try:
        return EventParams(
            threshold=float(meta.get("threshold", 0.5)),
            min_duration_s=float(meta.get("min_duration_s", 5.0)),
            merge_gap_s=float(meta.get("merge_gap_s", 10.0)),
            smooth_s=int(meta.get("smooth_s", 5)),
        )
    except (TypeError, ValueError):
        log.warning("stored event parameters of %s are unreadable: defaults used", model)
        return EventParams()
