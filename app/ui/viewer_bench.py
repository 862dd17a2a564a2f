"""The viewer benchmark, through the real window: first page, page flips, memory.

Measures what a reviewer feels on a long recording: process start to first page drawn;
then page flips (PgDn key press to curves updated and painted, so read + filter +
montage + decimate + draw) in blocks spread over the whole night; peak resident memory
sampled throughout. Run off screen; the window is the one ``ictal view`` shows.

Each run is a *first* opening of the night: the recording is opened through a link in
a temporary folder, so its session file (and cached trends) start empty there and the
whole-night trends are still to be computed, as they would be for a reviewer (they wait
while pages are being turned, see app.workers.reviewer_activity; ``interval_s`` leaves
pauses between flips in which they run); nothing is written beside the real recording.
The seizure analysis that the window can start on open is off unless asked for
(``BenchConfig.analysis``): its model process loads torch and runs the model over the
night, which ``ictal bench analysis`` measures on its own.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest

from app.core.errors import IctalError
from app.core.measure import MemoryProbe, machine
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
    #: Let the seizure analysis start on open (the viewer's default setting). Off here:
    #: this benchmark is the viewer's; ``ictal bench analysis`` measures the model.
    analysis: bool = False
    #: Seconds between page flips (0: as fast as they come). The window's background work
    #: waits while pages are being turned (app.workers.reviewer_activity); a pause longer
    #: than its quiet time (1 s) lets it run between flips, as at a reviewer's reading pace.
    interval_s: float = 0.0


def _wait_for_page(window: Any, trigger: Any) -> None:
    """Run ``trigger()`` and return once the window has drawn and painted a page.

    The trace view's paint count is read the moment the page is handed over (its curves
    are set then, nothing painted yet); the wait ends at the next paint of the view.
    """
    loop = QEventLoop()
    failures: list[BaseException] = []
    drawn: list[int] = []
    timer = QTimer()
    timer.setSingleShot(True)
    view = window.trace_view

    def failed(exc: BaseException) -> None:
        failures.append(exc)
        loop.quit()

    def page_drawn(_page: object) -> None:
        drawn.append(view.paint_count)
        loop.quit()

    timer.timeout.connect(lambda: failed(TimeoutError("no page drawn within 60 s")))
    window.page_drawn.connect(page_drawn)
    window.open_failed.connect(failed)
    try:
        timer.start(WAIT_MS)
        trigger()
        loop.exec()
    finally:
        timer.stop()
        window.page_drawn.disconnect(page_drawn)
        window.open_failed.disconnect(failed)
    if failures:
        raise failures[0]
    deadline = time.perf_counter() + WAIT_MS / 1000.0
    heartbeat = QTimer()  # wakes the blocking wait below now and then to check the deadline
    heartbeat.start(50)
    try:
        while view.paint_count == drawn[0]:
            if time.perf_counter() > deadline:
                raise TimeoutError("the trace view was not painted within 60 s of a page")
            # Sleeps until events come (no busy loop taking the GIL from the workers).
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        heartbeat.stop()


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


def _fresh_link(path: Path, folder: Path) -> Path:
    """``path`` seen from ``folder`` (a symbolic link), so its session starts empty there."""
    link = folder / path.name
    try:
        link.symlink_to(path.resolve())
    except OSError:  # no symbolic links here (Windows without the privilege): use the file
        return path
    return link


def run_viewer_bench(path: str | Path, config: BenchConfig = BenchConfig()) -> dict[str, Any]:
    """Run the benchmark on ``path``; returns the numbers (see ``ictal bench viewer``)."""
    probe = MemoryProbe()
    with tempfile.TemporaryDirectory(prefix="ictal-bench-") as folder:
        opened = _fresh_link(Path(path), Path(folder))
        store = SettingsStore.at(Path(folder) / "settings.ini")
        store.save(
            ViewerSettings(
                montage=config.montage,
                page_s=config.page_s,
                highpass_hz=config.highpass,
                lowpass_hz=config.lowpass,
                notch_hz=config.notch,
                analysis_autostart=config.analysis,
            )
        )
        window = start_viewer(opened, store, HeadlessPrompter(), config.size)
        try:
            _wait_for_page(window, lambda: None)
            first_page_s = process_age_s()
            first_page_cpu_s = _cpu_s()
            summary = _summary(window)
            flips, flip_cpu_s, gui_cpu = _flip(window, config)
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
        "flip_interval_s": config.interval_s,
        "background": "whole-night trends" + (" and seizure analysis" if config.analysis else ""),
        # CPU time (all threads) tells what the numbers would be on an idle machine.
        "open_to_first_page_cpu_s": round(first_page_cpu_s, 3),
        "page_flip_cpu_ms_mean": round(flip_cpu_s * 1000.0 / len(flips), 2),
        # The GUI thread's own CPU per flip (handling the page, drawing, painting).
        "page_flip_gui_cpu_ms_median": round(statistics.median(gui_cpu), 2),
        "open_to_first_page_s": round(first_page_s, 3),
        "page_flip_ms_median": round(statistics.median(flips), 2),
        "page_flip_ms_p95": round(_percentile(flips, 95), 2),
        "page_flip_ms_max": round(max(flips), 2),
        **probe.stop(),
        "rss_after_flips_mb": round(rss_end_mb, 1),
        "machine": machine(),
    }


def _cpu_s() -> float:
    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def _flip(window: Any, config: BenchConfig) -> tuple[list[float], float, list[float]]:
    """PgDn key presses in ``blocks`` runs spread over the recording.

    Returns the wall time of each flip (ms), the CPU time the flips used (s, all threads)
    and the GUI thread's CPU time of each flip (ms).
    """
    viewport = window.viewport
    if window.recording is None:
        raise IctalError(str(window.windowTitle()), "no recording open")
    # Key shortcuts go to the active window: off screen it is active, on a display it
    # may have to be asked (Xvfb without a window manager).
    window.activateWindow()
    if not QTest.qWaitForWindowActive(window, 5000):
        raise IctalError(str(window.windowTitle()), "the window cannot become active for keys")
    per_block = max(1, config.flips // config.blocks)
    span = max(0.0, viewport.duration_s - (per_block + 1) * viewport.page_s)
    times: list[float] = []
    gui: list[float] = []
    cpu = 0.0
    for block in range(config.blocks):
        start = span * block / max(1, config.blocks - 1)
        if abs(start - viewport.start_s) > 1e-9:
            _wait_for_page(window, lambda s=start: viewport.set_start(s))
        for _ in range(per_block):
            if config.interval_s > 0:
                _idle(config.interval_s)
            c0, g0, t0 = _cpu_s(), time.thread_time(), time.perf_counter()
            _wait_for_page(window, lambda: QTest.keyClick(window, Qt.Key.Key_PageDown))
            times.append((time.perf_counter() - t0) * 1000.0)
            gui.append((time.thread_time() - g0) * 1000.0)
            cpu += _cpu_s() - c0
    return times, cpu, gui


def _idle(seconds: float) -> None:
    """Let the window (and its background work) run for ``seconds`` without input."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


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
