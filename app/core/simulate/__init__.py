"""Ictal's synthetic EEG: realistic scalp or SEEG recordings with known ground truth.

Used for the demo, tests and benchmarks. A :class:`SimulationSpec` fixes everything
(channels, rate, length, sleep, seizures, spikes, artefacts); :func:`generate` gives the
µV samples of any span (identical whether made at once or in pieces); :func:`write_edf`
streams the recording into EDF+ with the truth as annotations; :func:`truth_annotations`
and :func:`channel_truth` give the ground truth directly.
"""

from __future__ import annotations

from app.core.simulate.edf import edf_channels, write_edf
from app.core.simulate.generator import generate, generate_samples
from app.core.simulate.layout import REGIONS, SCALP_19, scalp_channels
from app.core.simulate.seeg import DEFAULT_SHAFTS, seeg_channels
from app.core.simulate.seizures import seizure_channels
from app.core.simulate.sleep import STAGE_NAMES, hypnogram
from app.core.simulate.spec import (
    ArtefactRates,
    SeizureKind,
    SeizureSpec,
    SimulationSpec,
    SimulationSpecError,
)
from app.core.simulate.truth import channel_truth, truth_annotations

__all__ = [
    "DEFAULT_SHAFTS",
    "REGIONS",
    "SCALP_19",
    "STAGE_NAMES",
    "ArtefactRates",
    "SeizureKind",
    "SeizureSpec",
    "SimulationSpec",
    "SimulationSpecError",
    "channel_truth",
    "edf_channels",
    "generate",
    "generate_samples",
    "hypnogram",
    "scalp_channels",
    "seeg_channels",
    "seizure_channels",
    "truth_annotations",
    "write_edf",
]
