"""``ictal info FILE``: what is in a recording before anyone opens the viewer.

The header (start, length, patient, record layout), every channel with the label the
file used and the name Ictal shows, grouped by type, and the annotations with elapsed
and clock times, which is what a reviewer checks first when a file arrives.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import replace
from typing import Any

from app.cli.common import (
    add_json_flag,
    format_clock,
    format_hms,
    format_number,
    format_table,
    print_json,
)
from app.core.annotation import Annotation
from app.core.recording import Recording, open_recording
from app.core.recording_info import RecordingInfo


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "info",
        help="show a recording's header, channels and annotations",
        description="Show a recording's header, channels (grouped by type) and annotations.",
    )
    parser.add_argument("file", metavar="FILE", help="the recording (EDF, EDF+, BDF ...)")
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_recording(args.file) as recording:
        if args.json:
            print_json(info_dict(recording))
        else:
            print("\n".join(info_lines(recording)))
    return 0


# --- JSON ------------------------------------------------------------------------------


def patient_dict(info: RecordingInfo) -> dict[str, Any]:
    """The patient fields of the header (EDF+ subfields; ``raw`` is the text as written)."""
    p = info.patient
    return {
        "code": p.code,
        "name": p.name,
        "sex": p.sex,
        "birthdate": p.birthdate.isoformat() if p.birthdate is not None else None,
        "raw": p.raw,
    }


def info_dict(recording: Recording) -> dict[str, Any]:
    """Everything ``ictal info --json`` prints: one JSON-ready object."""
    info = recording.info
    return {
        "file": str(info.path),
        "format": info.format,
        "start": info.start.isoformat() if info.start is not None else None,
        "duration_s": info.duration_s,
        "sfreq": info.sfreq,
        "n_samples": info.n_samples,
        "file_size": info.file_size,
        "n_records": info.n_records,
        "record_duration_s": info.record_duration_s,
        "recording_id": info.recording_id,
        "technician": info.technician,
        "equipment": info.equipment,
        "gaps": [
            {"onset": g.onset, "duration": g.duration, "clock_onset": g.clock_onset}
            for g in info.gaps
        ],
        "patient": patient_dict(info),
        "channels": [
            {
                "index": ch.index,
                "name": ch.name,
                "raw_name": ch.raw_name,
                "type": str(ch.type),
                "sfreq": ch.sfreq,
                "unit": ch.unit,
            }
            for ch in recording.channels
        ],
        "annotations": [
            {
                "onset": a.onset,
                "duration": a.duration,
                "description": a.description,
                "channels": list(a.channels),
                "source": a.source,
            }
            for a in recording.annotations
        ],
    }


# --- text ------------------------------------------------------------------------------


def info_lines(recording: Recording) -> list[str]:
    """The human-readable report: header block, channel table, annotation table."""
    return [
        *_header_lines(recording),
        "",
        *_channel_lines(recording),
        "",
        *_annotation_lines(recording),
    ]


def _patient_text(info: RecordingInfo) -> str:
    p = info.patient
    parts = [
        p.code,
        p.name,
        {"M": "male", "F": "female"}.get(p.sex, ""),
        f"born {p.birthdate.isoformat()}" if p.birthdate is not None else "",
    ]
    text = ", ".join(part for part in parts if part)
    raw = " ".join(p.raw.split())
    if text or set(raw.split()) - {"X"}:  # EDF+ writes X for every field not given
        return text or raw
    return "not given"


def _layout_text(info: RecordingInfo) -> str:
    rate = f"read at {format_number(info.sfreq)} Hz"
    if info.n_records is None or info.record_duration_s is None:
        return rate
    return f"{info.n_records} records x {format_number(info.record_duration_s)} s, {rate}"


def _header_lines(recording: Recording) -> list[str]:
    info = recording.info
    start = info.start.strftime("%Y-%m-%d %H:%M:%S") if info.start is not None else "unknown"
    counts = Counter(str(ch.type) for ch in recording.channels)
    by_type = ", ".join(f"{n} {t}" for t, n in counts.items())
    rows = [
        ("File", str(info.path)),
        ("Format", info.format),
        ("Start", start),
        ("Duration", f"{format_hms(info.duration_s)} ({format_number(info.duration_s)} s)"),
        ("Patient", _patient_text(info)),
        ("Recording", info.recording_id.strip()),
        ("Equipment", info.equipment.strip()),
        ("Technician", info.technician.strip()),
        ("Layout", _layout_text(info)),
        ("Gaps", _gaps_text(info)),
        ("Channels", f"{len(recording.channels)} ({by_type})" if by_type else "0"),
        ("Annotations", _annotation_count(recording.annotations)),
    ]
    rows = [(k, v) for k, v in rows if v]
    width = max(len(k) for k, _ in rows)
    return [f"{k.ljust(width)}  {v}" for k, v in rows]


def _gaps_text(info: RecordingInfo) -> str:
    """Discontinuous (EDF+D) recordings: how much clock time is missing, and where."""
    if not info.gaps:
        return ""
    missing = sum(g.duration for g in info.gaps)
    where = ", ".join(
        f"{format_hms(g.onset)} (+{format_number(g.duration)} s)" for g in info.gaps[:5]
    )
    more = f" and {len(info.gaps) - 5} more" if len(info.gaps) > 5 else ""
    return f"{len(info.gaps)}, {format_hms(missing)} missing: {where}{more}"


def _channel_lines(recording: Recording) -> list[str]:
    lines: list[str] = []
    groups: dict[str, list[Any]] = {}
    for ch in recording.channels:
        groups.setdefault(str(ch.type), []).append(ch)
    for kind, channels in groups.items():
        lines.append(f"{kind} channels ({len(channels)})")
        rows = [
            [
                str(ch.index + 1),
                ch.name,
                ch.raw_name if ch.raw_name != ch.name else "",
                f"{format_number(ch.sfreq)} Hz",
                ch.unit,
            ]
            for ch in channels
        ]
        table = format_table(["#", "name", "label in file", "rate", "unit"], rows, right=(0, 3))
        lines.extend("  " + row for row in table)
    return lines or ["No channels"]


def _grouped(annotations: tuple[Annotation, ...]) -> list[Annotation]:
    """Merge consecutive annotations that differ only in their channel (one event, k channels).

    EDF+ stores a channel-specific annotation once per channel; a reviewer reads one event.
    """
    merged: list[Annotation] = []
    for a in annotations:
        last = merged[-1] if merged else None
        if (
            last is not None
            and a.channels
            and last.channels
            and (last.onset, last.duration, last.description)
            == (a.onset, a.duration, a.description)
        ):
            merged[-1] = replace(last, channels=(*last.channels, *a.channels))
        else:
            merged.append(a)
    return merged


def _annotation_count(annotations: tuple[Annotation, ...]) -> str:
    events = len(_grouped(annotations))
    if events == len(annotations):
        return str(events)
    return f"{events} events ({len(annotations)} channel entries)"


def _annotation_lines(recording: Recording) -> list[str]:
    annotations = _grouped(recording.annotations)
    if not annotations:
        return ["No annotations"]
    start = recording.info.start
    rows = [
        [
            format_hms(a.onset, decimals=1),
            format_clock(start, a.onset),
            f"{format_number(round(a.duration, 3))} s",
            a.description + (f"  [{', '.join(a.channels)}]" if a.channels else ""),
        ]
        for a in annotations
    ]
    headers = ["onset", "clock", "duration", "description"]
    if start is None:
        headers = ["onset", "duration", "description"]
        rows = [[r[0], r[2], r[3]] for r in rows]
    table = format_table(headers, rows, right=(0, len(headers) - 2))
    return [f"Annotations ({len(annotations)})", *("  " + row for row in table)]
