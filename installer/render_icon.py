"""Render the application icon (``resources/icons/ictal.svg``) to PNG/ICO/ICNS with Qt.

Run at build time by ``installer/ictal.spec`` (so no binary icon is committed)::

    python installer/render_icon.py resources/icons/ictal.svg build/icons/ictal.png --size 256

The output format follows the file suffix: ``.png`` (Linux desktop entry, window icon),
``.ico`` (Windows executable and installer) or ``.icns`` (macOS bundle), as far as the
Qt image plugins of this platform can write it. Exit status 0 on success, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer


def render(svg: Path, target: Path, size: int) -> bool:
    """Draw ``svg`` on a transparent ``size``×``size`` image and save it to ``target``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed at build time
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        sys.stderr.write(f"render_icon: {svg} is not a valid SVG\n")
        return False
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target)):
        sys.stderr.write(f"render_icon: Qt cannot write {target.suffix} files here\n")
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the Ictal SVG icon with Qt.")
    parser.add_argument("svg", type=Path)
    parser.add_argument("out", type=Path, help="target file: .png, .ico or .icns")
    parser.add_argument("--size", type=int, default=256, help="pixels per side (default 256)")
    args = parser.parse_args(argv)
    return 0 if render(args.svg, args.out, args.size) else 1


if __name__ == "__main__":
    sys.exit(main())
