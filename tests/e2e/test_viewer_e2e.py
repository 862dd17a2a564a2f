"""The real review window on a small generated recording, driven with keys.

Open, flip pages, change montage and sensitivity (the drawn data follow), go to a time,
jump to annotations, survive a broken file, remember settings, and leave no window or
thread behind.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.main_window import MainWindow
from app.workers.settings_store import SettingsStore
from tests.ui.fakes import ScriptedPrompter
from tests.ui.recordings import ANNOTATIONS, write_broken_edf, write_test_edf

TIMEOUT_MS = 15000


@pytest.fixture(scope="module")
def edf(tmp_path_factory) -> Path:
    return write_test_edf(tmp_path_factory.mktemp("rec") / "night.edf")


@pytest.fixture
def window(qtbot, tmp_path):
    threads_before = {t.ident for t in threading.enumerate()}
    store = SettingsStore.at(tmp_path / "settings.ini")
    win = MainWindow(store, ScriptedPrompter())
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.deleteLater()
    qtbot.wait(10)
    gc.collect()
    leaked = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert not leaked, "the window outlived its test"
    new_threads = [t for t in threading.enumerate() if t.ident not in threads_before]
    assert not new_threads, f"threads left running: {new_threads}"


def _open(qtbot, win: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(win.page_drawn, timeout=TIMEOUT_MS):
        win.open_file(path)


def _key(qtbot, win: MainWindow, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    with qtbot.waitSignal(win.page_drawn, timeout=TIMEOUT_MS):
        qtbot.keyClick(win, key, modifier)


def test_open_and_flip_pages(qtbot, window, edf) -> None:
    _open(qtbot, window, edf)
    assert window.recording is not None
    assert window.viewport.montage == "double_banana"
    assert window.trace_view.shown_labels()[0] == "Fp1-F7"
    first = window.page.data.copy()
    assert window.trace_view.curve_for("Fp1-F7") is not None
    _key(qtbot, window, Qt.Key.Key_PageDown)
    assert window.page.request.start_s == 10.0
    assert window.trace_view.view_box.viewRange()[0] == pytest.approx([10.0, 20.0])
    _key(qtbot, window, Qt.Key.Key_Right)
    assert window.viewport.start_s == 15.0
    _key(qtbot, window, Qt.Key.Key_End)
    assert window.viewport.start_s == 110.0
    _key(qtbot, window, Qt.Key.Key_Home)
    np.testing.assert_allclose(window.page.data, first, atol=1e-3)
    assert not np.allclose(window.page.data, 0.0)


def test_montage_key_and_sensitivity_change_the_traces(qtbot, window, edf) -> None:
    _open(qtbot, window, edf)
    _key(qtbot, window, Qt.Key.Key_F1)  # F1: as recorded
    assert window.viewport.montage == "as_recorded"
    labels = window.trace_view.shown_labels()
    assert labels[0] == "Fp1" and labels[-1] == "EKG"
    # Cz is a 10 Hz, 100 µV sine in the file: the drawn envelope shows it (filters on).
    cz = window.trace_view.curve_for("Cz")
    assert np.max(cz.yData) == pytest.approx(100.0, rel=0.03)
    assert cz.transform().m22() == pytest.approx(1 / 7.0)
    qtbot.keyClick(window, Qt.Key.Key_Minus)
    assert window.viewport.sensitivity_uv_mm == 10.0
    assert cz.transform().m22() == pytest.approx(1 / 10.0)
    qtbot.keyClick(window, Qt.Key.Key_Plus)
    qtbot.keyClick(window, Qt.Key.Key_Plus)
    assert window.viewport.sensitivity_uv_mm == 5.0
    assert window.toolbar.sensitivity.currentText() == "5 µV/mm"


def test_goto_and_annotation_navigation(qtbot, window, edf) -> None:
    _open(qtbot, window, edf)
    window.prompter.time_s = 47.0
    _key(qtbot, window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.viewport.start_s == 47.0
    _key(qtbot, window, Qt.Key.Key_N)  # the next annotation after 47 s: the spike at 75 s
    onset = ANNOTATIONS[1][0]
    assert window.viewport.start_s < onset < window.viewport.end_s
    _key(qtbot, window, Qt.Key.Key_P)
    assert window.viewport.start_s < ANNOTATIONS[0][0] < window.viewport.end_s


def test_broken_file_shows_one_line_and_keeps_the_window(qtbot, window, edf, tmp_path) -> None:
    _open(qtbot, window, edf)
    broken = write_broken_edf(tmp_path / "broken.edf")
    with qtbot.waitSignal(window.open_failed, timeout=TIMEOUT_MS):
        window.open_file(broken)
    assert len(window.prompter.errors) == 1
    assert "broken.edf" in window.prompter.errors[0]
    assert "\n" not in window.prompter.errors[0]
    assert window.recording is not None  # the previous recording is still under review
    _key(qtbot, window, Qt.Key.Key_PageDown)
    assert window.viewport.start_s == 10.0


def test_settings_are_remembered(qtbot, tmp_path, edf) -> None:
    store = SettingsStore.at(tmp_path / "settings.ini")
    win = MainWindow(store, ScriptedPrompter())
    win.show()
    _open(qtbot, win, edf)
    win.viewport.set_sensitivity(15.0)
    win.viewport.set_page_s(20.0)
    win.close()
    win.deleteLater()
    settings = store.load()
    assert (settings.sensitivity_uv_mm, settings.page_s) == (15.0, 20.0)
    assert settings.recent_files[0] == str(edf.resolve())
