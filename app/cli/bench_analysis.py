"""``ictal bench analysis FILE [--json]``: a whole-night analysis through the window's worker.

Runs :class:`app.workers.analysis_job.AnalysisJob` (the object the window uses: its worker
thread, one torch thread, chunked streaming, partial results to the GUI thread, session
writes) on FILE from a cold start (no stored results are reused; the session goes to a
temporary folder) and reports ``recording_hours``, ``channels``, ``elapsed_s`` (start to
finished signal, model loading included), ``realtime_factor`` (recording time / elapsed),
``device``, ``cpu_s`` (process CPU time: what the run costs whatever else the machine
is doing), ``peak_rss_mb`` (the window's process and its model process together), and
how late the GUI thread's 20-ms timer ran meanwhile
(``gui_tick_late_ms_p95``/``max``: what a page flip would wait on top of its own cost).
Target (issue 5): a 24-h 23-channel night in <= 60 s on 2 cores, <= 1 GB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from app.cli.common import add_json_flag, add_model_arguments, print_json

TICK_MS = 20
TIMEOUT_S = 1800.0


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "analysis",
        help="analyse a whole recording through the window's background worker",
        description="Time a cold whole-recording analysis through the GUI's worker and "
        "report elapsed time, real-time factor, device, peak memory and GUI-thread lag.",
    )
    parser.add_argument("file", metavar="FILE", help="the recording (24 h, 23 channels)")
    add_model_arguments(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = run_analysis_bench(args.file, args.model, args.device)
    if args.json:
        print_json(result)
    else:
        print(format_result(result))
    return 0


def run_analysis_bench(path: str, model: str | None, device: str) -> dict[str, Any]:
    from PySide6.QtCore import QCoreApplication

    from app.core.measure import MemoryProbe, cpu_seconds, machine
    from app.core.recording import open_recording
    from app.core.session import Session
    from app.workers.analysis_job import WORKER_THREADS

    _app = QCoreApplication.instance() or QCoreApplication([])
    probe = MemoryProbe()
    with open_recording(path) as recording:
        info, n_channels = recording.info, len(recording.channels)
    with tempfile.TemporaryDirectory(prefix="ictal-bench-") as folder:
        session = Session.open(path, data_dir=Path(folder), writable=lambda _f: False)
        cpu0 = cpu_seconds()
        done, elapsed, late = _timed_run(path, session, model, device)
        cpu = cpu_seconds() - cpu0
    memory = probe.stop()
    return {
        "file": str(path),
        "recording_hours": round(info.duration_s / 3600.0, 3),
        "channels": n_channels,
        "model_channels": len(done.analysis.channel_names),
        "sfreq": info.sfreq,
        "model": done.analysis.model.name,
        "elapsed_s": round(elapsed, 2),
        "realtime_factor": round(info.duration_s / elapsed, 1),
        "cpu_s": round(cpu, 2),
        "device": device if device != "auto" else _auto_device(),
        "torch_threads": WORKER_THREADS,
        "events": len(done.events),
        **memory,
        "gui_tick_late_ms_p95": round(_p95(late), 1),
        "gui_tick_late_ms_max": round(max(late, default=0), 1),
        "machine": machine(),
    }


def _timed_run(
    path: str, session: Any, model: str | None, device: str
) -> tuple[Any, float, list[int]]:
    """Run the window's AnalysisJob to the end: (outcome, seconds, GUI timer lateness)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from app.core.errors import AnalysisError
    from app.workers.analysis_job import AnalysisJob

    job, loop = AnalysisJob(), QEventLoop()
    outcome: list[Any] = []
    errors: list[str] = []
    late: list[int] = []
    clock, tick, guard = QElapsedTimer(), QTimer(), QTimer()

    def finished(result: Any) -> None:
        outcome.append(result)
        loop.quit()

    def failed(message: str) -> None:
        errors.append(message)
        loop.quit()

    job.finished.connect(finished)
    job.failed.connect(failed)
    tick.setInterval(TICK_MS)
    tick.timeout.connect(lambda: late.append(max(0, clock.restart() - TICK_MS)))
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: failed(f"not done after {TIMEOUT_S:g} s"))
    job.open(path, session, model)
    started = time.perf_counter()
    job.start(model, device, resume=False)
    clock.start()
    tick.start()
    guard.start(int(TIMEOUT_S * 1000))
    try:
        loop.exec()
    finally:
        elapsed = time.perf_counter() - started
        tick.stop()
        guard.stop()
        job.shutdown()
    if errors:
        raise AnalysisError(f"analysis benchmark of {path}", errors[0])
    return outcome[0], elapsed, late


def _auto_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _p95(values: list[int]) -> float:
    if len(values) < 2:
        return float(values[0]) if values else 0.0
    return float(statistics.quantiles(values, n=20)[-1])


def format_result(result: dict[str, Any]) -> str:
    m = result["machine"]
    return "\n".join(
        [
            f"file              {result['file']}",
            f"recording         {result['recording_hours']} h, {result['channels']} channels "
            f"({result['model_channels']} to the model), {result['sfreq']:g} Hz",
            f"analysis          {result['elapsed_s']:.1f} s  ({result['realtime_factor']:g}x "
            f"real time; {result['model']} on {result['device']}, "
            f"{result['torch_threads']} torch thread(s)); {result['events']} events",
            f"CPU time          {result['cpu_s']:.1f} s (all threads)",
            f"peak RSS          {result['peak_rss_mb']:.0f} MB "
            f"({result['peak_private_mb']:.0f} MB not file-backed)",
            f"GUI timer late    p95 {result['gui_tick_late_ms_p95']:.0f} ms, "
            f"max {result['gui_tick_late_ms_max']:.0f} ms (every {TICK_MS} ms)",
            f"machine           {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB "
            f"(load average {m['load_average_1min']} while measuring)",
        ]
    )
