"""Helsinki neonatal EEG (Stevenson et al. 2019) as 1-s multichannel windows, split by baby.

``windows_64hz/expert_<X>_1sec_1chunk_64Hz.hdf5`` holds ``FINAL_mtx`` (samples, 19): blocks
of 64 rows are one 1-s window; columns 0-17 are the 18-channel bipolar montage of
Gramacki & Gramacki's generator (``R/EEG_neonatal_FUNS.R::generate_montage``, in this order:
Fp2-F4 F4-C4 C4-P4 P4-O2 Fp1-F3 F3-C3 C3-P3 P3-O1 Fp2-F8 F8-T4 T4-T6 T6-O2 Fp1-F7 F7-T3
T3-T5 T5-O1 Fz-Cz Cz-Pz) in volts; column 18 is the label.

How the windows were made (same generator, ``window = 1, chunks = 1``): a **seizure window is
the first second of every seizure** the expert marked in the 40 babies that all experts say
had seizures (``S_IDS``), in baby order then time order; **non-seizure windows are 18 random
seconds from each of the 22 seizure-free babies** (``NS_IDS``), in baby order. So the baby of
every window can be recovered from the expert's annotation CSV: the number of seizure onsets
per baby gives the run lengths (expert A: 385 = 385 windows; B: 394 = 394), and 22 x 18 = 396
non-seizure windows. The two experts' files share 47 identical seizure windows (same onset
second); we use both files and drop the duplicates from B.

Splits are **patient-wise**: babies (seizure and seizure-free babies separately, in id order)
are dealt round-robin into the folds of :mod:`models.data.folds`; the test split is one fold,
validation is every third baby of the previous fold, training the rest.

Caveats, stated wherever results on it are reported: decimated 256 -> 64 Hz **without an
anti-alias filter**; the task is "onset second of a seizure baby vs a random second of a
seizure-free baby", so class and baby are confounded (neonates with seizures often have a
depressed, lower-amplitude background: the windows' amplitude is *lower* in the seizure class).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import h5py
import numpy as np
import numpy.typing as npt

from models.data.folds import N_FOLDS, SHIPPED_FOLD, check, previous
from models.data.window import Window

log = logging.getLogger(__name__)

SFREQ = 64.0
CHANNELS: tuple[str, ...] = (
    "Fp2-F4", "F4-C4", "C4-P4", "P4-O2", "Fp1-F3", "F3-C3", "C3-P3", "P3-O1", "Fp2-F8",
    "F8-T4", "T4-T6", "T6-O2", "Fp1-F7", "F7-T3", "T3-T5", "T5-O1", "Fz-Cz", "Cz-Pz",
)  # fmt: skip
N_CHANNELS = len(CHANNELS)
#: Babies with seizures by all three experts / seizure-free by all three (the generator's lists).
S_IDS: tuple[int, ...] = (
    1, 4, 5, 7, 9, 11, 13, 14, 15, 16, 17, 19, 20, 21, 22, 25, 31, 34, 36, 38,
    39, 40, 41, 44, 47, 50, 51, 52, 62, 63, 66, 67, 69, 71, 73, 75, 76, 77, 78, 79,
)  # fmt: skip
NS_IDS: tuple[int, ...] = (
    3, 10, 18, 27, 28, 29, 30, 32, 35, 37, 42, 45, 48, 49, 53, 55, 57, 58, 59, 60, 70, 72,
)  # fmt: skip
EXPERTS: dict[str, str] = {"A": "annotations_2017_A_fixed.csv", "B": "annotations_2017_B.csv"}

I64 = npt.NDArray[np.int64]


def _fold_table() -> dict[int, tuple[int, bool]]:
    """baby -> (fold, is a validation baby when its fold lends validation data)."""
    table: dict[int, tuple[int, bool]] = {}
    for ids in (S_IDS, NS_IDS):
        for rank, baby in enumerate(ids):
            table[baby] = (rank % N_FOLDS, (rank // N_FOLDS) % 3 == 0)
    return table


FOLD_OF_BABY = _fold_table()


def baby_split(baby: int, fold: int) -> str:
    """``"train"``, ``"val"`` or ``"test"`` for a baby when ``fold`` is held out."""
    own, lends = FOLD_OF_BABY[baby]
    if own == fold:
        return "test"
    if own == previous(fold) and lends:
        return "val"
    return "train"


def _onset_babies(csv: Path) -> I64:
    """Baby id of every seizure onset the expert marked in ``S_IDS``, in generator order."""
    table = np.genfromtxt(csv, delimiter=",", skip_header=1)
    out: list[int] = []
    for baby in S_IDS:
        column = np.nan_to_num(table[:, baby - 1]) > 0
        onsets = int(np.count_nonzero(np.diff(np.concatenate([[0], column.astype(int)])) == 1))
        out += [baby] * onsets
    return np.asarray(out, dtype=np.int64)


def _babies(root: Path, expert: str, labels: npt.NDArray[np.int8]) -> I64 | None:
    """Baby id per window, or None when the annotation file is absent or does not match."""
    csv = root / "annotations" / EXPERTS[expert]
    if not csv.is_file():
        log.warning("Helsinki annotations %s missing: baby ids unknown", csv)
        return None
    seizure = _onset_babies(csv)
    n_bg = int(np.count_nonzero(labels == 0))
    per_baby = n_bg // len(NS_IDS)
    ordered = bool((labels[: len(seizure)] == 1).all() and (labels[len(seizure) :] == 0).all())
    if len(seizure) + per_baby * len(NS_IDS) != len(labels) or not ordered:
        log.warning("Helsinki expert %s windows do not match its annotations", expert)
        return None
    background = np.repeat(np.asarray(NS_IDS, dtype=np.int64), per_baby)
    return np.concatenate([seizure, background])


@lru_cache(maxsize=4)
def _load(root: Path) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int8], I64]:
    """All windows of both experts, deduplicated: (x µV (n, 18, 64), labels (n,), baby (n,))."""
    xs, ys, babies, seen = [], [], [], set()
    for expert in EXPERTS:
        path = root / "windows_64hz" / f"expert_{expert}_1sec_1chunk_64Hz.hdf5"
        if not path.is_file():
            log.warning("Helsinki windows not found at %s; skipping", path)
            continue
        with h5py.File(path, "r") as handle:
            matrix = np.asarray(handle["FINAL_mtx"][:], dtype=np.float64)
        n_win = matrix.shape[0] // 64
        blocks = matrix[: n_win * 64].reshape(n_win, 64, N_CHANNELS + 1)
        labels = blocks[:, 0, N_CHANNELS].astype(np.int8)
        ids = _babies(root, expert, labels)
        if ids is None:
            continue
        x = (blocks[:, :, :N_CHANNELS].transpose(0, 2, 1) * 1e6).astype(np.float32)  # V -> µV
        for i in range(n_win):
            key = x[i].tobytes()
            if key in seen:
                continue  # the same onset second marked by both experts
            seen.add(key)
            xs.append(x[i])
            ys.append(labels[i])
            babies.append(ids[i])
    if not xs:
        empty = np.zeros((0, N_CHANNELS, 64), np.float32)
        return empty, np.zeros(0, np.int8), np.zeros(0, np.int64)
    return np.stack(xs), np.asarray(ys, np.int8), np.asarray(babies, np.int64)


def helsinki_windows(root: Path, split: str, fold: int = SHIPPED_FOLD) -> list[Window]:
    """1-s windows of one split of ``fold``; ``root`` is the ``helsinki`` folder."""
    check(split, fold)
    x, labels, babies = _load(root.resolve())
    return [
        Window(
            x=x[i],
            sfreq=SFREQ,
            channel_names=CHANNELS,
            labels=np.array([labels[i]], dtype=np.int8),
            dataset="helsinki",
            subject=f"baby{babies[i]}",
        )
        for i in range(len(labels))
        if baby_split(int(babies[i]), fold) == split
    ]
