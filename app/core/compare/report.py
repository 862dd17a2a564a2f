"""The comparison section of a report as pure data: fields, sentences, tables, figures.

Built from a :class:`~app.core.compare.change.Comparison`; ``app.ui.report.comparison``
lays it out with the report renderer's blocks (the same drawing code as the EEG report),
either as a PDF of its own (``ictal compare --out``) or as the comparison section of the
EEG report (``ictal report POST --compare-with PRE``, ``ReportModel.comparison``). ``data``
is the same comparison as JSON (``ictal compare --json``, the report's JSON summary).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.compare.change import Change, Comparison
from app.core.compare.export import SPIKE_DETECTOR, comparison_dict
from app.core.compare.figures import (
    ChangeBars,
    ScalpMaps,
    ShaftFigure,
    change_bars,
    scalp_maps,
    shaft_figure,
    split_bars,
)
from app.core.compare.metrics import Estimate
from app.core.report.model import Field, FieldsSection, Table, TextSection

#: Metrics shown in tables and figures, in this order, when they have values.
KEY_METRICS = ("spike_rate", "seizure_burden", "line_length")
TOP_RANKED = 20


@dataclass(frozen=True, slots=True, eq=False)
class ComparisonReport:
    title: str
    recordings: FieldsSection
    summary: TextSection
    ranking: Table
    shafts: Table | None
    channels: Table
    method: TextSection
    bars: tuple[ChangeBars, ...]  # per metric, split in rows that fit a page's width
    strips: tuple[ShaftFigure, ...]
    maps: tuple[ScalpMaps, ...]
    data: dict[str, Any] = field(default_factory=dict)  # comparison_dict: the JSON


def num(value: float, decimals: int) -> str:
    """``value`` to ``decimals`` places, never "-0.0"; an en dash when not available."""
    if not math.isfinite(value):
        return "–"
    return f"{round(value, decimals) + 0.0:.{decimals}f}"


def fmt(e: Estimate, decimals: int) -> str:
    """``1.10 [0.50, 1.70]``; an en dash when not available."""
    if not math.isfinite(e.value):
        return "–"
    return f"{num(e.value, decimals)} [{num(e.low, decimals)}, {num(e.high, decimals)}]"


def _value(e: Estimate, decimals: int) -> str:
    return num(e.value, decimals)


def _names(names: Sequence[str], treated: set[str]) -> str:
    return ", ".join(f"{n}*" if n in treated else n for n in names) or "none"


def _summary(comp: Comparison, keys: Sequence[str]) -> TextSection:
    treated = {ch.name for ch in comp.channels if ch.treated}
    paras = [
        f"{len(comp.channels)} channels compared by name"
        + (f"; only before: {', '.join(comp.only_pre)}" if comp.only_pre else "")
        + (f"; only after: {', '.join(comp.only_post)}" if comp.only_post else "")
        + "."
    ]
    for key in keys:
        m = comp.metric_index(key)
        info = comp.metrics[m]
        changes = [(ch.name, ch.changes[m]) for ch in comp.channels]
        down = [n for n, c in sorted(changes, key=lambda x: x[1].diff.value) if _sig(c) < 0]
        up = [n for n, c in sorted(changes, key=lambda x: -x[1].diff.value) if _sig(c) > 0]
        paras.append(
            f"{info.label}: significantly lower after on {len(down)} channel(s): "
            f"{_names(down, treated)}; higher on {len(up)}: {_names(up, treated)}."
        )
    if comp.treated:
        spike = comp.metric_index("spike_rate")
        chans = [ch for ch in comp.channels if ch.treated]
        fell = sum(ch.changes[spike].diff.value < 0 for ch in chans)
        sig = sum(_sig(ch.changes[spike]) < 0 for ch in chans)
        text = (
            f"Treated contacts ({', '.join(comp.treated)}): discharge rate fell on {fell} of "
            f"{len(chans)} recorded, significantly on {sig}."
        )
        if comp.treated_missing:
            text += f" Not found in either recording: {', '.join(comp.treated_missing)}."
        paras.append(text)
    paras.append("* treated contact. 'Significant': the 95 % interval excludes zero.")
    return TextSection("Summary", tuple(paras))


def _sig(c: Change) -> int:
    return -1 if c.diff.high < 0 else (1 if c.diff.low > 0 else 0)


def _ranking(comp: Comparison, top: int) -> Table:
    spike = comp.metrics[comp.metric_index("spike_rate")]
    d = spike.decimals
    by_name = {ch.name: ch for ch in comp.channels}
    m = comp.metric_index("spike_rate")
    rows = tuple(
        (
            str(e.rank),
            f"{e.name}*" if e.treated else e.name,
            _value(by_name[e.name].changes[m].pre, d),
            _value(by_name[e.name].changes[m].post, d),
            fmt(e.decrease, d),
            num(e.combined, 1),
        )
        for e in comp.ranking[:top]
    )
    return Table(
        title=f"Channels ranked by decrease in discharge rate (top {len(rows)})",
        columns=("#", "Channel", "Before /min", "After /min", "Decrease [95 % CI]", "Score"),
        rows=rows,
        widths=(0.5, 1.3, 1.2, 1.2, 2.4, 0.8),
        right=(0, 2, 3, 4, 5),
        note="Score: mean standardised decrease of discharge rate, model seizure burden and "
        "line length (decrease ÷ bootstrap SD, clipped to ±10).",
        marked=tuple(i for i, e in enumerate(comp.ranking[:top]) if e.treated),
    )


def _change_table(
    title: str,
    rows: Sequence[tuple[str, Sequence[Change]]],
    comp: Comparison,
    keys: Sequence[str],
    marked: Sequence[bool],
) -> Table:
    infos = [comp.metrics[comp.metric_index(k)] for k in keys]
    out = []
    for name, changes in rows:
        cells = [name]
        for info, change in zip(infos, changes, strict=True):
            cells += [_value(change.pre, info.decimals), fmt(change.diff, info.decimals)]
        out.append(tuple(cells))
    columns = ["Channel"]
    for info in infos:
        columns += [f"{info.label} ({info.unit})", "change [95 % CI]"]
    return Table(
        title=title,
        columns=tuple(columns),
        rows=tuple(out),
        widths=(1.0, *([0.9, 1.9] * len(infos))),
        right=tuple(range(1, len(columns))),
        marked=tuple(i for i, m in enumerate(marked) if m),
    )


def _method(comp: Comparison, replicates: int | None) -> TextSection:
    model = (
        f"Seizure burden and seizure rate: the model '{comp.model}' per-channel seizure "
        "probability (time at or above 0.5; per-channel events)."
        if comp.model
        else "Seizure burden: not computed (the model did not run)."
    )
    return TextSection(
        "Method",
        (
            f"Interictal discharges: {SPIKE_DETECTOR}.",
            model,
            "Band power: Welch spectrum, 2-s windows (delta 1-4, theta 4-8, alpha 8-13, "
            "beta 13-30, gamma 30-80 Hz), in dB re 1 µV². Line length: summed absolute "
            "difference per second of the 0.5-70 Hz signal (Esteller et al. 2001).",
            f"Uncertainty: bootstrap over {comp.epoch_s}-s epochs"
            + (f" ({replicates} replicates)" if replicates else "")
            + ", the two recordings resampled independently; 95 % percentile intervals of "
            "post − pre. Intervals are per channel, not corrected for multiple comparisons.",
        ),
    )


def comparison_report(
    comp: Comparison, *, top: int = TOP_RANKED, replicates: int | None = None
) -> ComparisonReport:
    """The section; ``replicates`` defaults to the comparison's own bootstrap count."""
    replicates = replicates if replicates is not None else comp.replicates
    keys = [k for k in KEY_METRICS if comp.has_metric(k)]
    idx = [comp.metric_index(k) for k in keys]
    fields = (
        Field("Before (pre)", f"{comp.pre_label} ({comp.pre_duration_s / 60:.1f} min)"),
        Field("After (post)", f"{comp.post_label} ({comp.post_duration_s / 60:.1f} min)"),
        Field("Recording type", "SEEG" if comp.kind == "seeg" else "scalp EEG"),
        Field("Treated contacts", ", ".join(comp.treated) or "none entered"),
        Field("Only before", ", ".join(comp.only_pre) or "none"),
        Field("Only after", ", ".join(comp.only_post) or "none"),
    )
    shaft_rows = [
        (f"{s.shaft}*" if s.treated else s.shaft, [s.changes[i] for i in idx]) for s in comp.shafts
    ]
    chan_rows = [
        (f"{ch.name}*" if ch.treated else ch.name, [ch.changes[i] for i in idx])
        for ch in comp.channels
    ]
    return ComparisonReport(
        title=f"Pre/post comparison: {comp.pre_label} → {comp.post_label}",
        recordings=FieldsSection("Recordings", fields),
        summary=_summary(comp, keys),
        ranking=_ranking(comp, top),
        shafts=_change_table(
            "Per shaft (mean of contacts; * with a treated contact)",
            shaft_rows,
            comp,
            keys,
            [bool(s.treated) for s in comp.shafts],
        )
        if comp.shafts
        else None,
        channels=_change_table(
            "All channels", chan_rows, comp, keys, [ch.treated for ch in comp.channels]
        ),
        method=_method(comp, replicates),
        bars=tuple(row for k in keys for row in split_bars(change_bars(comp, k))),
        strips=tuple(shaft_figure(comp, k) for k in keys) if comp.kind == "seeg" else (),
        maps=tuple(m for k in keys if (m := scalp_maps(comp, k)) is not None)
        if comp.kind == "scalp"
        else (),
        data=comparison_dict(comp, replicates=replicates),
    )
