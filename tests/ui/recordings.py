"""Small EDF+ recordings with known content for the viewer tests.

Each channel carries a sine whose amplitude and frequency say which channel it is, so a
test can check that the drawn trace is the right channel, montage and scale. Channel
``k`` (0-based) of the scalp set is a ``(k + 1)`` Hz sine of ``10 * (k + 1)`` µV; the
ECG is a 1 Hz, 1000 µV sine. Annotations at known times for navigation tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

SCALP = ("Fp1 F3 C3 P3 F7 T3 T5 O1 Fz Cz Pz Fp2 F4 C4 P4 F8 T4 T6 O2").split()  # noqa: SIM905
ANNOTATIONS = ((30.0, 5.0, "Seizure"), (75.0, 0.0, "Spike"), (100.0, 2.0, "Artefact"))
SFREQ = 256.0


def channel_amplitude_uv(k: int) -> float:
    return 10.0 * (k + 1)


def write_test_edf(path: Path, duration_s: int = 120, sfreq: float = SFREQ) -> Path:
    """An EDF+C with the 19 scalp electrodes (``EEG X-REF``) and an ECG, 2-min long."""
    import edfio

    t = np.arange(int(duration_s * sfreq)) / sfreq
    signals = []
    for k, name in enumerate(SCALP):
        data = channel_amplitude_uv(k) * np.sin(2 * np.pi * (k + 1) * t)
        signals.append(
            edfio.EdfSignal(
                data,
                sfreq,
                label=f"EEG {name}-REF",
                physical_dimension="uV",
                physical_range=(-3000.0, 3000.0),
            )
        )
    ecg = 1000.0 * np.sin(2 * np.pi * 1.0 * t)
    signals.append(
        edfio.EdfSignal(
            ecg, sfreq, label="ECG EKG", physical_dimension="uV", physical_range=(-3000.0, 3000.0)
        )
    )
    edf = edfio.Edf(
        signals,
        patient=edfio.Patient(code="TEST-01", sex="F", name="Test_Patient"),
        recording=edfio.Recording(startdate=dt.date(2024, 1, 1)),
        starttime=dt.time(22, 0, 0),
        data_record_duration=1.0,
        annotations=[edfio.EdfAnnotation(o, d or None, s) for o, d, s in ANNOTATIONS],
    )
    edf.write(path)
    return path


def write_broken_edf(path: Path) -> Path:
    """A file named .edf that is not an EDF (what a failed copy leaves behind)."""
    path.write_bytes(b"0       this is not an EDF header" + b"\x00" * 64)
    return path
