"""Every annotation change is on disk before the window says so.

The autosave listens to the annotation model and writes the session file on every
change, synchronously, on the thread that made the change (the GUI thread). That is
deliberate: the session write is atomic and measured at ~20 ms with a whole night's
analysis stored (2-core VM, see ``tests/core/test_session.py``), and saving before
returning is what makes "killed right after an edit loses nothing" true: there is no
queue that a crash could empty. ``saved`` is emitted only after the file is synced.

A failed save (disk full, folder gone read-only and no fallback) is reported through
``failed`` and retried with the next change or :meth:`save_now`; the edit stays in the
model, so nothing is lost while the window stays open.

Loading is the other way round: :func:`load_session` is a job for the one background
pattern, so fingerprinting the recording and reading the session (and importing h5py)
never hold up the GUI thread or the first page.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.annotation_model import AnnotationModel
from app.core.errors import IctalError
from app.core.session_schema import AnnotationEntry, HistoryEntry

if TYPE_CHECKING:
    from app.core.session import Session
    from app.workers.job import TaskState

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoadedSession:
    """A recording's session, opened and read on the worker thread."""

    recording: Path
    session: Session
    entries: list[AnnotationEntry]
    history: list[HistoryEntry]


def load_session(state: TaskState, recording: Path, data_dir: Path | None) -> LoadedSession:
    """Job: find, check (fingerprint) and read the session of ``recording``."""
    from app.core.session import Session  # noqa: PLC0415 - h5py off the GUI thread

    session = Session.open(recording, data_dir=data_dir)
    entries, history = session.read_annotations()
    return LoadedSession(recording, session, entries, history)


class AnnotationAutosave(QObject):
    """Saves ``model`` into ``session`` after each change. Signals: saved(path), failed(exc)."""

    saved = Signal(str)
    failed = Signal(object)

    def __init__(
        self, model: AnnotationModel, session: Session, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.session = session
        self.dirty = False
        self.last_save_ms = 0.0
        model.changed.connect(self._on_changed)

    def _on_changed(self, _change: object) -> None:
        self.dirty = True
        self.save_now()

    def save_now(self) -> bool:
        """Write the annotations now; True when they are safely on disk."""
        started = time.perf_counter()
        try:
            self.session.write_annotations(self.model.stored_entries(), self.model.history)
        except (OSError, IctalError, ValueError) as exc:
            log.error("annotations not saved to %s: %s", self.session.path, exc)
            self.failed.emit(exc)
            return False
        self.dirty = False
        self.last_save_ms = 1000.0 * (time.perf_counter() - started)
        log.debug("annotations saved in %.1f ms", self.last_save_ms)
        self.saved.emit(str(self.session.path))
        return True

    def close(self) -> None:
        """Stop listening (a last save first if an earlier one failed)."""
        if self.dirty:
            self.save_now()
        self.model.changed.disconnect(self._on_changed)
