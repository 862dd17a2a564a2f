"""Patient-wise splits for corpora that name their subjects (CHB-MIT, Siena, TUSZ, EDF sets).

A subject's split is a pure function of its id (a hash), so every window of one patient lands
in the same split on every machine, and adding patients never moves existing ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from models.data.window import Window

SPLITS = ("train", "val", "test")


def split_of(subject: str, val: float = 0.15, test: float = 0.15) -> str:
    """``"train"``, ``"val"`` or ``"test"`` for a subject id (deterministic)."""
    digest = hashlib.sha256(subject.encode("utf-8")).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    if u < test:
        return "test"
    if u < test + val:
        return "val"
    return "train"


def by_subject(
    windows: Iterable[Window], split: str, val: float = 0.15, test: float = 0.15
) -> list[Window]:
    """The windows whose subject falls in ``split``."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {SPLITS}")
    return [w for w in windows if split_of(w.subject, val, test) == split]
