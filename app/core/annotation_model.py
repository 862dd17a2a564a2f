"""The annotations of the recording under review: one mutable set with events and a log.

Two kinds live side by side. *File* annotations come with the recording (EDF+ TALs...):
they are shown, and the reviewer may move, relabel or delete them, but the recording is
never written; such an edit is kept as a session override under the file annotation's
stable id. *Reviewer* annotations are made in Ictal. A deleted annotation is hidden but
kept (flagged) for the audit trail, and every change is appended to the edit log.

Qt-free: views and the autosave subscribe to :attr:`AnnotationModel.changed` (psygnal).
Iteration is sorted by onset; ``channels`` empty means the whole recording.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from psygnal import Signal

from app.core.annotation import Annotation
from app.core.session_schema import (
    Action,
    AnnotationEntry,
    HistoryEntry,
    Origin,
    annotation_json,
    file_annotation_id,
)

REVIEWER_SOURCE = "user"


@dataclass(frozen=True, slots=True)
class AnnotationChange:
    """What one edit did: ``before``/``after`` are None for an add/remove respectively."""

    action: Action
    id: str
    before: AnnotationEntry | None
    after: AnnotationEntry | None


def _check(annotation: Annotation) -> Annotation:
    if not (math.isfinite(annotation.onset) and math.isfinite(annotation.duration)):
        raise ValueError(f"annotation times must be finite: {annotation}")
    if annotation.duration < 0:
        raise ValueError(f"annotation duration must not be negative: {annotation}")
    return annotation


class AnnotationModel:
    """File and reviewer annotations of one recording, with edit history.

    ``stored`` are the rows of the session file (reviewer annotations and overrides of
    file annotations, deleted ones included); ``history`` its edit log.
    """

    changed = Signal(object)  # AnnotationChange

    def __init__(
        self,
        file_annotations: Iterable[Annotation] = (),
        stored: Iterable[AnnotationEntry] = (),
        history: Iterable[HistoryEntry] = (),
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._clock = clock
        self._original: dict[str, Annotation] = {}
        self._entries: dict[str, AnnotationEntry] = {}
        for index, annotation in enumerate(file_annotations):
            key = file_annotation_id(index, annotation)
            self._original[key] = annotation
            self._entries[key] = AnnotationEntry(key, annotation)
        for entry in stored:
            if entry.origin == "file" and entry.id not in self._original:
                continue  # an override of an annotation this recording does not have
            self._entries[entry.id] = entry
        self._history = list(history)
        self._sorted: list[AnnotationEntry] | None = None

    # --- reading ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._visible())

    def __iter__(self) -> Iterator[AnnotationEntry]:
        return iter(self._visible())

    def __contains__(self, annotation_id: object) -> bool:
        entry = self._entries.get(str(annotation_id))
        return entry is not None and not entry.deleted

    def get(self, annotation_id: str) -> AnnotationEntry:
        """The entry ``annotation_id`` (deleted ones too); ``KeyError`` if unknown."""
        return self._entries[annotation_id]

    def annotations(self) -> tuple[Annotation, ...]:
        """The visible annotations, by onset (export, navigation, overview)."""
        return tuple(e.annotation for e in self._visible())

    @property
    def history(self) -> tuple[HistoryEntry, ...]:
        return tuple(self._history)

    def original(self, annotation_id: str) -> Annotation | None:
        """A file annotation as the recording has it (None for reviewer annotations)."""
        return self._original.get(annotation_id)

    def is_edited(self, annotation_id: str) -> bool:
        """True for a file annotation the reviewer changed or deleted."""
        original = self._original.get(annotation_id)
        entry = self._entries[annotation_id]
        return original is not None and (entry.deleted or entry.annotation != original)

    def filter(
        self,
        text: str = "",
        *,
        origin: Origin | None = None,
        channel_specific: bool | None = None,
    ) -> tuple[AnnotationEntry, ...]:
        """Visible entries whose label, source or channels contain ``text`` (any case)."""
        needle = text.strip().casefold()
        found = []
        for entry in self._visible():
            if origin is not None and entry.origin != origin:
                continue
            if channel_specific is not None and bool(entry.channels) != channel_specific:
                continue
            a = entry.annotation
            hay = " ".join((a.description, a.source, *a.channels)).casefold()
            if needle in hay:
                found.append(entry)
        return tuple(found)

    def in_span(self, start_s: float, end_s: float) -> tuple[AnnotationEntry, ...]:
        """Visible entries that overlap [start_s, end_s] (instant markers included)."""
        return tuple(e for e in self._visible() if e.onset <= end_s and e.end >= start_s)

    def next_after(self, t_s: float, tolerance_s: float = 1e-6) -> AnnotationEntry | None:
        """The first visible entry starting after ``t_s``."""
        return next((e for e in self._visible() if e.onset > t_s + tolerance_s), None)

    def previous_before(self, t_s: float, tolerance_s: float = 1e-6) -> AnnotationEntry | None:
        """The last visible entry starting before ``t_s``."""
        return next((e for e in reversed(self._visible()) if e.onset < t_s - tolerance_s), None)

    def stored_entries(self) -> list[AnnotationEntry]:
        """What the session file keeps: reviewer rows and edited/deleted file annotations."""
        return [e for e in self._entries.values() if e.origin == "reviewer" or self.is_edited(e.id)]

    # --- editing ------------------------------------------------------------------------
    def add(self, annotation: Annotation, *, annotation_id: str | None = None) -> str:
        """Add ``annotation`` and return its id.

        With ``annotation_id`` of a deleted entry (undo of a delete, or of a file
        annotation's deletion) that entry comes back with these values.
        """
        _check(annotation)
        key = annotation_id or uuid.uuid4().hex
        existing = self._entries.get(key)
        if existing is not None and not existing.deleted:
            raise ValueError(f"annotation {key} already exists")
        if existing is None and key.startswith("file:"):
            raise KeyError(f"no file annotation {key}")
        now = self._clock()
        created = existing.created if existing is not None else now
        entry = AnnotationEntry(key, annotation, created, now, deleted=False)
        self._apply("add", key, None, entry)
        return key

    def update(self, annotation_id: str, annotation: Annotation) -> None:
        """Replace the values of a visible annotation (move, resize, relabel, channels)."""
        _check(annotation)
        before = self._visible_entry(annotation_id)
        if before.annotation == annotation:
            return
        after = replace(before, annotation=annotation, modified=self._clock())
        self._apply("update", annotation_id, before, after)

    def remove(self, annotation_id: str) -> None:
        """Hide an annotation (kept flagged as deleted in the session file)."""
        before = self._visible_entry(annotation_id)
        after = replace(before, deleted=True, modified=self._clock())
        self._apply("remove", annotation_id, before, after)

    def _visible_entry(self, annotation_id: str) -> AnnotationEntry:
        entry = self._entries.get(annotation_id)
        if entry is None or entry.deleted:
            raise KeyError(f"no annotation {annotation_id}")
        return entry

    def _apply(
        self,
        action: Action,
        key: str,
        before: AnnotationEntry | None,
        after: AnnotationEntry,
    ) -> None:
        self._entries[key] = after
        self._sorted = None
        shown_after = None if after.deleted else after
        self._history.append(
            HistoryEntry(
                after.modified,
                action,
                key,
                annotation_json(before.annotation if before else None),
                annotation_json(shown_after.annotation if shown_after else None),
            )
        )
        self.changed.emit(AnnotationChange(action, key, before, shown_after))

    def _visible(self) -> list[AnnotationEntry]:
        if self._sorted is None:
            self._sorted = sorted(
                (e for e in self._entries.values() if not e.deleted),
                key=lambda e: (e.onset, e.duration, e.id),
            )
        return self._sorted
