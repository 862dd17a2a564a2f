"""K-fold splits shared by the real corpora (Bonn, Helsinki, SPaRCNet).

The real test sets are tiny, so every corpus is cut into :data:`N_FOLDS` folds and a model
recipe is judged by K-fold cross-validation (each fold held out once, mean ± sd over folds
and the pooled out-of-fold AUROC). The shipped checkpoints are trained with fold
:data:`SHIPPED_FOLD` held out, so their own test split stays untouched by training.

Split names are ``"train"``, ``"val"`` and ``"test"`` of one fold; every corpus module says
how it maps its units (segments, babies, samples) onto folds. Folds never split a unit, and
where a corpus names its patients (Helsinki babies) a patient lies in exactly one fold.
"""

from __future__ import annotations

N_FOLDS = 4
SHIPPED_FOLD = 3
SPLIT_NAMES = ("train", "val", "test")


def check(split: str, fold: int) -> None:
    """Raise ValueError for an unknown split name or fold index."""
    if split not in SPLIT_NAMES:
        raise ValueError(f"unknown split {split!r}; use one of {list(SPLIT_NAMES)}")
    if not 0 <= fold < N_FOLDS:
        raise ValueError(f"fold must be in 0..{N_FOLDS - 1}, got {fold}")


def previous(fold: int) -> int:
    """The fold that lends part of itself as validation data when ``fold`` is tested."""
    return (fold - 1) % N_FOLDS
