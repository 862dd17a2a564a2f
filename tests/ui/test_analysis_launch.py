"""``ictal view FILE --time SECONDS`` opens on that page; ``ictal demo`` forces the analysis."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.view import add_parser
from app.ui.launch import HeadlessPrompter, _position, start_viewer
from app.workers.settings_store import SettingsStore
from tests.ui.recordings import write_test_edf


def test_time_option_parses_and_defaults_to_the_start() -> None:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    assert parser.parse_args(["view", "a.edf", "--time", "395.5"]).time == 395.5
    assert parser.parse_args(["view", "a.edf"]).time is None


def test_the_first_page_starts_at_the_time_asked_and_the_override_holds(
    qtbot, tmp_path: Path
) -> None:
    edf = write_test_edf(tmp_path / "night.edf")
    store = SettingsStore.at(tmp_path / "settings.ini")
    window = start_viewer(edf, store, HeadlessPrompter(), (900, 700))
    _position(window, 60.0, False)
    runs: list[bool] = []
    window.analysis.job.running_changed.connect(runs.append)
    try:
        qtbot.waitUntil(lambda: window.page is not None and window.page.request.start_s == 60.0)
        qtbot.waitUntil(lambda: window.annotations.session is not None, timeout=15_000)
        qtbot.wait(50)
        assert window.analysis.autostart_override is False and runs == []
        assert window.settings.analysis_autostart  # the user's choice is left as it was
    finally:
        window.close()
        window.deleteLater()
