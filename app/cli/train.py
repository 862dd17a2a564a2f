"""``ictal train pretrain|finetune|distill|evaluate --config FILE``: the model's training CLI.

The one place in the app allowed to import ``models.training``: it builds the synthetic data
from the app's simulator (``app.core.simulate``) and hands it to the training stages as window
sources, so the models package never imports the app. Multi-GPU: launch the same command with
``torchrun --nproc_per_node N -m app.cli.main train ...``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from app.cli.common import add_json_flag, print_json
from app.core.errors import IctalError
from app.core.simulate.generator import generate
from app.core.simulate.layout import REGIONS, scalp_channels
from app.core.simulate.seeg import seeg_channels
from app.core.simulate.spec import SeizureKind, SeizureSpec, SimulationSpec
from app.core.simulate.truth import channel_truth
from models import jsonconfig
from models.config import TYPE_CLASSES
from models.data.window import Window, WindowSource, seconds_labels
from models.errors import WeightsError
from models.evaluation.evaluate import run_evaluate
from models.evaluation.report import write_results
from models.training.config import (
    DistillConfig,
    EvaluateConfig,
    FinetuneConfig,
    PretrainConfig,
    SyntheticConfig,
)
from models.training.distill import run_distill
from models.training.finetune import run_finetune
from models.training.pretrain import run_pretrain

log = logging.getLogger(__name__)

STAGES: dict[str, type[Any]] = {
    "pretrain": PretrainConfig,
    "finetune": FinetuneConfig,
    "distill": DistillConfig,
    "evaluate": EvaluateConfig,
}
_SPLIT_OFFSET = {"train": 0, "val": 10_000, "test": 20_000}
_KIND_TYPE = {"focal": "focal", "absence": "absence", "generalized_tonic_clonic": "tonic-clonic"}
_DOUBLE_BANANA = tuple(
    [
        "Fp1-F7",
        "F7-T7",
        "T7-P7",
        "P7-O1",
        "Fp1-F3",
        "F3-C3",
        "C3-P3",
        "P3-O1",
        "Fz-Cz",
        "Cz-Pz",
        "Fp2-F4",
        "F4-C4",
        "C4-P4",
        "P4-O2",
        "Fp2-F8",
        "F8-T8",
        "T8-P8",
        "P8-O2",
    ]
)
_SEEG_SHAFTS = (("A'", 8), ("B'", 8), ("C'", 8), ("TP'", 6), ("A", 8), ("B", 8))


class TrainConfigError(IctalError):
    """A training config file cannot be read."""


class SimulatorError(IctalError):
    """The simulator could not produce a training recording."""


def _seizures(
    rng: np.random.Generator, duration: float, n: int, seeg: bool, channels: tuple[str, ...]
) -> tuple[SeizureSpec, ...]:
    kinds: tuple[SeizureKind, ...] = (
        ("focal",) if seeg else ("focal", "focal", "focal", "absence", "generalized_tonic_clonic")
    )
    shafts = sorted({c.rstrip("0123456789") for c in channels})
    out: list[SeizureSpec] = []
    slot = (duration - 60.0) / max(n, 1)
    for i in range(n):
        kind = kinds[int(rng.integers(len(kinds)))]
        length = {"focal": rng.uniform(25, 90), "absence": rng.uniform(6, 15)}.get(
            kind, rng.uniform(45, 90)
        )
        length = float(min(length, slot - 10))
        onset = 30.0 + i * slot + float(rng.uniform(0, max(slot - length - 5, 1)))
        region = str(rng.choice(shafts)) if seeg else str(rng.choice(sorted(REGIONS)))
        out.append(
            SeizureSpec(
                round(onset, 1), round(length, 1), kind, region, spread=bool(rng.random() < 0.5)
            )
        )
    return tuple(out)


def synthetic_specs(cfg: SyntheticConfig, split: str) -> tuple[SimulationSpec, ...]:
    """Deterministic simulator recordings of one split (seeds disjoint between splits)."""
    count = {"train": cfg.train_recordings, "val": cfg.val_recordings, "test": cfg.test_recordings}[
        split
    ]
    minutes = cfg.test_minutes if split == "test" else cfg.minutes
    specs = []
    for i in range(count):
        seed = cfg.seed + _SPLIT_OFFSET[split] + i
        rng = np.random.default_rng(seed)
        seeg = rng.random() < cfg.seeg_fraction
        channels = (
            seeg_channels(_SEEG_SHAFTS)
            if seeg
            else scalp_channels(int(rng.choice([19, 19, 21, 23])))
        )
        duration = minutes * 60.0
        specs.append(
            SimulationSpec(
                duration_s=duration,
                sfreq=float(rng.choice([200.0, 256.0])),
                channels=channels,
                kind="seeg" if seeg else "scalp",
                seed=seed,
                sleep=bool(rng.random() < 0.5),
                seizures=_seizures(rng, duration, cfg.seizures_per_recording, seeg, channels),
            )
        )
    return tuple(specs)


def _window(spec: SimulationSpec, bipolar: bool) -> Window:
    n_sec = int(spec.duration_s)
    x = generate(spec, 0.0, float(n_sec))
    names = spec.channels
    if bipolar:
        index = {n: i for i, n in enumerate(names)}
        pairs = [p for p in _DOUBLE_BANANA if all(e in index for e in p.split("-"))]
        x = np.stack([x[index[p.split("-")[0]]] - x[index[p.split("-")[1]]] for p in pairs])
        names = tuple(pairs)
    chan = channel_truth(spec, names, n_sec).astype(np.int8)
    labels = seconds_labels(n_sec, [(s.onset_s, s.offset_s) for s in spec.seizures])
    types = np.full(n_sec, -1, np.int8)
    pattern = np.zeros((n_sec, 6), np.float32)
    pattern[:, 0] = labels == 0
    pattern[:, 1] = labels == 1
    for s in spec.seizures:
        types[int(s.onset_s) : int(np.ceil(s.offset_s))] = TYPE_CLASSES.index(_KIND_TYPE[s.kind])
    return Window(
        x=np.asarray(x, np.float32),
        sfreq=spec.sfreq,
        channel_names=tuple(names),
        labels=labels,
        channel_labels=chan,
        pattern=pattern,
        seizure_type=types,
        dataset="simulator",
        subject=f"sim{spec.seed}",
        synthetic=True,
    )


@dataclass(frozen=True, slots=True)
class SimulatorSource:
    """Simulated recordings as training windows (one window per recording)."""

    name: str
    specs: tuple[SimulationSpec, ...]
    bipolar_fraction: float = 0.25

    def windows(self) -> Iterator[Window]:
        for spec in self.specs:
            bipolar = (
                spec.kind == "scalp"
                and np.random.default_rng(spec.seed).random() < self.bipolar_fraction
            )
            try:
                yield _window(spec, bipolar)
            except (ValueError, KeyError) as exc:
                raise SimulatorError(f"simulated recording seed {spec.seed}", str(exc)) from exc


def simulator_sources(cfg: SyntheticConfig) -> dict[str, WindowSource]:
    """Train / val / test sources from the simulator (empty splits left out)."""
    out: dict[str, WindowSource] = {}
    for split in ("train", "val", "test"):
        specs = synthetic_specs(cfg, split)
        if specs:
            out[split] = SimulatorSource(
                f"simulator/{split}", specs, 0.0 if split == "test" else 0.25
            )
    return out


def _load_config(stage: str, path: Path, steps: int | None) -> Any:
    try:
        cfg = jsonconfig.load(STAGES[stage], path)
    except FileNotFoundError as exc:
        raise TrainConfigError(f"config {path}", "file not found") from exc
    except (json.JSONDecodeError, ValueError, TypeError) as exc:
        raise TrainConfigError(f"config {path}", str(exc)) from exc
    if steps is not None and hasattr(cfg, "optim"):
        cfg = replace(cfg, optim=replace(cfg.optim, steps=steps))
    return cfg


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train or evaluate the seizure model (pretrain | finetune | distill | evaluate)",
        description="Model training. Configs live in models/configs/*.json; state is "
        "resumable from <out_dir>/state; use torchrun for several GPUs.",
    )
    parser.add_argument("stage", choices=sorted(STAGES), help="training stage to run")
    parser.add_argument("--config", required=True, type=Path, help="stage config (JSON)")
    parser.add_argument("--steps", type=int, default=None, help="override optim.steps")
    add_json_flag(parser)
    parser.set_defaults(run=run)


def _run_stage(stage: str, cfg: Any) -> dict[str, Any]:
    synthetic = simulator_sources(cfg.data.synthetic)
    if stage == "evaluate":
        return write_results(cfg, run_evaluate(cfg, synthetic))
    if stage == "pretrain":
        return run_pretrain(cfg, synthetic).summary()
    if stage == "distill":
        return run_distill(cfg, synthetic).summary()
    return run_finetune(cfg, synthetic).summary()


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    cfg = _load_config(args.stage, args.config, args.steps)
    try:
        result = _run_stage(args.stage, cfg)
    except WeightsError as exc:
        raise TrainConfigError(exc.what, exc.why) from exc
    if int(os.environ.get("RANK", "0")) != 0:
        return 0  # under torchrun only rank 0 reports
    if args.json:
        print_json({"stage": args.stage, **result})
    else:
        print(json.dumps(result, indent=2, default=str))
    return 0
