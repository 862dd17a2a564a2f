"""``ictal view FILE --screenshot PNG`` in process: a PNG of the real window, or the error."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.cli.view import add_parser
from app.core.errors import RecordingError
from app.ui.launch import launch_viewer, parse_size
from app.workers.settings_store import SettingsStore, ViewerSettings
from tests.ui.recordings import write_broken_edf, write_test_edf


def test_screenshot_of_the_first_page(qtbot, tmp_path: Path) -> None:
    edf = write_test_edf(tmp_path / "night.edf")
    shot = tmp_path / "shot.png"
    store = SettingsStore.at(tmp_path / "settings.ini")
    assert launch_viewer(edf, screenshot=shot, size=(1280, 900), store=store) == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 900)
    # A screenshot run leaves the user's settings as they were.
    assert store.load() == ViewerSettings()


def test_screenshot_of_a_broken_file_raises_the_one_line_error(qtbot, tmp_path: Path) -> None:
    broken = write_broken_edf(tmp_path / "broken.edf")
    store = SettingsStore.at(tmp_path / "settings.ini")
    with pytest.raises(RecordingError) as caught:
        launch_viewer(broken, screenshot=tmp_path / "x.png", store=store)
    assert "broken.edf" in caught.value.what
    assert not (tmp_path / "x.png").exists()


def test_view_arguments() -> None:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["view", "a.edf", "--screenshot", "a.png", "--size", "1200x900"])
    assert (args.file, args.screenshot, parse_size(args.size)) == ("a.edf", "a.png", (1200, 900))
