"""The values that describe an open recording: who, when, how it was sampled.

These are the frozen domain values that :mod:`app.core.recording` hands out;
they live here so the format readers (``recording_edf``, ``recording_mne``,
``recording_sparcnet``) can build them without importing the ``Recording``
class itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.core.channels import ChannelType

#: The unit every voltage channel is returned in by ``Recording.read_page``.
MICROVOLT = "µV"


@dataclass(frozen=True, slots=True)
class PatientInfo:
    """The patient as identified in the file header (EDF+ subfields where present).

    Empty strings and ``None`` mean "not given" (EDF+ writes ``X``). ``raw``
    keeps the header text as written, which for plain EDF is free text.
    """

    code: str = ""
    name: str = ""
    sex: str = ""  # "M", "F" or "" (unknown)
    birthdate: date | None = None
    raw: str = ""


@dataclass(frozen=True, slots=True)
class Gap:
    """Time missing from an EDF+D (discontinuous) recording.

    Ictal shows a discontinuous recording as its data records placed end to
    end (as mne reads them), so the data timeline has no holes; ``onset`` is
    where the gap falls on that timeline (seconds from the first sample) and
    ``duration`` how much clock time was not recorded there. ``clock_onset``
    is the same point in seconds of clock time after the recording start.
    """

    onset: float
    duration: float
    clock_onset: float


@dataclass(frozen=True, slots=True)
class Channel:
    """One signal of a recording.

    ``name`` is the normalised display name (``EEG FP1-REF`` -> ``Fp1``),
    ``raw_name`` the label in the file. ``sfreq`` is the channel's own
    sampling rate as stored; pages are read at the recording's common rate
    (``RecordingInfo.sfreq``), upsampling slower channels. ``unit`` is the unit
    of the values ``read_page`` returns: ``µV`` for every voltage channel,
    otherwise the file's physical unit (``%`` for SpO2, ``bpm``...).
    """

    index: int
    name: str
    raw_name: str
    type: ChannelType
    sfreq: float
    unit: str = MICROVOLT

    @property
    def is_voltage(self) -> bool:
        return self.unit == MICROVOLT


@dataclass(frozen=True, slots=True)
class RecordingInfo:
    """Header facts of a recording.

    ``format`` reads like ``EDF+C``, ``EDF+D``, ``EDF``, ``BDF+C``,
    ``BrainVision``, ``EEGLAB``, ``FIF`` or ``SPaRCNet MAT``. ``start`` is the
    clock time of the first sample as written in the file (naive: EDF has no
    time zone), ``None`` when the file gives none. ``duration_s`` is the
    length of the data timeline (``n_samples / sfreq``). ``n_records`` and
    ``record_duration_s`` describe the EDF/BDF data-record layout (``None``
    for formats without records). ``gaps`` is non-empty only for EDF+D files
    whose records are not contiguous.
    """

    path: Path
    format: str
    patient: PatientInfo
    start: datetime | None
    duration_s: float
    sfreq: float
    n_samples: int
    file_size: int
    n_records: int | None = None
    record_duration_s: float | None = None
    recording_id: str = ""
    technician: str = ""
    equipment: str = ""
    gaps: tuple[Gap, ...] = field(default=())

    @property
    def discontinuous(self) -> bool:
        """True when clock time is missing between some data records (EDF+D)."""
        return bool(self.gaps)
