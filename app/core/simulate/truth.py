"""Ground truth of a synthetic recording: annotations and per-channel, per-second seizure maps.

``truth_annotations`` gives what an ideal reviewer would mark: each seizure ("Seizure:
focal left_temporal" with the channels it involved), each interictal spike with its
channels, optionally artefacts and sleep stages. ``channel_truth`` says which channels are
ictal in each second: the target of the model's channel activation map (ECAM).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from app.core.annotation import Annotation
from app.core.channels import canonical_electrode, electrodes_of
from app.core.simulate.context import context
from app.core.simulate.events import all_events, event_gain
from app.core.simulate.seizures import ICTAL_THRESHOLD, ictal_mask, plans, seizure_channels
from app.core.simulate.sleep import STAGE_NAMES, stage_runs

if TYPE_CHECKING:
    from app.core.simulate.spec import SimulationSpec

SOURCE = "simulator"
_ARTEFACT_TEXT = {
    "blink": "Artefact: eye blink",
    "muscle": "Artefact: muscle",
    "pop": "Artefact: electrode pop",
}


def truth_annotations(
    spec: SimulationSpec,
    *,
    spikes: bool = True,
    artefacts: bool = False,
    sleep_stages: bool = False,
) -> list[Annotation]:
    """The simulated events as annotations, sorted by onset (source ``"simulator"``)."""
    out = [
        Annotation(
            onset=s.onset_s,
            duration=s.duration_s,
            description=s.description,
            channels=seizure_channels(spec, i),
            source=SOURCE,
        )
        for i, s in enumerate(spec.seizures)
    ]
    if spikes:
        out += _event_annotations(spec, "spike", "Spike")
    if artefacts:
        for kind, text in _ARTEFACT_TEXT.items():
            out += _event_annotations(spec, kind, text)
    if sleep_stages and spec.sleep:
        out += [
            Annotation(onset, duration, f"Sleep stage {STAGE_NAMES[stage]}", (), SOURCE)
            for onset, duration, stage in stage_runs(spec)
        ]
    return sorted(out, key=lambda a: (a.onset, a.description))


def _event_annotations(spec: SimulationSpec, kind: str, text: str) -> list[Annotation]:
    ctx = context(spec)
    fs = spec.sfreq
    out = []
    for ev in all_events(spec, kind):
        gain = np.abs(event_gain(spec, ctx, ev))
        rows = np.flatnonzero(gain >= ICTAL_THRESHOLD)
        if len(rows) == 0:
            continue  # e.g. a spike whose focus was silenced by treatment
        order = rows[np.argsort(-gain[rows], kind="stable")]
        duration = ev.param + 0.3 if kind == "spike" else ev.length / fs
        out.append(
            Annotation(
                onset=ev.onset / fs,
                duration=round(min(duration, ev.length / fs), 4),
                description=text,
                channels=tuple(ctx.names[r] for r in order),
                source=SOURCE,
            )
        )
    return out


def channel_truth(
    spec: SimulationSpec,
    channel_names: Sequence[str] | None = None,
    seconds: int | Sequence[int] | NDArray[Any] | None = None,
) -> NDArray[np.bool_]:
    """(n_channels, n_seconds): True where a channel is ictal during that second.

    A second ``s`` counts as ictal for a channel when, at its midpoint ``s + 0.5``, a
    seizure is under way and the channel's field is at least 0.5. ``channel_names``
    defaults to the recording's channels; a bipolar name (``Fp1-F7``) is ictal when
    either electrode is; unknown names are never ictal. ``seconds`` is a count from 0
    (default: the whole recording) or explicit second indices.
    """
    ctx = context(spec)
    names = ctx.names if channel_names is None else tuple(channel_names)
    if seconds is None:
        seconds = int(np.ceil(spec.duration_s))
    secs = np.arange(seconds) if isinstance(seconds, int) else np.asarray(seconds, dtype=np.int64)
    mids = secs.astype(np.float64) + 0.5
    per_channel = np.zeros((len(ctx.names), len(mids)), dtype=bool)
    for plan in plans(spec):
        near = (mids * spec.sfreq >= plan.onset) & (mids * spec.sfreq < plan.onset + plan.length)
        if near.any():
            per_channel[:, near] |= ictal_mask(spec, plan, mids[near])
    index = {canonical_electrode(name): i for i, name in enumerate(ctx.names)}
    out = np.zeros((len(names), len(mids)), dtype=bool)
    for row, name in enumerate(names):
        parts = (name,) if canonical_electrode(name) in index else electrodes_of(name)
        for part in map(canonical_electrode, parts):
            if part in index:
                out[row] |= per_channel[index[part]]
    return out
