"""Small recordings and session contents for the session and annotation tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.core.annotation import Annotation
from app.core.simulate import SeizureSpec, SimulationSpec, write_edf

#: A 20-s scalp recording with one seizure (its EDF+ annotation is a "file" annotation).
SHORT_SPEC = SimulationSpec(
    duration_s=20.0, seed=3, seizures=(SeizureSpec(onset_s=6.0, duration_s=8.0),)
)


def write_short_edf(path: Path, seed: int = 3) -> Path:
    """A short generated EDF+ with one seizure annotation; returns ``path``."""
    spec = SimulationSpec(duration_s=20.0, seed=seed, seizures=SHORT_SPEC.seizures)
    write_edf(spec, path, spikes=False)
    return path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seizure(
    onset: float = 2.0, duration: float = 3.0, channels: tuple[str, ...] = ()
) -> Annotation:
    return Annotation(onset, duration, "Seizure", channels, "user")
