"""The EEG snapshot of an event page: which seconds, which montage, which scale.

A snapshot shows ``pre_s`` seconds before the onset and ``post_s`` after it (shifted to
stay inside the recording), in the report montage, through the review filters, with
the page's paper geometry fixed here: the trace area is the printable width less the
label column, so the timebase (mm/s) follows from the snapshot length. Sensitivity
(µV/mm) is the reviewer's, or chosen from the usual steps so that the background
before the onset fills about a third of the trace spacing; a seizure may then reach
into the neighbouring traces, as on the review screen, and is clipped at 1.5 spacings.

At most :data:`MAX_TRACES` traces fit a page; a montage with more (SEEG, high-density
scalp) keeps the traces with the highest ECAM at onset, in montage order.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import numpy as np

from app.core.channels import ChannelType, canonical_electrode, electrodes_of, seeg_contact
from app.core.errors import FilterError, MontageError
from app.core.filters import FilterSettings, effective_settings, read_filtered
from app.core.montage import build_montage, default_montage_key
from app.core.montage_engine import AppliedMontage
from app.core.recording import Recording
from app.core.report.model import (
    MARGIN_MM,
    PAPER_MM,
    ReportOptions,
    SnapshotRequest,
    SnapshotTraces,
    content_width_mm,
)

log = logging.getLogger(__name__)

#: Width of the trace label column on the left of a snapshot (mm).
LABEL_MM = 20.0
#: Height of everything on an event page that is not the traces (title, facts, ECAM).
OTHER_MM = 118.0
MAX_TRACES = 24
MAX_SPACING_MM = 9.0
SENSITIVITY_STEPS = (1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 1000)
#: The background before onset fills this fraction of the trace spacing (90th percentile).
BACKGROUND_FILL = 0.35


def trace_area_mm(paper: str) -> tuple[float, float]:
    """(width, height) in mm of a snapshot's trace area on ``paper``."""
    width = content_width_mm(paper) - LABEL_MM
    height = PAPER_MM[paper][1] - 2 * MARGIN_MM - OTHER_MM
    return width, height


def snapshot_request(
    onset_s: float,
    end_s: float,
    *,
    duration_s: float,
    montage: str,
    options: ReportOptions,
    onset_label: str,
) -> SnapshotRequest:
    """The window around an onset, inside a recording of ``duration_s``."""
    length = min(options.pre_s + options.post_s, duration_s)
    start = min(max(0.0, onset_s - options.pre_s), max(0.0, duration_s - length))
    width, height = trace_area_mm(options.paper)
    return SnapshotRequest(
        start_s=start,
        duration_s=length,
        onset_s=onset_s,
        end_s=end_s,
        montage=montage,
        filters=options.filters,
        timebase_mm_s=width / max(length, 1e-6),
        height_mm=height,
        sensitivity_uv_mm=options.sensitivity_uv_mm,
        onset_label=onset_label,
    )


def report_montage(recording: Recording, wanted: str | None) -> AppliedMontage:
    """The montage snapshots are drawn in: the wanted one, else the recording's default
    (for a depth recording the shaft-bipolar montage, as SEEG is read)."""
    seeg = sum(ch.type is ChannelType.SEEG for ch in recording.channels)
    default = "seeg_bipolar" if seeg > len(recording.channels) / 2 else None
    key = wanted or default or default_montage_key(recording.channels)
    try:
        return build_montage(key, recording.channels)
    except MontageError as exc:
        log.warning("montage %s not possible (%s): as recorded", key, exc.why)
        return build_montage("as_recorded", recording.channels)


def _rank(labels: Sequence[str], ecam: Mapping[str, float]) -> list[float]:
    """Each trace's relevance: the highest ECAM of the electrodes it involves."""
    by_electrode: dict[str, float] = {}
    for name, value in ecam.items():
        for e in electrodes_of(name):
            key = canonical_electrode(e).upper()
            by_electrode[key] = max(by_electrode.get(key, 0.0), value)

    def relevance(label: str) -> float:
        keys = (canonical_electrode(e).upper() for e in electrodes_of(label))
        return max((by_electrode.get(k, 0.0) for k in keys), default=0.0)

    return [relevance(label) for label in labels]


def _shaft(label: str) -> str:
    contact = seeg_contact(electrodes_of(label)[0]) if label else None
    return contact[0] if contact is not None else ""


def choose_rows(labels: Sequence[str], ecam: Mapping[str, float]) -> list[int]:
    """Indices of the traces to draw (all, or the MAX_TRACES most involved, in order).

    SEEG traces go by whole shafts: the shaft with the most involved contact first
    (all of its traces), then the next, so the spread along a shaft stays visible.
    """
    if len(labels) <= MAX_TRACES:
        return list(range(len(labels)))
    rank = _rank(labels, ecam)
    shafts = [_shaft(label) for label in labels]
    shaft_rank: dict[str, float] = {}
    for shaft, value in zip(shafts, rank, strict=True):
        if shaft:
            shaft_rank[shaft] = max(shaft_rank.get(shaft, 0.0), value)
    order = sorted(
        range(len(labels)),
        key=lambda i: (-shaft_rank.get(shafts[i], rank[i]), -rank[i], i),
    )
    return sorted(order[:MAX_TRACES])


def short_filters(settings: FilterSettings) -> str:
    """``HP 1 Hz · LP 70 Hz · notch off`` as printed under a snapshot."""

    def hz(value: float | None) -> str:
        return f"{value:g} Hz" if value is not None else "off"

    return f"HP {hz(settings.highpass)} · LP {hz(settings.lowpass)} · notch {hz(settings.notch)}"


def auto_sensitivity(background: np.ndarray, spacing_mm: float) -> float:
    """The smallest usual step (µV/mm) at which the background fits its share of a trace."""
    if background.size == 0:
        return 7.0
    amplitude = float(np.median(np.percentile(np.abs(background), 90, axis=1)))
    needed = amplitude / max(BACKGROUND_FILL * spacing_mm, 1e-6)
    return float(next((s for s in SENSITIVITY_STEPS if s >= needed), SENSITIVITY_STEPS[-1]))


def read_snapshot(
    recording: Recording,
    request: SnapshotRequest,
    montage: AppliedMontage,
    ecam: Mapping[str, float],
    leading: Sequence[str],
) -> SnapshotTraces:
    """Read, derive and filter the snapshot's EEG; choose rows and sensitivity."""
    info = recording.info
    rows = choose_rows(montage.labels, ecam)
    picks = list(montage.input_indices)

    def read(start: float, duration: float) -> np.ndarray:
        return montage.apply(recording.read_page(start, duration, picks))[rows]

    note = ""
    try:
        settings, note = effective_settings(request.filters, info.sfreq)
    except FilterError as exc:
        settings, note = FilterSettings(None, None, None), exc.why
    data = read_filtered(
        read, request.start_s, request.duration_s, info.sfreq, settings, total_s=info.duration_s
    )
    labels = tuple(montage.labels[i] for i in rows)
    spacing = min(MAX_SPACING_MM, request.height_mm / max(len(labels), 1))
    sensitivity = request.sensitivity_uv_mm
    if sensitivity is None:
        before = int(max(0.0, request.onset_s - request.start_s) * info.sfreq)
        sensitivity = auto_sensitivity(data[:, : max(before, int(info.sfreq))], spacing)
    if len(rows) < montage.n_out:
        shown = f"{len(rows)} of {montage.n_out} traces (highest ECAM at onset)"
        note = f"{note}; {shown}" if note else shown
    lead = {canonical_electrode(e).upper() for name in leading for e in electrodes_of(name)}
    highlight = tuple(
        lab for lab in labels if lead & {canonical_electrode(e).upper() for e in electrodes_of(lab)}
    )
    return SnapshotTraces(
        labels=labels,
        groups=tuple(montage.groups[i] for i in rows),
        data=np.ascontiguousarray(data, dtype=np.float32),
        sfreq=float(info.sfreq),
        start_s=request.start_s,
        sensitivity_uv_mm=float(sensitivity),
        spacing_mm=spacing,
        highlight=highlight,
        montage_name=montage.name,
        filters_text=short_filters(settings),
        note=note,
    )
