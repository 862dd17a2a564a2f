"""Pages of an EDF/BDF file whose signals share one rate, read without mne.

Importing mne's EDF reader costs ~0.3 s and ~25 MB before the first page can be read,
and a clinical EDF almost always has one rate for all its signals. For such a file a
page is one read of the data records it spans, a column gather and a calibration;
:class:`EdfBlockReader` does that and offers the two methods ``Recording`` uses of an
mne ``Raw`` (``get_data``, ``close``), with mne's values to the last bit: the same
``(digital * cal + offset) * gain`` in float64 (``cal``, ``offset`` from the header's
physical and digital ranges, ``gain`` mne's unit factor), and mne's channel names
(:func:`mne_channel_names`). Mixed-rate files are still read by mne, which resamples.
"""

from __future__ import annotations

import string
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.core.recording_header import EdfHeader, SignalHeader

_SUFFIXES = tuple(string.ascii_lowercase)


def mne_channel_names(labels: Sequence[str]) -> list[str]:
    """The names mne 1.13 gives these signal labels (duplicates get ``-0``, ``-1``...)."""
    names = list(labels)
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    for stem in sorted(n for n, c in counts.items() if c > 1):
        rows = [i for i, n in enumerate(names) if n == stem]
        for k, row in enumerate(rows):
            for suffix in (k, *_SUFFIXES):
                candidate = f"{stem}-{suffix}"
                if candidate not in names:
                    names[row] = candidate
                    break
    return names


def is_uniform(header: EdfHeader) -> bool:
    """True when every (non-annotation) signal has the same samples per record."""
    rates = {s.n_samples for s in header.signals if not s.is_annotation}
    return len(rates) == 1 and min(rates) > 0 and header.record_duration_s > 0


class EdfBlockReader:
    """Reads sample spans of the signals of a single-rate EDF/BDF (see module doc).

    ``gains[i]`` is mne's unit factor of signal ``i`` (1e-6 for µV headers), so
    ``get_data`` returns what mne's ``Raw.get_data`` would.
    """

    def __init__(self, path: Path, header: EdfHeader, gains: Sequence[float]) -> None:
        signals: list[SignalHeader] = [s for s in header.signals if not s.is_annotation]
        self.ch_names = mne_channel_names([s.label for s in signals])
        self._spr = signals[0].n_samples
        self.sfreq = self._spr / header.record_duration_s
        self.n_times = header.n_records * self._spr
        self._width = header.bytes_per_sample
        self._record_bytes = header.record_bytes
        self._record_samples = self._record_bytes // self._width
        self._data_offset = header.header_bytes
        self._n_records = header.n_records
        self._first_sample = np.array(
            [
                header.signal_offset(i) // self._width
                for i, s in enumerate(header.signals)
                if not s.is_annotation
            ],
            dtype=np.intp,
        )
        pmin = np.array([s.physical_min for s in signals])
        pmax = np.array([s.physical_max for s in signals])
        dmin = np.array([s.digital_min for s in signals])
        dmax = np.array([s.digital_max for s in signals])
        with np.errstate(divide="ignore", invalid="ignore"):
            self._cal = (pmax - pmin) / (dmax - dmin)
            self._offset = pmin - dmin * self._cal
        self._gain = np.asarray(gains, dtype=np.float64)
        self._lock = threading.Lock()
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close()

    def get_data(
        self, picks: Sequence[int], start: int, stop: int, verbose: Any = None
    ) -> npt.NDArray[np.float64]:
        """Signals ``picks`` over samples ``start:stop``, calibrated as mne does."""
        picks_arr = np.asarray(picks, dtype=np.intp)
        spr = self._spr
        first, last = start // spr, min(self._n_records, -(-stop // spr))
        digital = self._digital(first, last, picks_arr)
        block = digital.reshape(len(picks_arr), -1)[:, start - first * spr : stop - first * spr]
        out: npt.NDArray[np.float64] = block * self._cal[picks_arr, np.newaxis]
        out += self._offset[picks_arr, np.newaxis]
        out *= self._gain[picks_arr, np.newaxis]
        return out

    def _digital(self, first: int, last: int, picks: npt.NDArray[np.intp]) -> npt.NDArray[Any]:
        """``(n_picks, n_records, spr)`` digital values of records ``first:last``."""
        n = last - first
        raw = bytearray(n * self._record_bytes)
        with self._lock:
            self._file.seek(self._data_offset + first * self._record_bytes)
            got = self._file.readinto(raw)
        if got != len(raw):
            raise OSError(f"the file ends early: {got} of {len(raw)} bytes of records read")
        columns = (self._first_sample[picks, np.newaxis] + np.arange(self._spr)).ravel()
        if self._width == 2:
            records = np.frombuffer(raw, dtype="<i2").reshape(n, self._record_samples)
            picked = records[:, columns]
        else:  # BDF: 24-bit little-endian, sign-extended
            triplets = np.frombuffer(raw, dtype=np.uint8).reshape(n, self._record_samples, 3)
            b = triplets[:, columns].astype(np.int32)
            picked = (b[..., 0] | (b[..., 1] << 8) | (b[..., 2] << 16)) << 8 >> 8
        return picked.reshape(n, len(picks), self._spr).transpose(1, 0, 2)

    def close(self) -> None:
        self._file.close()
