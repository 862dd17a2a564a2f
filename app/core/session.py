"""The session file: everything Ictal knows about one recording, kept beside it.

``<recording>.ictal.h5`` (e.g. ``night.edf.ictal.h5``) sits next to the recording, or in
the user data folder (named by the recording's fingerprint) when the recording's folder
is read-only. The recording itself is never written.

Every change rewrites the file atomically: a new file is written next to the old one,
synced to disk and moved over it with ``os.replace``, so a crash or power cut at any
moment leaves the previous complete file (or the new complete one), never half a file,
and a reader that has the old file open keeps reading the old, consistent file. Groups
the change does not touch are copied from the previous file by HDF5 (chunk copies, no
decoding), so saving an annotation edit stays fast with a whole night's analysis stored.

A session written for a different recording (its fingerprint does not match), one
written by a newer Ictal, or an unreadable file is never applied and never destroyed:
it is renamed ``*.ictal.mismatch-<time>.h5`` (``newer-``/``unreadable-``) and a warning
is logged; :attr:`Session.notice` says what happened so the window can tell the user.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import h5py
import numpy.typing as npt

from app.core.fingerprint import Fingerprint, fingerprint
from app.core.session_file import (
    Writer,
    can_write_in,
    check_existing,
    clean_stale_temps,
    read_only,
    rewrite_atomically,
)
from app.core.session_schema import (
    SCHEMA_VERSION,
    AnalysisResult,
    AnnotationEntry,
    Columns,
    HistoryEntry,
    StoredGroup,
)
from app.core.session_tables import (
    entries_columns,
    entries_from,
    history_columns,
    history_from,
    is_table,
    read_table,
    write_table,
)

log = logging.getLogger(__name__)

SESSION_SUFFIX = ".ictal.h5"
ANNOTATIONS = "annotations"
ANALYSIS = "analysis"
TRENDS = "trends"
#: Children of ``/analysis/<model>`` that a new write of the results carries over.
ANALYSIS_KEPT = ("review",)


def beside_path(recording: str | os.PathLike[str]) -> Path:
    """``night.edf`` -> ``night.edf.ictal.h5`` in the same folder."""
    path = Path(recording)
    return path.with_name(path.name + SESSION_SUFFIX)


def default_data_dir() -> Path:
    """Where sessions of recordings in read-only folders live (per user)."""
    import platformdirs  # noqa: PLC0415 - only needed for read-only folders

    return Path(platformdirs.user_data_dir("ictal", appauthor=False)) / "sessions"


def private_path(recording: str | os.PathLike[str], fp: Fingerprint, data_dir: Path) -> Path:
    """The session of a recording in a read-only folder: keyed by its fingerprint."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(recording).name)[:80]
    return data_dir / f"{stem}-{fp.key}{SESSION_SUFFIX}"


def model_key(model: str) -> str:
    """A model name as an HDF5 group name (no slashes, never empty)."""
    return re.sub(r"[/\\\x00.]+", "_", model).strip() or "_"


class Session:
    """The session file of one recording; all reads and writes go through here.

    Thread-safe: writes to one file are serialised (the GUI's annotation autosave and
    the analysis worker share the file). Reads open the file briefly and close it.
    """

    def __init__(
        self,
        path: Path,
        fp: Fingerprint,
        *,
        recording: Path | None = None,
        fallback: Path | None = None,
        notice: str = "",
    ) -> None:
        self.path = path
        self.fingerprint = fp
        self.recording = recording
        self.notice = notice
        self._fallback = fallback

    @classmethod
    def open(
        cls,
        recording: str | os.PathLike[str],
        *,
        data_dir: Path | None = None,
        writable: Callable[[Path], bool] = can_write_in,
    ) -> Session:
        """The session of ``recording``: found, checked against its fingerprint, or new.

        Nothing is written until the first save. Raises ``RecordingError`` when the
        recording cannot be read.
        """
        rec = Path(recording)
        fp = fingerprint(rec)
        private = private_path(rec, fp, data_dir if data_dir is not None else default_data_dir())
        beside = beside_path(rec)
        if writable(rec.parent if str(rec.parent) else Path(".")):
            path = private if (private.exists() and not beside.exists()) else beside
            fallback: Path | None = private
        else:
            path, fallback = private, None
            if beside.exists() and not private.exists():
                # Read-only folder with an existing session: carry it into the data folder.
                private.parent.mkdir(parents=True, exist_ok=True)
                rewrite_atomically(private, beside, {}, {})
        clean_stale_temps(path)
        notice = check_existing(path, fp)
        log.info("session for %s: %s", rec.name, path)
        return cls(path, fp, recording=rec, fallback=fallback, notice=notice)

    def exists(self) -> bool:
        return self.path.exists()

    # --- annotations --------------------------------------------------------------------
    def read_annotations(self) -> tuple[list[AnnotationEntry], list[HistoryEntry]]:
        """The stored annotation rows (deleted ones included) and the edit log."""
        group = self.read_group(ANNOTATIONS)
        if group is None:
            return [], []
        entries = entries_from(group.tables["table"]) if "table" in group.tables else []
        history = history_from(group.tables["history"]) if "history" in group.tables else []
        return entries, history

    def write_annotations(
        self, entries: Sequence[AnnotationEntry], history: Sequence[HistoryEntry]
    ) -> None:
        """Replace the annotation rows and the edit log; durable when this returns."""

        def write(group: h5py.Group, _old: h5py.File | None) -> None:
            write_table(group, "table", entries_columns(entries))
            write_table(group, "history", history_columns(history))
            group.attrs["count"] = len(entries)

        self._rewrite({ANNOTATIONS: write})

    # --- analysis -----------------------------------------------------------------------
    def write_analysis(
        self,
        model: str,
        arrays: Mapping[str, npt.ArrayLike],
        table: Columns | None = None,
        attrs: Mapping[str, Any] | None = None,
        *,
        complete: bool,
    ) -> None:
        """Store (replace) one model's results: arrays, the ``events`` table, ``meta``.

        Write ``complete=False`` while a run is in progress; only the final write of a
        finished run says ``complete=True``. A run that is cancelled or crashes is
        therefore never read back as complete. A ``review`` child is carried over.
        """
        name = f"{ANALYSIS}/{model_key(model)}"

        def write(group: h5py.Group, old: h5py.File | None) -> None:
            _fill(group, arrays, {"events": table} if table is not None else {}, {})
            meta = group.create_group("meta")
            meta.attrs.update(dict(attrs or {}))
            meta.attrs["model"] = model
            meta.attrs["complete"] = bool(complete)
            meta.attrs["written"] = time.time()
            if old is not None:
                for child in ANALYSIS_KEPT:
                    if f"{name}/{child}" in old:
                        old.copy(old[f"{name}/{child}"], group, name=child)

        self._rewrite({name: write})

    def read_analysis(self, model: str) -> AnalysisResult | None:
        """One model's stored results, or None; ``complete`` False unless it finished."""
        group = self.read_group(f"{ANALYSIS}/{model_key(model)}")
        if group is None:
            return None
        meta = self.read_group(f"{ANALYSIS}/{model_key(model)}/meta")
        meta_attrs = dict(meta.attrs) if meta is not None else {}
        return AnalysisResult(
            model=str(meta_attrs.get("model", model)),
            arrays=group.arrays,
            events=group.tables.get("events", {}),
            meta=meta_attrs,
            complete=bool(meta_attrs.get("complete", False)),
        )

    def analysis_models(self) -> tuple[str, ...]:
        """Names of the models with stored results (complete or not)."""
        if not self.path.exists():
            return ()
        with read_only(self.path) as h5:
            group = h5.get(ANALYSIS)
            if not isinstance(group, h5py.Group):
                return ()
            return tuple(
                str(group[k]["meta"].attrs.get("model", k)) if "meta" in group[k] else k
                for k in group
            )

    # --- generic groups (trends...) ----------------------------------------------------
    def write_group(
        self,
        name: str,
        arrays: Mapping[str, npt.ArrayLike],
        attrs: Mapping[str, Any] | None = None,
        tables: Mapping[str, Columns] | None = None,
    ) -> None:
        """Replace the group ``name`` (e.g. ``trends/cdsa``) with these arrays and attrs."""
        name = name.strip("/")
        if not name or name.split("/")[0] == ANNOTATIONS:
            raise ValueError(f"cannot write group {name!r}: use write_annotations")

        def write(group: h5py.Group, _old: h5py.File | None) -> None:
            _fill(group, arrays, tables or {}, attrs or {})

        self._rewrite({name: write})

    def read_group(self, name: str) -> StoredGroup | None:
        """The arrays, tables and attrs directly in group ``name``; None if absent."""
        if not self.path.exists():
            return None
        with read_only(self.path) as h5:
            group = h5.get(name.strip("/"))
            if not isinstance(group, h5py.Group):
                return None
            arrays, tables = {}, {}
            for key, item in group.items():
                if isinstance(item, h5py.Dataset):
                    if is_table(item):
                        tables[key] = read_table(item)
                    else:
                        arrays[key] = item[()]
            return StoredGroup(arrays, tables, dict(group.attrs))

    # --- writing ------------------------------------------------------------------------
    def _rewrite(self, writers: Mapping[str, Writer]) -> None:
        attrs = {
            "schema_version": SCHEMA_VERSION,
            "recording": self.recording.name if self.recording else "",
            **self.fingerprint.as_attrs(),
        }
        source = self.path
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            rewrite_atomically(self.path, source, writers, attrs)
        except PermissionError:
            if self._fallback is None or self._fallback == self.path:
                raise
            # The recording's folder became read-only: continue in the data folder.
            log.warning("cannot write %s; saving the session in %s", self.path, self._fallback)
            self.path, self._fallback = self._fallback, None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            rewrite_atomically(self.path, source, writers, attrs)


def _fill(
    group: h5py.Group,
    arrays: Mapping[str, npt.ArrayLike],
    tables: Mapping[str, Columns],
    attrs: Mapping[str, Any],
) -> None:
    for key, values in arrays.items():
        group.create_dataset(key, data=values)
    for key, columns in tables.items():
        write_table(group, key, columns)
    group.attrs.update(dict(attrs))


def _read(path: Path) -> h5py.File:
    return h5py.File(path, "r", locking=False)
