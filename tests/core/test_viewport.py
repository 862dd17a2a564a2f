"""The page/time model: clinical sensitivity steps, paging, clamping, annotation jumps."""

from __future__ import annotations

import pytest

from app.core.annotation import Annotation
from app.core.viewport import (
    ANNOTATION_LEAD,
    SEEG_SENSITIVITY_UV_MM,
    SENSITIVITY_STEPS_UV_MM,
    Viewport,
    main_signal_type,
    step_sensitivity,
)


@pytest.mark.parametrize(
    ("current", "steps", "expected"),
    [
        (7.0, 1, 10.0),
        (7.0, -1, 5.0),
        (8.0, 1, 10.0),
        (8.0, -1, 7.0),
        (500.0, 1, 500.0),
        (1.0, -1, 1.0),
        (7.0, 3, 20.0),
        (0.5, 1, 1.0),
    ],
)
def test_sensitivity_steps_follow_the_clinical_scale(
    current: float, steps: int, expected: float
) -> None:
    assert step_sensitivity(current, steps) == expected


def test_scale_is_the_clinical_one() -> None:
    assert SENSITIVITY_STEPS_UV_MM[:6] == (1.0, 2.0, 3.0, 5.0, 7.0, 10.0)
    assert SENSITIVITY_STEPS_UV_MM[-1] == 500.0


def test_paging_is_clamped_to_the_recording() -> None:
    vm = Viewport(100.0, page_s=10.0)
    spans: list[tuple[float, float]] = []
    vm.span_changed.connect(lambda s, p: spans.append((s, p)))
    vm.scroll(1.0)
    vm.scroll(0.5)
    assert vm.start_s == 15.0
    vm.end()
    assert vm.start_s == 90.0
    vm.scroll(1.0)  # already at the end: nothing happens
    vm.home()
    vm.scroll(-1.0)  # already at the start
    assert spans == [(10.0, 10.0), (15.0, 10.0), (90.0, 10.0), (0.0, 10.0)]


def test_page_length_is_kept_between_1_and_60_s() -> None:
    vm = Viewport(3600.0)
    assert vm.page_s == 10.0
    vm.set_page_s(0.1)
    assert vm.page_s == 1.0
    vm.set_page_s(600.0)
    assert vm.page_s == 60.0


def test_longer_page_near_the_end_moves_the_start_back() -> None:
    vm = Viewport(100.0, page_s=10.0)
    vm.end()
    vm.set_page_s(30.0)
    assert (vm.start_s, vm.end_s) == (70.0, 100.0)


def test_recording_shorter_than_a_page_stays_at_zero() -> None:
    vm = Viewport(4.0, page_s=10.0)
    vm.end()
    assert vm.start_s == 0.0


def test_type_scaling_multiplies_the_page_sensitivity() -> None:
    vm = Viewport(10.0, sensitivity_uv_mm=7.0, type_scale=(("ECG", 20.0),))
    assert vm.sensitivity_for("EEG") == 7.0
    assert vm.sensitivity_for("ECG") == 140.0
    vm.step_sensitivity(1)
    assert vm.sensitivity_for("ECG") == 200.0


def test_main_signal_type_is_seeg_when_depth_contacts_dominate() -> None:
    assert main_signal_type(["SEEG"] * 89 + ["ECG"]) == "SEEG"
    assert main_signal_type(["SEEG"] * 10 + ["EEG"] * 4) == "SEEG"
    assert main_signal_type(["EEG"] * 19 + ["SEEG"] * 2 + ["ECG"]) == "EEG"
    assert main_signal_type(["ECG", "MISC"]) == "EEG"


def test_each_signal_type_has_its_own_default_sensitivity_and_keeps_changes() -> None:
    vm = Viewport(10.0, sensitivity_uv_mm=10.0, type_scale=(("ECG", 20.0),))
    fired: list[float] = []
    vm.sensitivity_changed.connect(fired.append)
    assert SEEG_SENSITIVITY_UV_MM in SENSITIVITY_STEPS_UV_MM and 50 <= SEEG_SENSITIVITY_UV_MM <= 100
    vm.set_signal_type("SEEG")  # an SEEG recording opens at the depth-electrode default
    assert vm.signal_type == "SEEG" and vm.sensitivity_uv_mm == SEEG_SENSITIVITY_UV_MM
    assert fired == [SEEG_SENSITIVITY_UV_MM]
    assert vm.sensitivity_for("SEEG") == SEEG_SENSITIVITY_UV_MM
    assert vm.sensitivity_for("EEG") == 10.0  # scalp contacts beside the depth ones
    assert vm.sensitivity_for("ECG") == 200.0  # ancillary: a factor of the scalp EEG's
    vm.step_sensitivity(1)  # the reviewer reads SEEG coarser
    assert vm.sensitivity_uv_mm == 150.0
    vm.set_signal_type("EEG")  # a scalp recording: the reviewer's scalp value is back
    assert vm.sensitivity_uv_mm == 10.0 and vm.sensitivity_of("SEEG") == 150.0
    vm.set_signal_type("SEEG")  # and the SEEG change was kept
    assert vm.sensitivity_uv_mm == 150.0 and vm.sensitivity_of("EEG") == 10.0
    vm.set_signal_type("SEEG")
    assert fired == [SEEG_SENSITIVITY_UV_MM, 150.0, 10.0, 150.0]


def test_events_fire_only_on_change() -> None:
    vm = Viewport(10.0)
    fired: list[str] = []
    vm.sensitivity_changed.connect(lambda v: fired.append("sens"))
    vm.hidden_changed.connect(lambda: fired.append("hidden"))
    vm.bad_changed.connect(lambda: fired.append("bad"))
    vm.montage_changed.connect(lambda k: fired.append("montage"))
    vm.set_sensitivity(7.0)
    vm.set_sensitivity(10.0)
    vm.set_hidden("Fp1-F7", True)
    vm.set_hidden("Fp1-F7", True)
    vm.set_bad(["Fp1"], True)
    vm.set_bad(["Fp1"], True)
    vm.set_montage("double_banana")
    vm.set_montage("average")  # a new montage also shows every trace again
    assert fired == ["sens", "hidden", "bad", "montage"]
    assert vm.hidden == frozenset()
    assert vm.bad == frozenset({"Fp1"})


def test_next_and_previous_annotation() -> None:
    vm = Viewport(1000.0, page_s=20.0)
    anns = [
        Annotation(300.0, 10.0, "Seizure"),
        Annotation(100.0, 0.0, "Spike"),
        Annotation(990.0, 0.0, "End"),
    ]
    assert vm.next_annotation(anns) is anns[1]
    assert vm.start_s == 100.0 - ANNOTATION_LEAD * 20.0
    assert vm.next_annotation(anns) is anns[0]
    assert vm.start_s == 295.0
    assert vm.next_annotation(anns) is anns[2]
    assert vm.start_s == 980.0  # clamped at the end
    assert vm.next_annotation(anns) is None
    assert vm.previous_annotation(anns) is anns[0]
    assert vm.previous_annotation(anns) is anns[1]
    assert vm.previous_annotation(anns) is None
    assert vm.start_s == 95.0
