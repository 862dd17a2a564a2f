"""``ictal analyze``: a batch goes on past a broken file, exits 2 with one line for it,
and writes the session file and a BIDS events.tsv for every recording it analysed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.annotation_io.bids import read_bids_events
from app.core.session import Session
from tests.core.analysis_helpers import overlaps, simulated, torch_threads_restored  # noqa: F401

pytestmark = pytest.mark.usefixtures("torch_threads_restored")


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, _spec = simulated(tmp_path_factory.mktemp("cli") / "night.edf")
    return path


def test_batch_processes_the_good_file_and_reports_the_broken_one(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.edf"
    broken.write_bytes(b"0       " + b"garbage" * 10)
    out = tmp_path / "out"
    status = main(["analyze", str(broken), str(good), "--out", str(out), "--json"])
    captured = capsys.readouterr()
    assert status == 2
    errors = [line for line in captured.err.splitlines() if line.startswith("ictal:")]
    assert len(errors) == 1 and errors[0].startswith(f"ictal: {broken} : ")
    result = json.loads(captured.out)
    assert result["failed"] == 1 and len(result["results"]) == 1
    night = result["results"][0]
    assert {"file", "model", "duration_s", "elapsed_s", "events", "session"} <= set(night)
    assert night["file"] == str(good) and night["model"] == "student"
    assert night["duration_s"] == 1200.0 and night["complete"] is True
    spans = [(e["onset"], e["onset"] + e["duration"]) for e in night["events"]]
    assert [any(overlaps(s, t) for s in spans) for t in [(400, 460), (900, 970)]] == [True, True]
    first = night["events"][0]
    assert set(first) >= {"onset", "duration", "probability", "type", "channels"}
    assert first["type"] == "focal, right temporal" and first["probability"] > 0.7

    session = Path(night["session"])
    assert session.parent == out and session.name.startswith("night.edf-")
    assert not (good.parent / "night.edf.ictal.h5").exists()  # --out: nothing beside it
    tsv = Path(night["events_tsv"])
    assert tsv == out / "night_events.tsv"
    rows = read_bids_events(tsv)
    assert [(a.onset, a.duration) for a in rows] == [(s[0], s[1] - s[0]) for s in spans]
    assert rows[0].description.startswith("seizure detected p=0.")
    assert rows[0].description.endswith("; focal, right temporal (" + first["type_source"] + ")")
    assert rows[0].channels == tuple(first["channels"])


def test_one_file_prints_its_object_and_a_second_run_reuses_the_session(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "night.edf"
    copy.write_bytes(good.read_bytes())
    assert main(["analyze", str(copy), "--json", "--threshold", "0.6"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["session"] == str(copy.with_name("night.edf.ictal.h5"))
    assert first["reused"] is False and Path(first["events_tsv"]).parent == tmp_path
    assert Session.open(copy).read_analysis("student").complete  # type: ignore[union-attr]
    assert main(["analyze", str(copy)]) == 0
    text = capsys.readouterr().out
    assert "reused stored results" in text and "focal, right temporal" in text


def test_missing_model_is_one_line_and_exit_2(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(good), "--model", "no-such-model"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("ictal: model 'no-such-model' : no such model")


def test_bad_threshold_is_a_usage_error(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(good), "--threshold", "1.5"]) == 2
    assert "threshold must be in (0, 1]" in capsys.readouterr().err
