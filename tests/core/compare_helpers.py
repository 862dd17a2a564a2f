"""Simulated pre/post pairs for the comparison tests (computed from arrays, no files)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from app.core.compare import (
    RecordingMetrics,
    array_source,
    compute_metrics,
    epoch_features,
    seizure_epochs,
)
from app.core.simulate import SCALP_19, SimulationSpec, channel_truth, generate, seeg_channels

#: Three shafts of the demo implantation (fast): 30 contacts, the onset on B'1-B'3.
SHAFTS = (("A'", 10), ("B'", 12), ("TP'", 8))
TREATED = ("B'1", "B'2", "B'3")


def seeg_pair(duration_s: float = 600.0) -> tuple[SimulationSpec, SimulationSpec]:
    """The demo SEEG before and after coagulating B'1-B'3 (the post recording is another
    day: another seed, same seizure and spike foci)."""
    pre = replace(SimulationSpec.seeg_demo(duration_s, seed=0), channels=seeg_channels(SHAFTS))
    post = replace(pre, seed=1).silenced(TREATED)
    return pre, post


def scalp_pair(duration_s: float = 600.0) -> tuple[SimulationSpec, SimulationSpec]:
    """Scalp EEG with frequent left fronto-temporal spikes, then after medication (15x fewer)."""
    pre = SimulationSpec(
        duration_s=duration_s,
        channels=SCALP_19,
        spikes_per_hour=900.0,
        spike_channels=("F7", "T7"),
        seed=0,
    )
    return pre, replace(pre, seed=1, spikes_per_hour=60.0)


def metrics_of(
    spec: SimulationSpec,
    *,
    label: str,
    seed: int,
    names: tuple[str, ...] | None = None,
    with_truth: bool = False,
) -> RecordingMetrics:
    """Metrics of a simulated recording; ``with_truth`` uses the simulator's per-channel
    seizure truth as the model's channel probability (a perfect model)."""
    data = generate(spec, 0.0, spec.duration_s)
    chosen = names or spec.channels
    rows = [spec.channels.index(n) for n in chosen]
    source = array_source(data[rows], chosen, spec.sfreq, kind=spec.kind, label=label)
    features = epoch_features(source)
    seizure = None
    if with_truth:
        truth = channel_truth(spec).astype(np.float32)
        seizure = seizure_epochs(
            truth, spec.channels, chosen, n_epochs=features.n_epochs, epoch_s=features.epoch_s
        )
    kind = "seeg" if spec.kind == "seeg" else "scalp"
    return compute_metrics(
        features,
        kind=kind,
        label=label,
        seizure=seizure,
        model="truth" if with_truth else None,
        seed=seed,
    )
