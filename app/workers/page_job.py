"""What a page costs: read the span, filter it, apply the montage, decimate to pixels.

Pure functions and values (no Qt) that run on the page worker thread. A
:class:`PageSource` owns one recording, its resolved montages and a small LRU cache of
filtered, montaged pages, so paging back and forth, and prefetched neighbours, cost only
the decimation. Decimation to the trace area's pixel width happens here, never in the
widget: the GUI thread receives arrays ready to draw.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from app.core.decimate import Envelope, minmax_decimate
from app.core.filters import FilterSettings, effective_settings, read_filtered
from app.core.montage import (
    AppliedMontage,
    MontageOption,
    available_montages,
    build_montage,
    default_montage_key,
)
from app.core.recording import Recording
from app.workers.job import JobInterrupted, TaskState

DEFAULT_CACHE_PAGES = 12


@dataclass(frozen=True, slots=True)
class PageRequest:
    """One page as the viewer wants it; immutable so it can cross threads."""

    start_s: float
    duration_s: float
    montage: str
    filters: FilterSettings
    bad: frozenset[str]
    n_columns: int

    def shifted(self, pages: float) -> PageRequest:
        """The same request ``pages`` pages later (negative: earlier)."""
        return _replace_start(self, self.start_s + pages * self.duration_s)

    @property
    def data_key(self) -> tuple[Any, ...]:
        """What the filtered, montaged data depends on (not the pixel width)."""
        return (self.start_s, self.duration_s, self.montage, self.filters, self.bad)


def _replace_start(request: PageRequest, start_s: float) -> PageRequest:
    return PageRequest(
        start_s,
        request.duration_s,
        request.montage,
        request.filters,
        request.bad,
        request.n_columns,
    )


@dataclass(frozen=True, slots=True, eq=False)
class TraceInfo:
    """Per drawn trace: label, montage group, channel type and the channels it comes from."""

    labels: tuple[str, ...]
    groups: tuple[int, ...]
    types: tuple[str, ...]
    sources: tuple[tuple[str, ...], ...]
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Page:
    """A page ready to draw: ``data`` (traces × samples, µV) and its pixel ``envelope``."""

    request: PageRequest
    traces: TraceInfo
    sfreq: float
    data: npt.NDArray[np.float32]
    envelope: Envelope
    filter_note: str = ""

    def value_at(self, trace: int, t_s: float) -> float | None:
        """The sample of ``trace`` nearest to time ``t_s`` (status bar readout)."""
        i = round((t_s - self.request.start_s) * self.sfreq)
        if not (0 <= trace < self.data.shape[0] and 0 <= i < self.data.shape[1]):
            return None
        return float(self.data[trace, i])


def trace_info(recording: Recording, montage: AppliedMontage) -> TraceInfo:
    """Which recording channels feed each trace of ``montage`` (for types and bad marks)."""
    matrix = montage.matrix.tocsr()
    sources: list[tuple[str, ...]] = []
    for row in range(montage.n_out):
        cols = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
        weights = matrix.data[matrix.indptr[row] : matrix.indptr[row + 1]]
        order = np.argsort(-np.abs(weights), kind="stable")
        names = [recording.channels[montage.input_indices[int(cols[k])]].name for k in order]
        sources.append(tuple(names))
    by_name = {ch.name: ch for ch in recording.channels}
    first = [by_name[s[0]] if s else None for s in sources]
    return TraceInfo(
        labels=montage.labels,
        groups=montage.groups,
        types=tuple(str(ch.type) if ch else "EEG" for ch in first),
        sources=tuple(sources),
        units=tuple(ch.unit if ch else "µV" for ch in first),
    )


class PageSource:
    """One open recording seen from the page worker: montages and a page cache.

    ``montage_options`` (menu order, F1 first) and ``default_montage`` are worked out
    when the recording is opened, on the worker thread.
    """

    def __init__(self, recording: Recording, cache_pages: int = DEFAULT_CACHE_PAGES) -> None:
        self.recording = recording
        self.montage_options: tuple[MontageOption, ...] = tuple(
            available_montages(recording.channels)
        )
        self.default_montage = default_montage_key(recording.channels)
        self._cache_pages = cache_pages
        self._cache: OrderedDict[tuple[Any, ...], npt.NDArray[np.float32]] = OrderedDict()
        self._montages: dict[tuple[str, frozenset[str]], tuple[AppliedMontage, TraceInfo]] = {}
        self._lock = threading.Lock()

    def montage_key(self, preferred: str) -> str:
        """``preferred`` when this recording can show it, else its default montage."""
        keys = {option.key for option in self.montage_options}
        return preferred if preferred in keys else self.default_montage

    def montage(self, key: str, bad: frozenset[str]) -> tuple[AppliedMontage, TraceInfo]:
        """Montage ``key`` resolved for this recording (cached); MontageError if it can't."""
        with self._lock:
            found = self._montages.get((key, bad))
        if found is None:
            applied = build_montage(key, self.recording.channels, sorted(bad))
            found = (applied, trace_info(self.recording, applied))
            with self._lock:
                self._montages[(key, bad)] = found
        return found

    def is_cached(self, request: PageRequest) -> bool:
        with self._lock:
            return request.data_key in self._cache

    def traces(self, request: PageRequest) -> npt.NDArray[np.float32]:
        """Filtered, montaged traces for ``request`` (from the cache when there)."""
        key = request.data_key
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        montage, _ = self.montage(request.montage, request.bad)
        channels = list(montage.input_indices)
        info = self.recording.info

        def read(start_s: float, duration_s: float) -> npt.NDArray[np.float32]:
            return self.recording.read_page(start_s, duration_s, channels)

        # Filtering and montages are linear: filter whichever has fewer rows.
        derive_first = montage.n_out <= len(channels)
        data = read_filtered(
            (lambda s, d: montage.apply(read(s, d))) if derive_first else read,
            request.start_s,
            request.duration_s,
            info.sfreq,
            effective_settings(request.filters, info.sfreq)[0],
            total_s=info.duration_s,
        )
        if not derive_first:
            data = montage.apply(data)
        data.setflags(write=False)
        with self._lock:
            self._cache[key] = data
            while len(self._cache) > self._cache_pages:
                self._cache.popitem(last=False)
        return data

    def page(self, request: PageRequest) -> Page:
        _, info = self.montage(request.montage, request.bad)
        data = self.traces(request)
        sfreq = self.recording.info.sfreq
        note = effective_settings(request.filters, sfreq)[1]
        # Nothing is drawn past the end of the recording (the page there is zero-padded).
        n = data.shape[1]
        shown = min(n, max(0, round((self.recording.info.duration_s - request.start_s) * sfreq)))
        columns = max(1, round(request.n_columns * shown / n)) if n else 1
        envelope = minmax_decimate(data[:, :shown], columns, request.start_s, sfreq)
        return Page(request, info, sfreq, data, envelope, note)


def load_page(state: TaskState, source: PageSource, request: PageRequest) -> Page:
    """Job: the page the reviewer asked for."""
    return source.page(request)


def prefetch_pages(state: TaskState, source: PageSource, requests: list[PageRequest]) -> int:
    """Job: fill the cache with the neighbouring pages, stopping when interrupted."""
    done = 0
    limit = source.recording.info.duration_s
    for request in requests:
        if state.is_interruption_requested():
            raise JobInterrupted
        if request.start_s < 0 or request.start_s >= limit or source.is_cached(request):
            continue
        source.traces(request)
        done += 1
    return done
