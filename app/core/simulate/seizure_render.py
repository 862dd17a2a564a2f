"""The samples a seizure adds to a span, and how it suppresses the background there."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from app.core.simulate import ictal
from app.core.simulate.context import context
from app.core.simulate.seizures import SeizurePlan, involvement, plans

if TYPE_CHECKING:
    from app.core.simulate.spec import SimulationSpec

Array = NDArray[np.float64]
_STREAM = 7301
_POST_UV = {"focal": 45.0, "generalized_tonic_clonic": 60.0, "absence": 0.0}
_POST_DEPTH = {"focal": 0.6, "generalized_tonic_clonic": 0.9, "absence": 0.0}
_ICTAL_DEPTH = {"focal": 0.5, "generalized_tonic_clonic": 0.5, "absence": 0.3}
_MUSCLE_UV = 120.0


@dataclass(frozen=True, slots=True)
class SeizureTerm:
    """Effect of one seizure on samples [a, b): rows' background × ``gain``, then + ``add``."""

    a: int
    b: int
    rows: NDArray[np.intp]
    gain: NDArray[np.float32]
    add: NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class _Sources:
    ipsi: Array
    contra: Array
    post: Array
    muscle: Array  # envelope 0..1 (tonic-clonic only, else empty)


@lru_cache(maxsize=16)
def _sources(spec: SimulationSpec, index: int) -> _Sources:
    plan = plans(spec)[index]
    rng = np.random.default_rng([spec.seed, _STREAM, index])
    fs, n, kind = spec.sfreq, plan.length, plan.seizure.kind
    empty = np.zeros(0)
    muscle = empty
    if kind == "focal":
        seeg = spec.kind == "seeg"
        ipsi = ictal.focal_source(n, fs, rng, seeg)
        contra = 0.9 * ictal.focal_source(n, fs * 1.06, rng, seeg)  # a little slower
    elif kind == "absence":
        ipsi, contra = ictal.absence_source(n, fs, rng), empty
    else:
        ipsi, muscle = ictal.tonic_clonic_source(n, fs, rng)
        contra = empty
    scale = 2.0 if spec.kind == "seeg" else 1.0
    post = ictal.postictal_source(plan.post, fs, rng, _POST_UV[kind] * scale)
    for array in (ipsi, contra, post, muscle):
        array.flags.writeable = False  # shared through the cache
    return _Sources(ipsi, contra, post, muscle)


def _take(source: Array, idx: NDArray[np.int64]) -> Array:
    """source[idx], zero outside the source."""
    if len(source) == 0:
        return np.zeros(idx.shape)
    inside = (idx >= 0) & (idx < len(source))
    return np.where(inside, source[np.clip(idx, 0, len(source) - 1)], 0.0)


def _muscle(
    spec: SimulationSpec, plan: SeizurePlan, rows: NDArray[np.intp], a: int, b: int
) -> Array:
    """Per-channel broadband muscle noise for samples [a, b), made per 1-s piece."""
    per = max(round(spec.sfreq), 1)
    first, last = (a - plan.onset) // per, (b - 1 - plan.onset) // per
    pieces = []
    for k in range(first, last + 1):
        rng = np.random.default_rng([spec.seed, _STREAM + 1, plan.index, k])
        pieces.append(np.diff(rng.standard_normal((len(rows), per + 1)), axis=1))
    noise = np.concatenate(pieces, axis=1) / np.sqrt(2)
    start = a - plan.onset - first * per
    out: Array = noise[:, start : start + (b - a)]
    return out


def seizure_terms(spec: SimulationSpec, first: int, stop: int) -> list[SeizureTerm]:
    """The terms of every seizure overlapping samples [first, stop)."""
    terms = []
    ctx = context(spec)
    for plan in plans(spec):
        a, b = max(first, plan.onset), min(stop, plan.end)
        if a >= b:
            continue
        kind = plan.seizure.kind
        rows = np.flatnonzero(
            plan.allowed
            & (np.isfinite(plan.dist) | np.isfinite(plan.dist_contra) | (plan.static > 0))
        )
        src = _sources(spec, plan.index)
        t = np.arange(a, b, dtype=np.int64) - plan.onset
        ipsi, contra = involvement(spec, plan, t / plan.length)
        ipsi, contra = ipsi[rows], contra[rows]
        add = ipsi * _take(src.ipsi, t[None, :] - plan.delay[rows, None])
        if len(src.contra):
            add += contra * _take(src.contra, t[None, :] - plan.delay_contra[rows, None])
        field_end = np.maximum(*involvement(spec, plan, np.ones(1)))[rows]
        tau = t - plan.length
        add += field_end * _take(src.post, tau)[None, :]
        during = (t >= 0) & (t < plan.length)
        field = np.maximum(ipsi, contra)
        gain = np.where(during, 1.0 - _ICTAL_DEPTH[kind] * field, 1.0)
        if plan.post > 0:
            recovery = np.exp(-3.0 * np.clip(tau, 0, None) / plan.post)
            post_gain = 1.0 - _POST_DEPTH[kind] * field_end * recovery
            gain = np.where((tau >= 0) & (tau < plan.post), post_gain, gain)
        if len(src.muscle) and spec.kind == "scalp":
            weight = 0.4 + 0.6 * np.maximum(*ctx.muscle_gain)[rows, None]
            envelope = _take(src.muscle, t)[None, :]
            add += _MUSCLE_UV * weight * envelope * _muscle(spec, plan, rows, a, b)
        terms.append(SeizureTerm(a, b, rows, gain.astype(np.float32), add.astype(np.float32)))
    return terms
