"""The comparison's figures as pure data: change bars, SEEG shaft strips, scalp maps.

The window and the PDF draw these (``app.ui.compare_figures``); every number is decided
here. Colours are a diverging scale symmetric about zero (a decrease is blue, an
increase red), its limit the largest absolute change shown, so white is "no change".
"""

from __future__ import annotations

from dataclasses import dataclass

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
