"""Samples of a synthetic recording for any span, in µV.

``generate(spec, start_s, duration_s)`` is a pure function of the spec and the span: a
span made at once equals the same span made in pieces, bit for bit. Background blocks,
transient events and seizure sources are each seeded by their own index, so the cost of a
span is proportional to its length wherever it lies in a 24-h night.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from app.core.simulate.background import background, ecg
from app.core.simulate.context import context
from app.core.simulate.seizure_render import seizure_terms
from app.core.simulate.transients import add_transients

if TYPE_CHECKING:
    from app.core.simulate.spec import SimulationSpec


def generate(spec: SimulationSpec, start_s: float, duration_s: float) -> NDArray[np.float32]:
    """µV samples of [start_s, start_s + duration_s), shape (n_channels, n_samples).

    Times are rounded to whole samples. Samples past the end of the recording are zero
    (as a reader pads past the end of a file).
    """
    if start_s < 0 or duration_s < 0:
        raise ValueError(f"generate: negative span ({start_s}, {duration_s})")
    first = round(start_s * spec.sfreq)
    n = round((start_s + duration_s) * spec.sfreq) - first
    return generate_samples(spec, first, n)


def generate_samples(spec: SimulationSpec, first: int, n: int) -> NDArray[np.float32]:
    """µV samples [first, first + n) (sample indices), shape (n_channels, n)."""
    total = spec.n_samples
    out = np.zeros((len(spec.channels), n), dtype=np.float32)
    m = max(0, min(n, total - first))
    if m == 0:
        return out
    span = background(spec, first, m)
    terms = seizure_terms(spec, first, first + m)
    for term in terms:
        span[term.rows, term.a - first : term.b - first] *= term.gain
    add_transients(spec, span, first)
    for term in terms:
        span[term.rows, term.a - first : term.b - first] += term.add
    ctx = context(spec)
    rows = np.flatnonzero(ctx.ecg_gain)
    if len(rows):
        heart = ecg(spec, first, m)
        span[rows] += (ctx.ecg_gain[rows, None] * heart[None, :]).astype(np.float32)
    out[:, :m] = span
    return out
