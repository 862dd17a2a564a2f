"""The window's analysis job: partial results on the GUI thread, progress with ETA, the
session written complete only at the end, cancel keeps a partial result that resumes,
stored results shown at once on reopening, failures as one line."""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import pytest

from app.core.events import EventParams
from app.core.session import Session
from app.workers import analysis_job as analysis_job_module
from app.workers.analysis_job import AnalysisJob, eta_seconds
from tests.core.analysis_helpers import overlaps

PAGES = 4  # 20-min recording = 4 chunks of 300 s


@pytest.fixture
def job(qtbot):
    runner = AnalysisJob()
    yield runner
    runner.shutdown()


def _stopped(running: bool) -> bool:
    return not running


def test_run_fills_in_chunk_by_chunk_on_the_gui_thread_and_stores_complete(
    qtbot, job, fresh
) -> None:
    session = Session.open(fresh)
    main = threading.current_thread()
    resets, filled, progress, threads = [], [], [], []
    job.reset.connect(resets.append)
    job.updated.connect(
        lambda a: (filled.append(a.done_s), threads.append(threading.current_thread() is main))
    )
    job.progress.connect(lambda f, eta: progress.append((f, eta)))
    job.open(str(fresh), session)
    assert resets == [None]  # nothing stored yet
    with qtbot.waitSignal(job.finished, timeout=60_000) as blocker:
        job.start(device="cpu")
        assert job.is_running()
    outcome = blocker.args[0]
    assert not job.is_running() and outcome.analysis.complete
    assert filled[:PAGES] == [300, 600, 900, 1200] and all(threads)
    assert [f for f, _ in progress] == [0.25, 0.5, 0.75, 1.0, 1.0]
    assert all(eta >= 0 for _, eta in progress) and progress[-1][1] == 0.0
    truth = [(400.0, 460.0), (900.0, 970.0)]
    events = job.events(EventParams())
    assert [any(overlaps((e.onset_s, e.end_s), t) for e in events) for t in truth] == [True, True]
    assert session.read_analysis("student").complete  # type: ignore[union-attr]

    shown = AnalysisJob()
    got = []
    shown.reset.connect(got.append)
    shown.open(str(fresh), Session.open(fresh))  # a reopened window: results at once, no run
    assert got[0] is not None and got[0].complete and not shown.is_running()
    np.testing.assert_allclose(got[0].prob, outcome.analysis.prob, atol=1e-3)
    shown.shutdown()


def test_cancel_stores_no_complete_result_and_the_next_start_resumes(
    qtbot, job, fresh, monkeypatch
) -> None:
    report = analysis_job_module._report

    def report_then_wait_for_cancel(state, chunk) -> None:
        report(state, chunk)
        if chunk.stop_s == 300:  # hold the worker after the first chunk until cancelled
            deadline = time.monotonic() + 30.0
            while not state.is_interruption_requested() and time.monotonic() < deadline:
                time.sleep(0.005)

    monkeypatch.setattr(analysis_job_module, "_report", report_then_wait_for_cancel)
    session = Session.open(fresh)
    job.open(str(fresh), session)
    job.updated.connect(lambda a: job.cancel() if a.done_s == 300 else None)
    with qtbot.waitSignal(job.running_changed, check_params_cb=_stopped, timeout=60_000):
        job.start(device="cpu")
    job.shutdown()  # waits for the worker, which saves what it computed
    stored = session.read_analysis("student")
    assert stored is not None and stored.complete is False
    # The model process may have finished the chunk after the one held when the cancel
    # came: what was computed is kept, never the whole night.
    done = int(stored.meta["done_s"])
    assert done in (300, 600)
    monkeypatch.undo()

    again = AnalysisJob()
    resets = []  # (done_s, complete) when each reset came
    again.reset.connect(lambda a: resets.append((a.done_s, a.complete)))
    again.open(str(fresh), Session.open(fresh))
    assert resets == [(done, False)]  # the partial result is shown at once
    with qtbot.waitSignal(again.finished, timeout=60_000) as blocker:
        again.start(device="cpu")
    assert blocker.args[0].analysis.complete and not blocker.args[0].reused
    assert resets == [(done, False), (done, False)]  # the run resumed where it stopped
    assert Session.open(fresh).read_analysis("student").complete  # type: ignore[union-attr]
    again.shutdown()


def test_missing_model_fails_with_one_line(qtbot, job, fresh) -> None:
    job.open(str(fresh), Session.open(fresh), model="no-such-model")
    with qtbot.waitSignal(job.failed, timeout=30_000) as blocker:
        job.start()
    message = blocker.args[0]
    assert message.startswith("model 'no-such-model' : no such model") and "\n" not in message
    assert not job.is_running()


def test_eta_from_the_pace_so_far() -> None:
    assert eta_seconds(10.0, 0.5, 0.0) == pytest.approx(10.0)
    assert eta_seconds(10.0, 0.75, 0.5) == pytest.approx(10.0)  # resumed at half
    assert math.isnan(eta_seconds(0.0, 0.0, 0.0))
