"""What the window does when the reviewer asks for something through a dialog or menu.

Each function takes the window, asks through its prompter, and changes the viewport
or opens a file; kept out of ``main_window.py`` so the window stays a wiring diagram.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF

from app.ui.channel_menu import build_channel_menu

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def ask_open(window: MainWindow) -> None:
    """File > Open: start in the folder of the last recording."""
    recent = window.settings.recent_files
    folder = str(Path(recent[0]).parent) if recent else str(Path.home())
    path = window.prompter.open_path(window, folder)
    if path:
        window.open_file(path)


def ask_goto(window: MainWindow) -> None:
    """Ctrl+G: go to a clock or elapsed time."""
    recording = window.recording
    if recording is None:
        return
    info = recording.info
    t = window.prompter.ask_time(window, info.start, info.duration_s, window.viewport.start_s)
    if t is not None:
        window.viewport.set_start(t)


def ask_calibration(window: MainWindow) -> None:
    """View > Calibrate screen: correct the screen's millimetres (remembered)."""
    px_per_mm = window.trace_view.calibration.px_per_mm_x
    factor = window.prompter.ask_calibration(window, px_per_mm, window.settings.calibration_factor)
    if factor is not None:
        window.settings = replace(window.settings, calibration_factor=factor)
        window.trace_view.calibration = window.calibration()
        window.trace_view.refresh()


def set_timebase(window: MainWindow, mm_s: float) -> None:
    """A timebase choice becomes the page length that shows it at the current width."""
    view = window.trace_view
    window.viewport.set_page_s(view.calibration.page_s_for_timebase(view.view_box.width(), mm_s))


def show_channel_menu(window: MainWindow, label: str, global_pos: QPointF) -> None:
    """Right click on a trace: hide it, show all, mark its channels bad or good."""
    page = window.page
    if page is None or label not in page.traces.labels:
        return
    sources = page.traces.sources[page.traces.labels.index(label)]
    menu = build_channel_menu(window, label, sources, window.viewport)
    menu.aboutToHide.connect(menu.deleteLater)
    menu.popup(global_pos.toPoint())


def fill_recent_menu(window: MainWindow) -> None:
    """File > Open recent, most recent first."""
    menu = window.recent_menu
    menu.clear()
    for path in window.settings.recent_files:
        action = menu.addAction(path)
        action.triggered.connect(lambda _c=False, p=path: window.open_file(p))
    menu.setEnabled(bool(window.settings.recent_files))
