"""Run pytest with Qt made unimportable, to prove app.core and models need no Qt.

Usage: python tests/run_without_qt.py [pytest args...]
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

HIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "pytestqt", "PyQt5", "PyQt6", "qtpy")


class _HideQt(importlib.abc.MetaPathFinder):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname.split(".", maxsplit=1)[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {fullname!r} (Qt is hidden)")
        return None


def main(argv: list[str]) -> int:
    sys.meta_path.insert(0, _HideQt())
    for name in list(sys.modules):
        if name.split(".")[0] in HIDDEN:
            del sys.modules[name]
    import pytest

    return int(
        pytest.main(["-p", "no:pytest-qt", "-W", "ignore::pytest.PytestConfigWarning", *argv])
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
