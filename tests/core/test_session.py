"""The session file: round trips, atomic rewrites, fingerprints, analysis flags, locations."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest

from app.core import session_file
from app.core.annotation import Annotation
from app.core.fingerprint import fingerprint
from app.core.session import Session, beside_path
from app.core.session_schema import SCHEMA_VERSION, AnnotationEntry, HistoryEntry
from tests.core.session_builders import seizure, sha256_of, write_short_edf

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def edf(tmp_path: Path) -> Path:
    return write_short_edf(tmp_path / "night.edf")


def _entries() -> list[AnnotationEntry]:
    return [
        AnnotationEntry("a1", seizure(2.0, 3.0), 100.0, 101.0),
        AnnotationEntry("a2", Annotation(5.5, 0.0, "Spike, sharp", ("T7", "F7"), "user"), 1, 2),
        AnnotationEntry("a3", Annotation(9.0, 1.0, "Artefact", (), "user"), 3, 4, deleted=True),
    ]


def _history() -> list[HistoryEntry]:
    return [HistoryEntry(101.0, "add", "a1", "", '{"onset": 2.0}')]


def test_annotations_round_trip_next_to_the_recording(edf: Path, tmp_path: Path) -> None:
    session = Session.open(edf, data_dir=tmp_path / "private")
    assert session.path == tmp_path / "night.edf.ictal.h5"
    assert not session.exists() and session.notice == ""
    assert session.read_annotations() == ([], [])
    session.write_annotations(_entries(), _history())
    again = Session.open(edf, data_dir=tmp_path / "private")
    assert again.notice == ""
    entries, history = again.read_annotations()
    assert entries == _entries()
    assert history == _history()
    with h5py.File(session.path, "r") as h5:
        assert h5.attrs["schema_version"] == SCHEMA_VERSION
        assert h5.attrs["fingerprint_size"] == edf.stat().st_size
        assert h5.attrs["recording"] == "night.edf"
        assert h5["annotations/table"].shape == (3,)
        assert h5["annotations/table"].dtype.names[:3] == ("onset", "duration", "description")


def test_the_recording_is_never_modified(edf: Path, tmp_path: Path) -> None:
    before = sha256_of(edf)
    session = Session.open(edf, data_dir=tmp_path / "private")
    session.write_annotations(_entries(), _history())
    session.write_analysis("m", {"prob": np.zeros(20, np.float16)}, complete=True)
    assert sha256_of(edf) == before


def test_analysis_round_trip_and_incomplete_run_flagged(edf: Path, tmp_path: Path) -> None:
    session = Session.open(edf, data_dir=tmp_path)
    prob = np.linspace(0, 1, 20).astype(np.float16)
    channel_prob = np.arange(19 * 20, dtype=np.float16).reshape(19, 20) / 400
    events = {"onset": [6.0], "duration": [8.0], "type": ["focal"], "probability": [0.93]}
    session.write_analysis(
        "ictal-small/v1",
        {"prob": prob[:10]},
        events,
        {"checksum": "abc", "montage": "double_banana"},
        complete=False,
    )
    partial = session.read_analysis("ictal-small/v1")
    assert partial is not None and partial.complete is False
    np.testing.assert_array_equal(partial.arrays["prob"], prob[:10])
    assert partial.events["type"].tolist() == ["focal"]
    assert partial.meta["checksum"] == "abc" and partial.model == "ictal-small/v1"
    session.write_analysis(
        "ictal-small/v1", {"prob": prob, "channel_prob": channel_prob}, events, complete=True
    )
    done = session.read_analysis("ictal-small/v1")
    assert done is not None and done.complete is True
    assert done.arrays["prob"].dtype == np.float16
    np.testing.assert_array_equal(done.arrays["channel_prob"], channel_prob)
    assert "checksum" not in done.meta  # a new write replaces the old results entirely
    assert session.analysis_models() == ("ictal-small/v1",)
    assert session.read_analysis("other") is None


def test_a_group_without_the_complete_flag_is_not_complete(edf: Path, tmp_path: Path) -> None:
    session = Session.open(edf, data_dir=tmp_path)
    session.write_group("analysis/legacy", {"prob": np.ones(3)})
    result = session.read_analysis("legacy")
    assert result is not None and result.complete is False


def test_rewrites_keep_the_other_groups(edf: Path, tmp_path: Path) -> None:
    session = Session.open(edf, data_dir=tmp_path)
    channel_prob = np.random.default_rng(0).random((19, 3600)).astype(np.float16)
    session.write_analysis("m", {"channel_prob": channel_prob}, complete=True)
    session.write_group("analysis/m/review", {"state": np.array([1, 0, 2])}, {"by": "rev"})
    session.write_group("trends/cdsa", {"left": np.ones((4, 5), np.float32)}, {"step_s": 30})
    session.write_annotations(_entries(), _history())
    session.write_annotations(_entries()[:1], _history())
    trends = session.read_group("trends/cdsa")
    assert trends is not None and trends.attrs["step_s"] == 30
    np.testing.assert_array_equal(trends.arrays["left"], np.ones((4, 5)))
    result = session.read_analysis("m")
    assert result is not None and result.complete
    np.testing.assert_array_equal(result.arrays["channel_prob"], channel_prob)
    # new results of the model keep the reviewer's decisions on its events
    session.write_analysis("m", {"prob": np.zeros(3, np.float16)}, complete=False)
    review = session.read_group("analysis/m/review")
    assert review is not None and review.arrays["state"].tolist() == [1, 0, 2]
    assert session.read_annotations()[0] == _entries()[:1]
    with pytest.raises(ValueError, match="write_annotations"):
        session.write_group("annotations", {"x": np.ones(1)})


def test_a_failed_write_leaves_the_old_file(
    edf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.open(edf, data_dir=tmp_path)
    session.write_annotations(_entries(), _history())
    before = session.path.read_bytes()

    def broken_table(group, name, columns):  # the disk fills up halfway through
        group.create_dataset("half", data=np.ones(10))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.core.session.write_table", broken_table)
    with pytest.raises(OSError, match="No space"):
        session.write_annotations(_entries()[:1], [])
    monkeypatch.undo()
    assert session.path.read_bytes() == before
    assert Session.open(edf, data_dir=tmp_path).read_annotations()[0] == _entries()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_process_killed_mid_write_leaves_the_old_file(edf: Path, tmp_path: Path) -> None:
    session = Session.open(edf, data_dir=tmp_path)
    session.write_annotations(_entries(), _history())
    script = textwrap.dedent(
        f"""
        import os, signal, numpy as np
        from app.core.session import Session
        import app.core.session as s
        def dying_table(group, name, columns):
            group.create_dataset("half", data=np.ones(100000))
            group.file.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        s.write_table = dying_table
        Session.open({str(edf)!r}, data_dir=__import__("pathlib").Path({str(tmp_path)!r}))\\
            .write_annotations([], [])
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=60, check=False
    )
    assert child.returncode == -9, child.stderr.decode()
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1  # the half-written temporary, never the session itself
    assert Session.open(edf, data_dir=tmp_path).read_annotations() == (_entries(), _history())
    os.utime(leftovers[0], (0, 0))  # an hour later, the next open tidies it away
    Session.open(edf, data_dir=tmp_path)
    assert not leftovers[0].exists()


def test_a_session_of_another_recording_is_set_aside(edf: Path, tmp_path: Path) -> None:
    other = write_short_edf(tmp_path / "other.edf", seed=4)
    Session.open(other, data_dir=tmp_path).write_annotations(_entries(), _history())
    shutil.copy(beside_path(other), beside_path(edf))  # e.g. a renamed or copied night
    session = Session.open(edf, data_dir=tmp_path)
    assert "different recording" in session.notice
    assert session.read_annotations() == ([], [])
    aside = list(tmp_path.glob("night.edf.ictal.mismatch-*.h5"))
    assert len(aside) == 1
    with h5py.File(aside[0], "r") as h5:  # kept intact, not destroyed
        assert h5["annotations/table"].shape == (3,)


def test_an_unreadable_or_newer_session_is_set_aside(edf: Path, tmp_path: Path) -> None:
    beside_path(edf).write_bytes(b"not hdf5 at all")
    session = Session.open(edf, data_dir=tmp_path)
    assert "cannot be read" in session.notice
    assert len(list(tmp_path.glob("night.edf.ictal.unreadable-*.h5"))) == 1
    session.write_annotations(_entries(), [])
    with h5py.File(session.path, "a") as h5:
        h5.attrs["schema_version"] = SCHEMA_VERSION + 1
    assert "newer Ictal" in Session.open(edf, data_dir=tmp_path).notice


def test_read_only_folder_uses_the_data_dir(edf: Path, tmp_path: Path) -> None:
    Session.open(edf, data_dir=tmp_path / "x").write_annotations(_entries(), [])
    private = tmp_path / "private"
    session = Session.open(edf, data_dir=private, writable=lambda folder: False)
    assert session.path.parent == private
    assert fingerprint(edf).key in session.path.name
    assert session.read_annotations()[0] == _entries()  # the existing session came along
    session.write_annotations(_entries()[:1], [])
    assert Session.open(edf, data_dir=private, writable=lambda f: False).read_annotations()[0] == [
        _entries()[0]
    ]
    fresh = write_short_edf(tmp_path / "fresh.edf", seed=5)  # no session anywhere yet
    new = Session.open(fresh, data_dir=tmp_path / "new" / "dir", writable=lambda f: False)
    new.write_annotations(_entries(), [])
    assert new.path.parent == tmp_path / "new" / "dir" and not beside_path(fresh).exists()


def test_a_folder_that_turns_read_only_falls_back_to_the_data_dir(
    edf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = tmp_path / "private"
    session = Session.open(edf, data_dir=private)
    session.write_annotations(_entries(), [])
    real = session_file.tempfile.mkstemp

    def refuse_recording_folder(*args, **kwargs):
        if Path(kwargs["dir"]) == edf.parent:
            raise PermissionError(13, "Permission denied")
        return real(*args, **kwargs)

    monkeypatch.setattr(session_file.tempfile, "mkstemp", refuse_recording_folder)
    session.write_annotations(_entries()[:2], [])
    assert session.path.parent == private
    assert session.read_annotations()[0] == _entries()[:2]


def test_fingerprint_is_cheap_and_sensitive(edf: Path, tmp_path: Path) -> None:
    fp = fingerprint(edf)
    copy = tmp_path / "copy.edf"
    shutil.copy(edf, copy)
    assert fingerprint(copy) == fp
    data = bytearray(copy.read_bytes())
    data[-3] ^= 0xFF  # a different last record
    copy.write_bytes(bytes(data))
    changed = fingerprint(copy)
    assert changed.size == fp.size and changed.header_sha256 == fp.header_sha256
    assert changed.records_sha256 != fp.records_sha256
    other = tmp_path / "notes.fif"
    other.write_bytes(os.urandom(200_000))
    assert fingerprint(other).size == 200_000


def _write_own_group(path: str, name: str, times: int) -> None:
    """Child process body: rewrite this process's own group ``times`` times."""
    session = Session.open(Path(path))
    for i in range(times):
        session.write_group(f"proc/{name}", {"i": np.array([i])})


def test_two_processes_writing_their_own_groups_keep_each_other_s(edf: Path) -> None:
    """The window and `ictal analyze` on one recording: no rewrite loses the other's group."""
    import multiprocessing

    Session.open(edf).write_group("proc/seed", {"i": np.array([0])})
    context = multiprocessing.get_context("spawn")
    times = 25
    workers = [
        context.Process(target=_write_own_group, args=(str(edf), name, times))
        for name in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    session = Session.open(edf)
    for name in ("a", "b", "seed"):
        stored = session.read_group(f"proc/{name}")
        assert stored is not None, name
    assert [int(session.read_group(f"proc/{n}").arrays["i"][0]) for n in "ab"] == [times - 1] * 2  # type: ignore[union-attr]
