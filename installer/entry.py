"""The frozen executable's entry point: ``ictal`` (console) and ``ictal-gui`` (windowed).

PyInstaller runs this file as ``__main__``. It only prepares the process for being frozen,
then hands over to :func:`app.cli.main.main`, the same command line as the source tree.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

from app.cli.main import main


def _ensure_streams() -> None:
    """A windowed executable (Windows/macOS) has no console: give logging a sink anyway."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives with the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives with the process


def run() -> int:
    multiprocessing.freeze_support()  # child processes re-enter here when frozen
    _ensure_streams()
    return main()


if __name__ == "__main__":
    sys.exit(run())
