"""A plausible hypnogram and what each sleep stage does to the EEG.

The recording starts at lights-out: 8-20 minutes awake, then ~90-minute NREM/REM cycles
(deep N3 mostly in the first two cycles, REM lengthening towards morning, brief
awakenings between cycles) for up to 7.5 hours, then wakefulness for the rest of a longer
recording. Stages are scored in 30-s epochs, as in AASM scoring.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from app.core.simulate.spec import SimulationSpec

EPOCH_S = 30.0
W, N1, N2, N3, REM = range(5)
STAGE_NAMES = ("W", "N1", "N2", "N3", "R")
SLEEP_PERIOD_S = 7.5 * 3600.0


@dataclass(frozen=True, slots=True)
class StageEffect:
    """Relative amplitudes of background rhythms and event rates in one stage."""

    broadband: float
    theta: float
    delta: float
    alpha: float
    spindles_per_min: float
    kcomplexes_per_min: float
    blinks: float  # multiplies the awake blink rate
    muscle: float  # multiplies the awake muscle-artefact rate
    spikes: float  # interictal spikes are activated by NREM sleep
    eye_movements_per_min: float


EFFECTS: tuple[StageEffect, ...] = (
    StageEffect(1.0, 0.25, 0.05, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0),  # W
    StageEffect(0.9, 0.9, 0.25, 0.25, 0.0, 0.0, 0.1, 0.3, 1.3, 0.0),  # N1
    StageEffect(0.9, 1.0, 1.0, 0.0, 6.0, 1.0, 0.0, 0.1, 1.8, 0.0),  # N2
    StageEffect(0.8, 0.8, 4.0, 0.0, 1.5, 0.3, 0.0, 0.05, 2.0, 0.0),  # N3
    StageEffect(0.8, 0.8, 0.2, 0.1, 0.0, 0.0, 0.0, 0.05, 0.6, 20.0),  # REM
)

# Per sleep cycle: minutes of N3 and of REM (later cycles reuse the last values).
_N3_MIN = (40.0, 25.0, 8.0, 0.0, 0.0)
_REM_MIN = (10.0, 18.0, 24.0, 28.0, 30.0)


@lru_cache(maxsize=8)
def hypnogram(spec: SimulationSpec) -> NDArray[np.int8]:
    """Stage per 30-s epoch (``W``=0 ... ``REM``=4); all wake unless ``spec.sleep``."""
    n_epochs = max(1, int(np.ceil(spec.duration_s / EPOCH_S)))
    stages = np.zeros(n_epochs, dtype=np.int8)
    if not spec.sleep:
        stages.flags.writeable = False
        return stages
    rng = np.random.default_rng([spec.seed, 7002])
    epoch = int(min(rng.uniform(8, 20) * 2, 0.1 * n_epochs))
    sleep_end = epoch + int(SLEEP_PERIOD_S / EPOCH_S)
    cycle = 0
    while epoch < min(sleep_end, n_epochs):
        plan = _cycle(cycle, rng)
        stop = min(epoch + len(plan), sleep_end, n_epochs)
        stages[epoch:stop] = plan[: stop - epoch]
        epoch, cycle = stop, cycle + 1
    stages.flags.writeable = False
    return stages


def _cycle(index: int, rng: np.random.Generator) -> NDArray[np.int8]:
    """One NREM/REM cycle as epochs: N1, N2, N3, N2, REM, maybe a brief awakening."""
    length = int(rng.uniform(80, 100) * 2)
    n3 = int(_N3_MIN[min(index, len(_N3_MIN) - 1)] * 2 * rng.uniform(0.8, 1.2))
    rem = int(_REM_MIN[min(index, len(_REM_MIN) - 1)] * 2 * rng.uniform(0.8, 1.2))
    n1 = int(rng.integers(2, 7))
    wake = int(rng.integers(1, 4)) if rng.random() < 0.5 else 0
    n2 = max(length - n1 - n3 - rem - wake, 10)
    first_n2 = n2 * 2 // 3
    parts = [(N1, n1), (N2, first_n2), (N3, n3), (N2, n2 - first_n2), (REM, rem), (W, wake)]
    return np.concatenate([np.full(n, stage, dtype=np.int8) for stage, n in parts])


def stage_at(spec: SimulationSpec, seconds: NDArray[np.float64]) -> NDArray[np.int8]:
    """The sleep stage at each time (seconds from the start)."""
    stages = hypnogram(spec)
    index = np.clip((np.asarray(seconds) // EPOCH_S).astype(np.int64), 0, len(stages) - 1)
    return stages[index]


def stage_runs(spec: SimulationSpec) -> list[tuple[float, float, int]]:
    """(onset, duration, stage) of each run of equal epochs, clipped to the recording."""
    stages = hypnogram(spec)
    change = np.flatnonzero(np.diff(stages)) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(stages)]])
    return [
        (s * EPOCH_S, min(e * EPOCH_S, spec.duration_s) - s * EPOCH_S, int(stages[s]))
        for s, e in zip(starts, ends, strict=True)
    ]
