"""What a session file stores, and how it lies in HDF5.

Layout (``schema_version`` 1)::

    /                       attrs: schema_version, fingerprint_*, recording, created, modified
    /annotations/table      one row per reviewer annotation or edited file annotation
    /annotations/history    the edit log: time, action, id, before, after (JSON)
    /analysis/<model>/...   prob, channel_prob, events (table), meta (attrs, complete flag)
    /trends/...             whole-night trends (any arrays + attrs)

A *table* is a compound dataset read back as named columns; text columns are UTF-8
(:mod:`app.core.session_tables`). This module holds the values only (no HDF5 import).
Annotations from the recording itself are not copied here unless the reviewer edits or
deletes one: the row then carries the file annotation's id (``file:...``) and overrides it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy.typing as npt

from app.core.annotation import Annotation

SCHEMA_VERSION = 1
FILE_ID_PREFIX = "file:"

Origin = Literal["file", "reviewer"]
Action = Literal["add", "update", "remove"]
Columns = Mapping[str, npt.ArrayLike]


def file_annotation_id(index: int, annotation: Annotation) -> str:
    """The stable id of the recording's ``index``-th annotation (its content hashed in)."""
    a = annotation
    text = f"{a.onset!r}|{a.duration!r}|{a.description}|{','.join(a.channels)}"
    return f"{FILE_ID_PREFIX}{index}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


@dataclass(frozen=True, slots=True)
class AnnotationEntry:
    """One annotation as the reviewer sees it, with its identity and timestamps.

    ``origin`` is ``"file"`` for an annotation that came with the recording (edits are
    kept here, the recording is never touched) and ``"reviewer"`` for one made in Ictal.
    ``created``/``modified`` are POSIX seconds; ``deleted`` rows stay for the audit trail.
    """

    id: str
    annotation: Annotation
    created: float = 0.0
    modified: float = 0.0
    deleted: bool = False

    @property
    def origin(self) -> Origin:
        return "file" if self.id.startswith(FILE_ID_PREFIX) else "reviewer"

    @property
    def onset(self) -> float:
        return self.annotation.onset

    @property
    def duration(self) -> float:
        return self.annotation.duration

    @property
    def end(self) -> float:
        return self.annotation.end

    @property
    def description(self) -> str:
        return self.annotation.description

    @property
    def channels(self) -> tuple[str, ...]:
        return self.annotation.channels


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One edit: when, what (add/update/remove), which annotation, before and after (JSON)."""

    time: float
    action: Action
    id: str
    before: str = ""
    after: str = ""


@dataclass(frozen=True, slots=True)
class StoredGroup:
    """A group read back: its arrays, its tables (columns by name) and its attributes."""

    arrays: Mapping[str, npt.NDArray[Any]] = field(default_factory=dict)
    tables: Mapping[str, Mapping[str, npt.NDArray[Any]]] = field(default_factory=dict)
    attrs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """One model's results. ``complete`` is False for a run that was cancelled or crashed."""

    model: str
    arrays: Mapping[str, npt.NDArray[Any]]
    events: Mapping[str, npt.NDArray[Any]]
    meta: Mapping[str, Any]
    complete: bool


def annotation_json(annotation: Annotation | None) -> str:
    """An annotation as one line of JSON ('' for none): the edit log's before/after."""
    if annotation is None:
        return ""
    return json.dumps(
        {
            "onset": annotation.onset,
            "duration": annotation.duration,
            "description": annotation.description,
            "channels": list(annotation.channels),
            "source": annotation.source,
        },
        ensure_ascii=False,
    )


def annotation_from_json(text: str) -> Annotation | None:
    """The inverse of :func:`annotation_json`."""
    if not text:
        return None
    data = json.loads(text)
    return Annotation(
        float(data["onset"]),
        float(data["duration"]),
        str(data["description"]),
        tuple(str(c) for c in data.get("channels", ())),
        str(data.get("source", "user")),
    )
