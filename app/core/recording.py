"""Open a recording and read pages of it, whatever the file format.

``open_recording(path)`` reads the header only (EDF/EDF+/BDF, BrainVision,
EEGLAB, FIF through mne's lazy readers; SPaRCNet ``.mat`` segments in
memory) and returns a :class:`Recording`. Signal data stays on disk until a
page is asked for; ``read_page`` reads just that span and returns float32 µV
(voltage channels; other channels in their own unit, see ``Channel.unit``).

Page edges (so callers never special-case the ends of a recording):
the result always has ``round(duration_s * sfreq)`` samples per channel,
starting at sample ``round(start_s * sfreq)``; samples before the first or
after the last sample of the recording (a negative start, a page running
past the end, or a page wholly outside) are zeros.

Every problem with the file itself (missing, unreadable, not EEG, truncated,
a header that contradicts the file size) raises :class:`RecordingError` with
a one-line reason; the source file is only ever opened read-only.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt

from app.core.annotation import Annotation
from app.core.channels import ChannelType, canonical_electrode, electrodes_of, normalize_name
from app.core.errors import RecordingError
from app.core.recording_edf import open_edf
from app.core.recording_info import MICROVOLT, Channel, Gap, PatientInfo, RecordingInfo
from app.core.recording_mne import OpenedRaw, describe, open_mne_file

__all__ = [
    "MICROVOLT",
    "SUPPORTED_SUFFIXES",
    "Channel",
    "Gap",
    "PatientInfo",
    "Recording",
    "RecordingInfo",
    "open_recording",
]

log = logging.getLogger(__name__)

#: File name endings Ictal opens (lower case; ``.vhdr`` brings its ``.eeg``/``.vmrk``).
SUPPORTED_SUFFIXES = (".edf", ".bdf", ".vhdr", ".set", ".fif", ".fif.gz", ".mat")
#: Extra data read on each side of a page of a mixed-rate EDF, so mne's FFT
#: upsampling of the slower channels has its edge ringing outside the page.
_RESAMPLE_MARGIN_S = 2.0

ChannelRef = int | str


def _alias_key(name: str) -> str:
    """Case-free key under which T3 and T7 (and T3-T5 and T7-P7) coincide."""
    return "-".join(canonical_electrode(e) for e in electrodes_of(name)).upper()


class Recording:
    """An open recording: header facts, channels, annotations, and pages on demand.

    ``annotations`` are the file's own (EDF+ TALs with source ``"edf"``,
    BrainVision/EEGLAB/FIF markers with source ``"brainvision"``/``"eeglab"``/
    ``"fif"``), onsets in seconds from the first sample, sorted for EDF; an
    EDF+D file adds one zero-length marker per gap with source ``"gap"``
    (exporters should skip those: the gap is also in ``info.gaps``).
    An EDF+C file's annotations are read on first access (a scan of the whole
    file, ~0.1 s per 24 h); :attr:`annotations_loaded` says whether that has
    happened, so a viewer can have it done off the GUI thread. Should the file
    have become unreadable by then, they are empty and :attr:`annotation_error`
    says why.

    Safe to read from several threads (reads are serialised). Use as a context
    manager, or call :meth:`close`.
    """

    def __init__(self, opened: OpenedRaw) -> None:
        self._raw: Any = opened.raw
        self.info: RecordingInfo = opened.info
        self.channels: tuple[Channel, ...] = opened.channels
        self._annotations: tuple[Annotation, ...] | None = (
            opened.annotations if opened.read_annotations is None else None
        )
        self._read_annotations = opened.read_annotations
        self._annotation_lock = threading.Lock()
        #: Why the deferred annotations could not be read (they are then empty).
        self.annotation_error: RecordingError | None = None
        self._scales = opened.scales
        self._record_samples = opened.record_samples
        self._lock = threading.Lock()
        self._closed = False
        self._by_name: dict[str, int] = {}
        self._by_key: dict[str, int] = {}
        for ch in self.channels:
            for key in (ch.name, ch.raw_name):
                self._by_name.setdefault(key, ch.index)
        for ch in self.channels:
            self._by_key.setdefault(_alias_key(ch.name), ch.index)

    def __repr__(self) -> str:
        return (
            f"Recording({self.info.path.name!r}, {self.info.format}, {len(self.channels)} ch, "
            f"{self.info.duration_s:.1f} s at {self.info.sfreq:g} Hz)"
        )

    @property
    def annotations(self) -> tuple[Annotation, ...]:
        """The file's own annotations (read on first access where that is deferred)."""
        found = self._annotations
        if found is None:
            with self._annotation_lock:  # one scan, whichever thread asks first
                if self._annotations is None:
                    self._annotations = self._read_deferred_annotations()
                found = self._annotations
        return found

    def _read_deferred_annotations(self) -> tuple[Annotation, ...]:
        if self._read_annotations is None:
            return ()
        try:
            return self._read_annotations()
        except RecordingError as exc:  # the file changed since it was opened
            log.error("annotations not read: %s : %s", exc.what, exc.why)
            self.annotation_error = exc
            return ()

    @property
    def annotations_loaded(self) -> bool:
        """True once :attr:`annotations` is available without reading the file."""
        return self._annotations is not None

    # -- channels ---------------------------------------------------------------------

    def find_channel(self, name: str) -> int | None:
        """Index of a channel by display name, file label or alias; None if absent.

        Matching tries the exact name, then the normalised form of ``name``
        (``EEG FP1-REF`` finds ``Fp1``), then old/new 10-20 aliases case-free
        (``T3`` finds ``T7``, ``t4-t6`` finds ``T8-P8``).
        """
        if name in self._by_name:
            return self._by_name[name]
        normal = normalize_name(name)
        if normal in self._by_name:
            return self._by_name[normal]
        return self._by_key.get(_alias_key(normal))

    def channel_index(self, name: str) -> int:
        """Like :meth:`find_channel` but raises ``KeyError`` when absent."""
        index = self.find_channel(name)
        if index is None:
            raise KeyError(f"no channel {name!r} in {self.info.path.name}")
        return index

    def channels_of_type(self, *types: ChannelType) -> tuple[Channel, ...]:
        return tuple(ch for ch in self.channels if ch.type in types)

    def eeg_channels(self) -> tuple[Channel, ...]:
        """The scalp EEG channels (type EEG), in file order."""
        return self.channels_of_type(ChannelType.EEG)

    def _picks(self, channels: Sequence[ChannelRef] | ChannelRef | None) -> list[int]:
        if channels is None:
            return list(range(len(self.channels)))
        refs = [channels] if isinstance(channels, int | str) else list(channels)
        picks = []
        for ref in refs:
            if isinstance(ref, str):
                picks.append(self.channel_index(ref))
            elif isinstance(ref, int | np.integer) and 0 <= int(ref) < len(self.channels):
                picks.append(int(ref))
            else:
                raise IndexError(f"no channel index {ref!r} (0..{len(self.channels) - 1})")
        return picks

    # -- data -------------------------------------------------------------------------

    def read_page(
        self,
        start_s: float,
        duration_s: float,
        channels: Sequence[ChannelRef] | ChannelRef | None = None,
    ) -> npt.NDArray[np.float32]:
        """Samples of ``channels`` (indices or names; all when None) as float32.

        Shape ``(n_channels, round(duration_s * sfreq))`` at ``info.sfreq``, in
        µV for voltage channels; zeros outside the recording (see module doc).
        Only the requested span is read from disk.
        """
        if self._closed:
            raise ValueError("read from a closed recording")
        if not (math.isfinite(start_s) and math.isfinite(duration_s)) or duration_s < 0:
            raise ValueError(f"bad page: start {start_s} s, duration {duration_s} s")
        picks = self._picks(channels)
        sfreq = self.info.sfreq
        n = round(duration_s * sfreq)
        first = round(start_s * sfreq)
        out = np.zeros((len(picks), n), dtype=np.float32)
        lo, hi = max(first, 0), min(first + n, self.info.n_samples)
        if picks and hi > lo:
            data = self._read(picks, lo, hi)
            out[:, lo - first : hi - first] = data * self._scales[picks, np.newaxis]
        return out

    def _span(self, picks: Sequence[int], lo: int, hi: int) -> tuple[int, int]:
        """The sample span to ask mne for so that ``lo:hi`` comes back right."""
        slow = any(self.channels[p].sfreq < self.info.sfreq * (1 - 1e-9) for p in picks)
        step = self._record_samples
        if not slow or not step:
            return lo, hi
        margin = max(1, math.ceil(_RESAMPLE_MARGIN_S * self.info.sfreq / step))
        start = max(0, (lo // step - margin) * step)
        stop = min(self.info.n_samples, (-(-hi // step) + margin) * step)
        return start, stop

    def _read(self, picks: Sequence[int], lo: int, hi: int) -> npt.NDArray[np.float64]:
        unique, inverse = np.unique(np.asarray(picks), return_inverse=True)
        start, stop = self._span(picks, lo, hi)
        try:
            with self._lock:
                data = self._raw.get_data(
                    picks=unique.tolist(), start=start, stop=stop, verbose="error"
                )
        except Exception as exc:  # mne/OS errors while reading a changed or broken file
            raise RecordingError(
                str(self.info.path),
                f"cannot read {lo / self.info.sfreq:g}-{hi / self.info.sfreq:g} s: {describe(exc)}",
            ) from exc
        result: npt.NDArray[np.float64] = np.asarray(data)[inverse, lo - start : hi - start]
        return result

    # -- lifetime ---------------------------------------------------------------------

    def close(self) -> None:
        """Release the reader; further reads raise ``ValueError``."""
        if not self._closed:
            self._closed = True
            self._raw.close()

    def __enter__(self) -> Recording:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".fif.gz" if name.endswith(".fif.gz") else path.suffix.lower()


def _check_file(path: Path) -> None:
    try:
        if path.is_dir():
            raise RecordingError(str(path), "is a folder, not a recording file")
        with open(path, "rb") as fid:
            if not fid.read(1):
                raise RecordingError(str(path), "the file is empty")
    except OSError as exc:
        raise RecordingError(str(path), exc.strerror or str(exc)) from exc


def open_recording(path: str | Path) -> Recording:
    """Open a recording for reading; the header is read (EDF+C annotations on first use).

    Raises :class:`RecordingError` for unsupported, missing, unreadable or
    broken files.
    """
    path = Path(path)
    suffix = _suffix(path)
    if suffix not in SUPPORTED_SUFFIXES:
        raise RecordingError(
            str(path),
            f"unsupported file type '{suffix or path.name}' "
            f"(Ictal opens {', '.join(SUPPORTED_SUFFIXES)})",
        )
    _check_file(path)
    opened: OpenedRaw
    if suffix in (".edf", ".bdf"):
        opened = open_edf(path)
    elif suffix == ".mat":
        from app.core.recording_sparcnet import open_sparcnet  # noqa: PLC0415 - scipy.io, mne

        opened = open_sparcnet(path)
    else:
        opened = open_mne_file(path, suffix)
    recording = Recording(opened)
    log.info("opened %r", recording)
    return recording
