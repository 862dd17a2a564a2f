"""The comparison as plain JSON-ready data (``ictal compare --json`` and the PDF's JSON).

Numbers are rounded to the metric's precision; NaN (a metric without a value, e.g. the
seizure metrics when the model did not run) becomes ``None``.
"""

from __future__ import annotations

import math
from typing import Any

from app.core.compare.change import Change, Comparison
from app.core.compare.metrics import Estimate, MetricInfo

SPIKE_DETECTOR = (
    "Janca et al. 2015, Brain Topogr 28:172-183 (Hilbert envelope of 10-60 Hz vs. "
    "log-normal background threshold, k=3.65)"
)


def _num(value: float, decimals: int) -> float | None:
    return round(value, decimals) if math.isfinite(value) else None


def _estimate(e: Estimate, decimals: int) -> dict[str, float | None]:
    return {
        "value": _num(e.value, decimals),
        "low": _num(e.low, decimals),
        "high": _num(e.high, decimals),
    }


def _change(c: Change, info: MetricInfo) -> dict[str, Any]:
    return {
        **_estimate(c.diff, info.decimals + 1),
        "relative_pct": _num(c.relative_pct, 1),
        "significant": c.significant,
    }


def _per_metric(changes: tuple[Change, ...], metrics: tuple[MetricInfo, ...]) -> dict[str, Any]:
    pairs = list(zip(changes, metrics, strict=True))
    return {
        "pre": {m.key: _estimate(c.pre, m.decimals + 1) for c, m in pairs},
        "post": {m.key: _estimate(c.post, m.decimals + 1) for c, m in pairs},
        "change": {m.key: _change(c, m) for c, m in pairs},
    }


def comparison_dict(comp: Comparison, replicates: int | None = None) -> dict[str, Any]:
    """Everything the JSON output holds (see ``ictal compare --help``)."""
    replicates = replicates if replicates is not None else comp.replicates
    spike = comp.metrics[comp.metric_index("spike_rate")]
    return {
        "pre": {"file": comp.pre_label, "duration_s": round(comp.pre_duration_s, 3)},
        "post": {"file": comp.post_label, "duration_s": round(comp.post_duration_s, 3)},
        "kind": comp.kind,
        "epoch_s": comp.epoch_s,
        "bootstrap_replicates": replicates,
        "model": comp.model,
        "spike_detector": SPIKE_DETECTOR,
        "metrics": [{"key": m.key, "label": m.label, "unit": m.unit} for m in comp.metrics],
        "treated": list(comp.treated),
        "treated_missing": list(comp.treated_missing),
        "channels": [
            {
                "name": ch.name,
                "post_name": ch.post_name,
                "shaft": ch.shaft,
                "treated": ch.treated,
                "combined": round(ch.combined, 3),
                **_per_metric(ch.changes, comp.metrics),
            }
            for ch in comp.channels
        ],
        "ranking": [
            {
                "rank": e.rank,
                "name": e.name,
                "decrease": _estimate(e.decrease, spike.decimals + 1),
                "combined": round(e.combined, 3),
                "treated": e.treated,
            }
            for e in comp.ranking
        ],
        "ranking_combined": list(comp.combined_ranking),
        "shafts": [
            {
                "shaft": s.shaft,
                "contacts": list(s.contacts),
                "treated": list(s.treated),
                **_per_metric(s.changes, comp.metrics),
            }
            for s in comp.shafts
        ],
        "unmatched": {"pre_only": list(comp.only_pre), "post_only": list(comp.only_post)},
    }
