"""Background work waits while the reviewer turns pages (app.workers.reviewer_activity)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from app.workers.analysis_process import ModelProcess
from app.workers.reviewer_activity import (
    BACKGROUND_NICENESS,
    QUIET_S,
    ReviewerActivity,
    lower_this_thread_priority,
    quiet_or_stopped,
)


def _never(_timeout_s: float) -> bool:
    time.sleep(_timeout_s)
    return False


def test_no_page_turn_means_no_wait() -> None:
    started = time.monotonic()
    assert quiet_or_stopped(ReviewerActivity().shared, _never) is False
    assert time.monotonic() - started < 0.5


def test_waits_until_quiet_after_the_last_turn() -> None:
    activity = ReviewerActivity()
    activity.touch()
    started = time.monotonic()
    assert quiet_or_stopped(activity.shared, _never) is False
    assert time.monotonic() - started >= QUIET_S - 0.05


def test_a_stop_request_ends_the_wait_at_once() -> None:
    activity = ReviewerActivity()
    activity.touch()
    started = time.monotonic()
    assert quiet_or_stopped(activity.shared, lambda _t: True) is True
    assert time.monotonic() - started < 0.5


def _turn_pages(activity: ReviewerActivity, seconds: float) -> threading.Thread:
    def turn() -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            activity.touch()
            time.sleep(0.1)

    thread = threading.Thread(target=turn)
    thread.start()
    return thread


def test_the_model_process_loads_only_once_the_pages_stop_turning(night: Path) -> None:
    activity = ReviewerActivity()
    activity.touch()
    turning = _turn_pages(activity, 2.0)
    started = time.monotonic()
    with ModelProcess(str(night), None, "cpu", 1, activity) as child:
        meta = child.start(should_stop=lambda: False)
    turning.join()
    assert meta is not None
    assert time.monotonic() - started >= 2.0 + QUIET_S - 0.1


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no thread priorities here")
def test_background_threads_run_below_the_gui_once() -> None:
    base = os.getpriority(os.PRIO_PROCESS, os.getpid())
    seen: list[int] = []

    def work() -> None:
        for _ in range(2):  # idempotent: a job thread reused for the next job
            lower_this_thread_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [min(19, base + BACKGROUND_NICENESS)]
