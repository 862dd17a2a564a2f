"""Launch the frozen Ictal bundle headless and prove that a clinician's path works.

    python installer/smoke_test.py [--bundle dist/ictal] [--workdir DIR] [--strict]

Steps, each on the frozen executable, with private settings/data folders (XDG_*), the
working folder outside the source tree and no PYTHONPATH:

1. ``ictal --version`` and ``--help``: the bundle starts; which commands it carries;
2. ``ictal simulate``: a 10-minute EDF+ recording with one seizure (the ground truth);
3. ``ictal info FILE --json``: read back through mne (channels, duration);
4. ``ictal view FILE --screenshot PNG`` under ``QT_QPA_PLATFORM=offscreen``: the fixed log
   line ``ictal: ready`` (first page drawn) appears, the seizure analysis the window starts
   on open (its model runs in a spawned child process of the frozen executable) ends with
   ``Seizure analysis done``, and the PNG exists and is not blank;
5. ``ictal analyze FILE --json``: the shipped model finds the simulated seizure;
6. ``ictal report FILE --out report.pdf --json``: the PDF exists and has pages;
7. ``ictal compare PRE POST --out compare.pdf --json``: on two simulated recordings.

A step fails on a non-zero exit, a failed check, or any ``Traceback``,
``ModuleNotFoundError``, Qt plugin error or bootloader error in its output (see
smoke_checks.py). Steps 5-7 are skipped, and said so, when the bundle has no such command;
``--strict`` fails them instead. Exit status: 0 when no step failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from smoke_checks import (
    StepFailed,
    available_commands,
    check_screenshot,
    failures_in,
    json_object,
)

READY_LINE = "ictal: ready"  # app/ui/main_window.py READY_LINE
STEP_TIMEOUT_S = 600.0
SEIZURE_MINUTES = "10"


@dataclass(frozen=True, slots=True)
class StepResult:
    name: str
    status: str  # PASS, FAIL or SKIP
    seconds: float
    detail: str


@dataclass(frozen=True, slots=True)
class Run:
    """One finished command of the frozen executable."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    ready_s: float | None  # when "ictal: ready" appeared on stderr, if it did

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass(slots=True)
class Smoke:
    """The bundle under test, its scratch folder and what earlier steps found."""

    executable: Path
    workdir: Path
    strict: bool = False
    commands: set[str] = field(default_factory=set)
    recording: Path | None = None
    results: list[StepResult] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        home = self.workdir / "home"
        for name in ("CONFIG", "DATA", "CACHE", "STATE"):
            env[f"XDG_{name}_HOME"] = str(home / name.lower())
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["MNE_DONTWRITE_HOME"] = "true"
        return env

    def ictal(self, *args: str, timeout: float = STEP_TIMEOUT_S) -> Run:
        """Run the frozen ``ictal`` with ``args``; fail the step on any failure mark."""
        run = launch([str(self.executable), *args], self.workdir, self.env(), timeout)
        marks = failures_in(run.output)
        if marks or run.returncode != 0:
            tail = "\n".join(run.output.strip().splitlines()[-15:])
            why = ", ".join(marks) if marks else f"exit status {run.returncode}"
            raise StepFailed(f"`ictal {' '.join(args)}`: {why}\n{tail}{_crash_log(run.output)}")
        return run

    def step(self, name: str, body: Callable[[], str], needs: str | None = None) -> None:
        """Run one step and record PASS/FAIL/SKIP with its detail line."""
        started = time.monotonic()
        if needs is not None and needs not in self.commands:
            status = "FAIL" if self.strict else "SKIP"
            detail = f"this bundle has no `ictal {needs}` command"
        else:
            try:
                status, detail = "PASS", body()
            except (StepFailed, OSError, ValueError) as exc:
                status, detail = "FAIL", str(exc)
        result = StepResult(name, status, time.monotonic() - started, detail)
        self.results.append(result)
        _say(f"{result.status:4}  {name:9} {result.seconds:6.1f} s  {detail}")

    # --- the steps ----------------------------------------------------------------------
    def start(self) -> str:
        version = self.ictal("--version").stdout.strip()
        self.commands = available_commands(self.ictal("--help").stdout)
        return f"{version}; commands: {', '.join(sorted(self.commands))}"

    def simulate(self, name: str = "night.edf", seed: int = 0) -> Path:
        path = self.workdir / name
        args = ("--minutes", SEIZURE_MINUTES, "--seizures", "1", "--seed", str(seed))
        out = json_object(self.ictal("simulate", "--out", str(path), *args, "--json").stdout)
        if not path.is_file() or not out.get("seizures"):
            raise StepFailed(f"simulate wrote no recording with a seizure at {path}")
        return path

    def write_recording(self) -> str:
        self.recording = self.simulate()
        return f"{self.recording.name}: {self.recording.stat().st_size / 1e6:.1f} MB"

    def info(self) -> str:
        out = json_object(self.ictal("info", str(self._recording()), "--json").stdout)
        channels, duration = out.get("channels"), out.get("duration_s")
        n_channels = len(channels) if isinstance(channels, list) else 0
        if n_channels < 19 or duration != 600.0:
            raise StepFailed(f"unexpected header: {n_channels} channels, {duration} s")
        return f"{n_channels} channels, {duration:g} s"

    def view(self) -> str:
        shot = self.workdir / "screenshot.png"
        run = self.ictal("view", str(self._recording()), "--screenshot", str(shot))
        if run.ready_s is None:
            raise StepFailed(f"no '{READY_LINE}' line: the first page was never drawn")
        done = re.search(r"Seizure analysis done: [^\n]*", run.output)
        if done is None:
            raise StepFailed("the window's seizure analysis did not finish (no 'done' line)")
        picture = check_screenshot(shot)
        return f"'{READY_LINE}' after {run.ready_s:.1f} s; {done.group(0)}; {picture}"

    def analyze(self) -> str:
        out = json_object(self.ictal("analyze", str(self._recording()), "--json").stdout)
        events = out.get("events")
        session = Path(str(out.get("session", "")))
        if not isinstance(events, list) or not events:
            raise StepFailed("the model found no event in a recording with a seizure")
        if not session.is_file():
            raise StepFailed(f"no session file at {session}")
        first = events[0]
        return (
            f"{len(events)} event(s), first at {first.get('onset')} s "
            f"(p={first.get('probability')}); model {out.get('model')}"
        )

    def report(self) -> str:
        pdf = self.workdir / "report.pdf"
        run = self.ictal("report", str(self._recording()), "--out", str(pdf), "--json")
        out = json_object(run.stdout)
        if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
            raise StepFailed(f"missing report: no PDF at {pdf}")
        pages = out.get("pages")
        if not isinstance(pages, int) or pages < 1:
            raise StepFailed(f"report JSON says {pages!r} pages")
        return f"{pdf.name}: {pages} page(s), {pdf.stat().st_size / 1e3:.0f} kB"

    def compare(self) -> str:
        post = self.simulate("after.edf", seed=1)
        pdf = self.workdir / "compare.pdf"
        pre = str(self._recording())
        out = json_object(self.ictal("compare", pre, str(post), "--out", str(pdf), "--json").stdout)
        if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
            raise StepFailed(f"missing comparison report: no PDF at {pdf}")
        channels = out.get("channels")
        if not isinstance(channels, list) or not channels:
            raise StepFailed("compare JSON lists no channels")
        return f"{pdf.name}: {len(channels)} channels compared"

    def _recording(self) -> Path:
        if self.recording is None:
            raise StepFailed("no recording: the simulate step failed")
        return self.recording


def launch(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Run:
    """Run ``argv`` to the end, reading stderr as it comes (to time ``ictal: ready``)."""
    started = time.monotonic()
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, errors="replace",
    )  # fmt: skip
    out: list[str] = []
    lines: list[str] = []
    ready: list[float] = []

    def read_stdout() -> None:
        assert process.stdout is not None
        out.append(process.stdout.read())

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if line.rstrip("\r\n") == READY_LINE and not ready:
                ready.append(time.monotonic() - started)

    readers = [threading.Thread(target=f, daemon=True) for f in (read_stdout, read_stderr)]
    for reader in readers:
        reader.start()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise StepFailed(f"`{Path(argv[0]).name} {argv[1]}` ran over {timeout:.0f} s") from None
    finally:
        for reader in readers:
            reader.join(timeout=30)
    seconds, ready_s = time.monotonic() - started, (ready[0] if ready else None)
    return Run(process.returncode, "".join(out), "".join(lines), seconds, ready_s)


def run_smoke(bundle: Path, workdir: Path, strict: bool = False) -> list[StepResult]:
    """Run every step on ``bundle`` (the dist/ictal folder); returns the results."""
    name = "ictal.exe" if sys.platform == "win32" else "ictal"
    smoke = Smoke((bundle / name).resolve(), workdir.resolve(), strict)
    _say(f"smoke test of {smoke.executable} in {smoke.workdir}")
    if not smoke.executable.is_file():
        smoke.results.append(StepResult("start", "FAIL", 0.0, f"no {smoke.executable}"))
        return smoke.results
    smoke.step("start", smoke.start)
    smoke.step("simulate", smoke.write_recording)
    smoke.step("info", smoke.info)
    smoke.step("view", smoke.view)
    smoke.step("analyze", smoke.analyze, needs="analyze")
    smoke.step("report", smoke.report, needs="report")
    smoke.step("compare", smoke.compare, needs="compare")
    return smoke.results


def summary(results: list[StepResult]) -> str:
    """A table of the steps and the closing count line."""
    lines = ["", "step       status  seconds"]
    lines += [f"{r.name:10} {r.status:6} {r.seconds:8.1f}" for r in results]
    counts = {s: sum(r.status == s for r in results) for s in ("PASS", "FAIL", "SKIP")}
    skipped = [r.name for r in results if r.status == "SKIP"]
    if skipped:
        lines.append(f"not run (command not in this bundle): {', '.join(skipped)}")
    passed, failed, skipped_n = counts["PASS"], counts["FAIL"], counts["SKIP"]
    lines.append(f"smoke: {passed} passed, {failed} failed, {skipped_n} skipped")
    return "\n".join(lines)


def _crash_log(output: str) -> str:
    """The end of the traceback file an internal error names, if there is one."""
    found = re.search(r"traceback in (.+?)\)\s*$", output, re.MULTILINE)
    if found is None or not Path(found.group(1)).is_file():
        return ""
    text = Path(found.group(1)).read_text(encoding="utf-8", errors="replace")
    return "\n--- " + found.group(1) + "\n" + "\n".join(text.strip().splitlines()[-25:])


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bundle", type=Path, default=Path("dist/ictal"), help="dist folder")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--strict", action="store_true", help="fail steps whose command is absent")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ictal-smoke-") as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        results = run_smoke(args.bundle, workdir, args.strict)
    _say(summary(results))
    return 1 if any(r.status == "FAIL" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
