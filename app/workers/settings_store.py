"""The viewer's persistent settings: one typed schema, one store over QSettings.

:class:`ViewerSettings` is the schema (defaults and a version); :class:`SettingsStore`
is the only code in Ictal that touches ``QSettings``. Values are stored as JSON text
(window layout as bytes), so the INI files tests use and the platform registry behave
the same. A value that is missing, unreadable or out of range falls back to its default:
a damaged settings file never stops the viewer from opening.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.core.viewport import (
    DEFAULT_PAGE_S,
    DEFAULT_SENSITIVITY_UV_MM,
    DEFAULT_TYPE_SCALE,
    PAGE_RANGE_S,
    SEEG_SENSITIVITY_UV_MM,
    Viewport,
)

log = logging.getLogger(__name__)

#: 2: analysis (auto-start, model, device, ECAM tint) and the report's institution added;
#: a version-1 file is read as is, the new fields taking their defaults.
SCHEMA_VERSION = 2
MAX_RECENT = 10
_GROUP = "viewer"
#: Devices the analysis may be asked to run on ("auto": CUDA when there is one).
ANALYSIS_DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True, slots=True)
class ViewerSettings:
    """What the viewer remembers between sessions (montage, scales, filters, layout)."""

    montage: str = "double_banana"
    sensitivity_uv_mm: float = DEFAULT_SENSITIVITY_UV_MM  # scalp EEG
    seeg_sensitivity_uv_mm: float = SEEG_SENSITIVITY_UV_MM  # depth (SEEG/ECoG) recordings
    page_s: float = DEFAULT_PAGE_S
    highpass_hz: float | None = 1.0
    lowpass_hz: float | None = 70.0
    notch_hz: float | None = None
    type_scale: tuple[tuple[str, float], ...] = DEFAULT_TYPE_SCALE
    calibration_factor: float = 1.0
    recent_files: tuple[str, ...] = ()
    window_geometry: bytes = b""
    window_state: bytes = b""
    analysis_autostart: bool = True
    analysis_model: str = "student"
    analysis_device: str = "auto"
    ecam_tint: bool = True
    report_institution: str = ""
    version: int = SCHEMA_VERSION

    def with_recent(self, path: str | Path) -> ViewerSettings:
        """The same settings with ``path`` first in the recent-files list."""
        text = str(Path(path).expanduser().resolve())
        recent = (text, *(p for p in self.recent_files if p != text))[:MAX_RECENT]
        return replace(self, recent_files=recent)


def settings_of(
    base: ViewerSettings, viewport: Viewport, geometry: bytes, state: bytes
) -> ViewerSettings:
    """``base`` updated with what the reviewer set in ``viewport`` and the window layout."""
    filters = viewport.filters
    return replace(
        base,
        montage=viewport.montage,
        sensitivity_uv_mm=viewport.sensitivity_of("EEG"),
        seeg_sensitivity_uv_mm=viewport.sensitivity_of("SEEG"),
        page_s=viewport.page_s,
        highpass_hz=filters.highpass,
        lowpass_hz=filters.lowpass,
        notch_hz=filters.notch,
        type_scale=viewport.type_scale,
        window_geometry=bytes(geometry),
        window_state=bytes(state),
    )


_OPTIONAL_FLOATS = frozenset({"highpass_hz", "lowpass_hz", "notch_hz"})
_BYTES = frozenset({"window_geometry", "window_state"})


def _positive(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (math.isfinite(value) and value > 0)
    )


def _coerce(name: str, value: Any, default: Any) -> Any:
    """``value`` decoded for field ``name`` or ``default`` when it does not fit."""
    if name in _OPTIONAL_FLOATS:
        return None if value is None else float(value) if _positive(value) else default
    if name == "page_s":
        ok = _positive(value) and PAGE_RANGE_S[0] <= value <= PAGE_RANGE_S[1]
        return float(value) if ok else default
    if name in {"sensitivity_uv_mm", "seeg_sensitivity_uv_mm", "calibration_factor"}:
        return float(value) if _positive(value) else default
    if name in {"montage", "analysis_model"}:
        return value if isinstance(value, str) and value else default
    if name in {"analysis_autostart", "ecam_tint"}:
        return value if isinstance(value, bool) else default
    if name == "analysis_device":
        return value if value in ANALYSIS_DEVICES else default
    if name == "report_institution":
        return value if isinstance(value, str) else default
    if name == "recent_files":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return tuple(value[:MAX_RECENT]) if ok else default
    if name == "type_scale":
        try:
            return tuple((str(k), float(v)) for k, v in value if _positive(v))
        except (TypeError, ValueError):
            return default
    return default


class SettingsStore:
    """Loads and saves :class:`ViewerSettings` through one ``QSettings`` object.

    Tests pass ``QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)``.
    """

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._qs = qsettings if qsettings is not None else QSettings("Ictal", "Ictal")

    @classmethod
    def at(cls, path: str | Path) -> SettingsStore:
        """A store in an INI file (tests, benchmarks, portable installs)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def load(self) -> ViewerSettings:
        defaults = ViewerSettings()
        self._qs.beginGroup(_GROUP)
        try:
            stored_version = self._qs.value("version")
            if stored_version is not None and str(stored_version) != str(SCHEMA_VERSION):
                log.info(
                    "settings schema %s != %s: reading what fits", stored_version, SCHEMA_VERSION
                )
            values: dict[str, Any] = {}
            for f in fields(ViewerSettings):
                if f.name == "version" or not self._qs.contains(f.name):
                    continue
                values[f.name] = self._read(f.name, getattr(defaults, f.name))
        finally:
            self._qs.endGroup()
        return replace(defaults, **values)

    def save(self, settings: ViewerSettings) -> None:
        self._qs.beginGroup(_GROUP)
        try:
            for f in fields(ViewerSettings):
                value = getattr(settings, f.name)
                if f.name in _BYTES:
                    self._qs.setValue(f.name, QByteArray(value))
                else:
                    self._qs.setValue(f.name, json.dumps(value))
        finally:
            self._qs.endGroup()
        self._qs.sync()

    def _read(self, name: str, default: Any) -> Any:
        raw = self._qs.value(name)
        if name in _BYTES:
            return bytes(raw.data()) if isinstance(raw, QByteArray) else default
        try:
            return _coerce(name, json.loads(str(raw)), default)
        except (json.JSONDecodeError, TypeError, ValueError):
            log.warning("settings: ignoring unreadable %s", name)
            return default
