"""The seizures a report lists: the model's detections with the reviewer's decisions, plus
the seizures the reviewer marked that the model missed.

A detection the reviewer accepted is *confirmed*; if the reviewer also marked it with a
seizure annotation (accepting a detection in the window adds ``Seizure (confirmed)``
with the reviewer's boundaries), the report uses the reviewer's onset and duration. A
reviewer's seizure annotation that overlaps no detection is a confirmed seizure of its
own (``review == "reviewer"``, no model probability). Rejected detections stay in the
events table, marked as such, and count nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from app.core.report.model import ReportEvent, ReviewState
from app.core.report.sources import EventLike, NoteRow, ReportSources
from app.core.report.timeline import GapLike, clock_text

_STATES: dict[str, ReviewState] = {
    "accepted": "accepted",
    "rejected": "rejected",
    "unreviewed": "unreviewed",
}


def is_seizure_note(note: NoteRow) -> bool:
    """A reviewer's annotation that marks a seizure (``Seizure``, ``Seizure (confirmed)``)."""
    return note.origin == "reviewer" and note.description.strip().lower().startswith("seizure")


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _reviewer_bounds(event: EventLike, marks: Sequence[NoteRow]) -> tuple[float, float]:
    """The reviewer's boundaries of an accepted detection (its own when none marked)."""
    end = event.onset_s + event.duration_s
    best = max(
        (m for m in marks if _overlap(event.onset_s, end, m.onset, m.onset + m.duration) > 0),
        key=lambda m: _overlap(event.onset_s, end, m.onset, m.onset + m.duration),
        default=None,
    )
    if best is None or best.duration <= 0:
        return event.onset_s, event.duration_s
    return best.onset, best.duration


def report_events(
    sources: ReportSources, start: datetime | None, gaps: Sequence[GapLike] = ()
) -> tuple[ReportEvent, ...]:
    """Every event of the report, by onset, numbered from 1."""
    marks = [n for n in sources.annotations if is_seizure_note(n)]
    found: list[tuple[float, float, EventLike | None, ReviewState]] = []
    channels_of: dict[float, tuple[str, ...]] = {}
    for detected in sources.events:
        state = _STATES.get(detected.review, "unreviewed")
        onset, duration = detected.onset_s, detected.duration_s
        if state == "accepted":
            onset, duration = _reviewer_bounds(detected, marks)
        found.append((onset, duration, detected, state))
    for mark in marks:
        hit = any(
            _overlap(e.onset_s, e.onset_s + e.duration_s, mark.onset, mark.onset + mark.duration)
            > 0
            for e in sources.events
        )
        if not hit:
            found.append((mark.onset, mark.duration, None, "reviewer"))
            channels_of[mark.onset] = mark.channels
    found.sort(key=lambda item: item[0])
    out = []
    for number, (onset, duration, event, state) in enumerate(found, start=1):
        mark_channels = channels_of.get(onset, ()) if event is None else ()
        out.append(
            ReportEvent(
                number=number,
                onset_s=onset,
                duration_s=duration,
                clock=clock_text(start, onset, gaps),
                probability=event.peak_prob if event is not None else None,
                type_label=event.type_label if event is not None else "not classified",
                type_source=event.type_source if event is not None else "marked by reviewer",
                channels=tuple(event.channels) if event is not None else mark_channels,
                review=state,
                lateralisation=event.lateralisation if event is not None else "unknown",
            )
        )
    return tuple(out)


def peak_second(sources: ReportSources, event: ReportEvent) -> int:
    """The second of highest seizure probability within the event (its onset if unknown)."""
    lo = max(0, int(event.onset_s))
    if sources.prob is None or lo >= sources.prob.shape[0]:
        return lo
    hi = min(sources.prob.shape[0], max(lo + 1, math.ceil(event.onset_s + event.duration_s)))
    window = np.nan_to_num(sources.prob[lo:hi].astype(np.float64), nan=-1.0)
    return lo + int(np.argmax(window))
