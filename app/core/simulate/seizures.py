"""Where and when each seizure is: onset zone, spread, propagation delays, post-ictal state.

A focal seizure starts on the channels of its onset zone; with ``spread`` its field widens
to neighbours between 15 % and 50 % of its length, and from 45 % the homologous region of
the other hemisphere is recruited (focal to bilateral). The rhythm reaches farther
channels a few tens of ms later. Absence and tonic-clonic seizures are generalised
(absence maximal frontally). After a focal or tonic-clonic seizure the involved channels
are suppressed and slowed, recovering over the post-ictal period.

``involvement`` is also the ground truth: a channel is ictal while its field is >= 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from app.core.simulate.context import context, onset_zone
from app.core.simulate.layout import distances_to, mirrored

if TYPE_CHECKING:
    from app.core.simulate.spec import SeizureSpec, SimulationSpec

Array = NDArray[np.float64]
ICTAL_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class SeizurePlan:
    """A seizure resolved against the recording's channels (times in samples)."""

    index: int
    seizure: SeizureSpec
    onset: int
    length: int
    post: int
    dist: Array  # to the onset zone (0 on it, inf where unknown)
    dist_contra: Array  # to the mirrored onset zone
    delay: NDArray[np.int64]
    delay_contra: NDArray[np.int64]
    static: Array  # field of a generalised seizure (zeros for focal)
    allowed: NDArray[np.bool_]  # brain channels that are not silenced

    @property
    def end(self) -> int:
        """Last sample influenced (ictal + post-ictal + propagation delay)."""
        return self.onset + self.length + self.post + int(self.delay.max(initial=0)) + 1


@lru_cache(maxsize=8)
def plans(spec: SimulationSpec) -> tuple[SeizurePlan, ...]:
    return tuple(_plan(spec, i, s) for i, s in enumerate(spec.seizures))


def _plan(spec: SimulationSpec, index: int, seizure: SeizureSpec) -> SeizurePlan:
    ctx = context(spec)
    fs, n = spec.sfreq, len(ctx.names)
    allowed = ctx.brain & ~ctx.silenced
    dist = dist_contra = np.full(n, np.inf)
    static = np.zeros(n)
    if seizure.kind == "focal":
        zone = onset_zone(ctx.names, spec.kind, seizure.region, seizure.onset_channels)
        rows = np.array([ctx.names.index(z) for z in zone])
        points = ctx.positions[rows]
        points = points[np.all(np.isfinite(points), axis=1)]
        dist = distances_to(ctx.positions, points)
        dist_contra = distances_to(ctx.positions, mirrored(points))
        dist[rows] = 0.0
    elif seizure.kind == "absence" and spec.kind == "scalp":
        static = 0.5 + 0.5 * np.clip(np.nan_to_num(ctx.positions[:, 1]), 0.0, 1.0)
    else:
        static = np.ones(n)
    static = np.where(allowed, static, 0.0)

    def delays(d: Array) -> NDArray[np.int64]:
        secs = np.where(np.isfinite(d), d, 0.0) * ctx.scales.delay_s_per_unit
        return np.round(secs * fs).astype(np.int64)

    return SeizurePlan(
        index=index,
        seizure=seizure,
        onset=round(seizure.onset_s * fs),
        length=max(round(seizure.duration_s * fs), 1),
        post=round(seizure.postictal_s * fs),
        dist=dist,
        dist_contra=dist_contra,
        delay=delays(dist),
        delay_contra=delays(dist_contra),
        static=static,
        allowed=allowed,
    )


def _smoothstep(x: Array) -> Array:
    x = np.clip(x, 0.0, 1.0)
    out: Array = x * x * (3.0 - 2.0 * x)
    return out


def involvement(spec: SimulationSpec, plan: SeizurePlan, u: Array) -> tuple[Array, Array]:
    """(ipsilateral, contralateral) field per channel at normalised times ``u``: (n, len(u)).

    ``u`` beyond 1 is held at 1 (the extent at offset sets the post-ictal field).
    """
    u = np.clip(u, 0.0, 1.0)[None, :]
    if plan.seizure.kind != "focal":
        return plan.static[:, None] * np.ones_like(u), np.zeros((len(plan.static), u.shape[1]))
    sc = context(spec).scales
    grow = _smoothstep((u - 0.15) / 0.35) if plan.seizure.spread else np.zeros_like(u)
    sigma = sc.onset_sigma + (sc.spread_sigma - sc.onset_sigma) * grow
    ipsi = np.exp(-0.5 * (plan.dist[:, None] / sigma) ** 2)
    if plan.seizure.spread:
        late = _smoothstep((u - 0.45) / 0.2)
        sigma_c = sc.onset_sigma + 0.5 * (sc.spread_sigma - sc.onset_sigma) * late
        contra = 0.8 * late * np.exp(-0.5 * (plan.dist_contra[:, None] / sigma_c) ** 2)
    else:
        contra = np.zeros_like(ipsi)
    mask = plan.allowed[:, None]
    return np.where(mask, ipsi, 0.0), np.where(mask, contra, 0.0)


def ictal_mask(spec: SimulationSpec, plan: SeizurePlan, seconds: Array) -> NDArray[np.bool_]:
    """(n_channels, len(seconds)): channel ictal at each time (field >= 0.5 during the seizure)."""
    fs = spec.sfreq
    u = (seconds * fs - plan.onset) / plan.length
    ipsi, contra = involvement(spec, plan, u)
    active = (u >= 0.0) & (u < 1.0)
    return (np.maximum(ipsi, contra) >= ICTAL_THRESHOLD) & active[None, :]


def seizure_channels(spec: SimulationSpec, index: int) -> tuple[str, ...]:
    """Channels ictal at any time during seizure ``index`` (onset zone first, by recruitment)."""
    plan = plans(spec)[index]
    u = np.linspace(0.0, 1.0, 201)[:-1]
    ipsi, contra = involvement(spec, plan, u)
    field = np.maximum(ipsi, contra) >= ICTAL_THRESHOLD
    first = np.where(field.any(axis=1), np.argmax(field, axis=1), len(u))
    order = sorted((int(first[c]), c) for c in np.flatnonzero(field.any(axis=1)))
    names = context(spec).names
    return tuple(names[c] for _, c in order)
