"""Whole-recording analysis: input choice, chunking and stitching, the model on simulated
seizures, session storage (complete flag, checksum keying), resume, and failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from app.core.analysis import Analysis, channel_view, new_analysis, run_analysis
from app.core.analysis_input import Chunk, choose_input, plan_chunks
from app.core.analysis_run import AnalysisOutcome, analyse, load_model
from app.core.analysis_store import (
    expected_checkpoint_sha256,
    load_analysis,
    load_event_params,
    load_reviews,
    save_reviews,
)
from app.core.errors import AnalysisError
from app.core.events import EventParams, set_review
from app.core.recording import open_recording
from app.core.session import Session
from app.core.simulate import SCALP_19, SimulationSpec, scalp_channels, seeg_channels, write_edf
from models.api import WEIGHTS_DIR
from tests.core.analysis_helpers import (  # noqa: F401 - fixture
    FakeDetector,
    analysis_of,
    overlaps,
    simulated,
    staircase_edf,
    torch_threads_restored,
)
from tests.core.edf_builders import Sig
from tests.core.edf_builders import write_edf as write_raw_edf

pytestmark = pytest.mark.usefixtures("torch_threads_restored")


# --- input and chunks -------------------------------------------------------------------
def test_chunks_cover_every_second_once_with_overlap_and_a_full_last_page() -> None:
    chunks = plan_chunks(1000.5, page_s=300, overlap_s=10)
    assert chunks == (
        Chunk(0, 300, 0.0, 310.0),
        Chunk(300, 600, 290.0, 610.0),
        Chunk(600, 900, 590.0, 910.0),
        Chunk(900, 1001, 690.0, 1000.5),  # short last chunk: read from 690 s (a full page)
    )
    assert plan_chunks(1000.5, 300, 10, start_s=600)[0].start_s == 600
    assert plan_chunks(25.0, 300, 10) == (Chunk(0, 25, 0.0, 25.0),)


def test_input_is_the_eeg_as_recorded_without_ecg_eog(tmp_path: Path) -> None:
    spec = SimulationSpec(duration_s=20.0, channels=scalp_channels(23))
    write_edf(spec, tmp_path / "scalp.edf")
    with open_recording(tmp_path / "scalp.edf") as rec:
        chosen = choose_input(rec)
    assert chosen.montage == "referential"
    assert chosen.names == (*SCALP_19, "A1", "A2")  # ECG and EOG never reach the model
    assert chosen.n_seconds == 20

    seeg = SimulationSpec(duration_s=20.0, channels=seeg_channels(), kind="seeg")
    write_edf(seeg, tmp_path / "seeg.edf")
    with open_recording(tmp_path / "seeg.edf") as rec:
        assert choose_input(rec).montage == "seeg"
        assert len(choose_input(rec).names) == len(seeg_channels())


def test_bipolar_recording_is_read_as_recorded(tmp_path: Path) -> None:
    ramp = np.sin(np.arange(64 * 30) / 5.0) * 50
    sigs = [Sig(name, 64, ramp) for name in ("Fp1-F7", "F7-T7", "T7-P7", "P7-O1")]
    with open_recording(write_raw_edf(tmp_path / "bip.edf", sigs)) as rec:
        chosen = choose_input(rec)
    assert chosen.montage == "bipolar"
    assert chosen.names == ("Fp1-F7", "F7-T7", "T7-P7", "P7-O1")


def test_recordings_that_cannot_be_analysed_say_why(tmp_path: Path) -> None:
    ecg_only = write_raw_edf(tmp_path / "ecg.edf", [Sig("ECG EKG", 64, np.zeros(64 * 30))])
    with open_recording(ecg_only) as rec, pytest.raises(AnalysisError, match="no usable EEG"):
        choose_input(rec)
    short = staircase_edf(tmp_path / "short.edf", seconds=5)
    with open_recording(short) as rec, pytest.raises(AnalysisError, match="5 s long"):
        choose_input(rec)


# --- stitching (a fake model whose output is the second's own index) -------------------
def test_chunks_are_stitched_second_exactly(tmp_path: Path) -> None:
    path = staircase_edf(tmp_path / "stairs.edf", seconds=1000)
    fake = FakeDetector()
    with open_recording(path) as rec:
        analysis = new_analysis(rec, fake, "fake")  # type: ignore[arg-type]
        seen: list[tuple[int, int]] = []
        run_analysis(rec, fake, analysis, on_chunk=lambda c: seen.append((c.start_s, c.stop_s)))  # type: ignore[arg-type]
    assert seen == [(0, 300), (300, 600), (600, 900), (900, 1000)]
    assert fake.calls == [310, 320, 320, 310]  # 10-s overlap read each side
    assert analysis.complete and analysis.channel_names == ("T7", "T8")
    np.testing.assert_allclose(analysis.prob, np.arange(1000) / 10_000, atol=1e-5)
    np.testing.assert_allclose(analysis.channel_prob[1], np.arange(1000) / 10_000, atol=1e-5)


def test_out_of_memory_is_a_one_line_analysis_error(tmp_path: Path) -> None:
    path = staircase_edf(tmp_path / "stairs.edf", seconds=60)
    fake = FakeDetector(fail_with=RuntimeError("CUDA out of memory. Tried to allocate 2 GiB"))
    with open_recording(path) as rec:
        analysis = new_analysis(rec, fake, "fake")  # type: ignore[arg-type]
        with pytest.raises(AnalysisError, match="out of memory on cpu at 0 s"):
            run_analysis(rec, fake, analysis)  # type: ignore[arg-type]


# --- cancel, session, resume ------------------------------------------------------------
def test_cancelled_run_is_stored_partial_and_resumes_to_the_same_result(tmp_path: Path) -> None:
    path = staircase_edf(tmp_path / "stairs.edf", seconds=1000)
    fake = FakeDetector()
    session = Session.open(path)
    chunks: list[int] = []
    with open_recording(path) as rec:
        stopped = analyse(
            rec,
            fake,  # type: ignore[arg-type]
            name="fake",
            session=session,
            on_chunk=lambda c: chunks.append(c.stop_s),
            should_stop=lambda: len(chunks) >= 2,
        )
    assert not stopped.analysis.complete and stopped.analysis.done_s == 600
    stored = session.read_analysis("fake")
    assert stored is not None and stored.complete is False  # never taken for complete
    assert load_analysis(session, "fake", checkpoint_sha256=fake.sha256, complete_only=True) is None
    partial = load_analysis(session, "fake", checkpoint_sha256=fake.sha256)
    assert partial is not None and partial.done_s == 600 and np.isnan(partial.prob[600:]).all()

    with open_recording(path) as rec:
        resumed = analyse(rec, fake, name="fake", session=Session.open(path))  # type: ignore[arg-type]
    assert resumed.analysis.complete and not resumed.reused
    assert fake.calls[2:] == [320, 310]  # only the two missing chunks were computed
    np.testing.assert_allclose(resumed.analysis.prob, np.arange(1000) / 10_000, atol=1e-4)
    assert Session.open(path).read_analysis("fake").complete is True  # type: ignore[union-attr]


def test_stored_results_belong_to_one_checkpoint(tmp_path: Path) -> None:
    path = staircase_edf(tmp_path / "stairs.edf", seconds=100)
    session = Session.open(path)
    with open_recording(path) as rec:
        analyse(rec, FakeDetector(), name="fake", session=session)  # type: ignore[arg-type]
    assert load_analysis(session, "fake", checkpoint_sha256="f" * 64) is not None
    assert load_analysis(session, "fake", checkpoint_sha256="0" * 64) is None  # retrained
    assert load_analysis(session, "fake", checkpoint_sha256=None) is None
    other = FakeDetector(sha256="0" * 64)
    with open_recording(path) as rec:
        again = analyse(rec, other, name="fake", session=session)  # type: ignore[arg-type]
    assert not again.reused and other.calls  # recomputed, not the other checkpoint's result
    with open_recording(path) as rec:
        cached = analyse(rec, other, name="fake", session=session)  # type: ignore[arg-type]
    assert cached.reused and len(other.calls) == 1


# --- the real model on simulated seizures ------------------------------------------------
@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[AnalysisOutcome, Session, Path]:
    path, _spec = simulated(tmp_path_factory.mktemp("sim") / "night.edf")
    detector = load_model("student", "cpu")
    session = Session.open(path)
    with open_recording(path) as rec:
        outcome = analyse(rec, detector, name="student", session=session)
    return outcome, session, path


def test_model_finds_the_simulated_seizures_and_their_side(analysed) -> None:
    outcome, _session, _path = analysed
    events = outcome.events
    assert outcome.analysis.complete and outcome.analysis.montage == "referential"
    assert len(outcome.analysis.channel_names) == 19  # the ECG is left out
    assert [overlaps((e.onset_s, e.end_s), (400.0, 460.0)) for e in events] == [True, False]
    assert overlaps((events[1].onset_s, events[1].end_s), (900.0, 970.0))
    right, left = events
    assert right.kind == "focal" and right.lateralisation == "right"
    assert right.type_label == "focal, right temporal"
    assert left.lateralisation == "left" and left.region == "left temporal"
    assert set(left.channels) <= {"F7", "T7", "P7", "Fp1", "C3"}
    assert set(right.channels) <= {"F8", "T8", "P8", "Fp2", "C4"}
    assert all(e.peak_prob > 0.7 for e in events)
    assert right.label == f"Seizure {right.peak_prob:.2f} · focal, right temporal"
    assert float(np.nanmax(outcome.analysis.prob[:350])) < 0.5  # quiet background


def test_results_and_events_are_in_the_session_file(analysed) -> None:
    outcome, session, path = analysed
    reopened = Session.open(path)
    stored = reopened.read_analysis("student")
    assert stored is not None and stored.complete
    meta = stored.meta
    assert meta["checkpoint_sha256"] == expected_checkpoint_sha256("student")
    assert meta["input_montage"] == "referential" and meta["fingerprint"] == session.fingerprint.key
    assert stored.arrays["prob"].dtype == np.float16
    assert stored.arrays["channel_prob"].shape == (19, 1200)
    assert list(stored.events["type"]) == [e.type_label for e in outcome.events]
    assert list(stored.events["kind"]) == ["focal", "focal"]
    again = load_analysis(
        reopened, "student", checkpoint_sha256=expected_checkpoint_sha256("student")
    )
    assert isinstance(again, Analysis) and again.complete
    np.testing.assert_allclose(again.prob, outcome.analysis.prob, atol=1e-3)


def test_review_decisions_survive_a_rewrite_of_the_results(analysed) -> None:
    outcome, session, path = analysed
    reviews = set_review((), outcome.events[0], "accepted", 1.0)
    assert load_event_params(session, "student") == EventParams()  # the run's (defaults)
    save_reviews(session, "student", reviews, EventParams(threshold=0.6, merge_gap_s=20))
    with open_recording(path) as rec:
        redo = analyse(rec, load_model("student", "cpu"), name="student", session=session,
                       resume=False)  # fmt: skip
    assert load_reviews(session, "student") == reviews
    assert load_event_params(session, "student") == EventParams(threshold=0.6, merge_gap_s=20)
    assert session.read_analysis("student").meta["threshold"] == 0.6  # type: ignore[union-attr]
    assert [e.review for e in redo.events] == ["accepted", "unreviewed"]
    save_reviews(session, "student", ())  # thresholds kept when only decisions change
    assert load_event_params(session, "student").threshold == 0.6


# --- weights --------------------------------------------------------------------------
def test_missing_or_corrupt_weights_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError, match="no such model"):
        load_model("no-such-model", "cpu")
    broken = tmp_path / "broken"
    shutil.copytree(WEIGHTS_DIR / "student", broken)
    blob = bytearray((broken / "model.safetensors").read_bytes())
    blob[-1] ^= 0xFF
    (broken / "model.safetensors").write_bytes(bytes(blob))
    with pytest.raises(AnalysisError, match="corrupted") as info:
        load_model(broken, "cpu")
    assert "\n" not in str(info.value)
    (broken / "config.json").unlink()
    with pytest.raises(AnalysisError, match=r"config\.json is missing"):
        load_model(broken, "cpu")


def test_ecam_is_shown_on_the_traces_of_any_montage() -> None:
    cp = np.array([[0.1, 0.2, 0.3], [0.9, 0.8, 0.7], [0.5, 0.5, 0.5]], np.float32)
    analysis = analysis_of(cp.max(axis=0), cp, names=("Fp1", "T7", "F7"))
    analysis.done_s = 2
    analysis.channel_prob[:, 2] = np.nan  # the last second is not computed yet
    view = channel_view(analysis, ["Fp1-F7", "T3", "F7-T7", "O1", "T7-Avg"], 0, 4)
    np.testing.assert_allclose(
        view,
        [
            [0.5, 0.5, np.nan, np.nan],  # max(Fp1, F7)
            [0.9, 0.8, np.nan, np.nan],  # T3 is T7
            [0.9, 0.8, np.nan, np.nan],
            [np.nan] * 4,  # no such electrode in the input
            [0.9, 0.8, np.nan, np.nan],
        ],
    )
    bipolar = analysis_of(cp.max(axis=0), cp, names=("Fp1-F7", "F7-T7", "T7-P7"))
    assert channel_view(bipolar, ["F7-T7"], 0, 1)[0, 0] == pytest.approx(0.9)  # exact first
    assert channel_view(bipolar, ["T7"], 0, 1)[0, 0] == pytest.approx(0.9)
