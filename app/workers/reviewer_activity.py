"""Background work yields to the reviewer: it waits while pages are being turned.

On the 2-core target machine a background chunk (whole-night trends in a thread, the
seizure model in its process) computed while the reviewer turns pages takes CPU, and in
the viewer's process the interpreter lock, from the page flips. Every page turn touches
one clock shared by the viewer's threads and the model process (``time.monotonic`` is
system-wide); the jobs look at it between their chunks and wait until ``QUIET_S`` has
passed since the last turn. Reading on, the reviewer loses nothing; the work goes on
while the reviewer reads a page.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from typing import Any

#: Background jobs compute their next chunk only this long (s) after the last page turn.
QUIET_S = 1.0
#: How often a waiting job looks at the clock (and at its stop request) again (s).
WAIT_STEP_S = 0.05
#: Nice increment of background work: a page flip gets the CPU first when it needs it.
BACKGROUND_NICENESS = 10


class ReviewerActivity:
    """When the reviewer last turned a page, in memory a spawned child process can share
    (pass :attr:`shared` to it). Written by the GUI thread, read by the jobs."""

    def __init__(self) -> None:
        self.shared: Any = multiprocessing.get_context("spawn").Value("d", 0.0, lock=False)

    def touch(self) -> None:
        self.shared.value = time.monotonic()


_activity: ReviewerActivity | None = None


def reviewer_activity() -> ReviewerActivity:
    """This process's clock (created on first use)."""
    global _activity  # noqa: PLW0603 - one clock per process, shared by the window's jobs
    if _activity is None:
        _activity = ReviewerActivity()
    return _activity


def quiet_or_stopped(
    last_turn: Any, stopped: Callable[[float], bool], step_s: float = WAIT_STEP_S
) -> bool:
    """Wait while the reviewer is turning pages; True as soon as ``stopped`` says so.

    ``last_turn`` is a :attr:`ReviewerActivity.shared` value; ``stopped(timeout_s)`` may
    block for up to ``timeout_s`` (a pipe's ``poll``) and is asked at least once.
    """
    while time.monotonic() - float(last_turn.value) < QUIET_S:
        if stopped(step_s):
            return True
    return stopped(0.0)


def lower_this_thread_priority(niceness: int = BACKGROUND_NICENESS) -> None:
    """Run the calling thread (on Linux; the process elsewhere) ``niceness`` steps below
    the process's main thread (idempotent). Threads it starts afterwards (torch's) inherit
    it. Not permitted: no change.
    """
    if hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):
            base = os.getpriority(os.PRIO_PROCESS, os.getpid())
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), base + niceness)
