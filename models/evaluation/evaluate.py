"""``ictal train evaluate``: held-out metrics of checkpoints and the classic baseline, one run.

- Synthetic held-out recordings (simulator seeds never used in training): event-based
  sensitivity / precision / F1 / false alarms per 24 h (timescoring, SzCORE conventions),
  second-level AUROC, channel-level AUROC and ECAM onset localisation.
- Real held-out splits (Bonn, Helsinki, SPaRCNet test splits of the held-out fold): segment
  AUROC of every checkpoint, the baseline and the peer ``brainmaze-eeg-models``; with
  ``cv_checkpoints``, K-fold cross-validation of the recipe (mean ± sd over folds, pooled).
- Speed: the first checkpoint and the peer on one synthetic recording (s per channel-hour).
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
from models.data.window import Window, WindowSource
from models.evaluation.baseline import LineLengthBaseline
from models.evaluation.metrics import auroc, event_score
from models.evaluation.peer import MODEL as PEER_MODEL
from models.evaluation.peer import PeerScorer, PeerUnavailable
from models.evaluation.real import (
    BASELINE,
    PEER,
    baseline_probs,
    cross_validate,
    fit_group_baselines,
    score_fold,
)
from models.evaluation.timing import run_timing
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
PEER_PROCEDURE = (
    "rate kept if an even integer >= 200 Hz (SPaRCNet 200 Hz), else resampled to 256 Hz "
    "(Bonn 173.61 Hz, Helsinki 64 Hz); windows shorter than 300 s centred in 300 s of NaN "
    "(the package's 'missing data'), outside the 300-s background context it was designed "
    "for; per-second probability of the 1-s segment, max over channels; mean over the "
    "labelled seconds of a segment"
)
BASELINE_TEXT = (
    "logistic regression on line length + band powers of the normalised signal and two "
    "absolute-amplitude features (log robust scale, log absolute line length), mean/max over "
    "channels, fitted per dataset on that dataset's training split (favours the baseline)"
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


def _smooth(prob: F64) -> F64:
    kernel = np.ones(SMOOTH_S) / SMOOTH_S
    return np.convolve(prob, kernel, mode="same")


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
    peer: PeerScorer | None,
) -> dict[str, dict[str, Any]]:
    """Segment AUROC of every checkpoint, the baseline and the peer on the held-out fold."""
    out: dict[str, dict[str, Any]] = {name: {} for name in detectors}
    for dataset, methods in score_fold(cfg.data, detectors, baselines, peer).items():
        base = methods[BASELINE]
        for name in detectors:
            out[name][f"real/{dataset}/segment_auroc"] = {
                "model": methods[name].auroc(),
                "baseline": base.auroc(),
                "peer": methods[PEER].auroc() if PEER in methods else None,
                "n_segments": len(base.y),
                "n_seizure": int(sum(base.y)),
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
    base_probs = [baseline_probs(base, w) for w in windows]
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


def _peer(cfg: EvaluateConfig) -> tuple[PeerScorer | None, str]:
    if not cfg.peer:
        return None, "not run (peer disabled in the config)"
    try:
        scorer = PeerScorer(resolve(cfg.peer_cache), cfg.threads)
    except PeerUnavailable as exc:
        log.warning("peer not run: %s", exc)
        return None, f"not run: {exc}"
    return scorer, f"brainmaze-eeg-models {PEER_MODEL}, run in this evaluation; {PEER_PROCEDURE}"


def run_evaluate(cfg: EvaluateConfig, synthetic: Mapping[str, WindowSource]) -> dict[str, Any]:
    """Evaluate every checkpoint of ``cfg``, the baseline and the peer; returns the metrics."""
    torch.set_num_threads(max(1, cfg.threads))
    references = [p for p in cfg.references if (resolve(p) / "config.json").is_file()]
    for missing in sorted(set(cfg.references) - set(references)):
        log.warning("reference checkpoint %s not found; skipped", missing)
    paths = (*cfg.checkpoints, *references)
    detectors = {checkpoint_label(p): load_detector(resolve(p), "auto") for p in paths}
    baselines = fit_baselines(cfg, synthetic)
    peer, peer_status = _peer(cfg)
    metrics = _real_metrics(cfg, detectors, baselines, peer)
    source = synthetic.get("test")
    windows = list(source.windows()) if source is not None else []
    if windows and "synthetic" in baselines:
        base = baselines["synthetic"]
        for name, values in _synthetic_metrics(cfg, windows, detectors, base).items():
            metrics[name].update(values)
    result: dict[str, Any] = {
        "checkpoints": {
            name: {"sha256": det.sha256, "metrics": metrics[name]}
            for name, det in detectors.items()
        },
        "held_out_fold": cfg.data.fold,
        "peer": peer_status,
        "notes": [NO_REAL_EVENTS],
        "baseline": BASELINE_TEXT,
    }
    cv = [load_detector(resolve(p), "auto") for p in cfg.cv_checkpoints]
    if cv:
        result["cv"] = {
            "label": cfg.cv_label,
            "folds": len(cv),
            "results": cross_validate(cfg.data, cv, peer, cfg.cv_label),
        }
    if peer is not None:
        peer.save()
    if windows and cfg.timing_hours > 0 and detectors:
        first = next(iter(detectors.values()))
        result["timing"] = run_timing(first, windows, cfg.timing_channels, cfg.timing_hours)
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
    return fit_group_baselines(examples)
