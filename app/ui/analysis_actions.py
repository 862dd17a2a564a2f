"""The analysis commands, their keys, and the Analysis menu.

Keys (free in the viewer's and the annotations' key maps): ``]`` / ``[`` (or Ctrl+. /
Ctrl+,) next/previous detection, Ctrl+Return accept it, Ctrl+Shift+Backspace reject it,
E the ECAM tint, Ctrl+R run the analysis. The model menu lists the installed models when
it opens; the model and device chosen are remembered in the settings.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

DEVICES = (("auto", "Automatic (GPU if available)"), ("cpu", "CPU"), ("cuda", "GPU (CUDA)"))


class AnalysisActions(QObject):
    """Every analysis action, added to ``window`` so its keys work anywhere in it."""

    model_chosen = Signal(str)
    device_chosen = Signal(str)

    def __init__(self, window: QWidget, model: str, device: str) -> None:
        super().__init__(window)
        self._window = window
        tr = self.tr
        self.run = self._action(tr("&Run analysis"), ["Ctrl+R"])
        self.rerun = self._action(tr("Run again from the &start"), [])
        self.cancel = self._action(tr("&Cancel analysis"), [])
        self.autostart = self._action(tr("Start &automatically on open"), [], checkable=True)
        self.tint = self._action(tr("&ECAM tint on the traces"), ["E"], checkable=True)
        self.next_event = self._action(tr("&Next detection"), ["]", "Ctrl+."])
        self.previous_event = self._action(tr("&Previous detection"), ["[", "Ctrl+,"])
        self.accept = self._action(tr("&Accept detection"), ["Ctrl+Return", "Ctrl+Enter"])
        self.reject = self._action(tr("Re&ject detection"), ["Ctrl+Shift+Backspace"])
        self.leave = self._action(tr("&Leave detection unreviewed"), [])
        self.export_report = self._action(tr("Export &report…"), [])
        self.compare = self._action(tr("&Compare with…"), [])
        self.treated = self._action(tr("&Treated contacts…"), [])
        self._model_group = QActionGroup(self)
        self.models = self._choices([(model, model)], model, self.model_chosen, self._model_group)
        self.devices = self._choices(
            [(key, tr(text)) for key, text in DEVICES],
            device,
            self.device_chosen,
            QActionGroup(self),
        )
        self.menu = self._build_menu()

    def _action(self, text: str, keys: list[str], *, checkable: bool = False) -> QAction:
        action = QAction(text, self._window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        self._window.addAction(action)
        return action

    def _choices(
        self,
        items: Sequence[tuple[str, str]],
        current: str,
        signal: SignalInstance,
        group: QActionGroup,
    ) -> list[QAction]:
        group.setExclusive(True)
        actions = []
        for key, text in items:
            action = QAction(text, self._window)
            action.setCheckable(True)
            action.setChecked(key == current)
            action.setData(key)
            action.triggered.connect(lambda _checked=False, k=key: signal.emit(k))
            group.addAction(action)
            actions.append(action)
        return actions

    def _build_menu(self) -> QMenu:
        menu = QMenu(self.tr("A&nalysis"), self._window)
        for action in (self.run, self.rerun, self.cancel):
            menu.addAction(action)
        self.model_menu = menu.addMenu(self.tr("&Model"))
        for action in self.models:
            self.model_menu.addAction(action)
        self.model_menu.aboutToShow.connect(self.list_models)
        devices = menu.addMenu(self.tr("&Device"))
        for action in self.devices:
            devices.addAction(action)
        menu.addAction(self.autostart)
        menu.addSeparator()
        menu.addAction(self.tint)
        menu.addSeparator()
        for action in (self.next_event, self.previous_event, self.accept, self.reject, self.leave):
            menu.addAction(action)
        return menu

    def list_models(self) -> None:
        """Fill the model menu with the installed models (when it opens: keeps start-up light)."""
        from models.api import available_models  # noqa: PLC0415 - lists folders, no torch

        current = next((a.data() for a in self.models if a.isChecked()), "")
        known = {a.data() for a in self.models}
        new = [(name, name) for name in available_models() if name not in known]
        for action in self._choices(new, current, self.model_chosen, self._model_group):
            self.model_menu.addAction(action)
            self.models.append(action)

    def set_running(self, running: bool, has_recording: bool) -> None:
        self.run.setEnabled(has_recording and not running)
        self.rerun.setEnabled(has_recording and not running)
        self.cancel.setEnabled(running)
