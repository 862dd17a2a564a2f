"""The error contract on broken input: one line ``ictal: <what> : <why>``, exit status 2.

A reviewer handed a half-copied or mislabelled file must get a sentence, not a
traceback; a bug in Ictal must say so (exit 1) and leave its traceback in a log file.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli import main as cli
from app.core.errors import RecordingError
from tests.core.broken_files import (
    BROKEN_NAMES,
    N_RECORDS,
    BrokenFile,
    header_size,
    make_broken_files,
    record_size,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _private_log_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Crash logs of these tests go to tmp_path, never to the user's log dir."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BrokenFile]:
    cases = make_broken_files(tmp_path_factory.mktemp("broken"))
    return {case.name: case for case in cases}


def assert_one_line_error(err: str) -> None:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ictal: ")
    assert " : " in lines[0]


def test_the_generator_breaks_what_it_says(broken: dict[str, BrokenFile]) -> None:
    assert sorted(broken) == sorted(BROKEN_NAMES)
    valid = (broken["truncated"].path.parent / "valid.edf").read_bytes()
    header, record = header_size(valid), record_size(valid)
    assert len(valid) == header + N_RECORDS * record
    truncated = broken["truncated"].path.read_bytes()
    assert len(truncated) == header + 2 * record + record // 2
    assert broken["header_only"].path.stat().st_size == header
    assert (
        broken["bad_header_bytes"].path.read_bytes()[184:192].strip() == str(header + 256).encode()
    )
    assert broken["too_many_records"].path.read_bytes()[236:244].strip() == b"100"
    assert broken["empty"].path.stat().st_size == 0
    assert not broken["missing"].path.exists()
    assert broken["folder"].path.is_dir()


@pytest.mark.parametrize("name", BROKEN_NAMES)
def test_open_recording_raises_recording_error(name: str, broken: dict[str, BrokenFile]) -> None:
    from app.core.recording import open_recording

    with pytest.raises(RecordingError) as caught:
        open_recording(broken[name].path).close()
    assert str(broken[name].path.name) in caught.value.what
    assert caught.value.why


@pytest.mark.parametrize("name", BROKEN_NAMES)
@pytest.mark.parametrize("json_flag", [False, True])
def test_info_in_process(
    name: str, json_flag: bool, broken: dict[str, BrokenFile], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["info", str(broken[name].path)] + (["--json"] if json_flag else [])
    assert cli.main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_line_error(err)
    assert broken[name].path.name in err


def test_info_as_subprocesses(broken: dict[str, BrokenFile]) -> None:
    """``python -m app info BROKEN`` for every case, run side by side to keep it quick."""
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "app", "info", str(broken[name].path)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in BROKEN_NAMES
    }
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 2, (name, err)
        assert out == "", name
        assert_one_line_error(err)


# --- the contract for commands in general --------------------------------------------------


def register(monkeypatch: pytest.MonkeyPatch, run: Callable[[object], int]) -> None:
    """Add a command ``boom`` whose run() is ``run``."""

    def add_parser(subparsers: object) -> None:
        parser = subparsers.add_parser("boom")  # type: ignore[attr-defined]
        parser.set_defaults(run=run)

    monkeypatch.setitem(sys.modules, "fake_boom", types.SimpleNamespace(add_parser=add_parser))
    monkeypatch.setattr(cli, "COMMANDS", [*cli.COMMANDS, cli.Command("boom", "fake_boom", "")])


def test_user_error_is_one_line_even_when_why_is_not(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(args: object) -> int:
        raise RecordingError("night.edf", "header says 100 records\nthe file holds 10")

    register(monkeypatch, run)
    assert cli.main(["boom"]) == 2
    err = capsys.readouterr().err
    assert err == "ictal: night.edf : header says 100 records the file holds 10\n"


def test_internal_error_exits_1_and_logs_the_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(args: object) -> int:
        raise ZeroDivisionError("a bug\nspanning lines")

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    register(monkeypatch, run)
    assert cli.main(["boom"]) == 1
    err = capsys.readouterr().err
    assert_one_line_error(err)
    assert err.startswith("ictal: internal error : ZeroDivisionError: a bug spanning lines")
    log = Path(err.split("(traceback in ", 1)[1].rstrip(")\n"))
    assert log.is_relative_to(tmp_path)
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text
    assert "ZeroDivisionError: a bug" in text


def test_ctrl_c_exits_130_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(args: object) -> int:
        raise KeyboardInterrupt

    register(monkeypatch, run)
    assert cli.main(["boom"]) == 130
    assert capsys.readouterr() == ("", "")


def test_usage_errors_keep_argparse_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["info"]) == 2  # FILE missing
    err = capsys.readouterr().err
    assert "the following arguments are required: FILE" in err
    assert "Traceback" not in err


def test_ctrl_c_while_writing_exits_130_and_leaves_nothing(tmp_path: Path) -> None:
    """A real SIGINT to ``ictal simulate`` mid-write: status 130, silent, no partial file."""
    out = tmp_path / "night.edf"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "simulate", "--out", str(out), "--hours", "4"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(600):  # wait (up to 30 s) until the writer has started
            if any(tmp_path.glob(".night.edf.*")) or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the 4-hour write finished before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130
    assert (stdout, stderr) == ("", "")
    assert [p.name for p in tmp_path.iterdir() if p.name != "state"] == []  # no .part left
