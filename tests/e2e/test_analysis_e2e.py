"""The seizure analysis in the real window, on a generated recording with two focal seizures.

Open (the analysis starts by itself), wait for it, find the events where the simulator
put them, accept one with the keys: it is the annotation "Seizure (confirmed)" after close
and reopen, where the results show at once without a new run. Cancel mid-run: no
complete result is stored. Thresholds recompute the events exactly as ``app.core.events``
does. A model that cannot be loaded is one line through the prompter; the window goes on.
"""

from __future__ import annotations

import gc
import math
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.analysis_store import (
    expected_checkpoint_sha256,
    load_analysis,
    load_event_params,
    load_reviews,
)
from app.core.events import EventParams, detect_events
from app.core.session import Session
from app.ui.detection_annotations import CONFIRMED
from app.ui.main_window import MainWindow
from app.workers import analysis_job as analysis_job_module
from app.workers.settings_store import SettingsStore
from tests.core.analysis_helpers import overlaps, torch_threads_restored  # noqa: F401
from tests.ui.fakes import ScriptedPrompter

TIMEOUT_MS = 60_000
TRUTH = ((400.0, 460.0), (900.0, 970.0))  # the two seizures of ``simulated``
pytestmark = pytest.mark.usefixtures("torch_threads_restored")


@pytest.fixture
def no_leaks(qtbot):
    threads_before = {t.ident for t in threading.enumerate()}
    yield
    gc.collect()
    leaked = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert not leaked, "a window outlived its test"
    new_threads = [t for t in threading.enumerate() if t.ident not in threads_before]
    assert not new_threads, f"threads left running: {new_threads}"


def _window(qtbot, tmp_path: Path, prompter: ScriptedPrompter | None = None) -> MainWindow:
    window = MainWindow(SettingsStore.at(tmp_path / "settings.ini"), prompter or ScriptedPrompter())
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def _open_and_analyse(qtbot, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(window.analysis.job.finished, timeout=TIMEOUT_MS):
        window.open_file(path)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=TIMEOUT_MS)


def _close(qtbot, window: MainWindow) -> None:
    window.close()
    window.deleteLater()
    qtbot.wait(10)


def test_detects_accepts_and_the_annotation_survives_reopening(
    qtbot, tmp_path, fresh, no_leaks
) -> None:
    window = _window(qtbot, tmp_path)
    _open_and_analyse(qtbot, window, fresh)
    controller = window.analysis
    events = controller.events
    assert controller.analysis is not None and controller.analysis.complete
    assert [any(overlaps((e.onset_s, e.end_s), t) for e in events) for t in TRUTH] == [True, True]
    assert all(e.type_label.startswith("focal") for e in events)
    # The views show it: the strip's curve, the events on the overview and the trends row.
    assert controller.overlays.strip.curve_values()[1].size > 0
    assert window.trends_dock.panel.plot("seizure_prob") is not None

    qtbot.keyClick(window, Qt.Key.Key_BracketRight)  # ] : the first detection
    qtbot.waitUntil(lambda: window.page.request.start_s <= events[0].onset_s, timeout=5000)
    first = controller.events_dock.selected
    assert first is not None and overlaps((first.onset_s, first.end_s), TRUTH[0])
    assert window.viewport.start_s <= first.onset_s < window.viewport.start_s + 10.0
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # accept
    confirmed = [a for a in window.annotations.annotations() if a.description == CONFIRMED]
    assert [(a.onset, a.end) for a in confirmed] == [(first.onset_s, first.end_s)]
    assert controller.events[0].review == "accepted"
    # Accepting and then leaving the second one withdraws its confirmation again.
    second = controller.events[1]
    controller.review.review(second, "accepted")
    assert sum(a.description == CONFIRMED for a in window.annotations.annotations()) == 2
    controller.review.review(controller.events[1], "unreviewed")
    assert sum(a.description == CONFIRMED for a in window.annotations.annotations()) == 1
    assert [e.review for e in controller.events] == ["accepted", "unreviewed"]
    _close(qtbot, window)

    again = _window(qtbot, tmp_path)
    runs: list[bool] = []
    again.analysis.job.running_changed.connect(runs.append)
    with qtbot.waitSignal(again.annotations.loaded, timeout=TIMEOUT_MS):
        again.open_file(fresh)
    try:
        assert again.analysis.analysis is not None and again.analysis.analysis.complete
        assert runs == []  # stored results, shown at once: no second run
        kept = [a for a in again.annotations.annotations() if a.description == CONFIRMED]
        assert [(a.onset, a.end) for a in kept] == [(first.onset_s, first.end_s)]
        assert [e.review for e in again.analysis.events] == ["accepted", "unreviewed"]
    finally:
        _close(qtbot, again)
    reviews = load_reviews(Session.open(fresh), "student")
    assert [(r.onset_s, r.state) for r in reviews] == [(first.onset_s, "accepted")]


def test_thresholds_recompute_the_events_as_core_does(qtbot, tmp_path, fresh, no_leaks) -> None:
    window = _window(qtbot, tmp_path)
    try:
        _open_and_analyse(qtbot, window, fresh)
        controller = window.analysis
        analysis = controller.analysis
        panel = controller.events_dock.thresholds
        shorter, longer = sorted(e.duration_s for e in controller.events)
        # Keeps exactly the longer seizure; whole seconds, as the spin box holds them.
        between = float(math.floor((shorter + longer) / 2))
        assert shorter < between < longer
        counts = []
        for threshold, min_duration in ((0.5, 5.0), (0.9, 5.0), (0.99, 5.0), (0.5, between)):
            panel.threshold.setValue(threshold)
            panel.min_duration.setValue(min_duration)
            params = EventParams(threshold=threshold, min_duration_s=min_duration)
            expected = detect_events(analysis, params)
            assert controller.review.params == params
            assert [(e.onset_s, e.end_s) for e in controller.events] == [
                (e.onset_s, e.end_s) for e in expected
            ]
            assert controller.events_dock.model.rowCount() == len(expected)
            counts.append(len(expected))
        assert counts[0] == 2 and counts[0] >= counts[1] >= counts[2]
        assert counts[3] == 1
    finally:
        _close(qtbot, window)  # the thresholds are saved on closing at the latest
    assert load_event_params(Session.open(fresh), "student").min_duration_s == between


def test_cancel_mid_run_stores_no_complete_result(
    qtbot, tmp_path, fresh, monkeypatch, no_leaks
) -> None:
    report = analysis_job_module._report

    def hold_after_first_chunk(state, chunk) -> None:
        report(state, chunk)
        if chunk.stop_s == 300:  # wait (worker thread) until the window cancels
            deadline = time.monotonic() + 30.0
            while not state.is_interruption_requested() and time.monotonic() < deadline:
                time.sleep(0.005)

    monkeypatch.setattr(analysis_job_module, "_report", hold_after_first_chunk)
    window = _window(qtbot, tmp_path)
    job = window.analysis.job
    job.updated.connect(
        lambda a: window.analysis.actions.cancel.trigger() if a.done_s == 300 else None
    )
    with qtbot.waitSignal(job.running_changed, check_params_cb=lambda r: not r, timeout=TIMEOUT_MS):
        window.open_file(fresh)
    assert not window.analysis.status.isVisible()
    shown = window.analysis.analysis
    assert shown is not None and shown.done_s == 300 and not shown.complete
    assert np.isnan(shown.prob[300:]).all()
    _close(qtbot, window)  # waits for the worker, which saves what it computed
    session = Session.open(fresh)
    sha = expected_checkpoint_sha256("student")
    assert load_analysis(session, "student", checkpoint_sha256=sha, complete_only=True) is None
    stored = load_analysis(session, "student", checkpoint_sha256=sha)
    assert stored is not None and not stored.complete


def test_a_model_that_cannot_load_is_one_line_and_the_window_goes_on(
    qtbot, tmp_path, fresh, no_leaks
) -> None:
    prompter = ScriptedPrompter()
    window = _window(qtbot, tmp_path, prompter)
    try:
        window.analysis.set_model("no-such-model")
        with qtbot.waitSignal(window.analysis.job.failed, timeout=TIMEOUT_MS):
            window.open_file(fresh)
        assert len(prompter.errors) == 1 and "\n" not in prompter.errors[0]
        assert prompter.errors[0].startswith("model 'no-such-model'")
        assert not window.analysis.status.isVisible()
        with qtbot.waitSignal(window.page_drawn, timeout=TIMEOUT_MS):
            qtbot.keyClick(window, Qt.Key.Key_PageDown)
        assert window.page.request.start_s == 10.0
    finally:
        _close(qtbot, window)


def test_report_compare_and_treated_contacts_from_the_window(
    qtbot, tmp_path, fresh, no_leaks
) -> None:
    from app.ui.analysis_extras import read_treated
    from app.ui.compare_window import CompareWindow
    from app.ui.report_dialog import ReportDialog

    prompter = ScriptedPrompter(label="T7, F7", path=str(fresh))
    window = _window(qtbot, tmp_path, prompter)
    try:
        _open_and_analyse(qtbot, window, fresh)
        controller = window.analysis
        controller.actions.treated.trigger()  # Montage → Treated contacts… (asks a label)
        assert controller.extras.treated == ("T7", "F7")
        marked = controller.extras.bands.marked_labels
        assert "F7-T7" in marked and "Fp1-F7" in marked and "Fp2-F8" not in marked
        assert read_treated(Session.open(fresh)) == ("T7", "F7")

        controller.actions.export_report.trigger()  # File → Export report…
        dialog = controller.extras.report_dialog
        assert isinstance(dialog, ReportDialog)
        spans = [(e.onset_s, e.end_s) for e in dialog.sources.events]
        assert spans == [(e.onset_s, e.end_s) for e in controller.events]
        dialog.reject()

        controller.actions.compare.trigger()  # File → Compare with… (asks for POST)
        [compare] = controller.extras.compare_windows
        assert isinstance(compare, CompareWindow) and compare.treated == ("T7", "F7")
        compare.close()
        compare.deleteLater()
        assert prompter.errors == []
    finally:
        _close(qtbot, window)
