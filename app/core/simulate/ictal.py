"""Ictal source waveforms: how a seizure's discharge evolves in frequency, amplitude, shape.

- Focal (scalp): low-amplitude ~8 Hz rhythm that slows to 4-5 Hz while growing to
  ~150 µV and sharpening into rhythmic spikes, then 2-3 Hz, irregular, before offset.
- Focal (SEEG): low-voltage fast activity (~25 Hz) at onset, then a recruiting rhythm that
  slows into high-amplitude (hundreds of µV) rhythmic spikes.
- Absence: generalised 3 Hz spike-and-wave (3.4 -> 2.7 Hz), abrupt onset and offset.
- Tonic-clonic: tonic fast activity (20 -> 10 Hz) growing in amplitude, then clonic
  polyspike-and-wave slowing from 4 to 1 Hz, with muscle bursts locked to the jerks.
- Post-ictal: irregular delta slowing that fades over the post-ictal period.

Every source is one 1-D waveform made once per seizure from its own seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.fft
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Profile:
    """Knots over the seizure's normalised time u in [0, 1]."""

    u: tuple[float, ...]
    freq: tuple[float, ...]  # Hz
    amp: tuple[float, ...]  # µV
    sharp: tuple[float, ...]  # 0 sinusoidal .. 1 spiky
    jitter: tuple[float, ...]  # relative frequency irregularity


FOCAL_SCALP = Profile(
    (0, 0.12, 0.45, 0.8, 1),
    (8.5, 7.5, 4.8, 3.2, 2.0),
    (15, 50, 150, 170, 110),
    (0.1, 0.3, 0.7, 0.9, 0.6),
    (0.02, 0.03, 0.05, 0.1, 0.2),
)
FOCAL_SEEG = Profile(
    (0, 0.08, 0.2, 0.5, 0.85, 1),
    (26, 20, 10, 5, 3, 2),
    (25, 40, 120, 300, 350, 220),
    (0, 0, 0.5, 0.9, 1, 0.8),
    (0.02, 0.02, 0.04, 0.06, 0.12, 0.2),
)
TONIC = Profile((0, 0.3, 1), (20, 14, 10), (20, 70, 150), (0, 0.3, 0.6), (0.02, 0.03, 0.05))
CLONIC = Profile((0, 0.5, 1), (4, 2.5, 1), (220, 200, 150), (1, 1, 1), (0.05, 0.1, 0.2))
ABSENCE = Profile((0, 1), (3.4, 2.7), (250, 230), (1, 1), (0.01, 0.02))


def _smooth_noise(rng: np.random.Generator, n: int, fs: float, step_s: float = 0.3) -> Array:
    """Unit-variance noise varying on a ``step_s`` time scale."""
    knots = rng.standard_normal(int(n / (fs * step_s)) + 2)
    return np.interp(np.arange(n) / (fs * step_s), np.arange(len(knots)), knots)


def _edges(n: int, fs: float, rise_s: float, fall_s: float) -> Array:
    """1 inside, smooth sin² ramps at both ends."""
    env = np.ones(n)
    for ramp, sl in (
        (round(rise_s * fs), slice(None)),
        (round(fall_s * fs), slice(None, None, -1)),
    ):
        m = min(ramp, n // 2)
        if m > 0:
            env[sl][:m] = np.sin(0.5 * np.pi * np.arange(m) / m) ** 2
    return env


def _bump(cycle: Array, centre: float, width: float) -> Array:
    d = (cycle - centre + 0.5) % 1.0 - 0.5
    out: Array = np.exp(-0.5 * (d / width) ** 2)
    return out


def _spike_wave_raw(cycle: Array, poly: bool) -> Array:
    if poly:
        spikes = sum(0.8 * _bump(cycle, c, 0.012) for c in (0.2, 0.25, 0.3))
    else:
        spikes = 0.9 * _bump(cycle, 0.27, 0.02)
    out: Array = -spikes - _bump(cycle, 0.55, 0.13) + 0.35 * _bump(cycle, 0.0, 0.12)
    return out


_GRID = np.arange(4096) / 4096
_MEAN = {poly: float(_spike_wave_raw(_GRID, poly).mean()) for poly in (False, True)}


def spike_wave(cycle: Array, poly: bool = False) -> Array:
    """One spike(s)-and-slow-wave complex per cycle (zero mean; negative = surface-negative).

    The spike sits on the rising limb of the slow wave, so the fundamental dominates the
    spectrum (a 3 Hz peak for an absence), with weaker harmonics.
    """
    return _spike_wave_raw(cycle, poly) - _MEAN[poly]


def rhythm(
    profile: Profile, n: int, fs: float, rng: np.random.Generator, template: str = "pulse"
) -> tuple[Array, Array]:
    """(waveform, cycle) of an evolving rhythm over ``n`` samples."""
    u = np.arange(n) / max(n, 1)
    jitter = np.interp(u, profile.u, profile.jitter) * _smooth_noise(rng, n, fs)
    freq = np.interp(u, profile.u, profile.freq) * np.clip(1.0 + jitter, 0.3, None)
    cycle = (np.cumsum(freq) / fs + rng.random()) % 1.0
    amp = np.interp(u, profile.u, profile.amp) * (1.0 + 0.15 * _smooth_noise(rng, n, fs, 1.0))
    if template == "pulse":
        beta = np.interp(u, profile.u, profile.sharp)
        cos = np.cos(2 * np.pi * cycle)
        pulse = (np.exp(6.0 * (cos - 1.0)) - 0.1666) / 0.8334
        wave = -((1.0 - beta) * cos + beta * pulse)
    else:
        wave = spike_wave(cycle, poly=template == "polyspike")
    return amp * wave, cycle


def focal_source(n: int, fs: float, rng: np.random.Generator, seeg: bool) -> Array:
    wave, _ = rhythm(FOCAL_SEEG if seeg else FOCAL_SCALP, n, fs, rng)
    return wave * _edges(n, fs, 1.0, 0.5)


def absence_source(n: int, fs: float, rng: np.random.Generator) -> Array:
    wave, _ = rhythm(ABSENCE, n, fs, rng, template="spike_wave")
    return wave * _edges(n, fs, 0.25, 0.25)


def tonic_clonic_source(n: int, fs: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """(EEG rhythm, muscle envelope 0..1) of a generalised tonic-clonic seizure."""
    n_tonic = int(0.3 * n)
    tonic, _ = rhythm(TONIC, n_tonic, fs, rng)
    clonic, cycle = rhythm(CLONIC, n - n_tonic, fs, rng, template="polyspike")
    wave = np.concatenate([tonic, clonic]) * _edges(n, fs, 1.0, 0.5)
    jerks = np.exp(4.0 * (np.cos(2 * np.pi * (cycle - 0.12)) - 1.0))
    muscle = np.concatenate([_edges(n_tonic, fs, 2.0, 0.0), jerks]) * _edges(n, fs, 0.0, 0.3)
    return wave, muscle


def postictal_source(n: int, fs: float, rng: np.random.Generator, amp: float) -> Array:
    """Irregular 0.5-2.5 Hz slowing of ``amp`` µV RMS fading over ``n`` samples."""
    if n <= 0:
        return np.zeros(0)
    f = scipy.fft.rfftfreq(n, 1.0 / fs)
    shape = np.exp(-0.5 * ((f - 1.3) / 0.7) ** 2)
    spectrum = shape * (rng.standard_normal(len(f)) + 1j * rng.standard_normal(len(f)))
    slow = np.asarray(scipy.fft.irfft(spectrum, n=n))
    slow /= max(float(np.std(slow)), 1e-12)
    return amp * slow * np.exp(-3.0 * np.arange(n) / n) * _edges(n, fs, 0.5, 0.0)
