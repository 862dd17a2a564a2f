"""What part of a recording the reviewer is looking at, and how: the viewer's state model.

A Qt-free model with psygnal events (views subscribe; nothing here draws). It holds the
page (``start_s``, ``page_s``: 1-60 s, default 10 s), the sensitivity in µV/mm (stepped
through the clinical scale), the montage key, the filters, per-type scaling, hidden
traces and bad channels. Every setter clamps to what makes sense and emits only when
something changed.

The sensitivity belongs to the recording's main signal type (:func:`main_signal_type`):
scalp EEG opens at 7 µV/mm, depth and subdural electrodes (SEEG, ECoG: potentials ten
times larger) at :data:`SEEG_SENSITIVITY_UV_MM`. Each signal type keeps its own value, so
the reviewer's change for one (stepping SEEG to 150 µV/mm) survives opening a recording
of the other. Ancillary channels (ECG, EMG...) are drawn at a factor of the scalp EEG
sensitivity.

Events that need new data from the file: ``span_changed``, ``montage_changed``,
``filters_changed``, ``bad_changed``. Events that only redraw: ``sensitivity_changed``,
``hidden_changed``, ``type_scale_changed``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from psygnal import Signal

from app.core.annotation import Annotation

if TYPE_CHECKING:
    # Imported when first needed: app.core.filters loads scipy.signal (~0.5 s), which the
    # viewer imports on its page worker thread while the window is being built.
    from app.core.filters import FilterSettings

#: The clinical sensitivity scale (µV/mm) that + and - step through.
SENSITIVITY_STEPS_UV_MM = (
    1.0,
    2.0,
    3.0,
    5.0,
    7.0,
    10.0,
    15.0,
    20.0,
    30.0,
    50.0,
    70.0,
    100.0,
    150.0,
    200.0,
    300.0,
    500.0,
)
DEFAULT_SENSITIVITY_UV_MM = 7.0
#: Depth (SEEG) and subdural (ECoG, read as SEEG) recordings: the default sensitivity of
#: the review window and the compare window (neurophysiologists read them at 50-150 µV/mm).
SEEG_SENSITIVITY_UV_MM = 100.0
#: Signal types with a sensitivity of their own: the page sensitivity is the main one's.
SIGNAL_SENSITIVITY_UV_MM: tuple[tuple[str, float], ...] = (
    ("EEG", DEFAULT_SENSITIVITY_UV_MM),
    ("SEEG", SEEG_SENSITIVITY_UV_MM),
)
DEFAULT_PAGE_S = 10.0
PAGE_RANGE_S = (1.0, 60.0)
PAGE_CHOICES_S = (1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0)
TIMEBASE_CHOICES_MM_S = (10.0, 15.0, 20.0, 30.0, 60.0, 120.0)
#: Per channel type, how many times less sensitive than EEG (ECG is ~1 mV, EEG ~50 µV).
DEFAULT_TYPE_SCALE: tuple[tuple[str, float], ...] = (
    ("ECG", 20.0),
    ("EMG", 2.0),
    ("EOG", 2.0),
    ("RESP", 20.0),
    ("MISC", 1.0),
)
#: Where an annotation lands when jumped to: this fraction of the page before its onset.
ANNOTATION_LEAD = 0.25


def main_signal_type(channel_types: Iterable[str]) -> str:
    """``"SEEG"`` when depth contacts are at least as many as scalp EEG channels, else
    ``"EEG"``: the type whose sensitivity the page is drawn (and the toolbar set) at."""
    types = [str(t) for t in channel_types]
    seeg = types.count("SEEG")
    return "SEEG" if seeg and seeg >= types.count("EEG") else "EEG"


def step_sensitivity(current: float, steps: int) -> float:
    """The value ``steps`` positions along the clinical scale from ``current``.

    A value between two steps moves to the neighbouring step in the asked direction.
    """
    scale = SENSITIVITY_STEPS_UV_MM
    if steps == 0:
        return current
    if steps > 0:
        i = bisect.bisect_right(scale, current) - 1 + steps
    else:
        i = bisect.bisect_left(scale, current) + steps
    return scale[min(len(scale) - 1, max(0, i))]


class Viewport:
    """The page shown and how it is scaled, for one open recording."""

    span_changed = Signal(float, float)  # start_s, page_s
    sensitivity_changed = Signal(float)
    montage_changed = Signal(str)
    filters_changed = Signal(object)  # FilterSettings
    hidden_changed = Signal()
    bad_changed = Signal()
    type_scale_changed = Signal()

    def __init__(
        self,
        duration_s: float = 0.0,
        *,
        page_s: float = DEFAULT_PAGE_S,
        sensitivity_uv_mm: float = DEFAULT_SENSITIVITY_UV_MM,
        seeg_sensitivity_uv_mm: float = SEEG_SENSITIVITY_UV_MM,
        montage: str = "double_banana",
        filters: FilterSettings | None = None,
        type_scale: Iterable[tuple[str, float]] = DEFAULT_TYPE_SCALE,
    ) -> None:
        self._duration = max(0.0, float(duration_s))
        self._page = _clamp_page(page_s)
        self._start = 0.0
        self._sensitivity = _positive(sensitivity_uv_mm, DEFAULT_SENSITIVITY_UV_MM)
        self._montage = montage
        self._filters = filters if filters is not None else _default_filters()
        self._type_scale = dict(type_scale)
        self._signal = "EEG"
        self._signal_sensitivity = dict(SIGNAL_SENSITIVITY_UV_MM)  # the other types' values
        self._signal_sensitivity["EEG"] = self._sensitivity
        self._signal_sensitivity["SEEG"] = _positive(seeg_sensitivity_uv_mm, SEEG_SENSITIVITY_UV_MM)
        self._hidden: frozenset[str] = frozenset()
        self._bad: frozenset[str] = frozenset()

    # --- reading ------------------------------------------------------------------------
    @property
    def duration_s(self) -> float:
        return self._duration

    @property
    def start_s(self) -> float:
        return self._start

    @property
    def page_s(self) -> float:
        return self._page

    @property
    def end_s(self) -> float:
        return self._start + self._page

    @property
    def sensitivity_uv_mm(self) -> float:
        """The page sensitivity: that of the main signal type (:attr:`signal_type`)."""
        return self._sensitivity

    @property
    def signal_type(self) -> str:
        """The open recording's main signal type ("EEG" or "SEEG")."""
        return self._signal

    def sensitivity_of(self, signal_type: str) -> float:
        """The sensitivity a signal type is read at (its default until the reviewer
        changes it while a recording of that type is open)."""
        if signal_type == self._signal:
            return self._sensitivity
        return self._signal_sensitivity.get(signal_type, DEFAULT_SENSITIVITY_UV_MM)

    @property
    def montage(self) -> str:
        return self._montage

    @property
    def filters(self) -> FilterSettings:
        return self._filters

    @property
    def hidden(self) -> frozenset[str]:
        """Trace labels not drawn (the reviewer hid them)."""
        return self._hidden

    @property
    def bad(self) -> frozenset[str]:
        """Recording channel names marked bad (drawn grey, left out of averages)."""
        return self._bad

    @property
    def type_scale(self) -> tuple[tuple[str, float], ...]:
        return tuple(sorted(self._type_scale.items()))

    def sensitivity_for(self, channel_type: str) -> float:
        """µV/mm for a trace of this type: EEG and SEEG at their own sensitivity (the
        page's for the main type), ECG and the other ancillary types at their factor
        of the scalp EEG sensitivity."""
        kind = str(channel_type)
        if kind in self._signal_sensitivity or kind == self._signal:
            return self.sensitivity_of(kind)
        return self.sensitivity_of("EEG") * self._type_scale.get(kind, 1.0)

    @property
    def max_start_s(self) -> float:
        return max(0.0, self._duration - self._page)

    # --- the page -----------------------------------------------------------------------
    def set_duration(self, duration_s: float) -> None:
        """A new recording: its length, and back to its beginning."""
        self._duration = max(0.0, float(duration_s))
        self._start = -1.0  # force the event
        self.set_start(0.0)

    def set_start(self, start_s: float) -> None:
        start = min(self.max_start_s, max(0.0, float(start_s)))
        if not math.isfinite(start) or start == self._start:
            return
        self._start = start
        self.span_changed.emit(self._start, self._page)

    def scroll(self, pages: float) -> None:
        """Move by a number of pages (PgDn = 1, right arrow = 0.5, PgUp = -1)."""
        self.set_start(self._start + pages * self._page)

    def home(self) -> None:
        self.set_start(0.0)

    def end(self) -> None:
        self.set_start(self.max_start_s)

    def center_on(self, t_s: float) -> None:
        self.set_start(t_s - self._page / 2.0)

    def set_page_s(self, page_s: float) -> None:
        """Change the page length, keeping the page's start where it is."""
        page = _clamp_page(page_s)
        if page == self._page:
            return
        self._page = page
        self._start = min(self.max_start_s, self._start)
        self.span_changed.emit(self._start, self._page)

    # --- scaling, montage, filters, channels --------------------------------------------
    def set_sensitivity(self, uv_mm: float) -> None:
        value = _positive(uv_mm, self._sensitivity)
        if value != self._sensitivity:
            self._sensitivity = value
            self.sensitivity_changed.emit(value)

    def set_signal_type(self, signal_type: str) -> None:
        """A recording of another main signal type opened: the page takes that type's
        sensitivity (the current one is kept for when the type comes back)."""
        if signal_type == self._signal:
            return
        self._signal_sensitivity[self._signal] = self._sensitivity
        self._signal = signal_type
        self.set_sensitivity(self._signal_sensitivity.get(signal_type, self._sensitivity))

    def step_sensitivity(self, steps: int) -> None:
        """``+`` makes traces bigger (fewer µV/mm): steps < 0; ``-`` the opposite."""
        self.set_sensitivity(step_sensitivity(self._sensitivity, steps))

    def set_type_scale(self, channel_type: str, factor: float) -> None:
        value = _positive(factor, 1.0)
        if self._type_scale.get(str(channel_type), 1.0) != value:
            self._type_scale[str(channel_type)] = value
            self.type_scale_changed.emit()

    def set_montage(self, key: str) -> None:
        if key != self._montage:
            self._montage = key
            self._hidden = frozenset()
            self.montage_changed.emit(key)

    def set_filters(self, filters: FilterSettings) -> None:
        if filters != self._filters:
            self._filters = filters
            self.filters_changed.emit(filters)

    def set_hidden(self, label: str, hidden: bool) -> None:
        self._set_hidden(self._hidden | {label} if hidden else self._hidden - {label})

    def show_all(self) -> None:
        self._set_hidden(frozenset())

    def _set_hidden(self, hidden: frozenset[str]) -> None:
        if hidden != self._hidden:
            self._hidden = hidden
            self.hidden_changed.emit()

    def set_bad(self, names: Iterable[str], bad: bool) -> None:
        names = frozenset(names)
        new = self._bad | names if bad else self._bad - names
        if new != self._bad:
            self._bad = new
            self.bad_changed.emit()

    # --- annotations --------------------------------------------------------------------
    def next_annotation(self, annotations: Sequence[Annotation]) -> Annotation | None:
        """Jump to the first annotation after the current one; None when there is none."""
        focus = self._start + ANNOTATION_LEAD * self._page
        for ann in sorted(annotations, key=lambda a: a.onset):
            if ann.onset > focus + 1e-6 and self._start_for(ann) > self._start + 1e-6:
                self.set_start(self._start_for(ann))
                return ann
        return None

    def previous_annotation(self, annotations: Sequence[Annotation]) -> Annotation | None:
        """Jump to the last annotation before the current one; None when there is none."""
        focus = self._start + ANNOTATION_LEAD * self._page
        for ann in sorted(annotations, key=lambda a: a.onset, reverse=True):
            if ann.onset < focus - 1e-6 and self._start_for(ann) < self._start - 1e-6:
                self.set_start(self._start_for(ann))
                return ann
        return None

    def _start_for(self, ann: Annotation) -> float:
        start = ann.onset - ANNOTATION_LEAD * self._page
        return min(self.max_start_s, max(0.0, start))


def _default_filters() -> FilterSettings:
    from app.core.filters import FilterSettings  # noqa: PLC0415 - lazy: start-up time

    return FilterSettings()


def _clamp_page(page_s: float) -> float:
    value = _positive(page_s, DEFAULT_PAGE_S)
    return min(PAGE_RANGE_S[1], max(PAGE_RANGE_S[0], value))


def _positive(value: float, default: float) -> float:
    value = float(value)
    return value if math.isfinite(value) and value > 0 else default
