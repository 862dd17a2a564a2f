"""Right-click menu of a trace: hide it, show all, mark its electrodes bad or good.

Bad marks belong to recorded channels (electrodes), not to derived traces: marking
``Fp1`` bad greys every trace that uses Fp1 and removes it from average references.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMenu, QWidget

from app.core.viewport import Viewport


def build_channel_menu(
    parent: QWidget, label: str, sources: Sequence[str], viewport: Viewport
) -> QMenu:
    """The menu for trace ``label`` fed by recording channels ``sources``."""
    menu = QMenu(parent)
    hide = menu.addAction(parent.tr("Hide %1").replace("%1", label))
    hide.triggered.connect(lambda: viewport.set_hidden(label, True))
    n_hidden = len(viewport.hidden)
    show = menu.addAction(parent.tr("Show all channels (%1 hidden)").replace("%1", str(n_hidden)))
    show.setEnabled(n_hidden > 0)
    show.triggered.connect(viewport.show_all)
    menu.addSeparator()
    for name in sources:
        if name in viewport.bad:
            action = menu.addAction(parent.tr("Mark %1 good").replace("%1", name))
            action.triggered.connect(lambda _c=False, n=name: viewport.set_bad([n], False))
        else:
            action = menu.addAction(parent.tr("Mark %1 bad").replace("%1", name))
            action.triggered.connect(lambda _c=False, n=name: viewport.set_bad([n], True))
    return menu
