"""Bonn epilepsy set (Andrzejak et al. 2001): 5 sets x 100 single-channel 23.6-s segments.

Sets A and B are scalp EEG of healthy volunteers (eyes open / closed), C and D intracranial
interictal EEG (opposite hippocampus / epileptogenic zone), E intracranial ictal EEG (the
whole segment is a seizure). 173.61 Hz, 4097 samples, ADC units (scale is irrelevant after
robust normalisation).

Splits: the mapping from segment to subject is not published (each set comes from 5 people,
and C, D, E from the same 5 patients), so a subject-wise split is impossible. We split by
segment number in every set, in the folds of :mod:`models.data.folds`: fold ``f`` tests
segments ``25 f + 1 .. 25 f + 25``, validates on the 15 segments before them (cyclically) and
trains on the other 60. The shipped fold (3) is the historical split: 1-60 train, 61-75
validation, 76-100 test. Honest about segments, not about subjects: test segments may come
from people seen in training.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np

from models.data.folds import N_FOLDS, SHIPPED_FOLD, check
from models.data.window import Window

log = logging.getLogger(__name__)

SFREQ = 173.61
SETS: dict[str, str] = {"A": "setA", "B": "setB", "C": "setC", "D": "setD", "E": "setE"}
ICTAL_SETS = frozenset("E")
N_SEGMENTS = 100
TEST_PER_FOLD = N_SEGMENTS // N_FOLDS
VAL_PER_FOLD = 15
CHANNEL = "Bonn"
_INDEX = re.compile(r"(\d+)\.txt$", re.IGNORECASE)


def _segments(folder: Path) -> dict[int, Path]:
    found: dict[int, Path] = {}
    for path in folder.iterdir():
        match = _INDEX.search(path.name)
        if match:
            found[int(match.group(1))] = path
    return found


def segment_split(index: int, fold: int) -> str:
    """``"train"``, ``"val"`` or ``"test"`` of segment ``index`` (1-100) with ``fold`` held out."""
    position = (index - 1 - TEST_PER_FOLD * fold) % N_SEGMENTS
    if position < TEST_PER_FOLD:
        return "test"
    if position >= N_SEGMENTS - VAL_PER_FOLD:
        return "val"
    return "train"


def bonn_windows(
    root: Path, split: str, fold: int = SHIPPED_FOLD, sets: str = "ABCDE"
) -> list[Window]:
    """Windows of one split of ``fold``; ``root`` is the ``bonn`` folder. Empty when absent."""
    check(split, fold)
    if not root.is_dir():
        log.warning("Bonn data not found at %s; skipping", root)
        return []
    out: list[Window] = []
    for key in sets:
        folder = root / SETS[key]
        if not folder.is_dir():
            log.warning("Bonn set %s missing at %s; skipping", key, folder)
            continue
        segments = _segments(folder)
        for index, path in sorted(segments.items()):
            if segment_split(index, fold) != split:
                continue
            x = np.loadtxt(path, dtype=np.float32)[None, :]
            n_sec = int(x.shape[1] / SFREQ)
            value = 1 if key in ICTAL_SETS else 0
            labels = np.full(n_sec, value, dtype=np.int8)
            out.append(
                Window(
                    x=x,
                    sfreq=SFREQ,
                    channel_names=(CHANNEL,),
                    labels=labels,
                    channel_labels=labels[None, :].copy(),  # one channel: it is the recording
                    dataset="bonn",
                    subject=f"set{key}",  # segments of one set share ~5 people
                )
            )
    return out
