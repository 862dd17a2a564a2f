"""MODEL_CARD.md for a checkpoint: architecture, data with credits, metrics, limitations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from models.checkpoint import Manifest
from models.config import ModelConfig
from models.data.registry import CREDITS

LIMITATIONS = """\
- **Not a medical device.** Research software; every detection must be reviewed by a
  qualified clinician. It must not be used to make or exclude a diagnosis.
- Very little real labelled multichannel seizure EEG was available for training: Bonn
  (single-channel segments), Helsinki neonatal 1-s windows (decimated 256 -> 64 Hz
  **without an anti-alias filter**), and 24 SPaRCNet ICU segments. Most seizure examples,
  and all per-channel (ECAM) supervision, come from the project's simulator. Only Helsinki
  can be split by patient (babies recovered from the annotation files); Bonn is split by
  segment (the subject mapping is unpublished), SPaRCNet by sample number.
- No real continuous recordings with seizures were available here, so there is no real
  event-based (SzCORE) evaluation; event metrics are on synthetic recordings only.
- Real test sets are tiny: read the K-fold table (mean ± sd over folds, pooled out-of-fold
  AUROC) rather than one fold. SPaRCNet folds hold 0-2 seizures each: anecdotal.
- On Bonn a line-length/band-power baseline fitted on Bonn alone is as good as the detector
  (both near 1.0, see the K-fold table): the detector does not beat it there.
- Helsinki windows are the *first second* of each neonatal seizure against random seconds of
  seizure-free babies, so class and baby are confounded (the seizure class has the lower
  amplitude). Patient-wise, every method stays only modestly above chance on it; it says
  little about detection in continuous neonatal EEG.
- The amplitude feature assumes µV input. Bonn is stored in ADC units and treated as µV.
- The pattern head (LPD, GPD, LRDA, GRDA) saw 18 real segments: treat its scores as
  uncalibrated hints. The seizure-type head was trained on simulated seizure types only.
- Input is normalised per channel over the page passed to `predict`; pages shorter than
  about 2 minutes lose the amplitude contrast between seizure and background.
- Trained, evaluated and timed on CPUs only: no GPU was available to the training runs.
  The CUDA (AMP) and multi-GPU (torchrun/DDP) paths are implemented; DDP was exercised on
  CPU (two gloo processes), CUDA and AMP not on real hardware.
"""


def _metrics_table(metrics: Mapping[str, Any]) -> str:
    rows = [
        "| data | split | metric | this model | baseline | peer | segments (seizure) |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, value in sorted(metrics.items()):
        if not isinstance(value, Mapping) or "model" not in value:
            continue
        origin, _, rest = key.partition("/")
        dataset, _, metric = rest.rpartition("/")
        count = "-"
        if "n_segments" in value:
            count = f"{value['n_segments']} ({value.get('n_seizure', '?')})"
        rows.append(
            f"| {origin} | {dataset or '-'} | {metric} | {_num(value['model'])} "
            f"| {_num(value.get('baseline'))} | {_num(value.get('peer'))} | {count} |"
        )
    return "\n".join(rows) if len(rows) > 2 else "_not evaluated yet_"


STAGE_TEXT = {
    "pretrain": "self-supervised: VQ tokenizer (codebook of 1-s patch spectra), then masked "
    "token prediction with brain-region masks (all channels of a lobe) + random patch masks",
    "finetune": "supervised: per-channel labels (simulator) train the ECAM; recording-level "
    "labels (real corpora) train the pooled output; SPaRCNet votes train the pattern head",
    "distill": "logit + feature distillation from the teacher, plus the supervised loss",
}

COMPARED = (
    "real/bonn/segment_auroc",
    "real/helsinki/segment_auroc",
    "real/sparcnet/segment_auroc",
    "synthetic/test/second_auroc",
    "synthetic/test/channel_auroc",
    "synthetic/test/event_f1",
    "synthetic/test/event_fp_per_24h",
    "synthetic/test/ecam_onset_hit_rate",
)


def _comparison_table(comparison: Mapping[str, Mapping[str, float]]) -> str:
    names = list(comparison)
    rows = ["| metric | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for key in COMPARED:
        values = [_num(comparison[n].get(key)) for n in names]
        rows.append(f"| {key} | " + " | ".join(values) + " |")
    return "\n".join(rows)


def _cv_table(cv: Mapping[str, Any]) -> str:
    """K-fold table: per dataset and method, fold AUROCs, mean ± sd and pooled AUROC."""
    results: Mapping[str, Any] = cv.get("results", {})
    rows = [
        "| data | method | AUROC per fold | mean ± sd | pooled | segments (seizure) |",
        "|---|---|---|---|---|---|",
    ]
    for dataset, methods in results.items():
        for method, r in methods.items():
            folds = " / ".join(_num(v) for v in r["folds"])
            rows.append(
                f"| {dataset} | {method} | {folds} | {_num(r['mean'])} ± {_num(r['sd'])} "
                f"| {_num(r['pooled'])} | {r['n_segments']} ({r['n_seizure']}) |"
            )
    return "\n".join(rows)


def _timing_text(timing: Mapping[str, Any]) -> str:
    peer = timing.get("peer_s_per_channel_hour")
    peer_text = f"{peer:.2f} s per channel-hour" if peer is not None else timing.get("peer", "-")
    return (
        f"On {timing['recording']}, {timing['threads']} CPU threads (machine load average "
        f"{timing.get('load_average_1min', float('nan')):.1f}): `{timing['model']}` "
        f"{timing['model_s_per_channel_hour']:.3f} s per channel-hour "
        f"({timing['model_seconds']:.1f} s in all); peer `brainmaze-eeg-models` {peer_text}."
    )


def _evaluation_extras(
    cv: Mapping[str, Any] | None, timing: Mapping[str, Any] | None, peer: str | None
) -> str:
    parts = []
    if peer:
        parts.append(f"Peer `brainmaze-eeg-models`: {peer}.")
    if cv:
        parts.append(
            f"### {cv.get('folds', '?')}-fold cross-validation of this recipe on the real corpora"
            "\nEach fold's model was trained with that fold held out (same config otherwise); "
            "the baseline is refitted on every fold's training split; the peer is not trained.\n\n"
            + _cv_table(cv)
        )
    if timing:
        parts.append("### Speed\n" + _timing_text(timing))
    return "\n\n".join(parts) + ("\n" if parts else "")


def _num(value: Any) -> str:
    if isinstance(value, int | float):
        return f"{value:.3f}"
    return "-" if value is None else str(value)


def render_card(
    config: ModelConfig,
    manifest: Manifest,
    n_params: int,
    metrics: Mapping[str, Any] | None,
    *,
    comparison: Mapping[str, Mapping[str, float]] | None = None,
    descriptions: Mapping[str, str] | None = None,
    cv: Mapping[str, Any] | None = None,
    timing: Mapping[str, Any] | None = None,
    peer: str | None = None,
) -> str:
    """Markdown model card for a checkpoint (``comparison``: other models, same run)."""
    amplitude = (
        "\n  + absolute-amplitude embedding (log of the per-channel scale the page was "
        "normalised by, µV)"
        if config.amplitude_embedding
        else ""
    )
    stages = "\n".join(f"  - {s}: {STAGE_TEXT.get(s, s)}" for s in manifest.stages)
    compared = ""
    if comparison and len(comparison) > 1:
        legend = "".join(f"- `{name}`: {text}\n" for name, text in (descriptions or {}).items())
        compared = (
            "\n### Every model of the same evaluation run (same test data, same baseline)\n"
            + _comparison_table(comparison)
            + "\n\n"
            + legend
        )
    credits = "\n".join(
        f"- {CREDITS.get(d, d)}"
        + (f" — split: {manifest.splits[d]}" if manifest.splits.get(d) else "")
        for d in manifest.datasets
        if d != "synthetic"
    )
    return f"""# {config.name} {config.version}

Seizure detector of Ictal (channel-agnostic EEG encoder). **Not a medical device.**

## Architecture
- Input: any number of EEG/SEEG channels, resampled to {config.sfreq} Hz, 0.5 Hz high-pass,
  robust per-channel normalisation; 1-s patches; context windows of {config.context_s} s every
  {config.hop_s} s at inference.
- Token = temporal convolution ({config.conv_channels} filters, 2 strided layers) + log-FFT
  magnitude embedding; + electrode-position embedding (standard 10-20 coordinates, bipolar
  midpoints, learned "unknown" for SEEG/unmapped) + brain-region embedding + time
  embedding{amplitude}.
- {config.n_layers} axial layers (attention across channels within a second, then across
  seconds within a channel), d_model {config.d_model}, {config.n_heads} heads, FF x{config.ff_mult}.
- Heads: per-channel per-second seizure logit (the ECAM); recording-level logit = log-mean-exp
  of channel logits (temperature {config.pool_temperature}); ICU pattern head
  ({", ".join(config.pattern_classes)}); seizure-type head ({", ".join(config.type_classes)}).
- Parameters: **{n_params:,}**.

## Training data
- Real: {manifest.real_hours:.3f} h; synthetic (simulator): {manifest.synthetic_hours:.3f} h.
- Heads trained: {", ".join(manifest.heads_trained) or "-"}. Stages:
{stages or "- none"}
{credits or "- no real data"}
- Synthetic recordings: Ictal's EEG simulator (app.core.simulate), per-channel ground truth.

## Metrics (held-out; real and synthetic reported separately)
{_metrics_table(metrics or {})}
{compared}
{_evaluation_extras(cv, timing, peer)}
Baseline: logistic regression on line length and log band powers (delta..gamma) of the
normalised signal plus two absolute-amplitude features (log robust scale, log absolute line
length), mean and max over channels, fitted per dataset on that dataset's training split of
the same fold, in the same evaluation run.

## Limitations
{LIMITATIONS}
## Files
`config.json` (architecture + SHA-256 of the weights), `model.safetensors`, `manifest.json`
(training data), this card. {manifest.notes}
"""
