"""Tables in HDF5: equal-length named columns stored as one compound dataset.

Text columns are variable-length UTF-8; numbers keep their dtype. Also the conversion
of annotation rows and the edit log to and from their tables (layout in
:mod:`app.core.session_schema`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import h5py
import numpy as np
import numpy.typing as npt

from app.core.annotation import Annotation
from app.core.session_schema import Action, AnnotationEntry, Columns, HistoryEntry


# --- tables -------------------------------------------------------------------------------
def _column(values: npt.ArrayLike) -> tuple[np.dtype[Any], npt.NDArray[Any]]:
    array = np.asarray(values)
    if array.dtype.kind in "USO":
        text = np.empty(array.shape, dtype=object)
        text[...] = [str(v) for v in array.ravel()] if array.size else []
        return h5py.string_dtype("utf-8"), text
    return array.dtype, array


def write_table(group: h5py.Group, name: str, columns: Columns) -> None:
    """Store equal-length ``columns`` as one compound dataset ``name`` in ``group``."""
    prepared = {key: _column(values) for key, values in columns.items()}
    lengths = {len(array) for _, array in prepared.values()}
    if len(lengths) > 1:
        raise ValueError(f"table {name!r}: columns of different lengths {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    dtype = np.dtype([(key, dt) for key, (dt, _) in prepared.items()])
    rows = np.empty(n, dtype=dtype)
    for key, (_, array) in prepared.items():
        rows[key] = array
    group.create_dataset(name, data=rows)


def read_table(dataset: h5py.Dataset) -> dict[str, npt.NDArray[Any]]:
    """The columns of a table written by :func:`write_table` (text as ``str`` arrays)."""
    rows = dataset[()]
    columns: dict[str, npt.NDArray[Any]] = {}
    for key in rows.dtype.names or ():
        values = rows[key]
        if h5py.check_string_dtype(dataset.dtype[key]) is not None:
            texts = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values]
            values = np.array(texts, dtype=str)
        columns[key] = values
    return columns


def is_table(dataset: h5py.Dataset) -> bool:
    return dataset.dtype.names is not None


# --- annotations <-> tables ---------------------------------------------------------------
def _texts(values: Sequence[str]) -> npt.NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def _floats(values: Sequence[float]) -> npt.NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


def entries_columns(entries: Sequence[AnnotationEntry]) -> dict[str, npt.NDArray[Any]]:
    """The ``/annotations/table`` columns for ``entries``."""
    return {
        "onset": _floats([e.onset for e in entries]),
        "duration": _floats([e.duration for e in entries]),
        "description": _texts([e.description for e in entries]),
        "channels": _texts([json.dumps(list(e.channels), ensure_ascii=False) for e in entries]),
        "source": _texts([e.annotation.source for e in entries]),
        "id": _texts([e.id for e in entries]),
        "created": _floats([e.created for e in entries]),
        "modified": _floats([e.modified for e in entries]),
        "deleted": np.array([e.deleted for e in entries], dtype=bool),
    }


def entries_from(columns: Mapping[str, npt.NDArray[Any]]) -> list[AnnotationEntry]:
    """The entries of an ``/annotations/table`` read back with :func:`read_table`."""
    entries = []
    for i in range(len(columns["id"])):
        channels = json.loads(str(columns["channels"][i]) or "[]")
        annotation = Annotation(
            float(columns["onset"][i]),
            float(columns["duration"][i]),
            str(columns["description"][i]),
            tuple(str(c) for c in channels),
            str(columns["source"][i]),
        )
        entries.append(
            AnnotationEntry(
                str(columns["id"][i]),
                annotation,
                float(columns["created"][i]),
                float(columns["modified"][i]),
                bool(columns["deleted"][i]),
            )
        )
    return entries


def history_columns(history: Sequence[HistoryEntry]) -> dict[str, npt.NDArray[Any]]:
    """The ``/annotations/history`` columns for ``history``."""
    return {
        "time": _floats([h.time for h in history]),
        "action": _texts([h.action for h in history]),
        "id": _texts([h.id for h in history]),
        "before": _texts([h.before for h in history]),
        "after": _texts([h.after for h in history]),
    }


def history_from(columns: Mapping[str, npt.NDArray[Any]]) -> list[HistoryEntry]:
    actions: dict[str, Action] = {"add": "add", "update": "update", "remove": "remove"}
    return [
        HistoryEntry(
            float(columns["time"][i]),
            actions.get(str(columns["action"][i]), "update"),
            str(columns["id"][i]),
            str(columns["before"][i]),
            str(columns["after"][i]),
        )
        for i in range(len(columns["id"]))
    ]
