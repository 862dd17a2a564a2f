"""Seizure onset type from the ECAM: focal or generalised, which side, which lobe.

At the first seconds of a detected seizure, the channel probabilities (the ECAM) say how much
of the head is involved. Few channels, on one side -> focal, lateralised, with the lobe of
the most active region; most channels on both sides -> generalised. When a trained seizure-type
head is confident it takes precedence for the focal/generalised call, and ``source`` says
which one spoke. Pure numpy: no torch needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.config import TYPE_CLASSES
from models.electrodes import ChannelGeometry, recording_geometry, region_name

GENERALISED_EXTENT = 0.6
LATERAL_ASYMMETRY = 0.2
TYPE_HEAD_MIN_SCORE = 0.6


@dataclass(frozen=True, slots=True)
class OnsetType:
    """What the onset looks like and how sure the model is (0-1); ``source`` names the evidence."""

    kind: str  # "focal" | "generalised" | "unknown"
    lateralisation: str  # "left" | "right" | "bilateral" | "midline" | "unknown"
    region: str  # "left temporal", ... or "unknown"
    lobe: str  # "temporal", ... or "unknown"
    confidence: float
    source: str  # "ECAM onset" | "type head"
    channels: tuple[str, ...]  # channels involved at onset, most active first
    type_label: str = ""  # the type head's class when it was used


def _side_scores(
    probs: npt.NDArray[np.float64], geoms: Sequence[ChannelGeometry]
) -> tuple[float, float]:
    left = [p for p, g in zip(probs, geoms, strict=True) if g.side == "left"]
    right = [p for p, g in zip(probs, geoms, strict=True) if g.side == "right"]
    return (float(np.mean(left)) if left else 0.0, float(np.mean(right)) if right else 0.0)


def _best_region(
    probs: npt.NDArray[np.float64], geoms: Sequence[ChannelGeometry]
) -> tuple[int, float]:
    by_region: dict[int, list[float]] = {}
    for p, g in zip(probs, geoms, strict=True):
        region = g.region
        if region:
            by_region.setdefault(region, []).append(float(p))
    if not by_region:
        return 0, 0.0
    region = max(by_region, key=lambda r: float(np.mean(by_region[r])))
    return region, float(np.mean(by_region[region]))


def _lateralisation(left: float, right: float, involved: Sequence[ChannelGeometry]) -> str:
    if left + right <= 0:
        sides = {g.side for g in involved}
        return "midline" if sides == {"midline"} else "unknown"
    asym = (left - right) / (left + right)
    if asym > LATERAL_ASYMMETRY:
        return "left"
    if asym < -LATERAL_ASYMMETRY:
        return "right"
    return "bilateral"


def onset_type(
    channel_prob: npt.NDArray[np.floating],
    channel_names: Sequence[str],
    onset_second: int,
    *,
    window_s: int = 3,
    type_scores: npt.NDArray[np.floating] | None = None,
    type_head_trained: bool = False,
) -> OnsetType:
    """Classify a seizure onset from ``channel_prob`` (n_ch, n_seconds) at ``onset_second``."""
    cp = np.asarray(channel_prob, dtype=np.float64)
    start = int(np.clip(onset_second, 0, max(cp.shape[1] - 1, 0)))
    probs = cp[:, start : start + window_s].mean(axis=1)
    names = list(channel_names)
    peak = float(probs.max()) if probs.size else 0.0
    if peak < 0.2:
        return OnsetType("unknown", "unknown", "unknown", "unknown", 0.0, "ECAM onset", ())
    order = np.argsort(-probs)
    involved_mask = (probs >= 0.5 * peak) & (probs >= 0.25)
    involved = tuple(names[i] for i in order if involved_mask[i])
    extent = len(involved) / len(names)
    geoms = recording_geometry(names)
    left, right = _side_scores(probs, geoms)
    side = _lateralisation(left, right, [geoms[i] for i in order if involved_mask[i]])
    region, region_mean = _best_region(probs, geoms)
    lobe = region_name(region).split(" ")[-1]
    generalised = extent >= GENERALISED_EXTENT and side in ("bilateral", "midline", "unknown")
    if generalised:
        kind, confidence = "generalised", peak * extent
    else:
        rest = probs[~involved_mask]
        contrast = (region_mean - (float(rest.mean()) if rest.size else 0.0)) / peak
        kind, confidence = "focal", peak * float(np.clip(contrast, 0.0, 1.0)) * (1.0 - extent)
    source, label = "ECAM onset", ""
    if type_head_trained and type_scores is not None:
        scores = np.asarray(type_scores, dtype=np.float64)
        scores = scores[start : start + window_s].mean(axis=0) if scores.ndim == 2 else scores
        best = int(np.argmax(scores))
        if scores[best] >= TYPE_HEAD_MIN_SCORE:
            label = TYPE_CLASSES[best]
            kind = "focal" if label == "focal" else "generalised"
            source, confidence = "type head", float(scores[best])
    return OnsetType(
        kind,
        side,
        region_name(region),
        lobe,
        float(np.clip(confidence, 0.0, 1.0)),
        source,
        involved,
        label,
    )
