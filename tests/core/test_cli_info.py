"""The ``ictal`` command line: parser conventions, ``ictal info`` and ``ictal simulate``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main as cli
from app.cli.common import format_clock, format_hms, format_number
from tests.core.broken_files import LABELS, SFREQ, write_valid_edf

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "PySide6", "pyqtgraph")


@pytest.fixture(autouse=True)
def _private_log_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Crash logs of these tests go to tmp_path, never to the user's log dir."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def run_ictal(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m app ARGS`` from the repository root, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    """Run ``main`` in-process with ``--json``; stdout must be exactly one JSON object."""
    assert cli.main([*args, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    result = json.loads(out)
    assert isinstance(result, dict)
    return result


@pytest.fixture(scope="module")
def valid_edf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_valid_edf(tmp_path_factory.mktemp("edf") / "valid.edf")


# --- the skeleton ----------------------------------------------------------------------


def test_formatting_helpers() -> None:
    assert format_hms(0) == "0:00:00"
    assert format_hms(3725.4) == "1:02:05"
    assert format_hms(3725.46, decimals=1) == "1:02:05.5"
    assert format_hms(36000 * 2.5) == "25:00:00"
    assert format_number(256.0) == "256"
    assert format_number(173.61) == "173.61"
    import datetime as dt

    assert format_clock(dt.datetime(2020, 1, 1, 23, 59, 50), 15.0) == "00:00:05"
    assert format_clock(None, 15.0) == ""


def test_help_lists_every_command_and_imports_nothing_heavy() -> None:
    code = (
        "import contextlib, io, json, sys\n"
        "from app.cli.main import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    rc = main(['--help'])\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(json.dumps({'rc': rc, 'help': buf.getvalue(), 'heavy': heavy}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    result = json.loads(proc.stdout)
    assert result["rc"] == 0
    assert result["heavy"] == []
    for command in cli.COMMANDS:
        assert command.name in result["help"]


@pytest.mark.parametrize("args", [["info", "{edf}", "--json"], ["simulate", "--help"]])
def test_info_and_simulate_import_no_torch_or_qt(valid_edf: Path, args: list[str]) -> None:
    argv = [a.format(edf=valid_edf) for a in args]
    code = (
        "import contextlib, io, json, sys\n"
        "from app.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main({argv!r})\n"
        f"print(json.dumps([rc, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert json.loads(proc.stdout) == [0, []]


@pytest.mark.parametrize("command", [c.name for c in cli.COMMANDS])
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: ictal {command}")
    if command in ("info", "simulate"):
        assert "--json" in out


def test_version_and_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip().startswith("ictal ")
    # A bare `ictal` opens the viewer without a file (not run here: it would show a window).
    assert cli.resolve_argv([]) == ["view"]


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["infoo", "x"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err
    assert "Traceback" not in err


def test_bare_path_means_view() -> None:
    assert cli.resolve_argv(["night.edf"]) == ["view", "night.edf"]
    assert cli.resolve_argv(["data/night"]) == ["view", "data/night"]
    assert cli.resolve_argv(["info", "night.edf"]) == ["info", "night.edf"]
    assert cli.resolve_argv(["--help"]) == ["--help"]
    assert cli.resolve_argv(["infoo"]) == ["infoo"]  # a typo, not a file


# --- ictal info ------------------------------------------------------------------------


def test_info_json_on_a_small_edf(valid_edf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    info = run_json(capsys, "info", str(valid_edf))
    assert info["duration_s"] == pytest.approx(10.0)
    assert info["n_records"] == 10
    assert info["record_duration_s"] == pytest.approx(1.0)
    assert str(info["format"]).startswith("EDF+")
    assert str(info["start"]).endswith("22:30:00")
    assert info["patient"]["code"] == "P001"  # type: ignore[index]
    assert info["patient"]["sex"] == "F"  # type: ignore[index]
    channels = info["channels"]
    assert isinstance(channels, list)
    assert [c["raw_name"] for c in channels] == list(LABELS)
    assert [c["name"] for c in channels[:4]] == ["Fp1", "F3", "C3", "P3"]
    assert [c["type"] for c in channels] == ["EEG"] * 4 + ["ECG"]
    assert {c["sfreq"] for c in channels} == {SFREQ}
    assert {c["unit"] for c in channels} == {"µV"}
    assert info["annotations"] == [
        {
            "onset": 3.0,
            "duration": 2.0,
            "description": "seizure onset",
            "channels": [],
            "source": info["annotations"][0]["source"],  # type: ignore[index]
        }
    ]


def test_info_text_on_a_small_edf(valid_edf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["info", str(valid_edf)]) == 0
    out = capsys.readouterr().out
    assert "0:00:10 (10 s)" in out
    assert "10 records x 1 s" in out
    assert "EEG channels (4)" in out
    assert "ECG channels (1)" in out
    assert "EEG Fp1-REF" in out  # the label as written in the file, beside the name
    lines = out.splitlines()
    seizure = next(line for line in lines if "seizure onset" in line)
    assert "0:00:03.0" in seizure
    assert "22:30:03" in seizure  # clock time of the onset


def test_info_as_a_subprocess(valid_edf: Path) -> None:
    proc = run_ictal("info", str(valid_edf), "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert len(json.loads(proc.stdout)["channels"]) == len(LABELS)


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("relpath", "n_channels", "sfreq"),
    [
        ("formats/chbmit/chb05/chb05_01.edf", 23, 256.0),
        ("formats/chbmit/chb05/chb05_06.edf", 23, 256.0),
        ("formats/siena/PN00/PN00-1.edf", 35, 512.0),
        ("formats/siena/PN00/PN00-3.edf", 35, 512.0),
    ],
)
def test_info_on_real_headers(
    shared_data: Path,
    relpath: str,
    n_channels: int,
    sfreq: float,
    capsys: pytest.CaptureFixture[str],
) -> None:
    info = run_json(capsys, "info", str(shared_data / relpath))
    channels = info["channels"]
    assert isinstance(channels, list)
    assert len(channels) == n_channels
    assert all(c["sfreq"] == sfreq for c in channels)
    assert info["duration_s"] == pytest.approx(2.0)
    assert cli.main(["info", str(shared_data / relpath)]) == 0
    assert re.search(rf"^Channels\s+{n_channels} \(", capsys.readouterr().out, re.MULTILINE)


# --- ictal simulate --------------------------------------------------------------------


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """A 10-minute scalp recording with two seizures, written by ``ictal simulate``."""
    out = tmp_path_factory.mktemp("sim") / "night.edf"
    proc = run_ictal(
        "simulate", "--out", str(out), "--minutes", "10", "--seizures", "2", "--seed", "3",
        "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert isinstance(summary, dict)
    return out, summary


def test_simulate_writes_what_it_reports(simulated: tuple[Path, dict[str, object]]) -> None:
    out, summary = simulated
    assert summary["file"] == str(out)
    assert summary["duration_s"] == 600.0
    assert summary["n_channels"] == 23
    assert summary["n_records"] == 600
    assert summary["size_bytes"] == out.stat().st_size
    seizures = summary["seizures"]
    assert isinstance(seizures, list)
    assert len(seizures) == 2
    assert all(0 < s["onset"] < s["onset"] + s["duration"] <= 600 for s in seizures)


def test_info_on_a_simulated_file(
    simulated: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    out, summary = simulated
    info = run_json(capsys, "info", str(out))
    assert info["duration_s"] == pytest.approx(600.0)
    assert info["start"] == summary["start"]
    channels = info["channels"]
    assert isinstance(channels, list)
    assert [c["name"] for c in channels] == summary["channels"]
    assert {c["sfreq"] for c in channels} == {256.0}
    types = [c["type"] for c in channels]
    assert (types.count("EEG"), types.count("ECG"), types.count("EOG")) == (21, 1, 1)
    truth = {(s["onset"], s["duration"]) for s in summary["seizures"]}  # type: ignore[attr-defined]
    found = {
        (a["onset"], a["duration"])
        for a in info["annotations"]  # type: ignore[attr-defined]
        if a["description"].startswith("Seizure")
    }
    assert found == truth
    assert cli.main(["info", str(out)]) == 0
    text = capsys.readouterr().out
    assert "0:10:00 (600 s)" in text
    assert "Seizure: focal left_temporal  [F7, T7, P7" in text  # one row per event


def test_simulate_is_deterministic_and_never_overwrites_silently(
    simulated: tuple[Path, dict[str, object]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = simulated
    before = out.stat().st_mtime_ns
    assert cli.main(["simulate", "--out", str(out), "--minutes", "10"]) == 2
    err = capsys.readouterr().err
    assert err == f"ictal: {out} : already exists; use --force to overwrite it\n"
    assert out.stat().st_mtime_ns == before
    again = tmp_path / "again.edf"
    args = ["simulate", "--out", str(again), "--minutes", "10", "--seizures", "2", "--seed", "3"]
    assert cli.main(args) == 0
    assert again.read_bytes() == out.read_bytes()
    assert cli.main([*args, "--force", "--seed", "4"]) == 0
    assert again.read_bytes() != out.read_bytes()


def test_simulate_seeg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "seeg.edf"
    summary = run_json(
        capsys, "simulate", "--out", str(out), "--minutes", "2", "--seizures", "1", "--seeg",
        "--channels", "30", "--sfreq", "512",
    )  # fmt: skip
    assert summary["kind"] == "seeg"
    assert summary["n_channels"] == 30
    info = run_json(capsys, "info", str(out))
    channels = info["channels"]
    assert isinstance(channels, list)
    assert len(channels) == 30
    assert {c["type"] for c in channels} == {"SEEG"}
    assert {c["sfreq"] for c in channels} == {512.0}


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["--minutes", "0"], "--hours/--minutes"),
        (["--channels", "99"], "--channels"),
        (["--seizures", "-1"], "--seizures"),
        (["--sfreq", "10"], "Simulation spec"),
    ],
)
def test_simulate_rejects_bad_options_in_one_line(
    args: list[str], what: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.edf"
    assert cli.main(["simulate", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ictal: {what} : ")
    assert err.count("\n") == 1
    assert not out.exists()
