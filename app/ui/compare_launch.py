"""Start compare mode: ``ictal compare PRE POST --view [--screenshot PNG]``.

The window opens both recordings and starts the comparison as soon as both are open.
With a screenshot path the window is rendered off screen once the comparison is shown
and both panes have drawn a page, saved, and closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer

from app.core.compare.run import CompareOptions
from app.core.errors import IctalError
from app.ui.app import application, configure_logging, configure_pyqtgraph
from app.ui.compare_window import CompareWindow
from app.ui.launch import HeadlessPrompter
from app.ui.prompter import Prompter

SCREENSHOT_TIMEOUT_MS = 300_000


def start_compare_window(
    pre: str | Path,
    post: str | Path,
    *,
    treated: Sequence[str] = (),
    options: CompareOptions | None = None,
    prompter: Prompter | None = None,
    size: tuple[int, int] = (1600, 1000),
) -> CompareWindow:
    """The window with both recordings opening and the comparison to start when they are."""
    configure_logging()
    application()
    configure_pyqtgraph()
    window = CompareWindow(prompter)
    window.resize(*size)
    window.set_treated(treated)
    started: list[bool] = []

    def maybe_start(_source: object) -> None:
        if not started and window.pre.source is not None and window.post.source is not None:
            started.append(True)
            window.start_compare(options)

    window.pre.opened.connect(maybe_start)
    window.post.opened.connect(maybe_start)
    window.open_pair(pre, post)
    window.show()
    return window


def launch_compare(
    pre: str | Path,
    post: str | Path,
    *,
    treated: Sequence[str] = (),
    options: CompareOptions | None = None,
    screenshot: str | Path | None = None,
    size: tuple[int, int] = (1600, 1000),
) -> int:
    """Run compare mode until closed (or, with ``screenshot``, until the image is saved)."""
    prompter = HeadlessPrompter() if screenshot else None
    window = start_compare_window(
        pre, post, treated=treated, options=options, prompter=prompter, size=size
    )
    try:
        if not screenshot:
            return application().exec()
        wait_for_comparison(window)
        if prompter is not None and prompter.errors:
            raise IctalError(f"{Path(pre).name} / {Path(post).name}", prompter.errors[0])
        window.grab().save(str(screenshot))
        return 0
    finally:
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def wait_for_comparison(window: CompareWindow, timeout_ms: int = SCREENSHOT_TIMEOUT_MS) -> None:
    """Process events until the comparison is shown and both panes have a page."""
    loop = QEventLoop()

    def check() -> None:
        drawn = window.pre.trace_view.page is not None and window.post.trace_view.page is not None
        failed = bool(getattr(window.prompter, "errors", ()))
        if (window.comparison is not None and drawn) or failed:
            loop.quit()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(200)
    window.compare_failed.connect(lambda _e: loop.quit())
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    timer.stop()
    for _ in range(5):  # let the panes and figures paint
        QCoreApplication.processEvents()
