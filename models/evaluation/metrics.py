"""Metrics: AUROC (rank-based, ties averaged) and event-based scoring with timescoring.

Event scoring follows the SzCORE conventions (timescoring's defaults): a detection counts if
it overlaps a true seizure extended by 30 s before and 60 s after; events closer than 90 s
are merged and events longer than 5 min are split. False alarms are reported per 24 h.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata


def auroc(labels: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    """Area under the ROC curve; NaN when only one class is present."""
    y = np.asarray(labels).astype(bool).ravel()
    s = np.asarray(scores, dtype=np.float64).ravel()
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(s)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@dataclass(frozen=True, slots=True)
class EventScore:
    sensitivity: float
    precision: float
    f1: float
    fp_per_24h: float
    true_events: int
    detected_events: int
    hours: float

    def as_dict(self) -> dict[str, float]:
        return {
            "sensitivity": self.sensitivity,
            "precision": self.precision,
            "f1": self.f1,
            "fp_per_24h": self.fp_per_24h,
            "true_events": float(self.true_events),
            "detected_events": float(self.detected_events),
            "hours": self.hours,
        }


def event_score(
    truth: list[npt.NDArray[np.bool_]], detected: list[npt.NDArray[np.bool_]]
) -> EventScore:
    """Pooled event-based score over recordings of per-second truth/detection masks."""
    # timescoring is an evaluation-only dependency: imported when scoring runs.
    from timescoring.annotations import Annotation  # noqa: PLC0415
    from timescoring.scoring import EventScoring  # noqa: PLC0415

    tp = fp = n_ref = n_hyp = 0
    seconds = 0
    for ref_mask, hyp_mask in zip(truth, detected, strict=True):
        ref = Annotation(np.asarray(ref_mask, dtype=bool), 1)
        hyp = Annotation(np.asarray(hyp_mask, dtype=bool), 1)
        score = EventScoring(ref, hyp)
        tp += int(score.tp)
        fp += int(score.fp)
        n_ref += int(score.refTrue)
        n_hyp += int(score.tp + score.fp)
        seconds += len(ref_mask)
    sens = tp / n_ref if n_ref else float("nan")
    prec = tp / n_hyp if n_hyp else float("nan")
    f1 = 2 * sens * prec / (sens + prec) if n_ref and n_hyp and (sens + prec) > 0 else 0.0
    fp24 = fp / (seconds / 86400.0) if seconds else float("nan")
    return EventScore(sens, prec, f1, fp24, n_ref, n_hyp, seconds / 3600.0)
