"""The Qt application: created once, configured for clinical drawing.

pyqtgraph is set for speed and paper look: no antialiasing (1-px black traces are
crisper without), no OpenGL, white background, black foreground. The interpreter's
thread switch interval is shortened so that background jobs never keep the GUI thread
waiting for more than a millisecond at a time.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

import app

_LOG_FORMAT = "%(message)s"
#: How long a background thread may keep the interpreter while the GUI thread waits.
GUI_SWITCH_INTERVAL_S = 0.001
#: Qt messages that say nothing to a user (the off-screen platform cannot resize hints).
_QUIET_QT = ("This plugin does not support propagateSizeHints",)
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages go to the ``app.qt`` logger (harmless ones at debug level)."""
    level = _QT_LEVELS.get(kind, logging.WARNING)
    if message.startswith(_QUIET_QT):
        level = logging.DEBUG
    logging.getLogger("app.qt").log(level, "Qt: %s", message)


def configure_logging() -> None:
    """INFO lines of Ictal's own loggers on stderr (``ictal: ready`` among them)."""
    logger = logging.getLogger("app")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(_LOG_FORMAT))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def configure_pyqtgraph() -> None:
    import pyqtgraph as pg  # noqa: PLC0415 - lazy: start-up time

    pg.setConfigOptions(
        antialias=False, useOpenGL=False, background="w", foreground="k", exitCleanup=False
    )


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The process's QApplication (created on first call)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Background jobs (trends, analysis, prefetch) hold the interpreter in bursts; a waiting
    # GUI thread gets it back after at most this long (Python's default, 5 ms, made page
    # flips ~7 ms slower while the whole-night trends were computing).
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    qInstallMessageHandler(_qt_message)
    qt_app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
    qt_app.setApplicationName("Ictal")
    qt_app.setOrganizationName("Ictal")
    qt_app.setApplicationVersion(app.__version__)
    return qt_app
