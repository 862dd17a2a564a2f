"""The trends of one recording as they fill in, and how they are kept in the session file.

:class:`Trends` is the accumulating result: NaN where a chunk has not been computed
yet, so a display drawn from it fills in from left to right. In the session file the
trends live in the ``/trends`` group (``cdsa_left``, ``cdsa_right``, ``aeeg_left``,
``aeeg_right``, ``freqs``), with the parameters, the channel plan and the recording
fingerprint in its attributes; a cached result is used only when all three match, and
a partial one resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from app.core.errors import IctalError, RecordingError
from app.core.fingerprint import fingerprint
from app.core.recording import Recording
from app.core.trend_plan import TrendPlan
from app.core.trends import (
    Float32Array,
    Reader,
    TrendChunk,
    TrendGeometry,
    TrendSettings,
    iter_chunks,
)

#: Name of the session-file group and the version of its layout.
GROUP = "trends"
CACHE_VERSION = 1

log = logging.getLogger(__name__)


class StoredLike(Protocol):
    """A group read back from the session file (``app.core.session_schema.StoredGroup``)."""

    @property
    def arrays(self) -> Mapping[str, npt.NDArray[Any]]: ...

    @property
    def attrs(self) -> Mapping[str, Any]: ...


class GroupStore(Protocol):
    """What the trends need from the session file (``app.core.session.Session``)."""

    def write_group(
        self, name: str, arrays: Mapping[str, npt.ArrayLike], attrs: Mapping[str, Any] | None = None
    ) -> None: ...

    def read_group(self, name: str) -> StoredLike | None: ...


class Trends:
    """CDSA maps (bins × freqs, dB) and aEEG margins (segments × 2, µV) per hemisphere."""

    __slots__ = (
        "aeeg",
        "cdsa",
        "chunks_done",
        "computed_s",
        "freqs",
        "geometry",
        "plan",
        "settings",
    )

    def __init__(self, plan: TrendPlan, settings: TrendSettings, geometry: TrendGeometry) -> None:
        self.plan = plan
        self.settings = settings
        self.geometry = geometry
        self.freqs: Float32Array = geometry.freqs(settings)
        shape = (geometry.n_bins, len(self.freqs))
        self.cdsa = {g.key: np.full(shape, np.nan, np.float32) for g in plan.groups}
        self.aeeg = {
            d.key: np.full((geometry.n_segments, 2), np.nan, np.float32) for d in plan.derivations
        }
        self.computed_s = 0.0
        self.chunks_done = 0

    @classmethod
    def empty(
        cls, plan: TrendPlan, settings: TrendSettings, sfreq: float, n_samples: int
    ) -> Trends:
        geometry = TrendGeometry.of(settings, sfreq, n_samples, len(plan.channels))
        return cls(plan, settings, geometry)

    @property
    def duration_s(self) -> float:
        return self.geometry.n_samples / self.geometry.sfreq

    @property
    def complete(self) -> bool:
        return self.chunks_done >= self.geometry.n_chunks

    @property
    def bin_s(self) -> float:
        return self.geometry.bin_n / self.geometry.sfreq

    @property
    def segment_s(self) -> float:
        return self.geometry.segment_n / self.geometry.sfreq

    def copy(self) -> Trends:
        """An independent copy (one for the worker to fill, one for the display)."""
        other = Trends(self.plan, self.settings, self.geometry)
        for mine, theirs in ((self.cdsa, other.cdsa), (self.aeeg, other.aeeg)):
            for key, values in mine.items():
                theirs[key][...] = values
        other.chunks_done, other.computed_s = self.chunks_done, self.computed_s
        return other

    def add(self, chunk: TrendChunk) -> None:
        """Put one computed chunk in place (chunks arrive in time order)."""
        for key, values in chunk.cdsa.items():
            if key in self.cdsa:
                self.cdsa[key][chunk.first_bin : chunk.first_bin + len(values)] = values
        for key, values in chunk.aeeg.items():
            if key in self.aeeg:
                self.aeeg[key][chunk.first_segment : chunk.first_segment + len(values)] = values
        self.chunks_done = max(self.chunks_done, chunk.index + 1)
        self.computed_s = max(self.computed_s, chunk.end_s)

    def cdsa_levels(self, low: float = 2.0, high: float = 99.0) -> tuple[float, float]:
        """A display range in dB shared by both hemispheres (robust percentiles)."""
        values = [m[np.isfinite(m)] for m in self.cdsa.values()]
        finite = np.concatenate(values) if values else np.empty(0, np.float32)
        if finite.size == 0:
            return (-10.0, 20.0)
        lo, hi = np.percentile(finite[:: max(1, finite.size // 200_000)], [low, high])
        return float(lo), float(max(hi, lo + 1.0))


def compute_trends(
    read: Reader,
    trends: Trends,
    on_chunk: Callable[[TrendChunk], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Trends:
    """Fill ``trends`` from where it stopped to the end of the recording (in place)."""
    chunks = iter_chunks(
        read, trends.plan, trends.settings, trends.geometry, first=trends.chunks_done
    )
    for chunk in chunks:
        trends.add(chunk)
        if on_chunk is not None:
            on_chunk(chunk)
        if should_stop is not None and should_stop():
            break
    return trends


def recording_fingerprint(recording: Recording) -> str:
    """The recording's identity: the session fingerprint key (size, header, end records)."""
    info = recording.info
    try:
        return fingerprint(info.path).key
    except RecordingError:  # the file went away: fall back on the header facts
        names = ",".join(ch.name for ch in recording.channels)
        text = f"{info.file_size}|{info.n_samples}|{info.sfreq!r}|{names}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_cached(store: GroupStore, empty: Trends, fingerprint_key: str) -> Trends | None:
    """The cached trends of this recording and parameters (maybe partial), or None."""
    try:
        stored = store.read_group(GROUP)
    except (OSError, IctalError, ValueError):
        log.warning("cannot read the cached trends", exc_info=True)
        return None
    if stored is None:
        return None
    return trends_from_group(stored.arrays, stored.attrs, empty, fingerprint_key)


def save_cached(store: GroupStore, trends: Trends, fingerprint_key: str) -> bool:
    """Write ``trends`` (complete or partial) to the session file; False if that failed."""
    arrays, attrs = trends_to_group(trends, fingerprint_key)
    try:
        store.write_group(GROUP, arrays, attrs)
    except (OSError, IctalError, ValueError):
        log.warning("cannot cache the trends in the session file", exc_info=True)
        return False
    return True


def _key_attrs(trends: Trends, fingerprint_key: str) -> dict[str, Any]:
    return {
        "version": CACHE_VERSION,
        "fingerprint": fingerprint_key,
        "settings": json.dumps(trends.settings.key(), sort_keys=True),
        "plan": trends.plan.describe(),
        "sfreq": float(trends.geometry.sfreq),
        "n_samples": int(trends.geometry.n_samples),
    }


def trends_to_group(
    trends: Trends, fingerprint_key: str
) -> tuple[dict[str, npt.NDArray[Any]], dict[str, Any]]:
    """The arrays and attributes of the ``/trends`` session group."""
    arrays: dict[str, npt.NDArray[Any]] = {"freqs": trends.freqs}
    arrays.update({f"cdsa_{key}": m for key, m in trends.cdsa.items()})
    arrays.update({f"aeeg_{key}": m for key, m in trends.aeeg.items()})
    attrs = _key_attrs(trends, fingerprint_key)
    attrs.update(chunks_done=trends.chunks_done, computed_s=trends.computed_s)
    return arrays, attrs


def trends_from_group(
    arrays: Mapping[str, npt.NDArray[Any]],
    attrs: Mapping[str, Any],
    empty: Trends,
    fingerprint_key: str,
) -> Trends | None:
    """``empty`` filled from a cached group, or None when the cache is for something else."""
    wanted = _key_attrs(empty, fingerprint_key)
    if any(_plain(attrs.get(k)) != v for k, v in wanted.items()):
        return None
    try:
        for key, target in (*_prefixed("cdsa_", empty.cdsa), *_prefixed("aeeg_", empty.aeeg)):
            source = np.asarray(arrays[key], dtype=np.float32)
            if source.shape != target.shape:
                return None
            target[...] = source
        empty.chunks_done = int(attrs["chunks_done"])
        empty.computed_s = float(attrs["computed_s"])
    except (KeyError, TypeError, ValueError):
        return None
    return empty


def _prefixed(prefix: str, maps: dict[str, Float32Array]) -> list[tuple[str, Float32Array]]:
    return [(prefix + key, value) for key, value in maps.items()]


def _plain(value: Any) -> Any:
    """h5py hands attributes back as numpy scalars or bytes: make them comparable."""
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.generic):
        return value.item()
    return value
