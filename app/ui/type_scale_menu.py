"""Per channel type, how much coarser than EEG a trace is drawn (ECG, EMG, EOG...).

An ECG lead at 7 µV/mm would cover the page; clinical reviewers scale it separately.
The factor multiplies the scalp EEG sensitivity: ECG ×20 at 7 µV/mm is 140 µV/mm.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from app.core.viewport import Viewport

#: Ancillary types (EEG and SEEG have a sensitivity of their own: the toolbar's).
SCALED_TYPES = ("ECG", "EMG", "EOG", "RESP", "MISC")
FACTORS = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0)


class TypeScaleMenu(QMenu):
    """One submenu per channel type with exclusive factor choices."""

    def __init__(self, viewport: Viewport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._viewport = viewport
        self._actions: dict[tuple[str, float], QAction] = {}
        current = dict(viewport.type_scale)
        for channel_type in SCALED_TYPES:
            submenu = self.addMenu(channel_type)
            group = QActionGroup(submenu)
            for factor in FACTORS:
                action = submenu.addAction(f"× {factor:g}")
                action.setCheckable(True)
                action.setChecked(current.get(channel_type, 1.0) == factor)
                group.addAction(action)
                action.triggered.connect(
                    lambda _c=False, t=channel_type, f=factor: viewport.set_type_scale(t, f)
                )
                self._actions[(channel_type, factor)] = action
        viewport.type_scale_changed.connect(self._sync)

    def _sync(self) -> None:
        current = dict(self._viewport.type_scale)
        for (channel_type, factor), action in self._actions.items():
            action.setChecked(current.get(channel_type, 1.0) == factor)
