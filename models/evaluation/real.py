"""Segment-level scoring on the real corpora: our models, the baseline and the peer, one fold.

A segment (a Bonn segment, a Helsinki 1-s window, the expert-labelled 10 s of a SPaRCNet
segment) gets one score per method: the mean per-second seizure probability over its labelled
seconds. AUROC over segments is the reported metric. Every method scores exactly the same
segments of the same fold.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from models.api import Detector
from models.data.registry import real_windows
from models.data.window import Window
from models.evaluation.baseline import LineLengthBaseline, fit_baseline
from models.evaluation.metrics import auroc
from models.evaluation.peer import PeerScorer
from models.preprocess import prepare_scaled
from models.training.config import DataConfig, resolve
from models.training.examples import Example, build_examples

log = logging.getLogger(__name__)
F64 = npt.NDArray[np.float64]
BASELINE = "baseline"
PEER = "peer"


@dataclass(slots=True)
class Scores:
    """Labels and scores of the segments one method was given (in the same order)."""

    y: list[int] = field(default_factory=list)
    s: list[float] = field(default_factory=list)

    def add(self, pair: tuple[int, float] | None) -> None:
        if pair is not None:
            self.y.append(pair[0])
            self.s.append(pair[1])

    def extend(self, other: Scores) -> None:
        self.y += other.y
        self.s += other.s

    def auroc(self) -> float:
        return auroc(self.y, self.s)


def segment_score(prob: F64, labels: npt.NDArray[np.int8]) -> tuple[int, float] | None:
    """(label, mean probability over labelled seconds); NaN seconds (not evaluated) skipped."""
    n = min(len(prob), len(labels))
    valid = (labels[:n] >= 0) & np.isfinite(prob[:n])
    if not (labels[:n] >= 0).any():
        return None
    score = float(prob[:n][valid].mean()) if valid.any() else 0.0
    return int(labels[:n][labels[:n] >= 0].max()), score


def baseline_probs(base: LineLengthBaseline, w: Window) -> F64:
    x, amplitude = prepare_scaled(w.x, w.sfreq)
    return base.predict(x, amplitude)[: w.n_seconds]


def fit_group_baselines(examples: Sequence[Example]) -> dict[str, LineLengthBaseline]:
    """One baseline per dataset group, fitted on that group's (training) examples only."""
    out = {}
    for group in sorted({ex.group for ex in examples}):
        chosen = [ex for ex in examples if ex.group == group]
        out[group] = fit_baseline(
            [ex.x for ex in chosen], [ex.labels for ex in chosen], [ex.log_scale for ex in chosen]
        )
    return out


def fit_real_baselines(data: DataConfig) -> dict[str, LineLengthBaseline]:
    """Baselines of the real corpora, fitted on the training split of ``data.fold``."""
    root = resolve(data.data_root)
    windows = [w for name in data.real for w in real_windows(name, root, "train", data.fold)]
    examples, _ = build_examples(windows, data.window_s, data.norm_context_s)
    return fit_group_baselines(examples)


def score_fold(
    data: DataConfig,
    detectors: Mapping[str, Detector],
    baselines: Mapping[str, LineLengthBaseline],
    peer: PeerScorer | None,
) -> dict[str, dict[str, Scores]]:
    """``{dataset: {method: Scores}}`` on the test split of ``data.fold``."""
    root = resolve(data.data_root)
    out: dict[str, dict[str, Scores]] = {}
    for dataset in data.real:
        windows = real_windows(dataset, root, "test", data.fold)
        base = baselines.get(dataset)
        if not windows or base is None:
            continue
        methods: dict[str, Scores] = {name: Scores() for name in detectors}
        methods[BASELINE] = Scores()
        if peer is not None:
            methods[PEER] = Scores()
        for w in windows:
            for name, det in detectors.items():
                prob = det.predict(w.x, w.channel_names, w.sfreq).prob.astype(np.float64)
                methods[name].add(segment_score(prob, w.labels))
            methods[BASELINE].add(segment_score(baseline_probs(base, w), w.labels))
            if peer is not None:
                methods[PEER].add(segment_score(peer.seconds(w), w.labels))
        out[dataset] = methods
    return out


def cross_validate(
    data: DataConfig, checkpoints: Sequence[Detector], peer: PeerScorer | None, label: str
) -> dict[str, Any]:
    """K-fold results: detector ``i`` was trained with fold ``i`` held out.

    Returns ``{dataset: {method: {"folds": [auroc...], "mean", "sd", "pooled",
    "n_segments", "n_seizure"}}}``; the baseline is refitted on every fold's training split.
    """
    pooled: dict[str, dict[str, Scores]] = {}
    per_fold: dict[str, dict[str, list[float]]] = {}
    for fold, detector in enumerate(checkpoints):
        fold_data = replace(data, fold=fold)
        scores = score_fold(fold_data, {label: detector}, fit_real_baselines(fold_data), peer)
        for dataset, methods in scores.items():
            for method, sc in methods.items():
                pooled.setdefault(dataset, {}).setdefault(method, Scores()).extend(sc)
                per_fold.setdefault(dataset, {}).setdefault(method, []).append(sc.auroc())
        log.info("cross-validation fold %d done", fold)
    result: dict[str, Any] = {}
    for dataset, methods in pooled.items():
        result[dataset] = {}
        for method, sc in methods.items():
            folds = per_fold[dataset][method]
            finite = [v for v in folds if np.isfinite(v)]
            result[dataset][method] = {
                "folds": folds,
                "mean": float(np.mean(finite)) if finite else float("nan"),
                "sd": float(np.std(finite, ddof=1)) if len(finite) > 1 else float("nan"),
                "pooled": sc.auroc(),
                "n_segments": len(sc.y),
                "n_seizure": int(sum(sc.y)),
            }
    return result
