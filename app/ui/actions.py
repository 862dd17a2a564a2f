"""The window's commands and their keys, in one place.

Keys follow EDFbrowser and vendor reviewers: PgUp/PgDn a page, ←/→ half a page,
Home/End, Ctrl+G go to time, +/− sensitivity, N/P (or Ctrl+→/Ctrl+←) next/previous
annotation, F1–F12 montages.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

Key = Qt.Key
Mod = Qt.KeyboardModifier


def _keys(*keys: QKeySequence.StandardKey | str | int) -> list[QKeySequence]:
    return [QKeySequence(k) for k in keys]


class ViewerActions(QObject):
    """Every action of the viewer window; the window connects them to the model."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        tr = self.tr
        self._window = window
        self.open = self._action(tr("&Open…"), _keys(QKeySequence.StandardKey.Open))
        self.quit = self._action(tr("&Quit"), _keys(QKeySequence.StandardKey.Quit))
        self.next_page = self._action(tr("Next page"), _keys(Key.Key_PageDown))
        self.previous_page = self._action(tr("Previous page"), _keys(Key.Key_PageUp))
        self.forward_half = self._action(tr("Half a page forward"), _keys(Key.Key_Right))
        self.back_half = self._action(tr("Half a page back"), _keys(Key.Key_Left))
        self.home = self._action(tr("Start of recording"), _keys(Key.Key_Home))
        self.end = self._action(tr("End of recording"), _keys(Key.Key_End))
        self.goto = self._action(tr("&Go to time…"), _keys("Ctrl+G"))
        self.more_sensitive = self._action(
            tr("Increase sensitivity"), _keys(Key.Key_Plus, Key.Key_Equal)
        )
        self.less_sensitive = self._action(tr("Decrease sensitivity"), _keys(Key.Key_Minus))
        self.next_annotation = self._action(tr("Next annotation"), _keys("N", "Ctrl+Right"))
        self.previous_annotation = self._action(tr("Previous annotation"), _keys("P", "Ctrl+Left"))
        self.show_all = self._action(tr("Show all channels"), [])
        self.calibrate = self._action(tr("Calibrate screen…"), [])
        self.montages: list[QAction] = []
        self.montage_menu: QMenu | None = None
        self.docks_menu: QMenu | None = None

    def _action(self, text: str, keys: list[QKeySequence]) -> QAction:
        action = QAction(text, self._window)
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._window.addAction(action)
        return action

    def set_montages(self, names: list[str]) -> list[QAction]:
        """One action per montage, F1–F12 for the first twelve (old ones removed)."""
        for action in self.montages:
            self._window.removeAction(action)
            action.deleteLater()
        if self.montage_menu is not None:
            self.montage_menu.clear()
        self.montages = []
        for i, name in enumerate(names):
            keys = _keys(getattr(Key, f"Key_F{i + 1}")) if i < 12 else []
            action = self._action(name, keys)
            if self.montage_menu is not None:
                self.montage_menu.addAction(action)
            self.montages.append(action)
        return self.montages
