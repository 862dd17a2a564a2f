"""Small widgets of the review window: toolbar, overview bar, go-to, time axis, header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from app.core.annotation import Annotation
from app.core.channels import ChannelType
from app.core.filters import FilterSettings
from app.core.montage import MontageOption
from app.core.recording_info import Channel, PatientInfo, RecordingInfo
from app.core.viewport import Viewport
from app.ui.goto_dialog import CLOCK, ELAPSED, goto_seconds, parse_hms
from app.ui.header_dock import HeaderDock
from app.ui.overview_bar import OverviewBar, is_seizure
from app.ui.time_axis_item import format_elapsed, label_step
from app.ui.toolbar import ViewerToolBar

START = dt.datetime(2024, 1, 1, 22, 0, 0)


def test_toolbar_edits_and_follows_the_viewport(qtbot) -> None:
    vm = Viewport(3600.0)
    bar = ViewerToolBar(vm)
    qtbot.addWidget(bar)
    bar.set_montages(
        [
            MontageOption("as_recorded", "As recorded", 20, 0),
            MontageOption("double_banana", "Double banana", 18, 0),
        ]
    )
    assert bar.montage.itemText(1) == "F2: Double banana"
    bar.sensitivity.setCurrentIndex(bar.sensitivity.findData(15.0))
    bar.sensitivity.activated.emit(bar.sensitivity.currentIndex())
    assert vm.sensitivity_uv_mm == 15.0
    vm.step_sensitivity(1)
    assert bar.sensitivity.currentText() == "20 µV/mm"
    vm.set_filters(FilterSettings(0.5, None, 50.0))
    assert (bar.highpass.currentText(), bar.lowpass.currentText(), bar.notch.currentText()) == (
        "0.5 Hz",
        "Off",
        "50 Hz",
    )


def test_filter_combos_set_the_viewport_filters(qtbot) -> None:
    vm = Viewport(3600.0)
    bar = ViewerToolBar(vm)
    qtbot.addWidget(bar)
    bar.highpass.setCurrentIndex(bar.highpass.findData(0.5))
    bar.notch.setCurrentIndex(bar.notch.findData(60.0))
    bar.notch.activated.emit(bar.notch.currentIndex())
    assert vm.filters == FilterSettings(0.5, 70.0, 60.0)
    bar.lowpass.setCurrentIndex(bar.lowpass.findData(0.0))
    bar.lowpass.activated.emit(bar.lowpass.currentIndex())
    assert vm.filters.lowpass is None


def test_overview_bar_click_jumps(qtbot) -> None:
    bar = OverviewBar()
    qtbot.addWidget(bar)
    bar.resize(1000, 22)
    bar.set_recording(3600.0, [Annotation(600.0, 60.0, "Seizure")])
    bar.show()
    with qtbot.waitSignal(bar.jump_requested) as blocker:
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(250, 10))
    assert blocker.args[0] == pytest.approx(900.0)
    assert is_seizure("Seizure: focal left_temporal") and not is_seizure("Spike")


@pytest.mark.parametrize(
    ("text", "seconds"), [("1:02:03", 3723.0), ("02:03", 123.0), ("45", 45.0), ("0:00:01.5", 1.5)]
)
def test_parse_hms(text: str, seconds: float) -> None:
    assert parse_hms(text) == seconds


def test_goto_clock_time_after_midnight_is_the_next_day() -> None:
    assert goto_seconds("03:10:00", CLOCK, START, 8 * 3600.0) == 5 * 3600.0 + 600.0
    assert goto_seconds("22:30:00", CLOCK, START, 8 * 3600.0) == 1800.0
    assert goto_seconds("0:10:00", ELAPSED, None, 3600.0) == 600.0
    with pytest.raises(ValueError):
        goto_seconds("12:00:00", CLOCK, START, 8 * 3600.0)  # past the end
    with pytest.raises(ValueError):
        goto_seconds("10:00", CLOCK, None, 3600.0)  # no clock in the file


def test_time_axis_labels() -> None:
    assert format_elapsed(3723.0) == "1:02:03"
    assert format_elapsed(1.5) == "0:00:01.5"
    assert label_step(10.0, 1400.0) == 1.0
    assert label_step(60.0, 1400.0) == 5.0


def test_header_dock(qtbot) -> None:
    dock = HeaderDock()
    qtbot.addWidget(dock)
    info = RecordingInfo(
        path=Path("/data/night.edf"),
        format="EDF+C",
        patient=PatientInfo(code="P-7", name="Doe", sex="F"),
        start=START,
        duration_s=8 * 3600.0,
        sfreq=256.0,
        n_samples=0,
        file_size=0,
    )
    channels = [
        Channel(0, "Fp1", "EEG Fp1", ChannelType.EEG, 256.0),
        Channel(1, "ECG", "ECG", ChannelType.ECG, 256.0),
    ]
    dock.set_recording(info, channels)
    assert dock.field("patient") == "Doe"
    assert dock.field("duration") == "8:00:00"
    assert dock.field("start") == "2024-01-01 22:00:00"
    assert dock.field("channels") == "1 EEG, 1 ECG"
