"""``ictal train evaluate``: held-out metrics of checkpoints and the classic baseline, one run.

- Synthetic held-out recordings (simulator seeds never used in training): event-based
  sensitivity / precision / F1 / false alarms per 24 h (timescoring, SzCORE conventions),
  second-level AUROC, channel-level AUROC and ECAM onset localisation.
- Real held-out splits (Bonn, Helsinki, SPaRCNet test splits): segment AUROC.
- No real continuous recordings with seizures are available here, so there is no real
  event-based score; the report says so instead of inventing one.
Models are run through ``models.api`` (the same path as the app), on pages of
``ANALYSIS_PAGE_S`` seconds. Probabilities are smoothed over 5 s and thresholded at
``threshold`` for events, identically for the model and the baseline.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from models.api import Detector, load_detector
from models.config import ANALYSIS_PAGE_S
from models.data.registry import real_windows
from models.data.window import Window, WindowSource
from models.evaluation.baseline import LineLengthBaseline, fit_baseline
from models.evaluation.metrics import auroc, event_score
from models.preprocess import prepare
from models.training.config import EvaluateConfig, resolve
from models.training.examples import build_examples
from models.training.sources import stage_windows

log = logging.getLogger(__name__)
F64 = npt.NDArray[np.float64]
SMOOTH_S = 5
NO_REAL_EVENTS = (
    "no real continuous recordings with seizures are available in ../shared/data "
    "(CHB-MIT/Siena are 2-s noise fixtures), so no real event-based score"
)


def _paged(detector: Detector, w: Window) -> tuple[F64, F64]:
    """(prob (S,), channel_prob (C, S)) predicted page by page like the app does."""
    page = int(ANALYSIS_PAGE_S * w.sfreq)
    probs, chans = [], []
    for start in range(0, w.x.shape[1], page):
        chunk = w.x[:, start : start + page]
        if chunk.shape[1] < w.sfreq:
            break
        pred = detector.predict(chunk, w.channel_names, w.sfreq)
        probs.append(pred.prob)
        chans.append(pred.channel_prob)
    prob = np.concatenate(probs)[: w.n_seconds].astype(np.float64)
    return prob, np.concatenate(chans, axis=1)[:, : w.n_seconds].astype(np.float64)


def _baseline_probs(base: LineLengthBaseline, w: Window) -> F64:
    return base.predict(prepare(w.x, w.sfreq))[: w.n_seconds]


def _smooth(prob: F64) -> F64:
    kernel = np.ones(SMOOTH_S) / SMOOTH_S
    return np.convolve(prob, kernel, mode="same")


def _segment_scores(prob: F64, labels: npt.NDArray[np.int8]) -> tuple[int, float] | None:
    n = min(len(prob), len(labels))
    valid = labels[:n] >= 0
    if not valid.any():
        return None
    return int(labels[:n][valid].max()), float(prob[:n][valid].mean())


def _onset_hits(
    chan_prob: F64, chan_labels: npt.NDArray[np.int8], labels: npt.NDArray[np.int8]
) -> list[bool]:
    onsets = np.flatnonzero(np.diff(np.concatenate([[0], (labels == 1).astype(int)])) == 1)
    hits = []
    for onset in onsets:
        truth = chan_labels[:, onset] == 1
        if truth.any():
            best = int(np.argmax(chan_prob[:, onset : onset + 5].mean(axis=1)))
            hits.append(bool(truth[best]))
    return hits


def _real_metrics(
    cfg: EvaluateConfig,
    detectors: Mapping[str, Detector],
    baselines: Mapping[str, LineLengthBaseline],
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {name: {} for name in detectors}
    for dataset in cfg.data.real:
        windows = real_windows(dataset, resolve(cfg.data.data_root), "test")
        base = baselines.get(dataset)
        if not windows or base is None:
            continue
        base_pairs = [_segment_scores(_baseline_probs(base, w), w.labels) for w in windows]
        for name, det in detectors.items():
            pairs = [
                _segment_scores(
                    det.predict(w.x, w.channel_names, w.sfreq).prob.astype(np.float64), w.labels
                )
                for w in windows
            ]
            y = [p[0] for p in pairs if p is not None]
            out[name][f"real/{dataset}/segment_auroc"] = {
                "model": auroc(y, [p[1] for p in pairs if p is not None]),
                "baseline": auroc(y, [p[1] for p in base_pairs if p is not None]),
                "n_segments": len(y),
                "n_seizure": int(sum(y)),
            }
    return out


def _synthetic_metrics(
    cfg: EvaluateConfig,
    windows: Sequence[Window],
    detectors: Mapping[str, Detector],
    base: LineLengthBaseline,
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    truth = [w.labels == 1 for w in windows]
    base_probs = [_baseline_probs(base, w) for w in windows]
    base_events = event_score(truth, [_smooth(p) >= cfg.threshold for p in base_probs])
    base_auc = auroc(np.concatenate(truth), np.concatenate(base_probs))
    for name, det in detectors.items():
        preds = [_paged(det, w) for w in windows]
        events = event_score(truth, [_smooth(p) >= cfg.threshold for p, _ in preds])
        metrics: dict[str, Any] = {
            f"synthetic/test/event_{k}": {"model": v, "baseline": base_events.as_dict()[k]}
            for k, v in events.as_dict().items()
        }
        metrics["synthetic/test/second_auroc"] = {
            "model": auroc(np.concatenate(truth), np.concatenate([p for p, _ in preds])),
            "baseline": base_auc,
        }
        chan_y, chan_s, hits = [], [], []
        for w, (_, cp) in zip(windows, preds, strict=True):
            if w.channel_labels is not None:
                chan_y.append(w.channel_labels.ravel() == 1)
                chan_s.append(cp.ravel())
                hits += _onset_hits(cp, w.channel_labels, w.labels)
        if chan_y:
            metrics["synthetic/test/channel_auroc"] = {
                "model": auroc(np.concatenate(chan_y), np.concatenate(chan_s)),
                "baseline": None,
            }
            metrics["synthetic/test/ecam_onset_hit_rate"] = {
                "model": float(np.mean(hits)) if hits else float("nan"),
                "baseline": None,
            }
        out[name] = metrics
    return out


def run_evaluate(cfg: EvaluateConfig, synthetic: Mapping[str, WindowSource]) -> dict[str, Any]:
    """Evaluate every checkpoint of ``cfg`` and the baseline; returns (and writes) the metrics."""
    torch.set_num_threads(max(1, cfg.threads))
    references = [p for p in cfg.references if (resolve(p) / "config.json").is_file()]
    for missing in sorted(set(cfg.references) - set(references)):
        log.warning("reference checkpoint %s not found; skipped", missing)
    paths = (*cfg.checkpoints, *references)
    detectors = {checkpoint_label(p): load_detector(resolve(p), "auto") for p in paths}
    baselines = fit_baselines(cfg, synthetic)
    metrics = _real_metrics(cfg, detectors, baselines)
    source = synthetic.get("test")
    if source is not None and "synthetic" in baselines:
        windows = list(source.windows())
        base = baselines["synthetic"]
        for name, values in _synthetic_metrics(cfg, windows, detectors, base).items():
            metrics[name].update(values)
    result: dict[str, Any] = {
        "checkpoints": {
            name: {"sha256": det.sha256, "metrics": metrics[name]}
            for name, det in detectors.items()
        },
        "notes": [NO_REAL_EVENTS, "peer brainmaze-eeg-models: not run (not installable offline)"],
        "baseline": "logistic regression on line length + band powers (mean/max over channels), "
        "fitted per dataset on that dataset's training split (favours the baseline)",
    }
    return result


def checkpoint_label(path: str) -> str:
    """A readable name for a checkpoint path (``runs/x/checkpoint`` -> ``x``)."""
    p = Path(path)
    return p.parent.name if p.name == "checkpoint" else p.name


def fit_baselines(
    cfg: EvaluateConfig, synthetic: Mapping[str, WindowSource]
) -> dict[str, LineLengthBaseline]:
    """One baseline per dataset group, fitted on that group's training examples only."""
    examples, _ = build_examples(
        stage_windows(cfg.data, "train", synthetic), cfg.data.window_s, cfg.data.norm_context_s
    )
    groups = sorted({ex.group for ex in examples})
    out = {}
    for group in groups:
        chosen = [ex for ex in examples if ex.group == group]
        out[group] = fit_baseline([ex.x for ex in chosen], [ex.labels for ex in chosen])
    return out
