"""Mixed-rate EDF/BDF files, read by mne (imported only when such a file is opened).

mne upsamples the slower signals to the highest rate. Its constructor would also scan
every data record for annotations (seconds for a 24-hour file); Ictal reads those
itself (:mod:`app.core.recording_tal`), so the scan is skipped here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from mne.io.edf.edf import RawBDF, RawEDF

from app.core.errors import RecordingError
from app.core.recording_header import EdfHeader
from app.core.recording_mne import describe

_READY = "ictal_ready"  # set in raw_extras once mne's constructor has returned


class _HeaderOnlyRawEDF(RawEDF):  # type: ignore[misc]
    """mne's RawEDF without the whole-file annotation scan at construction.

    mne calls ``_read_segment_file`` through a proxy that only carries
    ``_raw_extras`` and ``filenames``, so the flag lives in ``_raw_extras``.
    """

    def _read_segment_file(self, *args: Any) -> Any:
        if not self._raw_extras[args[2]].get(_READY):  # the constructor's TAL scan
            return [np.zeros(0, dtype=np.int16)]
        return RawEDF._read_segment_file(self, *args)


class _HeaderOnlyRawBDF(RawBDF):  # type: ignore[misc]
    """mne's RawBDF without the whole-file annotation scan at construction."""

    def _read_segment_file(self, *args: Any) -> Any:
        if not self._raw_extras[args[2]].get(_READY):
            return [np.zeros(0, dtype=np.int32)]
        return RawBDF._read_segment_file(self, *args)


def mne_raw(path: Path, header: EdfHeader) -> Any:
    """A lazily read mne Raw of ``path`` (header checked already)."""
    cls = _HeaderOnlyRawBDF if header.kind == "BDF" else _HeaderOnlyRawEDF
    try:
        raw = cls(path, preload=False, stim_channel=None, verbose="error")
    except Exception as exc:  # mne raises many exception types for odd headers
        raise RecordingError(str(path), f"mne cannot read it: {describe(exc)}") from exc
    for extras in raw._raw_extras:
        extras[_READY] = True
    return raw
