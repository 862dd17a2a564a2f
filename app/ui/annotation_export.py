"""Exporting the reviewed annotations: BIDS ``events.tsv`` now, EDF+ in the background.

Both write new files, asked for through the prompter, and refuse to overwrite the
recording. The BIDS table is small and written at once; the EDF+ export streams the
whole recording (minutes for a night), so it runs through the one background-job
pattern with progress and cancel.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.core.annotation import Annotation
from app.core.errors import IctalError
from app.ui.annotation_label_dialog import AnnotationPrompter
from app.workers.job import JobInterrupted, JobRunner, TaskState

if TYPE_CHECKING:
    from app.core.recording import Recording

log = logging.getLogger(__name__)

BIDS_FILTER = "BIDS events (*_events.tsv *.tsv)"
EDF_FILTER = "EDF+ (*.edf)"


def exported(annotations: Sequence[Annotation]) -> list[Annotation]:
    """What an export contains: the annotations, without the EDF+D gap markers."""
    return [a for a in annotations if a.source != "gap"]


def suggested_path(recording: Path, ending: str) -> Path:
    """``night.edf`` -> ``night<ending>`` beside it (``_events.tsv``: the BIDS naming)."""
    return recording.with_name(recording.name.split(".")[0] + ending)


def export_bids(path: str | Path, annotations: Sequence[Annotation], recording: Path) -> Path:
    """Write the BIDS events file now (atomic; never over the recording)."""
    from app.core.annotation_io import write_bids_events  # noqa: PLC0415 - lazy: start-up time

    return write_bids_events(path, exported(annotations), protect=[recording])


def _export_edf_job(
    state: TaskState, recording: Recording, path: str, annotations: list[Annotation]
) -> str:
    from app.core.edf_writer import WriteCancelled  # noqa: PLC0415 - lazy: start-up time
    from app.core.export import export_edf  # noqa: PLC0415 - lazy: start-up time

    try:
        result = export_edf(
            recording,
            path,
            annotations,
            overwrite=True,  # the reviewer confirmed the name in the save dialog
            progress=state.set_progress,
            should_stop=state.is_interruption_requested,
        )
    except WriteCancelled:
        raise JobInterrupted from None
    return str(result.path)


def _one_line(exc: object) -> str:
    return f"{exc.what} : {exc.why}" if isinstance(exc, IctalError) else str(exc)


class AnnotationExporter(QObject):
    """File > Export. Signals: message(text) for the status bar, error(title, text)."""

    message = Signal(str)
    error = Signal(str, str)
    finished = Signal(str)  # the EDF+ file, once complete

    def __init__(self, prompter: AnnotationPrompter, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.prompter = prompter
        self._job = JobRunner(parent=self)
        self._job.progress_changed.connect(
            lambda _id, f: self.message.emit(
                self.tr("Exporting EDF+… %1 %").replace("%1", f"{100 * f:.0f}")
            )
        )
        self._job.finished.connect(self._on_finished)
        self._job.failed.connect(
            lambda _id, exc: self.error.emit(self.tr("Export failed"), _one_line(exc))
        )

    def ask_bids(self, recording: Path, annotations: Sequence[Annotation]) -> Path | None:
        """Ask where, then write the BIDS events file; the path written, or None."""
        path = self.prompter.ask_save_path(
            self._parent,
            self.tr("Export BIDS events"),
            str(suggested_path(recording, "_events.tsv")),
            BIDS_FILTER,
        )
        if not path:
            return None
        try:
            written = export_bids(path, annotations, recording)
        except IctalError as exc:
            self.error.emit(self.tr("Export failed"), _one_line(exc))
            return None
        self.message.emit(self.tr("Exported %1").replace("%1", str(written)))
        return written

    def ask_edf(self, recording: Recording, annotations: Sequence[Annotation]) -> int | None:
        """Ask where, then start the EDF+ export in the background; its request id."""
        source = Path(recording.info.path)
        path = self.prompter.ask_save_path(
            self._parent,
            self.tr("Export EDF+"),
            str(suggested_path(source, "_annotated.edf")),
            EDF_FILTER,
        )
        if not path:
            return None
        if Path(path).resolve() == source.resolve():
            why = self.tr("refusing to overwrite the recording itself")
            self.error.emit(self.tr("Export failed"), f"{path} : {why}")
            return None
        log.info("exporting %s to %s", source.name, path)
        return self._job.start(_export_edf_job, recording, str(path), exported(annotations))

    def is_running(self) -> bool:
        return self._job.is_running()

    def cancel(self) -> None:
        self._job.cancel()

    def shutdown(self) -> None:
        self._job.shutdown()

    def _on_finished(self, _request_id: int, path: str) -> None:
        self.message.emit(self.tr("Exported %1").replace("%1", path))
        self.finished.emit(path)
