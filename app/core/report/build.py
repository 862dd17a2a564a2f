"""Build the report of one recording: from the recording, what is known about it, and the
reviewer's text to a :class:`~app.core.report.model.ReportModel`.

The order is ACNS Guideline 7's: header (institution, patient, recording, referral),
technical description, summary with the seizures per hour, the whole-night trends,
the events table, findings and impression, the reviewer's annotations; then one page
per confirmed seizure. The snapshot EEG is read here (a few seconds per event), so the
renderer only draws. Given a :class:`~app.core.compare.change.Comparison` with an earlier
recording, the report carries its comparison section too (anonymised: without file names).
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import app
from app.core.compare.report import ComparisonReport, comparison_report
from app.core.recording import Recording
from app.core.report.anonymise import anonymous_id, identifiers, scrub_value
from app.core.report.event_list import report_events
from app.core.report.event_pages import event_pages, wants_page
from app.core.report.model import (
    Block,
    EventPage,
    ReportFooter,
    ReportHeader,
    ReportModel,
    ReportOptions,
    ReviewerInputs,
)
from app.core.report.sections import (
    annotation_sections,
    events_table,
    patient_fields,
    recording_fields,
    referral_fields,
    review_statement,
    reviewer_sections,
    technical_section,
)
from app.core.report.snapshot import report_montage
from app.core.report.sources import ReportSources
from app.core.report.summary import counts, hourly_chart, summary_section
from app.core.report.trend_figure import trend_figure

if TYPE_CHECKING:
    from app.core.compare.change import Comparison

log = logging.getLogger(__name__)

SOFTWARE = f"Ictal {app.__version__}"
TITLE = "EEG report"
SUBTITLE = "Long-term EEG with computer-assisted seizure detection"


def recording_key(recording: Recording) -> str:
    """The recording's fingerprint key (the anonymised ID is derived from it)."""
    from app.core.trend_result import recording_fingerprint  # noqa: PLC0415

    return recording_fingerprint(recording)


def _scale_text(pages: tuple[EventPage, ...], options: ReportOptions) -> str:
    if not pages:
        return "no EEG snapshots in this report"
    rates = sorted({round(p.request.timebase_mm_s, 1) for p in pages})
    sens = sorted({p.traces.sensitivity_uv_mm for p in pages if p.traces is not None})
    span = f"{sens[0]:g}" if len(sens) == 1 else f"{sens[0]:g}–{sens[-1]:g}"
    how = "as set" if options.sensitivity_uv_mm is not None else "chosen per snapshot"
    length = options.pre_s + options.post_s
    return (
        f"snapshots of {length:g} s ({options.pre_s:g} s before onset) at "
        f"{'/'.join(f'{r:g}' for r in rates)} mm/s; {span} µV/mm ({how}; stated on each page)"
    )


def _header(
    recording: Recording, reviewer: ReviewerInputs, options: ReportOptions, anon: str | None
) -> ReportHeader:
    info = recording.info
    p = info.patient
    who = anon if anon is not None else (", ".join(x for x in (p.name, p.code) if x) or "")
    institution = reviewer.institution.strip() or "Institution not set"
    running = " · ".join(x for x in (institution, TITLE, who) if x)
    return ReportHeader(
        title=TITLE,
        institution=institution + (f" — {reviewer.department}" if reviewer.department else ""),
        subtitle=SUBTITLE,
        patient=patient_fields(info, anon),
        recording=recording_fields(info, anon is not None),
        referral=referral_fields(reviewer),
        running=running,
    )


def build_report(
    recording: Recording,
    sources: ReportSources,
    reviewer: ReviewerInputs | None = None,
    options: ReportOptions | None = None,
    *,
    now: datetime | None = None,
    comparison: Comparison | None = None,
) -> ReportModel:
    """The report model of ``recording``; reads only the snapshot seconds of the signal.

    ``comparison``: this recording compared with an earlier one (``compare_files(PRE,
    recording)``), shown as the report's comparison section.
    """
    reviewer = reviewer or ReviewerInputs()
    options = options or ReportOptions()
    info = recording.info
    anon = None
    if options.anonymise:
        anon = options.anonymous_id or anonymous_id(recording_key(recording))
    events = report_events(sources, info.start, info.gaps)
    c = counts(events, info.duration_s)
    montage = report_montage(recording, options.montage)
    pages = event_pages(recording, sources, events, montage, options)
    montage_text = f"snapshots: {montage.name} ({montage.n_out} traces)"
    if sources.input_montage:
        montage_text += f"; model input: {sources.input_montage}, {len(sources.channel_names)} ch"
    technical = technical_section(
        info,
        recording.channels,
        sources,
        options,
        montage_text=montage_text,
        scale_text=_scale_text(pages, options),
        software=SOFTWARE,
    )
    statement = review_statement(events, sources)
    chart = hourly_chart(events, info.start, info.duration_s)
    body: list[Block] = [
        technical,
        summary_section(events, c, sources.model is not None, info.duration_s),
    ]
    if chart is not None:
        body.append(chart)
    table = events_table(events)
    wanted = sum(1 for e in events if wants_page(e, options))
    if wanted > len(pages):
        note = f"Snapshot pages for the first {len(pages)} of {wanted} events only."
        table = dataclasses.replace(table, note=note)
    body += [trend_figure(sources, events, info.start, info.duration_s), table]
    body += reviewer_sections(reviewer)
    body += annotation_sections(sources.annotations, info.start, info)
    generated = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    model = ReportModel(
        paper=options.paper,
        document_title=f"{TITLE} {anon}" if anon else TITLE,
        header=_header(recording, reviewer, options, anon),
        body=tuple(body),
        event_pages=pages,
        footer=ReportFooter(f"Generated {generated}", SOFTWARE, statement),
        events=events,
        counts=c,
        anonymised=anon is not None,
        duration_s=info.duration_s,
        start_iso=info.start.isoformat() if info.start is not None else "",
        model=_model_dict(sources),
        comparison=_comparison(comparison, anon is not None),
    )
    log.debug("report: %d events, %d event pages", len(events), len(pages))
    if anon is not None:
        model = scrub_value(model, identifiers(info.patient))
    return model


def _comparison(comparison: Comparison | None, anonymised: bool) -> ComparisonReport | None:
    """The comparison section; an anonymised one names no file (names carry patients')."""
    if comparison is None:
        return None
    if anonymised:
        comparison = dataclasses.replace(
            comparison, pre_label="earlier recording", post_label="this recording"
        )
    return comparison_report(comparison)


def _model_dict(sources: ReportSources) -> dict[str, str]:
    m = sources.model
    if m is None:
        return {}
    return {
        "name": m.name,
        "model_name": m.model_name,
        "version": m.version,
        "checkpoint_sha256": m.checkpoint_sha256,
    }
