"""One page per seizure: the facts, the EEG around the onset, and where the model saw it.

Confirmed seizures always get a page; unreviewed detections only when asked
(``ReportOptions.include_unreviewed``); rejected detections never. The ECAM is shown
twice: averaged over the first seconds after onset (where the seizure starts, which is
what lateralises it) and around the moment of highest probability (how far it spread).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from app.core.events import ONSET_WINDOW_S
from app.core.montage_engine import AppliedMontage
from app.core.recording import Recording
from app.core.report.event_list import peak_second
from app.core.report.model import ChannelBars, EventPage, Field, ReportEvent, ReportOptions, TopoMap
from app.core.report.sections import REVIEW_TEXT
from app.core.report.snapshot import read_snapshot, snapshot_request
from app.core.report.sources import ReportSources
from app.core.report.timeline import clock_text, duration_text, hms
from app.core.report.topomap import channel_bars, ecam_map, window_mean

log = logging.getLogger(__name__)
#: Annotations overlapping an event listed on its page.
MAX_NOTES = 6


def wants_page(event: ReportEvent, options: ReportOptions) -> bool:
    return event.confirmed or (options.include_unreviewed and event.review == "unreviewed")


def _ecam(
    sources: ReportSources, event: ReportEvent, recording: Recording
) -> tuple[dict[str, float], tuple[TopoMap, ...], ChannelBars | None]:
    cp = sources.channel_prob
    if cp is None or cp.size == 0 or not sources.channel_names:
        return {}, (), None
    names = sources.channel_names
    seeg = sources.input_montage == "seeg"
    onset = int(event.onset_s)
    peak = peak_second(sources, event)
    peak_clock = clock_text(recording.info.start, float(peak), recording.info.gaps)
    at_onset = window_mean(cp, onset, ONSET_WINDOW_S)
    at_peak = window_mean(cp, max(0, peak - 1), 3)
    maps = (
        ecam_map(f"ECAM at onset (first {ONSET_WINDOW_S} s)", names, at_onset, seeg=seeg),
        ecam_map(f"ECAM at peak ({peak_clock})", names, at_peak, seeg=seeg),
    )
    bars = channel_bars("ECAM per channel at onset", names, at_onset)
    values = {n: float(v) for n, v in zip(names, np.nan_to_num(at_onset), strict=True)}
    return values, maps, bars


def _facts(event: ReportEvent) -> tuple[Field, ...]:
    prob = f"{event.probability:.2f}" if event.probability is not None else "–"
    return (
        Field("Onset", f"{event.clock} ({hms(event.onset_s)} into the recording)"),
        Field("Duration", duration_text(event.duration_s)),
        Field("Peak probability", prob),
        Field("Type", f"{event.type_label} — source: {event.type_source}"),
        Field("Leading channels", ", ".join(event.channels) or "–"),
        Field("Review", REVIEW_TEXT.get(event.review, event.review)),
    )


def _notes(sources: ReportSources, event: ReportEvent, recording: Recording) -> tuple[str, ...]:
    end = event.onset_s + event.duration_s
    info = recording.info
    seen: list[str] = []
    for n in sources.annotations:
        if n.onset <= end and n.onset + n.duration >= event.onset_s:
            text = f"{clock_text(info.start, n.onset, info.gaps)}  {n.description}"
            if text not in seen:
                seen.append(text)
    return tuple(seen[:MAX_NOTES])


def event_page(
    recording: Recording,
    sources: ReportSources,
    event: ReportEvent,
    montage: AppliedMontage,
    options: ReportOptions,
) -> EventPage:
    info = recording.info
    ecam, maps, bars = _ecam(sources, event, recording)
    request = snapshot_request(
        event.onset_s,
        event.onset_s + event.duration_s,
        duration_s=info.duration_s,
        montage=montage.key,
        options=options,
        onset_label=f"onset {event.clock}",
    )
    traces = read_snapshot(recording, request, montage, ecam, event.channels)
    state = REVIEW_TEXT.get(event.review, event.review)
    return EventPage(
        event=event,
        title=f"Event {event.number} — {event.clock} — seizure, {state}",
        facts=_facts(event),
        request=request,
        traces=traces,
        maps=maps,
        bars=bars,
        notes=_notes(sources, event, recording),
    )


def event_pages(
    recording: Recording,
    sources: ReportSources,
    events: Sequence[ReportEvent],
    montage: AppliedMontage,
    options: ReportOptions,
) -> tuple[EventPage, ...]:
    chosen = [e for e in events if wants_page(e, options)][: options.max_event_pages]
    return tuple(event_page(recording, sources, e, montage, options) for e in chosen)
