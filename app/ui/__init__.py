"""Widgets, pyqtgraph items, dialogs and docks of the review window."""

import app.workers  # noqa: F401 - applies the PySide6 reference-count guard first
