"""Child process of the SIGKILL test: the real window, one annotation edit, then wait.

``python -m tests.e2e.annotation_child RECORDING SETTINGS_INI`` opens the recording in
the real main window, presses S (a seizure at the cursor) and relabels it through the
undo stack, prints ``EDITED <id>`` once the edit has returned, and runs until killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(recording: str, settings: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    from app.ui.app import application, configure_pyqtgraph
    from app.ui.main_window import MainWindow
    from app.workers.settings_store import SettingsStore
    from tests.e2e.annotation_window import review_of
    from tests.ui.fakes import ScriptedPrompter

    qt_app = application()
    configure_pyqtgraph()
    window = MainWindow(SettingsStore.at(Path(settings)), ScriptedPrompter())
    review = review_of(window)
    window.resize(1200, 800)
    window.show()
    waiting = {"page", "session"}
    loop = QEventLoop()

    def arrived(what: str) -> None:
        waiting.discard(what)
        if not waiting:
            loop.quit()

    window.page_drawn.connect(lambda _page: arrived("page"))
    review.loaded.connect(lambda: arrived("session"))
    QTimer.singleShot(30000, loop.quit)
    window.open_file(recording)
    loop.exec()
    if waiting:
        print(f"NOT READY {sorted(waiting)}", flush=True)
        return 1
    review.editor.track_cursor(3.0)
    QTest.keyClick(window, Qt.Key.Key_S)
    [entry] = review.model.filter(origin="reviewer")
    review.editor.relabel(entry.id, "Seizure (clinical)")
    print(f"EDITED {entry.id}", flush=True)
    return qt_app.exec()  # until the parent kills us


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
