"""Settings: typed defaults, round trip, damaged values fall back, isolated per test."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from app.workers.settings_store import MAX_RECENT, SettingsStore, ViewerSettings


def _store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))


def test_empty_store_gives_the_clinical_defaults(tmp_path: Path) -> None:
    settings = _store(tmp_path).load()
    assert settings == ViewerSettings()
    assert (settings.sensitivity_uv_mm, settings.page_s) == (7.0, 10.0)
    assert (settings.highpass_hz, settings.lowpass_hz, settings.notch_hz) == (1.0, 70.0, None)


def test_round_trip(tmp_path: Path) -> None:
    store = _store(tmp_path)
    saved = ViewerSettings(
        montage="average",
        sensitivity_uv_mm=15.0,
        page_s=20.0,
        highpass_hz=0.5,
        lowpass_hz=None,
        notch_hz=50.0,
        type_scale=(("ECG", 10.0),),
        calibration_factor=1.1,
        recent_files=("/data/a.edf",),
        window_geometry=b"\x01\x02",
        window_state=b"\x00",
    )
    store.save(saved)
    assert _store(tmp_path).load() == saved


def test_damaged_values_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    path.write_text(
        '[viewer]\nsensitivity_uv_mm="-3"\npage_s="600"\nmontage="[1"\n'
        'highpass_hz="\\"x\\""\nrecent_files="42"\nlowpass_hz="null"\n',
        encoding="utf-8",
    )
    settings = SettingsStore.at(path).load()
    defaults = ViewerSettings()
    assert settings.sensitivity_uv_mm == defaults.sensitivity_uv_mm
    assert settings.page_s == defaults.page_s
    assert settings.montage == defaults.montage
    assert settings.highpass_hz == defaults.highpass_hz
    assert settings.recent_files == ()
    assert settings.lowpass_hz is None  # "off" is a valid stored choice


def test_recent_files_most_recent_first_without_duplicates(tmp_path: Path) -> None:
    settings = ViewerSettings()
    for i in range(MAX_RECENT + 3):
        settings = settings.with_recent(tmp_path / f"{i}.edf")
    settings = settings.with_recent(tmp_path / "5.edf")
    assert len(settings.recent_files) == MAX_RECENT
    assert settings.recent_files[0].endswith("5.edf")
    assert len(set(settings.recent_files)) == MAX_RECENT


def test_scalp_and_depth_sensitivities_are_both_remembered(tmp_path: Path) -> None:
    from app.core.viewport import SEEG_SENSITIVITY_UV_MM, Viewport
    from app.workers.settings_store import settings_of

    store = _store(tmp_path)
    assert store.load().seeg_sensitivity_uv_mm == SEEG_SENSITIVITY_UV_MM
    vm = Viewport(sensitivity_uv_mm=10.0)
    vm.set_signal_type("SEEG")
    vm.set_sensitivity(150.0)  # the reviewer reads an SEEG night at 150 µV/mm
    store.save(settings_of(store.load(), vm, b"", b""))
    saved = store.load()
    assert (saved.sensitivity_uv_mm, saved.seeg_sensitivity_uv_mm) == (10.0, 150.0)
    again = Viewport(
        sensitivity_uv_mm=saved.sensitivity_uv_mm,
        seeg_sensitivity_uv_mm=saved.seeg_sensitivity_uv_mm,
    )
    assert again.sensitivity_uv_mm == 10.0  # a scalp recording opens at the scalp value
    again.set_signal_type("SEEG")
    assert again.sensitivity_uv_mm == 150.0  # and the next depth recording at the SEEG one
