"""Column widths of the review tables (annotations, detections): fitted to their contents.

Qt's ``ResizeToContents`` measures up to 1000 rows of a column by default, and each
measurement calls the Python model (``index``, ``data``): on a night with ~1000
annotations every relayout of the table made thousands of calls into Python, and while a
background job held the interpreter each of them waited for it (the window froze for
~1 s after opening a 24-h night, as the trends started). Widths come from a sample of
rows instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView

#: Rows measured for a column's width (the visible ones first).
SAMPLE_ROWS = 64


def fit_columns_to_contents(table: QTableView) -> None:
    """Columns as wide as their contents (a sample of rows); the last one stretches."""
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(SAMPLE_ROWS)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
