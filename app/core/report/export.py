"""The files beside a report PDF: a JSON summary and the BIDS ``events.tsv``.

The JSON summary carries the report's comparison with an earlier recording too
(``comparison``: the ``ictal compare --json`` object, or null when there is none).

Both are made from the finished (and, when asked, anonymised) report model, so they
say exactly what the PDF says and carry no more identity than it does: an anonymised
report's companions have no patient fields and no recording file name either.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.core.annotation import Annotation
from app.core.annotation_io.bids import write_bids_events
from app.core.annotation_io.safe_write import atomic_write_text
from app.core.report.model import ReportEvent, ReportModel
from app.core.report.sections import REVIEW_TEXT

SUMMARY_VERSION = 1


def companion_paths(pdf: Path) -> tuple[Path, Path]:
    """``night.pdf`` -> (``night.json``, ``night_events.tsv``)."""
    return pdf.with_suffix(".json"), pdf.with_name(pdf.stem + "_events.tsv")


def event_dict(e: ReportEvent) -> dict[str, Any]:
    return {
        "number": e.number,
        "onset": round(e.onset_s, 3),
        "clock": e.clock,
        "duration": round(e.duration_s, 3),
        "probability": round(e.probability, 4) if e.probability is not None else None,
        "type": e.type_label,
        "type_source": e.type_source,
        "channels": list(e.channels),
        "review": e.review,
    }


def summary_dict(model: ReportModel, pdf: Path, pages: int) -> dict[str, Any]:
    """The JSON summary: the report's numbers, events, model and (if not anonymised) header."""
    c = model.counts
    header = model.header
    out: dict[str, Any] = {
        "version": SUMMARY_VERSION,
        "pdf": pdf.name,
        "pages": pages,
        "anonymised": model.anonymised,
        "generated": model.footer.generated.removeprefix("Generated "),
        "software": model.footer.software,
        "statement": model.footer.statement,
        "recording": {
            "start": model.start_iso or None,
            "duration_s": model.duration_s,
            **{f.label: f.value for f in header.recording},
        },
        "patient": {f.label: f.value for f in header.patient},
        "model": dict(model.model),
        "counts": {
            "detected": c.detected,
            "confirmed": c.confirmed,
            "rejected": c.rejected,
            "unreviewed": c.unreviewed,
            "reviewer_marked": c.reviewer_marked,
            "seizure_time_s": round(c.seizure_time_s, 3),
            "longest_s": round(c.longest_s, 3),
            "events_per_hour": round(c.events_per_hour, 4),
        },
        "events": [event_dict(e) for e in model.events],
        "comparison": model.comparison.data if model.comparison is not None else None,
    }
    return out


def event_annotations(model: ReportModel) -> list[Annotation]:
    """The report's events as annotations (``trial_type`` says review state, p and type)."""
    out = []
    for e in model.events:
        prob = f" p={e.probability:.2f};" if e.probability is not None else ""
        text = (
            f"seizure {REVIEW_TEXT.get(e.review, e.review)};{prob} {e.type_label} ({e.type_source})"
        )
        out.append(Annotation(e.onset_s, e.duration_s, text, e.channels, source="ictal"))
    return out


def write_companions(
    model: ReportModel, pdf: Path, pages: int, protect: tuple[Path, ...] = ()
) -> Mapping[str, Path]:
    """Write the JSON summary and the events.tsv beside ``pdf``; returns their paths."""
    json_path, tsv_path = companion_paths(pdf)
    text = json.dumps(summary_dict(model, pdf, pages), ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(json_path, text, suffixes=(".json",), protect=protect)
    write_bids_events(tsv_path, event_annotations(model), protect=protect)
    return {"json": json_path, "events_tsv": tsv_path}
