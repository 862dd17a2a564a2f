"""Test doubles for the viewer: a scripted prompter and a page built from arrays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from app.core.decimate import minmax_decimate
from app.core.filters import FilterSettings
from app.workers.page_job import Page, PageRequest, TraceInfo


@dataclass
class ScriptedPrompter:
    """Records errors; answers questions from its fields (None = the user cancelled)."""

    errors: list[str] = field(default_factory=list)
    path: str | None = None
    time_s: float | None = None
    factor: float | None = None
    label: str | None = None
    save_path: str | None = None

    def error(self, parent: object, title: str, message: str) -> None:
        self.errors.append(message)

    def open_path(self, parent: object, folder: str) -> str | None:
        return self.path

    def ask_time(
        self, parent: object, start: dt.datetime | None, duration_s: float, current_s: float
    ) -> float | None:
        return self.time_s

    def ask_calibration(self, parent: object, px_per_mm: float, factor: float) -> float | None:
        return self.factor

    def ask_label(
        self, parent: object, title: str, current: str, choices: Sequence[str]
    ) -> str | None:
        return self.label

    def ask_save_path(
        self, parent: object, title: str, suggested: str, file_filter: str
    ) -> str | None:
        return self.save_path


def make_page(
    data: np.ndarray,
    labels: tuple[str, ...],
    *,
    groups: tuple[int, ...] | None = None,
    types: tuple[str, ...] | None = None,
    start_s: float = 0.0,
    sfreq: float = 100.0,
    n_columns: int = 200,
) -> Page:
    """A page as the worker would deliver it, from traces × samples µV."""
    n = len(labels)
    request = PageRequest(
        start_s, data.shape[1] / sfreq, "as_recorded", FilterSettings(), frozenset(), n_columns
    )
    info = TraceInfo(
        labels=labels,
        groups=groups or (0,) * n,
        types=types or ("EEG",) * n,
        sources=tuple((label,) for label in labels),
        units=("µV",) * n,
    )
    data = data.astype(np.float32)
    return Page(request, info, sfreq, data, minmax_decimate(data, n_columns, start_s, sfreq))
