"""The one background-job pattern: results on the GUI thread, stale answers dropped."""

from __future__ import annotations

import threading

import pytest

from app.workers.job import JobInterrupted, JobRunner, TaskState


def _square(state: TaskState, x: int) -> int:
    state.set_progress(0.5)
    state.set_partial_result(x)
    return x * x


def _wait_then(state: TaskState, gate: threading.Event, value: int) -> int:
    gate.wait(5.0)
    return value


def _fail(state: TaskState) -> None:
    raise ValueError("broken page")


def _until_cancelled(state: TaskState, started: threading.Event) -> int:
    started.set()
    while not state.is_interruption_requested():
        threading.Event().wait(0.001)
    raise JobInterrupted


@pytest.fixture
def runner(qtbot):
    job = JobRunner()
    yield job
    job.shutdown()


def test_result_progress_and_partial_arrive_on_the_gui_thread(qtbot, runner) -> None:
    seen: list[tuple[str, object, bool]] = []
    main = threading.current_thread()
    runner.progress_changed.connect(
        lambda i, f: seen.append(("progress", f, threading.current_thread() is main))
    )
    runner.partial_result.connect(
        lambda i, v: seen.append(("partial", v, threading.current_thread() is main))
    )
    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        request_id = runner.start(_square, 7)
    assert blocker.args == [request_id, 49]
    assert seen == [("progress", 0.5, True), ("partial", 7, True)]
    assert not runner.is_running()


def test_a_newer_request_makes_the_older_answer_stale(qtbot, runner) -> None:
    gate = threading.Event()
    results: list[object] = []
    runner.finished.connect(lambda i, v: results.append(v))
    runner.start(_wait_then, gate, 1)
    second = runner.start(_wait_then, gate, 2)
    gate.set()
    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [second, 2]
    qtbot.wait(50)
    assert results == [2]


def test_failure_is_reported_not_raised(qtbot, runner) -> None:
    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.start(_fail)
    assert isinstance(blocker.args[1], ValueError)


def test_cancel_interrupts_and_drops(qtbot, runner) -> None:
    started = threading.Event()
    results: list[object] = []
    runner.finished.connect(lambda i, v: results.append(v))
    runner.failed.connect(lambda i, v: results.append(v))
    runner.start(_until_cancelled, started)
    assert started.wait(5.0)
    runner.cancel()
    runner.shutdown()
    qtbot.wait(20)
    assert results == []


def test_shutdown_leaves_no_worker_thread(qtbot) -> None:
    before = {t.name for t in threading.enumerate()}
    job = JobRunner()
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start(_square, 3)
    job.shutdown()
    after = {t.name for t in threading.enumerate()}
    assert after <= before
