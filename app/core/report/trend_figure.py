"""The whole-night figure: seizure probability over the night above the CDSA, events marked.

A printed page has room for about a thousand columns across the night, so both are
reduced to at most :data:`COLUMNS`: the probability keeps the *maximum* of each column
(a 30-s seizure in a 24-h night still reaches its height) and the CDSA the mean dB of
the bins in each column.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from app.core.report.model import CdsaMap, EventMark, ReportEvent, TrendFigure
from app.core.report.sources import ReportSources
from app.core.report.timeline import time_ticks

F32 = npt.NDArray[np.float32]
COLUMNS = 1000
_SIDE_LABELS = {"left": "CDSA left", "right": "CDSA right"}


def reduce_columns(values: npt.ArrayLike, columns: int, how: str) -> F32:
    """``values`` (n, ...) reduced along axis 0 to at most ``columns`` rows (max or mean)."""
    data = np.asarray(values, dtype=np.float32)
    n = data.shape[0]
    if n <= columns:
        return data
    edges = (np.arange(columns + 1) * n) // columns
    out = np.empty((columns, *data.shape[1:]), dtype=np.float32)
    reduce = np.nanmax if how == "max" else np.nanmean
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns stay NaN
        for i in range(columns):
            out[i] = reduce(data[edges[i] : edges[i + 1]], axis=0)
    return out


def trend_figure(
    sources: ReportSources,
    events: Sequence[ReportEvent],
    start: datetime | None,
    duration_s: float,
) -> TrendFigure:
    prob = (
        reduce_columns(sources.prob, COLUMNS, "max")
        if sources.prob is not None
        else np.zeros(0, np.float32)
    )
    maps: list[CdsaMap] = []
    freqs = np.zeros(0, np.float32)
    levels = (-10.0, 20.0)
    trends = sources.trends
    if trends is not None:
        freqs = np.asarray(trends.freqs, dtype=np.float32)
        levels = trends.cdsa_levels()
        for key, values in trends.cdsa.items():
            label = _SIDE_LABELS.get(key, f"CDSA {key}")
            maps.append(CdsaMap(label, reduce_columns(values, COLUMNS, "mean")))
    notes = []
    if sources.prob is None:
        notes.append("no seizure probability: the recording was not analysed")
    if trends is None:
        notes.append("no CDSA (not computed, or too few EEG channels per hemisphere)")
    return TrendFigure(
        title="Whole-recording trends",
        duration_s=duration_s,
        prob=prob,
        threshold=sources.threshold,
        cdsa=tuple(maps),
        freqs=freqs,
        levels_db=levels,
        events=tuple(EventMark(e.number, e.onset_s, e.duration_s, e.review) for e in events),
        ticks=time_ticks(start, duration_s),
        note="; ".join(notes),
    )
