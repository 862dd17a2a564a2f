"""The trends job (progress, partial results, cancel, cache) and the trends dock (rows, jump)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from app.core.recording import open_recording
from app.core.session_schema import StoredGroup
from app.core.trend_plan import plan_trends
from app.core.trend_result import GROUP, Trends, compute_trends
from app.core.trends import TrendSettings
from app.ui.trends_dock import TrendsDock
from app.workers.trend_job import TrendJob
from tests.core.trend_helpers import write_night

SETTINGS = TrendSettings(chunk_s=30.0)  # 180 s -> 6 chunks


class MemoryStore:
    """The two session-file calls the trends use, kept in memory."""

    def __init__(self) -> None:
        self.groups: dict[str, StoredGroup] = {}

    def write_group(
        self, name: str, arrays: Mapping[str, Any], attrs: Mapping[str, Any] | None = None
    ) -> None:
        copied = {k: np.array(v) for k, v in arrays.items()}
        self.groups[name] = StoredGroup(copied, {}, dict(attrs or {}))

    def read_group(self, name: str) -> StoredGroup | None:
        return self.groups.get(name)


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_night(tmp_path_factory.mktemp("trends") / "night.edf", duration_s=180.0)


@pytest.fixture
def job(qtbot):
    runner = TrendJob(settings=SETTINGS)
    yield runner
    runner.shutdown()


def _stopped(running: bool) -> bool:
    return not running


def _expected(path: Path) -> Trends:
    with open_recording(path) as rec:
        info = rec.info
        empty = Trends.empty(plan_trends(rec.channels), SETTINGS, info.sfreq, info.n_samples)
        return compute_trends(rec.read_page, empty)


def test_job_reports_progress_fills_in_chunk_by_chunk_and_caches(qtbot, job, night) -> None:
    store = MemoryStore()
    progress: list[float] = []
    filled: list[int] = []
    job.progress.connect(progress.append)
    job.updated.connect(lambda t: filled.append(int(np.isfinite(t.cdsa["left"][:, 0]).sum())))
    with open_recording(night) as rec:
        with qtbot.waitSignal(job.running_changed, check_params_cb=_stopped, timeout=30000):
            job.open(rec, store)
        assert job.trends is not None and job.trends.complete
        assert progress == sorted(progress) and progress[0] < 0.5 and progress[-1] == 1.0
        assert filled[:6] == [3, 6, 9, 12, 15, 18]  # 10-s bins arriving 30 s at a time
        expected = _expected(night)
        np.testing.assert_array_equal(job.trends.cdsa["right"], expected.cdsa["right"])
        np.testing.assert_array_equal(job.trends.aeeg["left"], expected.aeeg["left"])
        assert store.groups[GROUP].attrs["chunks_done"] == 6
        again = TrendJob(settings=SETTINGS)
        again.open(rec, store)  # reopening: shown at once from the session file
        assert again.trends is not None and again.trends.complete and not again.is_running()
        np.testing.assert_array_equal(again.trends.cdsa["left"], expected.cdsa["left"])
        again.shutdown()


def test_job_can_be_cancelled_and_resumed(qtbot, job, night) -> None:
    store = MemoryStore()

    def cancel_after_first(trends: Trends) -> None:
        if trends.chunks_done == 1 and job.is_running():
            job.cancel()

    job.updated.connect(cancel_after_first)
    stopped = qtbot.waitSignal(job.running_changed, check_params_cb=_stopped, timeout=30000)
    with open_recording(night) as rec, stopped:
        job.open(rec, store)
    trends = job.trends
    assert trends is not None and trends.chunks_done == 1 and not trends.complete
    assert np.isnan(trends.cdsa["left"][3:]).all()
    assert store.groups[GROUP].attrs["chunks_done"] == 1  # the partial result is kept
    with qtbot.waitSignal(job.running_changed, check_params_cb=_stopped, timeout=30000):
        job.start()
    assert job.trends is not None and job.trends.complete
    np.testing.assert_array_equal(job.trends.cdsa["left"], _expected(night).cdsa["left"])


def test_dock_shows_hemisphere_rows_and_jumps_on_click(qtbot, night) -> None:
    dock = TrendsDock(job=TrendJob(settings=SETTINGS))
    qtbot.addWidget(dock)
    dock.resize(1000, 420)
    dock.show()
    qtbot.waitExposed(dock)
    stopped = qtbot.waitSignal(dock.job.running_changed, check_params_cb=_stopped, timeout=30000)
    with open_recording(night) as rec, stopped:
        dock.set_recording(rec)
    panel = dock.panel
    assert panel.row_keys() == ("events", "cdsa_left", "cdsa_right", "aeeg_left", "aeeg_right")
    assert "C3-P3 / C4-P4" in dock.summary.text() and not dock.progress.isVisible()
    vb = panel.plot("cdsa_left").getViewBox()
    point = panel.mapFromScene(vb.mapViewToScene(QPointF(90.0, 10.0)))
    with qtbot.waitSignal(dock.jump_requested, timeout=2000) as blocker:
        qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=point)
    seconds_per_px = 180.0 / vb.width()
    assert blocker.args[0] == pytest.approx(90.0, abs=2 * seconds_per_px)
    hover = panel.hover_text("cdsa_left", 95.0, 10.0)
    assert hover.startswith("22:01:35") and "10.0 Hz" in hover and "dB" in hover
    assert "µV" in panel.hover_text("aeeg_right", 95.0, 1.0)
    dock.set_page(40.0, 10.0)
    assert panel.row("aeeg_left").cursor.value() == 45.0
    dock.shutdown()


def test_a_new_row_stacks_in_order_and_shares_the_time_axis(qtbot, night) -> None:
    dock = TrendsDock(job=TrendJob(settings=SETTINGS))
    qtbot.addWidget(dock)
    dock.resize(800, 420)
    dock.show()
    qtbot.waitExposed(dock)
    stopped = qtbot.waitSignal(dock.job.running_changed, check_params_cb=_stopped, timeout=30000)
    with open_recording(night) as rec, stopped:
        dock.set_recording(rec)
    plot = dock.panel.add_row("seizure_prob", "Seizure", order=15, y_range=(0.0, 1.0))
    keys = dock.panel.row_keys()
    assert keys.index("cdsa_right") < keys.index("seizure_prob") < keys.index("aeeg_left")
    qtbot.wait(50)  # the layout places the new row
    dock.panel.plot("cdsa_left").getViewBox().setXRange(30.0, 120.0, padding=0.0)
    assert plot.getViewBox().viewRange()[0] == pytest.approx([30.0, 120.0])
    dock.shutdown()
