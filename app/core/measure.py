"""What the benchmarks measure a run with: peak memory and the machine it ran on.

Used by ``ictal bench viewer`` and ``ictal bench analysis`` (and nothing else): the
window's seizure model runs in a child process, so memory is counted over this process
and its children together.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import threading
from typing import Any

import psutil


class MemoryProbe:
    """Peak resident memory, sampled every 5 ms on a thread.

    :meth:`stop` returns ``peak_rss_mb`` (this process and its child processes together),
    ``peak_private_mb`` (the same minus file pages mapped by readers such as np.memmap)
    and ``peak_rss_self_mb`` (this process alone, the kernel's high-water mark included).
    """

    def __init__(self) -> None:
        self._process = psutil.Process()
        self.rss = self.private = self.own = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-probe", daemon=True)
        self._sample()
        self._thread.start()

    def _sample(self) -> None:
        rss = private = 0
        for i, process in enumerate([self._process, *self._process.children(recursive=True)]):
            try:
                info = process.memory_info()
            except psutil.Error:  # a child that just ended
                continue
            rss += info.rss
            private += info.rss - getattr(info, "shared", 0)
            if i == 0:
                self.own = max(self.own, info.rss)
        self.rss, self.private = max(self.rss, rss), max(self.private, private)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self._sample()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        own = self.own
        if sys.platform.startswith("linux"):
            own = max(own, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        return {
            "peak_rss_mb": round(max(self.rss, own) / 2**20, 1),
            "peak_private_mb": round(self.private / 2**20, 1),
            "peak_rss_self_mb": round(own / 2**20, 1),
        }


def cpu_seconds() -> float:
    """CPU seconds this process (all threads) and its ended children used so far."""
    times = psutil.Process().cpu_times()
    return float(times.user + times.system + times.children_user + times.children_system)


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
