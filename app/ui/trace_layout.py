"""Where each trace's baseline sits: evenly spaced, with a gap between montage groups,
never closer than a readable minimum (then the layout is taller than the view).

Pure geometry in millimetres of screen, the unit the trace view's y axis uses (the axis
is calibrated so 1 unit = 1 physical mm; amplitude then follows from µV/mm directly).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

#: The gap between two montage groups, in trace spacings (as on EEG paper: a blank line).
GROUP_GAP = 0.7


@dataclass(frozen=True, slots=True)
class TraceLayout:
    """Baselines (mm from the top) of the shown traces and the spacing between them."""

    baselines: tuple[float, ...]
    spacing_mm: float
    height_mm: float


def layout_traces(
    groups: Sequence[int], height_mm: float, min_spacing_mm: float = 0.0
) -> TraceLayout:
    """Spread ``len(groups)`` traces over ``height_mm``; a new group value starts a gap.

    Half a spacing of margin at the top and at the bottom. When the traces would sit
    closer than ``min_spacing_mm`` (an SEEG implantation of 90 contacts in one window)
    they keep that spacing and the layout is taller than ``height_mm``: the view then
    shows a window of it and scrolls through the channels.
    """
    n = len(groups)
    if n == 0 or height_mm <= 0:
        return TraceLayout((), 0.0, max(height_mm, 0.0))
    gaps = [0]
    for previous, current in pairwise(groups):
        gaps.append(gaps[-1] + (1 if current != previous else 0))
    units = n + GROUP_GAP * gaps[-1]
    spacing = max(height_mm / units, min_spacing_mm)
    baselines = tuple(spacing * (i + 0.5 + GROUP_GAP * gaps[i]) for i in range(n))
    return TraceLayout(baselines, spacing, max(height_mm, spacing * units))
