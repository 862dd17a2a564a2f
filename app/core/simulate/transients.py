"""Waveforms of transient events, added onto a span of samples.

Shapes follow what a reader expects to see (referential montage, negative up in the
display convention, so "surface-negative" is a negative value here):

- interictal spike: a surface-negative sharp transient of 20-70 ms, a small positive
  deflection, then a surface-negative after-going slow wave;
- eye blink: positive at Fp1/Fp2 (cornea positive), 200-400 µV, ~0.5 s, frontal field;
- muscle: broadband high-frequency noise over one or both temporal regions;
- electrode pop: an abrupt step on one channel with exponential decay;
- spindle: 11.5-14.5 Hz waxing-waning burst, central; K-complex: a sharp negative then
  positive slow wave, fronto-central; eye movement (REM): a smoothed step on EOG/Fp.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from app.core.simulate.context import context
from app.core.simulate.events import Event, event_gain, events_between

if TYPE_CHECKING:
    from app.core.simulate.spec import SimulationSpec

Array = NDArray[np.float64]


def _bump(t: Array, centre: float, rise: float, fall: float) -> Array:
    """An asymmetric Gaussian peak of height 1 at ``centre``."""
    width = np.where(t < centre, rise, fall)
    out: Array = np.exp(-0.5 * ((t - centre) / width) ** 2)
    return out


def waveform(ev: Event, fs: float) -> Array:
    """The unit-field waveform of one event (µV at gain 1), length ``ev.length``."""
    t = np.arange(ev.length) / fs
    amp, p = ev.amplitude, ev.param
    if ev.kind == "spike":
        peak = p * 0.55
        sharp = -_bump(t, peak, p / 5, p / 3.5) + 0.2 * _bump(t, p * 1.1, p / 4, p / 3)
        slow = -0.35 * _bump(t, p + 0.14, 0.06, 0.08)
        return amp * (sharp + slow)
    if ev.kind == "blink":
        x = t / p
        return amp * x**2 * np.exp(2.0 * (1.0 - x))
    if ev.kind == "pop":
        return amp * np.exp(-t / p)
    if ev.kind == "spindle":
        return amp * np.sin(2 * np.pi * p * t) * np.hanning(ev.length)
    if ev.kind == "kcomplex":
        d = ev.length / fs
        return amp * (
            -_bump(t, 0.22 * d, 0.06 * d, 0.08 * d) + 0.6 * _bump(t, 0.5 * d, 0.1 * d, 0.18 * d)
        )
    if ev.kind == "eye_movement":
        return amp * (1.0 - np.exp(-t / 0.03)) * np.exp(-t / 0.5)
    raise ValueError(f"no single waveform for {ev.kind!r}")


def _muscle(spec: SimulationSpec, ev: Event, n_channels: int) -> NDArray[np.float64]:
    """Independent high-frequency noise per channel under a smooth envelope."""
    rng = np.random.default_rng([spec.seed, 7202, ev.block, ev.index])
    noise = np.diff(rng.standard_normal((n_channels, ev.length + 1)), axis=1) / np.sqrt(2)
    ramp = min(ev.length // 4, round(0.2 * spec.sfreq))
    envelope = np.ones(ev.length)
    if ramp > 0:
        rise = np.sin(0.5 * np.pi * np.arange(ramp) / ramp) ** 2
        envelope[:ramp], envelope[-ramp:] = rise, rise[::-1]
    out: NDArray[np.float64] = ev.amplitude * noise * envelope
    return out


def add_transients(spec: SimulationSpec, out: NDArray[np.float32], first: int) -> None:
    """Add every event overlapping samples [first, first + n) onto ``out`` in place."""
    ctx = context(spec)
    stop = first + out.shape[1]
    for ev in events_between(spec, first, stop):
        gain = event_gain(spec, ctx, ev)
        rows = np.flatnonzero(np.abs(gain) > 0.02)
        if len(rows) == 0:
            continue
        a, b = max(first, ev.onset), min(stop, ev.onset + ev.length)
        if ev.kind == "muscle":
            shape = _muscle(spec, ev, len(rows))[:, a - ev.onset : b - ev.onset]
        else:
            shape = waveform(ev, spec.sfreq)[None, a - ev.onset : b - ev.onset]
        out[rows, a - first : b - first] += (gain[rows, None] * shape).astype(np.float32)
