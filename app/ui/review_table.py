"""The review tables (annotations, detections): their model base and column widths.

:class:`ReviewTableModel` is the flat table both models are: fixed column headers, one
row per item of ``_rows``. Column widths are fitted to the contents:

Qt's ``ResizeToContents`` measures up to 1000 rows of a column by default, and each
measurement calls the Python model (``index``, ``data``): on a night with ~1000
annotations every relayout of the table made thousands of calls into Python, and while a
background job held the interpreter each of them waited for it (the window froze for
~1 s after opening a 24-h night, as the trends started). Widths come from a sample of
rows instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

Index = QModelIndex | QPersistentModelIndex

#: Rows measured for a column's width (the visible ones first).
SAMPLE_ROWS = 64


def fit_columns_to_contents(table: QTableView) -> None:
    """Columns as wide as their contents (a sample of rows); the last one stretches."""
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(SAMPLE_ROWS)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)


class ReviewTableModel(QAbstractTableModel):
    """A flat table: subclasses set ``_headers`` (column titles) and ``_rows`` (items)."""

    def __init__(self) -> None:
        super().__init__()
        self._headers: tuple[str, ...] = ()
        self._rows: Sequence[Any] = ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None
