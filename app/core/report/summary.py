"""The summary of a night's seizures: counts, seizure time, rate per hour, onset types.

Seizure time, the longest seizure, the rate and the onset types count *confirmed*
seizures once the reviewer has confirmed any; before any review they count every
detection (and the text says so), because an unreviewed report is still read.
Rejected detections count nowhere but in the "rejected" number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from app.core.report.model import Field, FieldsSection, HourlyChart, ReportCounts, ReportEvent
from app.core.report.timeline import duration_text, hour_bins


def counts(events: Sequence[ReportEvent], duration_s: float) -> ReportCounts:
    detected = [e for e in events if e.review != "reviewer"]
    confirmed = [e for e in events if e.confirmed]
    basis = counted(events)
    hours = max(duration_s / 3600.0, 1e-9)
    return ReportCounts(
        detected=len(detected),
        confirmed=len(confirmed),
        rejected=sum(1 for e in events if e.review == "rejected"),
        unreviewed=sum(1 for e in events if e.review == "unreviewed"),
        reviewer_marked=sum(1 for e in events if e.review == "reviewer"),
        seizure_time_s=float(sum(e.duration_s for e in basis)),
        longest_s=float(max((e.duration_s for e in basis), default=0.0)),
        events_per_hour=len(basis) / hours,
    )


def counted(events: Sequence[ReportEvent]) -> list[ReportEvent]:
    """The events the summary counts: confirmed ones if any review happened, else all
    detections that were not rejected."""
    reviewed = any(e.review != "unreviewed" for e in events)
    if reviewed:
        return [e for e in events if e.confirmed]
    return [e for e in events if e.review != "rejected"]


def _tally(values: Sequence[str]) -> str:
    if not values:
        return "–"
    return ", ".join(f"{label} × {n}" for label, n in Counter(values).most_common())


def _rate(c: ReportCounts, n: int, duration_s: float) -> str:
    """The hourly rate; under an hour of recording the count itself (no extrapolation)."""
    if duration_s < 3600.0:
        return f"– ({n} in {duration_text(duration_s)} of recording)"
    return f"{c.events_per_hour:.2f}"


def summary_section(
    events: Sequence[ReportEvent], c: ReportCounts, analysed: bool, duration_s: float
) -> FieldsSection:
    """The summary's labelled values (the chart follows it)."""
    basis = counted(events)
    which = "confirmed" if any(e.review != "unreviewed" for e in events) else "detected, unreviewed"
    longest = max(basis, key=lambda e: e.duration_s, default=None)
    detections = (
        f"{c.detected} ({c.confirmed - c.reviewer_marked} confirmed, {c.rejected} rejected, "
        f"{c.unreviewed} not reviewed)"
        if analysed
        else "not analysed"
    )
    confirmed = str(c.confirmed)
    if c.reviewer_marked:
        confirmed += f" (incl. {c.reviewer_marked} marked by the reviewer only)"
    fields = [
        Field("Detected seizures", detections),
        Field("Confirmed seizures", confirmed),
        Field("Seizures counted below", which),
        Field("Total seizure time", duration_text(c.seizure_time_s) if basis else "–"),
        Field(
            "Longest seizure",
            f"{duration_text(longest.duration_s)} (event {longest.number}, {longest.clock})"
            if longest
            else "–",
        ),
        Field("Seizures per hour", _rate(c, len(basis), duration_s)),
        Field("Onset types", _tally([e.type_label for e in basis])),
        Field("Lateralisation", _tally([e.lateralisation for e in basis])),
    ]
    return FieldsSection("Summary", tuple(fields))


def hourly_chart(
    events: Sequence[ReportEvent], start: datetime | None, duration_s: float
) -> HourlyChart | None:
    """Detections and confirmed seizures per clock hour (None under an hour of recording)."""
    if duration_s < 3600.0:
        return None
    bins = hour_bins(start, duration_s)
    detected = [0] * len(bins)
    confirmed = [0] * len(bins)
    for event in events:
        if event.review == "rejected":
            continue
        index = next(
            (i for i, (lo, hi, _) in enumerate(bins) if lo <= event.onset_s < hi), len(bins) - 1
        )
        detected[index] += 1
        confirmed[index] += int(event.confirmed)
    first, last = bins[0], bins[-1]
    partial = [b for b in (first, last) if b[1] - b[0] < 3599.0]
    note = "first/last hour partly recorded" if partial else ""
    return HourlyChart(
        "Seizures per hour",
        tuple(label for _, _, label in bins),
        tuple(detected),
        tuple(confirmed),
        note,
    )
