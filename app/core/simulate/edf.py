"""Write a synthetic recording to EDF+, with its ground truth as annotations."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.core.channels import ChannelType
from app.core.edf_writer import (
    EdfChannel,
    EdfPatient,
    EdfRecordingInfo,
    EdfWriteResult,
    write_edf_plus,
)
from app.core.simulate.context import context
from app.core.simulate.generator import generate
from app.core.simulate.truth import truth_annotations

if TYPE_CHECKING:
    from app.core.simulate.spec import SimulationSpec

#: Physical ranges giving exactly 0.1 µV (scalp) and 0.25 µV (SEEG) per digital step.
SCALP_RANGE = (-3276.8, 3276.7)
SEEG_RANGE = (-8192.0, 8191.75)
_TRANSDUCER = {ChannelType.EEG: "AgAgCl electrode", ChannelType.SEEG: "depth electrode"}


def edf_channels(spec: SimulationSpec) -> list[EdfChannel]:
    """The EDF signal headers of ``spec``: labels are the channel names, ranges in µV."""
    ctx = context(spec)
    low, high = SEEG_RANGE if spec.kind == "seeg" else SCALP_RANGE
    return [
        EdfChannel(name, low, high, "uV", _TRANSDUCER.get(kind, ""), "none (synthetic)")
        for name, kind in zip(ctx.names, ctx.types, strict=True)
    ]


def write_edf(
    spec: SimulationSpec,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    spikes: bool = True,
    artefacts: bool = False,
    sleep_stages: bool = False,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> EdfWriteResult:
    """Stream ``spec`` into a new EDF+ file with the truth annotations (minute by minute)."""
    return write_edf_plus(
        path,
        channels=edf_channels(spec),
        sfreq=spec.sfreq,
        duration_s=spec.duration_s,
        chunk=lambda start, duration: generate(spec, start, duration),
        start=spec.start,
        annotations=truth_annotations(
            spec, spikes=spikes, artefacts=artefacts, sleep_stages=sleep_stages
        ),
        patient=EdfPatient(code=f"SIM-{spec.seed}", name="Synthetic"),
        recording=EdfRecordingInfo(admin_code=f"seed-{spec.seed}", equipment="Ictal_simulator"),
        overwrite=overwrite,
        progress=progress,
        should_stop=should_stop,
    )
