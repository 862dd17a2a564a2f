"""Annotations survive: close and reopen, and a process killed right after an edit.

The real main window on a small generated recording (the simulator's EDF+), driven with
keys. The SIGKILL test runs the window in a child process, kills it the moment the edit
has returned, and reads the session file the way the next start would.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.session import Session, beside_path
from app.ui.main_window import MainWindow
from app.workers.settings_store import SettingsStore
from tests.core.session_builders import sha256_of, write_short_edf
from tests.e2e.annotation_window import review_of
from tests.ui.fakes import ScriptedPrompter

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 15000


@pytest.fixture
def edf(tmp_path: Path) -> Path:
    return write_short_edf(tmp_path / "night.edf")


def _open_window(qtbot, tmp_path: Path, edf: Path) -> MainWindow:
    window = MainWindow(SettingsStore.at(tmp_path / "settings.ini"), ScriptedPrompter())
    review = review_of(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignals([window.page_drawn, review.loaded], timeout=TIMEOUT_MS):
        window.open_file(edf)
    return window


def _close(qtbot, window: MainWindow) -> None:
    window.close()
    window.deleteLater()
    qtbot.wait(10)
    gc.collect()


def test_keyboard_annotation_undo_redo_close_reopen(qtbot, tmp_path, edf) -> None:
    threads_before = {t.ident for t in threading.enumerate()}
    recording_hash = sha256_of(edf)
    window = _open_window(qtbot, tmp_path, edf)
    review = review_of(window)
    n_file = len(review.model)
    assert n_file == len(window.recording.annotations) > 0
    review.editor.track_cursor(2.0)
    qtbot.keyClick(window, Qt.Key.Key_A)  # A: artefact at the cursor (2 s long)
    [entry] = review.model.filter(origin="reviewer")
    assert (entry.onset, entry.duration, entry.description) == (2.0, 2.0, "Artefact")
    assert review.editor.item(entry.id) is not None
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert entry.id not in review.model
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert entry.id in review.model
    _close(qtbot, window)
    again = _open_window(qtbot, tmp_path, edf)
    try:
        model = review_of(again).model
        assert entry.id in model and model.get(entry.id).description == "Artefact"
        assert len(model) == n_file + 1
        assert review_of(again).editor.item(entry.id) is not None
    finally:
        _close(qtbot, again)
    assert sha256_of(edf) == recording_hash  # the recording itself is never written
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert not [t for t in threading.enumerate() if t.ident not in threads_before]


def test_sigkill_right_after_an_edit_loses_nothing(tmp_path, edf) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.annotation_child", str(edf), str(tmp_path / "s.ini")],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()  # blocks until the edit has returned in the child
        assert line.startswith("EDITED "), line + child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    edited_id = line.split()[1]
    session = Session.open(edf)
    assert session.path == beside_path(edf) and session.notice == ""
    entries, history = session.read_annotations()
    [entry] = [e for e in entries if e.id == edited_id]
    assert entry.description == "Seizure (clinical)" and not entry.deleted
    assert (entry.onset, entry.duration) == (3.0, 10.0)
    assert [h.action for h in history] == ["add", "update"]
