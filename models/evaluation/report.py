"""Write evaluation results: a JSON file, and optionally the metrics into model cards.

Updating a card rewrites ``MODEL_CARD.md`` and the ``metrics`` of ``manifest.json`` only;
``model.safetensors`` and its SHA-256 in ``config.json`` are untouched.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from models import jsonconfig
from models.checkpoint import CARD_FILE, MANIFEST_FILE, build_model, read_checkpoint
from models.evaluation.evaluate import checkpoint_label
from models.network import count_parameters
from models.training.card import render_card
from models.training.config import EvaluateConfig, resolve


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def flat_model_metrics(metrics: dict[str, Any]) -> dict[str, float]:
    """``{"real/bonn/segment_auroc": 0.97, ...}``: the model's own numbers, finite only."""
    out: dict[str, float] = {}
    for key, value in metrics.items():
        number = value.get("model") if isinstance(value, dict) else None
        if isinstance(number, int | float) and math.isfinite(number):
            out[key] = float(number)
    return out


def update_card(
    folder: Path,
    metrics: dict[str, Any],
    comparison: dict[str, dict[str, float]] | None = None,
    descriptions: dict[str, str] | None = None,
    extras: dict[str, Any] | None = None,
) -> None:
    """Re-render a checkpoint's card and manifest metrics from evaluation results."""
    checkpoint = read_checkpoint(folder)
    manifest = replace(checkpoint.manifest, metrics=flat_model_metrics(metrics))
    (folder / MANIFEST_FILE).write_text(jsonconfig.dumps(manifest), encoding="utf-8")
    n_params = count_parameters(build_model(checkpoint))
    card = render_card(
        checkpoint.config,
        manifest,
        n_params,
        metrics,
        comparison=comparison,
        descriptions=descriptions,
        cv=(extras or {}).get("cv"),
        timing=(extras or {}).get("timing"),
        peer=(extras or {}).get("peer"),
    )
    (folder / CARD_FILE).write_text(card, encoding="utf-8")


def write_results(cfg: EvaluateConfig, result: dict[str, Any]) -> dict[str, Any]:
    """Write ``cfg.out`` (JSON) and, when asked, update the evaluated checkpoints' cards."""
    clean: dict[str, Any] = _clean(result)
    out = resolve(cfg.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(clean, indent=2) + "\n", encoding="utf-8")
    if cfg.update_cards:
        comparison = {
            label: flat_model_metrics(entry["metrics"])
            for label, entry in clean["checkpoints"].items()
        }
        for path in cfg.checkpoints:
            label = checkpoint_label(path)
            metrics = clean["checkpoints"][label]["metrics"]
            extras = {"timing": clean.get("timing"), "peer": clean.get("peer")}
            if clean.get("cv", {}).get("label") == label:
                extras["cv"] = clean["cv"]
            update_card(resolve(path), metrics, comparison, cfg.descriptions, extras)
    return clean
