"""A small identified recording and a fake analysis of it, for the report tests.

The recording is a 3-minute generated EEG with one focal left temporal seizure and a
patient in its EDF+ header ("Jane Q Testperson", ID "PAT-4711", born 1980-05-17), so
the anonymisation tests have something to remove. The analysis is made up (no model
run): probability high over the seizure, the ECAM highest on F7/T7/P7.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from app.core.annotation import Annotation
from app.core.edf_writer import EdfPatient, write_edf_plus
from app.core.report.sources import NoteRow, ReportSources
from app.core.simulate import SeizureSpec, SimulationSpec, edf_channels, generate, truth_annotations

PATIENT_NAME = "Jane Q Testperson"
PATIENT_ID = "PAT-4711"
BIRTH = date(1980, 5, 17)
#: Texts that must not appear anywhere in an anonymised report or its companions.
IDENTIFIERS = ("Testperson", "Jane", PATIENT_ID, "1980-05-17", "17-MAY-1980", "17.05.1980")

SPEC = SimulationSpec(
    duration_s=180.0,
    seed=11,
    seizures=(SeizureSpec(onset_s=60.0, duration_s=40.0, region="left_temporal"),),
    spikes_per_hour=0.0,
)
ANALYSIS_CHANNELS = ("Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T7", "C3", "Cz", "C4", "T8",
                     "P7", "P3", "Pz", "P4", "P8", "O1", "O2")  # fmt: skip


def write_identified_edf(path: Path) -> Path:
    """The 3-minute recording with the identified patient; returns ``path``."""
    write_edf_plus(
        path,
        channels=edf_channels(SPEC),
        sfreq=SPEC.sfreq,
        duration_s=SPEC.duration_s,
        chunk=lambda start, duration: generate(SPEC, start, duration),
        start=SPEC.start,
        annotations=truth_annotations(SPEC, spikes=False),
        patient=EdfPatient(code=PATIENT_ID, sex="F", birthdate=BIRTH, name="Jane_Q_Testperson"),
    )
    return path


@dataclass(frozen=True, slots=True)
class FakeModel:
    name: str = "student"
    model_name: str = "ictal-student"
    version: str = "0.1.0"
    checkpoint_sha256: str = "ab" * 32


@dataclass(frozen=True, slots=True)
class FakeEvent:
    onset_s: float
    duration_s: float
    peak_prob: float = 0.97
    peak_s: float = 0.0
    type_label: str = "focal, left temporal"
    type_source: str = "ECAM onset"
    channels: tuple[str, ...] = ("T7", "F7", "P7")
    review: str = "unreviewed"
    lateralisation: str = "left"


def fake_arrays(n_seconds: int = 180) -> tuple[np.ndarray, np.ndarray]:
    """(prob, channel_prob) with the seizure at 60-100 s, strongest on F7, T7, P7."""
    prob = np.full(n_seconds, 0.05, np.float32)
    prob[60:100] = 0.95
    channel_prob = np.full((len(ANALYSIS_CHANNELS), n_seconds), 0.03, np.float32)
    for name, value in (("T7", 0.9), ("F7", 0.8), ("P7", 0.7), ("C3", 0.3)):
        channel_prob[ANALYSIS_CHANNELS.index(name), 60:100] = value
    return prob, channel_prob


def fake_sources(
    events: tuple[FakeEvent, ...] = (FakeEvent(60.0, 40.0, review="accepted"),),
    notes: tuple[NoteRow, ...] = (),
) -> ReportSources:
    prob, channel_prob = fake_arrays()
    return ReportSources(
        model=FakeModel(),
        channel_names=ANALYSIS_CHANNELS,
        prob=prob,
        channel_prob=channel_prob,
        events=events,
        annotations=notes,
        input_montage="referential",
        threshold=0.5,
    )


def reviewer_note(onset: float, duration: float, text: str) -> NoteRow:
    return NoteRow(onset, duration, text, (), "reviewer")


def as_annotation(note: NoteRow) -> Annotation:
    return Annotation(note.onset, note.duration, note.description, note.channels, "user")
