"""The viewer benchmark, through the real window: first page, page flips, memory.

Measures what a reviewer feels on a long recording: process start to first page drawn;
then page flips (PgDn key press to curves updated and painted, so read + filter +
montage + decimate + draw) in blocks spread over the whole night; peak resident memory
sampled throughout. Run off screen; the window is the one ``ictal view`` shows.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest

from app.core.errors import IctalError
from app.ui.launch import HeadlessPrompter, start_viewer
from app.workers.settings_store import SettingsStore, ViewerSettings

WAIT_MS = 60_000


@dataclass(frozen=True, slots=True)
class BenchConfig:
    flips: int = 100
    blocks: int = 10
    page_s: float = 20.0
    montage: str = "double_banana"
    highpass: float | None = 1.0
    lowpass: float | None = 70.0
    notch: float | None = 50.0
    size: tuple[int, int] = (1600, 1000)


class _PeakRss:
    """Samples this process's RSS every few ms on a thread (a benchmark-only probe)."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self.peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-probe", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def stop(self) -> float:
        """Peak RSS in MB (the kernel's high-water mark where it is known)."""
        self._stop.set()
        self._thread.join()
        peak = self.peak
        if sys.platform.startswith("linux"):
            peak = max(peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        return float(peak) / 2**20


def _wait_for_page(window: Any, trigger: Any) -> None:
    """Run ``trigger()`` and return once the window has drawn and painted a page."""
    loop = QEventLoop()
    failures: list[BaseException] = []
    timer = QTimer()
    timer.setSingleShot(True)

    def failed(exc: BaseException) -> None:
        failures.append(exc)
        loop.quit()

    timer.timeout.connect(lambda: failed(TimeoutError("no page drawn within 60 s")))

    window.page_drawn.connect(loop.quit)
    window.open_failed.connect(failed)
    try:
        timer.start(WAIT_MS)
        trigger()
        loop.exec()
    finally:
        timer.stop()
        window.page_drawn.disconnect(loop.quit)
        window.open_failed.disconnect(failed)
    if failures:
        raise failures[0]
    # The new curves are on screen once the trace view has painted after the page came.
    view, painted = window.trace_view, window.trace_view.paint_count
    deadline = time.perf_counter() + WAIT_MS / 1000.0
    while view.paint_count == painted and time.perf_counter() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def process_age_s() -> float:
    """Seconds since this process started (10-ms resolution on Linux).

    psutil's ``create_time`` adds the boot time in whole seconds, so it can be off by up
    to a second; on Linux the age is read from ``/proc`` instead.
    """
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as uptime:
            now = float(uptime.read().split()[0])
        return now - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time() - float(psutil.Process().create_time())


def run_viewer_bench(path: str | Path, config: BenchConfig = BenchConfig()) -> dict[str, Any]:
    """Run the benchmark on ``path``; returns the numbers (see ``ictal bench viewer``)."""
    probe = _PeakRss()
    with tempfile.TemporaryDirectory(prefix="ictal-bench-") as folder:
        store = SettingsStore.at(Path(folder) / "settings.ini")
        store.save(
            ViewerSettings(
                montage=config.montage,
                page_s=config.page_s,
                highpass_hz=config.highpass,
                lowpass_hz=config.lowpass,
                notch_hz=config.notch,
            )
        )
        window = start_viewer(path, store, HeadlessPrompter(), config.size)
        try:
            _wait_for_page(window, lambda: None)
            first_page_s = process_age_s()
            first_page_cpu_s = _cpu_s()
            summary = _summary(window)
            flips, flip_cpu_s = _flip(window, config)
            rss_end_mb = psutil.Process().memory_info().rss / 2**20
        finally:
            window.close()
            window.deleteLater()
    return {
        "file": str(path),
        **summary,
        "montage": config.montage,
        "page_s": config.page_s,
        "filters": {"highpass": config.highpass, "lowpass": config.lowpass, "notch": config.notch},
        "flips": len(flips),
        # CPU time (all threads) tells what the numbers would be on an idle machine.
        "open_to_first_page_cpu_s": round(first_page_cpu_s, 3),
        "page_flip_cpu_ms_mean": round(flip_cpu_s * 1000.0 / len(flips), 2),
        "open_to_first_page_s": round(first_page_s, 3),
        "page_flip_ms_median": round(statistics.median(flips), 2),
        "page_flip_ms_p95": round(_percentile(flips, 95), 2),
        "page_flip_ms_max": round(max(flips), 2),
        "peak_rss_mb": round(probe.stop(), 1),
        "rss_after_flips_mb": round(rss_end_mb, 1),
        "machine": machine(),
    }


def _cpu_s() -> float:
    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def _flip(window: Any, config: BenchConfig) -> tuple[list[float], float]:
    """PgDn key presses in ``blocks`` runs spread over the recording.

    Returns the wall time of each flip (ms) and the CPU time the flips used (s).
    """
    viewport = window.viewport
    if window.recording is None:
        raise IctalError(str(window.windowTitle()), "no recording open")
    per_block = max(1, config.flips // config.blocks)
    span = max(0.0, viewport.duration_s - (per_block + 1) * viewport.page_s)
    times: list[float] = []
    cpu = 0.0
    for block in range(config.blocks):
        start = span * block / max(1, config.blocks - 1)
        if abs(start - viewport.start_s) > 1e-9:
            _wait_for_page(window, lambda s=start: viewport.set_start(s))
        for _ in range(per_block):
            c0, t0 = _cpu_s(), time.perf_counter()
            _wait_for_page(window, lambda: QTest.keyClick(window, Qt.Key.Key_PageDown))
            times.append((time.perf_counter() - t0) * 1000.0)
            cpu += _cpu_s() - c0
    return times, cpu


def _summary(window: Any) -> dict[str, Any]:
    info = window.recording.info
    return {
        "recording_hours": round(info.duration_s / 3600.0, 3),
        "channels": len(window.recording.channels),
        "sfreq": info.sfreq,
        "traces": len(window.trace_view.shown_labels()),
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100.0
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def machine() -> dict[str, Any]:
    """Where the numbers come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = [line.split(":", 1)[1].strip() for line in info if "model name" in line]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", ""),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
