"""Detected seizures: events from the per-second seizure probability, with their onset type.

An event is a run of seconds whose probability (smoothed over ``smooth_s`` seconds, as in
the model's evaluation) reaches ``threshold``, widened to where the unsmoothed probability
crosses it (so the onset is not delayed by the smoothing); runs separated by at most ``merge_gap_s``
seconds are one seizure (a seizure's probability dips briefly while it evolves), and a
run shorter than ``min_duration_s`` is dropped (electrographic seizures last 10 s by
the usual definition; the default of 5 s keeps short absences). Everything is computed
from stored probabilities, in milliseconds, so the reviewer can move the threshold and
see the events change at once.

Each event says what kind of seizure it looks like at onset: focal (with side and
region, e.g. "focal, left temporal") or generalised, and where that label came from: the
ECAM at onset (which channels lead, :func:`models.api.onset_type`) or the model's trained
seizure-type head when it is confident. Review decisions are kept apart from the events
(:class:`Review`, by time span) so they survive a change of threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from app.core.analysis import Analysis

ReviewState = Literal["unreviewed", "accepted", "rejected"]
REVIEW_STATES: tuple[ReviewState, ...] = ("unreviewed", "accepted", "rejected")
#: Leading channels listed per event (most active at onset first).
LEADING_CHANNELS = 3
#: Seconds after the detected onset over which the ECAM is read for the onset type.
ONSET_WINDOW_S = 3


@dataclass(frozen=True, slots=True)
class EventParams:
    """How probabilities become events (seconds; probability in [0, 1])."""

    threshold: float = 0.5
    min_duration_s: float = 5.0
    merge_gap_s: float = 10.0
    smooth_s: int = 5

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if self.min_duration_s < 0 or self.merge_gap_s < 0 or self.smooth_s < 1:
            raise ValueError("durations must be >= 0 and smoothing >= 1 s")


@dataclass(frozen=True, slots=True)
class Event:
    """One detected seizure: when, how sure, what kind, which channels, review state."""

    onset_s: float
    duration_s: float
    peak_prob: float
    mean_prob: float
    peak_s: float
    kind: str  # "focal" | "generalised" | "unknown"
    lateralisation: str  # "left" | "right" | "bilateral" | "midline" | "unknown"
    region: str  # "left temporal", ... or "unknown"
    type_label: str  # "focal, left temporal", "generalised", "absence" ...
    type_source: str  # "ECAM onset" | "type head" | "type head + ECAM onset" (side/region)
    type_confidence: float
    channels: tuple[str, ...]  # leading channels at onset
    review: ReviewState = "unreviewed"

    @property
    def end_s(self) -> float:
        return self.onset_s + self.duration_s

    @property
    def label(self) -> str:
        """What the traces show: ``Seizure 0.93 · focal, left temporal``."""
        return f"Seizure {self.peak_prob:.2f} · {self.type_label}"


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's decision on the event spanning ``[onset_s, end_s)``, made at ``time``."""

    onset_s: float
    end_s: float
    state: ReviewState
    time: float = 0.0


def smooth(prob: npt.ArrayLike, seconds: int) -> npt.NDArray[np.float64]:
    """Centred moving average over ``seconds``; NaN (not computed) seconds stay NaN."""
    p = np.asarray(prob, dtype=np.float64)
    valid = np.isfinite(p)
    if seconds <= 1:
        return p.copy()
    kernel = np.ones(seconds)
    total = np.convolve(np.where(valid, p, 0.0), kernel, mode="same")
    count = np.convolve(valid.astype(np.float64), kernel, mode="same")
    out = total / np.maximum(count, 1.0)
    out[~valid] = np.nan
    return out


def seizure_intervals(prob: npt.ArrayLike, params: EventParams) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` seconds (stop exclusive) of the events in ``prob``."""
    raw = np.nan_to_num(np.asarray(prob, dtype=np.float64), nan=-1.0) >= params.threshold
    smoothed = smooth(prob, params.smooth_s)
    above = np.nan_to_num(smoothed, nan=-1.0) >= params.threshold
    merged: list[tuple[int, int]] = []
    for first, last in _runs(above):
        # Smoothing decides *whether* there is an event; the unsmoothed probability
        # decides where it starts and ends (the onset time matters clinically).
        start, stop = first, last
        while start > 0 and raw[start - 1]:
            start -= 1
        while stop < len(raw) and raw[stop]:
            stop += 1
        if merged and start - merged[-1][1] <= params.merge_gap_s:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return [(a, b) for a, b in merged if b - a >= params.min_duration_s]


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def leading_channels(
    channel_prob: npt.NDArray[np.floating],
    names: Sequence[str],
    onset_s: int,
    n: int = LEADING_CHANNELS,
) -> tuple[str, ...]:
    """The ``n`` channels with the highest ECAM over the first seconds of an event."""
    window = np.asarray(channel_prob[:, onset_s : onset_s + ONSET_WINDOW_S], dtype=np.float64)
    if window.size == 0:
        return ()
    mean = np.nan_to_num(window.mean(axis=1), nan=0.0)
    order = np.argsort(-mean, kind="stable")[:n]
    return tuple(names[i] for i in order)


def _type_label(kind: str, lateralisation: str, region: str, head_label: str) -> str:
    if head_label and head_label not in ("focal", "generalised"):
        return head_label
    if kind == "focal":
        if region != "unknown":
            return f"focal, {region}"
        return f"focal, {lateralisation}" if lateralisation != "unknown" else "focal"
    return "generalised" if kind == "generalised" else "unclassified"


def _type_source(source: str, kind: str, region: str) -> str:
    """Where the label came from; a type head's "focal" gets its side from the ECAM."""
    if source == "type head" and kind == "focal" and region != "unknown":
        return "type head + ECAM onset"
    return source


def _event(analysis: Analysis, start: int, stop: int) -> Event:
    from models.api import onset_type  # noqa: PLC0415 - pure numpy; keeps app.core import light

    prob = np.nan_to_num(analysis.prob[start:stop].astype(np.float64), nan=0.0)
    peak = int(np.argmax(prob))
    window = slice(start, start + ONSET_WINDOW_S)  # only the onset is read: no copy of 24 h
    onset = onset_type(
        analysis.channel_prob[:, window],
        analysis.channel_names,
        0,
        window_s=ONSET_WINDOW_S,
        type_scores=analysis.type_scores[window],
        type_head_trained="type" in analysis.model.heads_trained,
    )
    return Event(
        onset_s=float(start),
        duration_s=float(stop - start),
        peak_prob=float(prob[peak]),
        mean_prob=float(prob.mean()),
        peak_s=float(start + peak),
        kind=onset.kind,
        lateralisation=onset.lateralisation,
        region=onset.region,
        type_label=_type_label(onset.kind, onset.lateralisation, onset.region, onset.type_label),
        type_source=_type_source(onset.source, onset.kind, onset.region),
        type_confidence=float(onset.confidence),
        channels=leading_channels(analysis.channel_prob, analysis.channel_names, start),
    )


def detect_events(
    analysis: Analysis, params: EventParams | None = None, reviews: Sequence[Review] = ()
) -> tuple[Event, ...]:
    """The events of ``analysis`` (over the seconds computed so far), reviews applied."""
    params = params or EventParams()
    events = [_event(analysis, a, b) for a, b in seizure_intervals(analysis.prob, params)]
    return apply_reviews(events, reviews)


def apply_reviews(events: Sequence[Event], reviews: Sequence[Review]) -> tuple[Event, ...]:
    """Each event takes the state of the latest review whose span overlaps it most."""
    out = []
    for event in events:
        best: tuple[float, float] | None = None
        state: ReviewState = "unreviewed"
        for review in reviews:
            overlap = min(event.end_s, review.end_s) - max(event.onset_s, review.onset_s)
            if overlap <= 0:
                continue
            key = (overlap, review.time)
            if best is None or key > best:
                best, state = key, review.state
        out.append(replace(event, review=state) if state != event.review else event)
    return tuple(out)


def set_review(
    reviews: Sequence[Review], event: Event, state: ReviewState, time: float
) -> tuple[Review, ...]:
    """``reviews`` with ``event``'s decision replaced by ``state`` (unreviewed removes it)."""
    kept = [r for r in reviews if min(event.end_s, r.end_s) - max(event.onset_s, r.onset_s) <= 0]
    if state != "unreviewed":
        kept.append(Review(event.onset_s, event.end_s, state, time))
    return tuple(sorted(kept, key=lambda r: r.onset_s))
