"""SPaRCNet illustration segments (Jing et al. 2023): 24 ICU EEG segments with expert votes.

``samples/*.mat`` hold ``seg`` (20, 10000): 19 referential scalp channels + EKG (order in
``labels.json``), 200 Hz, 50 s. Only 20-30 s is expert-labelled; ``labels.json`` has the vote
counts per class (Other, SZ, LPD, GPD, LRDA, GRDA). We use the vote distribution as a soft
pattern target for those 10 s, and "seizure" = SZ holds the most votes (so ``SZ_sample4``,
whose majority is GPD, is *not* a seizure here, and ``Other_sample2``, with 3 SZ votes and no
others, *is*). Seconds outside 20-30 s are unlabelled (-1). The EKG channel is dropped.

Split (4 segments per class, from different patients), in the folds of
:mod:`models.data.folds`: fold ``f`` tests sample number ``TEST_SAMPLE[f]`` of every class (6
segments) and trains on the other three; there is no validation split (24 segments are far too
few for one). Per-fold numbers are anecdotal (0-2 seizures per fold): report the pooled
out-of-fold AUROC over all 24 segments.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import scipy.io

from models.config import PATTERN_CLASSES
from models.data.folds import SHIPPED_FOLD, check
from models.data.window import Window

log = logging.getLogger(__name__)

TEST_SAMPLE: tuple[int, ...] = (2, 3, 4, 1)  # fold -> sample number held out
_CLASS_KEYS = ("Other", "SZ", "LPD", "GPD", "LRDA", "GRDA")


def sample_split(number: int, fold: int) -> str:
    """``"train"`` or ``"test"`` of sample ``number`` (1-4) when ``fold`` is held out."""
    return "test" if number == TEST_SAMPLE[fold] else "train"


def sparcnet_windows(root: Path, split: str, fold: int = SHIPPED_FOLD) -> list[Window]:
    """Labelled segments of one split of ``fold``; ``root`` is the ``sparcnet_iiic`` folder."""
    check(split, fold)
    meta_path = root / "labels.json"
    if not meta_path.is_file():
        log.warning("SPaRCNet segments not found at %s; skipping", root)
        return []
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    names = [str(n) for n in meta["channel_order"]]
    eeg = [i for i, n in enumerate(names) if n.upper() not in ("EKG", "ECG")]
    fs = float(meta["fs"])
    lo, hi = (int(v) for v in meta["labelled_window_s"])
    out: list[Window] = []
    for sample, info in sorted(meta["samples"].items()):
        if sample_split(int(sample.rsplit("sample", 1)[1]), fold) != split:
            continue
        path = root / "samples" / f"{sample}.mat"
        if not path.is_file():
            continue
        seg = np.asarray(scipy.io.loadmat(path)["seg"], dtype=np.float32)[eeg]
        votes = np.array([float(info["votes"][k]) for k in _CLASS_KEYS])
        n_sec = int(seg.shape[1] / fs)
        labels = np.full(n_sec, -1, dtype=np.int8)
        labels[lo:hi] = 1 if int(np.argmax(votes)) == PATTERN_CLASSES.index("seizure") else 0
        pattern = np.zeros((n_sec, len(PATTERN_CLASSES)), dtype=np.float32)
        pattern[lo:hi] = votes / votes.sum()
        out.append(
            Window(
                x=seg,
                sfreq=fs,
                channel_names=tuple(names[i] for i in eeg),
                labels=labels,
                pattern=pattern,
                dataset="sparcnet",
                subject=sample,
            )
        )
    return out
