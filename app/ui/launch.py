"""Start the viewer: the order of start-up steps is what makes the first page fast.

1. QApplication (QtWidgets only), settings;
2. the page worker starts opening the recording and computing its first page;
3. meanwhile the GUI thread imports pyqtgraph and builds the window;
4. the first page is drawn from the worker's cache; ``ictal: ready`` is logged.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from app.core.errors import IctalError
from app.ui.app import application, configure_logging, configure_pyqtgraph

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.prompter import Prompter
    from app.workers.settings_store import SettingsStore

log = logging.getLogger(__name__)
SCREENSHOT_TIMEOUT_MS = 120_000


class HeadlessPrompter:
    """Prompter for a window nobody sees (``--screenshot``): log, never ask."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, parent: QWidget, title: str, message: str) -> None:
        self.errors.append(message)
        log.error("%s: %s", title, message)

    def open_path(self, parent: QWidget, folder: str) -> str | None:
        return None

    def ask_time(
        self, parent: QWidget, start: object, duration_s: float, current_s: float
    ) -> float | None:
        return None

    def ask_calibration(self, parent: QWidget, px_per_mm: float, factor: float) -> float | None:
        return None

    def ask_label(
        self, parent: QWidget, title: str, current: str, choices: Sequence[str]
    ) -> str | None:
        return None

    def ask_save_path(
        self, parent: QWidget, title: str, suggested: str, file_filter: str
    ) -> str | None:
        return None


def parse_size(text: str) -> tuple[int, int]:
    """``1600x1000`` -> (1600, 1000); IctalError when it is not a size."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise IctalError(
            f"--size {text}", "expected WIDTHxHEIGHT in pixels, e.g. 1600x1000"
        ) from None
    if not (320 <= width <= 10000 and 240 <= height <= 10000):
        raise IctalError(f"--size {text}", "width and height must be 320-10000 x 240-10000")
    return width, height


def start_viewer(
    path: str | Path | None,
    store: SettingsStore,
    prompter: Prompter | None = None,
    size: tuple[int, int] = (1600, 1000),
) -> MainWindow:
    """Create and show the window, the recording opening in parallel (see module doc)."""
    configure_logging()
    application()
    from app.workers.page_loader import FirstPage, PageLoader

    settings = store.load()
    loader = PageLoader()
    if path is not None:
        loader.open(
            path,
            FirstPage(
                settings.page_s,
                settings.montage,
                settings.highpass_hz,
                settings.lowpass_hz,
                settings.notch_hz,
            ),
        )
    configure_pyqtgraph()
    from app.ui.main_window import MainWindow

    window = MainWindow(store, prompter, loader=loader)
    window.resize(*size)
    window.show()
    return window


def launch_viewer(
    path: str | Path | None,
    *,
    screenshot: str | Path | None = None,
    size: tuple[int, int] = (1600, 1000),
    store: SettingsStore | None = None,
    start_s: float | None = None,
    analyse: bool | None = None,
) -> int:
    """Run the viewer until it is closed (or, with ``screenshot``, until saved).

    ``store``: the user's settings by default. A screenshot run reads them but writes
    nothing back (it works on a copy in a temporary folder). ``start_s``: the first page
    starts there. ``analyse``: start the seizure analysis on open (None: as set).
    """
    from app.workers.settings_store import SettingsStore

    user_store = store if store is not None else SettingsStore()
    if not screenshot:
        window = start_viewer(path, user_store, None, size)
        _position(window, start_s, analyse)
        status = application().exec()
        _dispose(window)
        return status
    with tempfile.TemporaryDirectory(prefix="ictal-shot-") as folder:
        copy = SettingsStore.at(Path(folder) / "settings.ini")
        copy.save(user_store.load())
        window = start_viewer(path, copy, HeadlessPrompter(), size)
        _position(window, start_s, analyse)
        try:
            _take_screenshot(window, Path(screenshot))
        finally:
            _dispose(window)
    return 0


def _position(window: MainWindow, start_s: float | None, analyse: bool | None) -> None:
    """Open on the page at ``start_s`` and override the analysis auto-start setting."""
    window.analysis.autostart_override = analyse
    if start_s is not None:
        # Runs after the window's own handler has set the recording's length.
        window.loader.opened.connect(lambda _source: window.viewport.set_start(start_s))


def _dispose(window: QWidget) -> None:
    """Close the window (saves settings, stops the worker) and delete it now."""
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


SETTLE_POLL_MS = 200
SETTLE_LIMIT_MS = 90_000


def _take_screenshot(window: QWidget, target: Path) -> None:
    """Save ``window`` to ``target`` once its first page is drawn; raise what went wrong.

    Runs its own event loop (not the application's), so nothing of it outlives the call.
    """
    loop = QEventLoop()
    outcome: list[BaseException] = []

    waited = [0]

    def save() -> None:
        if not loop.isRunning():
            return
        # Let trends (and overlays) fill in first, within reason.
        busy = getattr(window, "is_busy", lambda: False)
        if busy() and waited[0] < SETTLE_LIMIT_MS:
            waited[0] += SETTLE_POLL_MS
            QTimer.singleShot(SETTLE_POLL_MS, window, save)
            return
        if window.grab().save(str(target)):
            log.info("screenshot saved to %s", target)
        else:
            outcome.append(IctalError(str(target), "cannot write the screenshot there"))
        loop.quit()

    def failed(error: BaseException) -> None:
        outcome.append(error)
        loop.quit()

    guard = QTimer(window)
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: failed(RuntimeError("no page was drawn within 120 s")))
    window.page_drawn.connect(lambda _page: QTimer.singleShot(0, window, save))  # type: ignore[attr-defined]
    window.open_failed.connect(failed)  # type: ignore[attr-defined]
    guard.start(SCREENSHOT_TIMEOUT_MS)
    loop.exec()
    guard.stop()
    if outcome:
        raise outcome[0]
