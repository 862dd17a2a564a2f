"""Annotation edits as undoable commands (Ctrl+Z / Ctrl+Shift+Z through a QUndoStack).

Each command changes the :class:`~app.core.annotation_model.AnnotationModel` and nothing
else; the views and the autosave follow the model's events, so an undo is saved like
any other edit. Undoing an add or redoing a remove hides the annotation (kept flagged in
the session file); the same id comes back on redo/undo.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from app.core.annotation import Annotation
from app.core.annotation_model import AnnotationModel


class AddAnnotationCommand(QUndoCommand):
    """Create an annotation; ``annotation_id`` is known after the first redo."""

    def __init__(self, model: AnnotationModel, annotation: Annotation, text: str) -> None:
        super().__init__(text)
        self._model = model
        self._annotation = annotation
        self.annotation_id: str | None = None

    def redo(self) -> None:
        self.annotation_id = self._model.add(self._annotation, annotation_id=self.annotation_id)

    def undo(self) -> None:
        if self.annotation_id is not None:
            self._model.remove(self.annotation_id)


class EditAnnotationCommand(QUndoCommand):
    """Move, resize, relabel or change the channels of one annotation."""

    def __init__(
        self, model: AnnotationModel, annotation_id: str, after: Annotation, text: str
    ) -> None:
        super().__init__(text)
        self._model = model
        self.annotation_id = annotation_id
        self._before = model.get(annotation_id).annotation
        self._after = after

    def redo(self) -> None:
        self._model.update(self.annotation_id, self._after)

    def undo(self) -> None:
        self._model.update(self.annotation_id, self._before)


class RemoveAnnotationCommand(QUndoCommand):
    """Delete one annotation (a file annotation is hidden by a session override)."""

    def __init__(self, model: AnnotationModel, annotation_id: str, text: str) -> None:
        super().__init__(text)
        self._model = model
        self.annotation_id = annotation_id
        self._before = model.get(annotation_id).annotation

    def redo(self) -> None:
        self._model.remove(self.annotation_id)

    def undo(self) -> None:
        self._model.add(self._before, annotation_id=self.annotation_id)
