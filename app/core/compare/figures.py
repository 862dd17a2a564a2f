"""The comparison's figures as pure data: change bars, SEEG shaft strips, scalp maps.

The window and the PDF draw these (``app.ui.compare_figures``); every number is decided
here. Colours are a diverging scale symmetric about zero (a decrease is blue, an
increase red), its limit the largest absolute change shown, so white is "no change".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from app.core.compare.change import Comparison
from app.core.compare.seeg import contact_of
from app.core.compare.topomap import interpolate_disc, scalp_layout

F64 = npt.NDArray[np.float64]


def colour_limit(values: npt.ArrayLike) -> float:
    """Half-range of the diverging scale: the largest finite |value| (never 0)."""
    v = np.asarray(values, dtype=np.float64)
    v = np.abs(v[np.isfinite(v)])
    return float(v.max()) if v.size and v.max() > 0 else 1.0


@dataclass(frozen=True, slots=True)
class ChangeBars:
    """Per channel: post − pre with its 95 % interval, in recording order."""

    title: str
    unit: str
    names: tuple[str, ...]
    diff: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    treated: tuple[bool, ...]
    groups: tuple[str, ...]  # shaft (SEEG) or "" (scalp): a gap is drawn between groups
    decimals: int = 1
    span: tuple[float, float] | None = None  # the y range (shared by a split figure's rows)
    limit: float | None = None  # the colour scale's half-range (shared likewise)


#: At most this many channels per row of bars on a page (a label needs ~3 mm).
PAGE_BARS = 48


def bars_span(fig: ChangeBars) -> tuple[float, float]:
    """The y range of the bars: zero, every value and interval, and a margin."""
    if fig.span is not None:
        return fig.span
    vals = [v for v in (*fig.low, *fig.high, *fig.diff) if np.isfinite(v)]
    lo, hi = min([0.0, *vals]), max([0.0, *vals])
    pad = 0.08 * (hi - lo or 1.0)
    return lo - pad, hi + pad


def split_bars(fig: ChangeBars, most: int = PAGE_BARS) -> tuple[ChangeBars, ...]:
    """``fig`` as rows of at most ``most`` channels (whole shafts where they fit) on one
    y scale, so every channel keeps a readable label on a page; one row when it fits."""
    n = len(fig.names)
    if n <= most:
        return (fig,)
    runs: list[tuple[int, int]] = []  # [start, end) of each group, split when too long
    start = 0
    for i in range(1, n + 1):
        if i == n or fig.groups[i] != fig.groups[start] or i - start == most:
            runs.append((start, i))
            start = i
    rows: list[tuple[int, int]] = []
    for a, b in runs:
        if rows and b - rows[-1][0] <= most and fig.groups[a] != "":
            rows[-1] = (rows[-1][0], b)
        else:
            rows.append((a, b))
    if fig.groups[0] == "":  # scalp: even rows
        k = -(-n // most)
        size = -(-n // k)
        rows = [(a, min(n, a + size)) for a in range(0, n, size)]
    span = bars_span(fig)
    out = []
    for k, (a, b) in enumerate(rows):
        title = fig.title if k == 0 else f"{fig.title} (continued)"
        out.append(
            replace(
                fig,
                title=title,
                names=fig.names[a:b],
                diff=fig.diff[a:b],
                low=fig.low[a:b],
                high=fig.high[a:b],
                treated=fig.treated[a:b],
                groups=fig.groups[a:b],
                span=span,
                limit=colour_limit(fig.diff),
            )
        )
    return tuple(out)


def change_bars(comp: Comparison, key: str) -> ChangeBars:
    m = comp.metric_index(key)
    info = comp.metrics[m]
    chans = comp.channels
    return ChangeBars(
        title=f"{info.label}: change post − pre ({info.unit}), 95 % interval",
        unit=info.unit,
        names=tuple(ch.name for ch in chans),
        diff=tuple(ch.changes[m].diff.value for ch in chans),
        low=tuple(ch.changes[m].diff.low for ch in chans),
        high=tuple(ch.changes[m].diff.high for ch in chans),
        treated=tuple(ch.treated for ch in chans),
        groups=tuple(ch.shaft or "" for ch in chans),
        decimals=info.decimals,
    )


@dataclass(frozen=True, slots=True)
class StripCell:
    name: str
    number: int
    value: float  # the change
    significant: bool
    treated: bool


@dataclass(frozen=True, slots=True)
class ShaftFigure:
    """One row per shaft, one cell per matched contact (deepest first)."""

    title: str
    unit: str
    rows: tuple[tuple[str, tuple[StripCell, ...]], ...]
    limit: float
    decimals: int = 1


def shaft_figure(comp: Comparison, key: str) -> ShaftFigure:
    m = comp.metric_index(key)
    info = comp.metrics[m]
    by_name = {ch.name: ch for ch in comp.channels}
    rows = []
    for shaft in comp.shafts:
        cells = []
        for name in shaft.contacts:
            ch = by_name[name]
            contact = contact_of(name)
            change = ch.changes[m]
            number = contact[1] if contact is not None else 0
            cells.append(StripCell(name, number, change.diff.value, change.significant, ch.treated))
        rows.append((shaft.shaft, tuple(cells)))
    values = [c.value for _, cells in rows for c in cells]
    return ShaftFigure(
        title=f"{info.label}: change post − pre ({info.unit}) per contact",
        unit=info.unit,
        rows=tuple(rows),
        limit=colour_limit(values),
        decimals=info.decimals,
    )


@dataclass(frozen=True, slots=True, eq=False)
class MapPanel:
    """One head: an interpolated image over [-1, 1]² and the electrodes on it."""

    label: str
    image: F64
    electrodes: tuple[tuple[str, float, float, float], ...]  # name, x, y, value
    lo: float
    hi: float
    diverging: bool


@dataclass(frozen=True, slots=True, eq=False)
class ScalpMaps:
    title: str
    unit: str
    panels: tuple[MapPanel, ...]
    treated: tuple[str, ...]
    decimals: int = 1


def scalp_maps(comp: Comparison, key: str, size: int = 64) -> ScalpMaps | None:
    """Pre, post and change maps of a metric; None when fewer than 3 channels are placed."""
    m = comp.metric_index(key)
    info = comp.metrics[m]
    layout = scalp_layout([ch.name for ch in comp.channels])
    chans = [ch for ch in comp.channels if ch.name in layout]
    if len(chans) < 3:
        return None
    xy = np.array([layout[ch.name] for ch in chans])
    columns = {
        "pre": np.array([ch.changes[m].pre.value for ch in chans]),
        "post": np.array([ch.changes[m].post.value for ch in chans]),
        "change": np.array([ch.changes[m].diff.value for ch in chans]),
    }
    both = np.concatenate([columns["pre"], columns["post"]])
    finite = both[np.isfinite(both)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    limit = colour_limit(columns["change"])
    panels = []
    for label, values in columns.items():
        electrodes = tuple(
            (ch.name, float(x), float(y), float(v))
            for ch, (x, y), v in zip(chans, xy, values, strict=True)
        )
        diverging = label == "change"
        panels.append(
            MapPanel(
                label=f"{label} ({info.unit})",
                image=interpolate_disc(xy, values, size),
                electrodes=electrodes,
                lo=-limit if diverging else lo,
                hi=limit if diverging else max(hi, lo + 1e-9),
                diverging=diverging,
            )
        )
    return ScalpMaps(
        title=f"{info.label} ({info.unit}): before, after, change",
        unit=info.unit,
        panels=tuple(panels),
        treated=tuple(ch.name for ch in chans if ch.treated),
        decimals=info.decimals,
    )
