"""Recordings read through mne: shared pieces, and BrainVision, EEGLAB and FIF.

Every format ends up as an :class:`OpenedRaw`: a non-preloaded mne ``Raw``
plus Ictal's header, channel and annotation values and, per channel, the
factor that turns mne's SI values into the channel's unit (µV for voltages).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.core.annotation import Annotation
from app.core.channels import ChannelType, dedupe, infer_types, normalize_name
from app.core.errors import RecordingError
from app.core.recording_info import MICROVOLT, Channel, PatientInfo, RecordingInfo

log = logging.getLogger(__name__)

#: mne channel types that say more than "eeg" (mne's default for unknown labels).
_MNE_TYPES = {
    "seeg": ChannelType.SEEG,
    "ecog": ChannelType.SEEG,
    "dbs": ChannelType.SEEG,
    "eog": ChannelType.EOG,
    "ecg": ChannelType.ECG,
    "emg": ChannelType.EMG,
    "resp": ChannelType.RESP,
    "stim": ChannelType.ANNOTATION,
    "misc": ChannelType.MISC,
    "bio": ChannelType.MISC,
    "syst": ChannelType.MISC,
}


@dataclass(frozen=True, slots=True)
class OpenedRaw:
    """A lazily read mne Raw with the Ictal values that describe it.

    ``scales[i]`` multiplies mne's values of channel ``i`` into
    ``channels[i].unit``. ``record_samples`` (EDF/BDF only) is the data-record
    length at the common rate: reads of slower channels are aligned to it
    (see ``Recording.read_page``). When ``read_annotations`` is set, the file's
    annotations are read through it on first use instead of being in
    ``annotations`` (an EDF+C night: a scan of the whole file).
    """

    raw: Any  # mne.io.BaseRaw (untyped library)
    info: RecordingInfo
    channels: tuple[Channel, ...]
    annotations: tuple[Annotation, ...]
    scales: npt.NDArray[np.float64]
    record_samples: int | None = None
    read_annotations: Callable[[], tuple[Annotation, ...]] | None = None


def describe(exc: BaseException) -> str:
    """A one-line reason from a library exception (its message, else its type)."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def build_channels(
    raw_names: Sequence[str],
    reader_names: Sequence[str],
    sfreqs: Sequence[float],
    units: Sequence[str],
    reader_types: Sequence[str] | None = None,
) -> tuple[Channel, ...]:
    """Channels with normalised unique names and types inferred in context.

    ``reader_names`` are mne's (unique) names, from which display names are
    derived; ``reader_types`` are mne's types, used where they are more
    specific than ``eeg`` (FIF files store real types).
    """
    names = dedupe([normalize_name(n) for n in reader_names])
    types = infer_types(list(raw_names), names)
    if reader_types is not None:
        types = [_MNE_TYPES.get(m, t) for m, t in zip(reader_types, types, strict=True)]
    return tuple(
        Channel(index=i, name=n, raw_name=r, type=t, sfreq=float(f), unit=u)
        for i, (n, r, t, f, u) in enumerate(
            zip(names, raw_names, types, sfreqs, units, strict=True)
        )
    )


def mne_annotations(raw: Any, source: str) -> tuple[Annotation, ...]:
    """mne annotations as :class:`Annotation` values, onsets from the first sample."""
    annots = raw.annotations
    offset = float(raw.first_time) if annots.orig_time is not None else 0.0
    out = []
    for onset, duration, description, ch_names in zip(
        annots.onset, annots.duration, annots.description, annots.ch_names, strict=True
    ):
        out.append(
            Annotation(
                onset=float(onset) - offset,
                duration=float(duration),
                description=str(description),
                channels=tuple(str(c) for c in ch_names),
                source=source,
            )
        )
    return tuple(out)


def mne_patient(raw: Any) -> PatientInfo:
    """Patient fields from mne's ``subject_info``."""
    subject = raw.info.get("subject_info") or {}
    name = " ".join(str(subject[k]) for k in ("first_name", "last_name") if subject.get(k))
    birthday = subject.get("birthday")
    return PatientInfo(
        code=str(subject.get("his_id") or ""),
        name=name,
        sex={1: "M", 2: "F"}.get(int(subject.get("sex") or 0), ""),
        birthdate=birthday if isinstance(birthday, date) else None,
    )


def mne_start(raw: Any) -> datetime | None:
    """The measurement start as a naive clock time, as stored in the file."""
    meas_date = raw.info.get("meas_date")
    if not isinstance(meas_date, datetime):
        return None
    return meas_date.replace(tzinfo=None)


#: mne channel types whose values are voltages (returned in V by mne).
_VOLTAGE_TYPES = {"eeg", "seeg", "ecog", "dbs", "eog", "ecg", "emg"}


def _voltage(raw: Any, index: int, mne_type: str) -> bool:
    from mne.io.constants import FIFF  # noqa: PLC0415 - mne only for these formats

    unit_v = int(raw.info["chs"][index]["unit"]) == int(FIFF.FIFF_UNIT_V)
    return unit_v and mne_type in _VOLTAGE_TYPES


#: Format name and mne reader function (in ``mne.io``) per file suffix.
_READERS: dict[str, tuple[str, str]] = {
    ".vhdr": ("BrainVision", "read_raw_brainvision"),
    ".set": ("EEGLAB", "read_raw_eeglab"),
    ".fif": ("FIF", "read_raw_fif"),
}


def open_mne_file(path: Path, suffix: str) -> OpenedRaw:
    """Open a BrainVision, EEGLAB or FIF file lazily through mne."""
    import mne.io  # noqa: PLC0415 - ~0.3 s: not on the way to an EDF's first page

    fmt, name = _READERS[".fif" if suffix == ".fif.gz" else suffix]
    reader: Callable[..., Any] = getattr(mne.io, name)
    try:
        raw = reader(path, preload=False, verbose="error")
    except Exception as exc:  # mne raises many exception types for broken files
        raise RecordingError(str(path), f"cannot read {fmt} file: {describe(exc)}") from exc
    sfreq = float(raw.info["sfreq"])
    n_ch = len(raw.ch_names)
    mne_types = raw.get_channel_types()
    voltage = [_voltage(raw, i, t) for i, t in enumerate(mne_types)]
    channels = build_channels(
        raw.ch_names,
        raw.ch_names,
        [sfreq] * n_ch,
        [MICROVOLT if v else "" for v in voltage],
        mne_types,
    )
    info = RecordingInfo(
        path=path,
        format=fmt,
        patient=mne_patient(raw),
        start=mne_start(raw),
        duration_s=float(raw.n_times / sfreq),
        sfreq=sfreq,
        n_samples=int(raw.n_times),
        file_size=path.stat().st_size,
        recording_id=str(raw.info.get("description") or ""),
        technician=str(raw.info.get("experimenter") or ""),
    )
    return OpenedRaw(
        raw=raw,
        info=info,
        channels=channels,
        annotations=mne_annotations(raw, fmt.lower()),
        scales=np.array([1e6 if v else 1.0 for v in voltage]),
    )
