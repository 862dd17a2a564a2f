"""The real labelled corpora in ``../shared/data``, by name and split.

``bonn``, ``helsinki`` and ``sparcnet`` are read from the shared data folder; each module
documents its split into the folds of :mod:`models.data.folds`. A missing folder yields no
windows (logged), so training and evaluation run on a fresh clone with synthetic data only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from models.data.bonn import bonn_windows
from models.data.folds import SHIPPED_FOLD
from models.data.helsinki import helsinki_windows
from models.data.sparcnet import sparcnet_windows
from models.data.window import Window

REAL_DATASETS: dict[str, tuple[str, Callable[[Path, str, int], list[Window]]]] = {
    "bonn": ("bonn", bonn_windows),
    "helsinki": ("helsinki", helsinki_windows),
    "sparcnet": ("sparcnet_iiic", sparcnet_windows),
}

CREDITS: dict[str, str] = {
    "bonn": "Bonn epilepsy set: Andrzejak et al. 2001, Phys. Rev. E 64:061907 "
    "(free for research with citation)",
    "helsinki": "Helsinki neonatal EEG: Stevenson et al. 2019, Sci. Data 6:190039 "
    "(Zenodo 2547147, CC BY 4.0)",
    "sparcnet": "SPaRCNet IIIC segments: Jing et al. 2023, Neurology 100(17) "
    "(bdsp-core/IIIC-SPaRCNet, ODC-By 1.0)",
    "chbmit": "CHB-MIT: Shoeb 2009, PhysioNet (ODC-By 1.0)",
    "siena": "Siena Scalp EEG: Detti 2020, PhysioNet (CC BY 4.0)",
    "tusz": "TUH EEG Seizure Corpus (Temple University; data-use agreement)",
}


def real_windows(name: str, data_root: Path, split: str, fold: int = SHIPPED_FOLD) -> list[Window]:
    """Windows of one split of ``fold`` (empty when the data is absent or the split empty)."""
    if name not in REAL_DATASETS:
        raise ValueError(f"unknown dataset {name!r}; known: {sorted(REAL_DATASETS)}")
    folder, reader = REAL_DATASETS[name]
    return reader(data_root / folder, split, fold)
