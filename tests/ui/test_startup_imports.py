"""What the way to the first page imports: the heavy libraries wait until they are needed.

Start-up time is the first thing a reviewer feels (target: first page of a 24-h night
within 1.2 s of process start). mne's readers (~0.3 s), scipy.signal (~0.6 s, ~50 MB),
h5py and torch (analysis only) must stay off the path. Each check runs in a fresh
interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.ui.recordings import write_test_edf

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("mne", "scipy.signal", "torch", "h5py")


def _imported_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    modules = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    return [name for name in HEAVY if name in modules]


def test_a_first_page_of_an_edf_needs_none_of_the_heavy_libraries(tmp_path: Path) -> None:
    edf = write_test_edf(tmp_path / "night.edf")
    code = f"""
from app.core.filters import FilterSettings
from app.core.recording import open_recording
from app.workers.page_job import PageRequest, PageSource
source = PageSource(open_recording({str(edf)!r}))
page = source.page(PageRequest(0.0, 10.0, "double_banana", FilterSettings(notch=50.0),
                               frozenset(), 800))
assert page.data.shape[1] == 2560
"""
    assert _imported_after(code) == []


def test_building_the_window_needs_none_of_the_heavy_libraries() -> None:
    code = """
from app.ui.app import application, configure_pyqtgraph
application()
configure_pyqtgraph()
import app.ui.main_window
"""
    assert _imported_after(code) == []
