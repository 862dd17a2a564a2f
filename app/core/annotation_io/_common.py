"""Helpers shared by the annotation readers: text loading, numbers, clock times, checks.

Every reader reports a broken file as :class:`AnnotationFileError` naming the file
and, where it helps, the line, so a reviewer can open the file and fix it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from app.core.annotation import Annotation
from app.core.channels import normalize_name
from app.core.errors import AnnotationFileError

SECONDS_PER_DAY = 86400.0

#: Text BIDS uses for a missing value (an empty cell means the same).
_NA = {"n/a", ""}

# ``19:39:33``, ``19.39.33``, ``7:05:44.250``; tolerant of a '.' or ',' where ':' belongs
# and of stray blanks (the Siena lists mix separators).
_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:.,]\s*(\d{1,2})\s*[:.,]\s*(\d{1,2})(?:[.,](\d{1,6}))?\s*$")
_CHANNEL_SEPARATORS = re.compile(r"\s*[,;]\s*")


def read_text(path: Path) -> str:
    """The text of an annotation file; a missing, unreadable or binary file is an error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AnnotationFileError(str(path), "file not found") from None
    except OSError as exc:
        raise AnnotationFileError(str(path), f"cannot read the file: {exc.strerror}") from None
    if b"\x00" in data[:4096]:
        raise AnnotationFileError(str(path), "binary file, not a text annotation list")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def is_na(text: str) -> bool:
    """True for an empty or 'n/a' cell."""
    return text.strip().lower() in _NA


def parse_number(text: str, *, path: Path, where: str, field: str) -> float:
    """A finite number from a cell, or an error naming the line and the field."""
    try:
        value = float(text.strip())
    except ValueError:
        raise AnnotationFileError(
            str(path), f"{where}: {field} {text.strip()!r} is not a number"
        ) from None
    if not math.isfinite(value):
        raise AnnotationFileError(str(path), f"{where}: {field} {text.strip()!r} is not finite")
    return value


def parse_clock(text: str) -> float | None:
    """Seconds after midnight of a clock time (``HH:MM:SS[.fff]``), None if it is not one.

    Hours up to 47 are accepted: CHB-MIT writes ``24:21:32`` for 00:21:32 the next day.
    Differences are taken modulo a day (:func:`clock_difference`).
    """
    match = _CLOCK.match(text)
    if match is None:
        return None
    hours, minutes, seconds = (int(match.group(i)) for i in (1, 2, 3))
    if hours > 47 or minutes > 59 or seconds > 59:
        return None
    fraction = float(f"0.{match.group(4)}") if match.group(4) else 0.0
    return hours * 3600.0 + minutes * 60.0 + seconds + fraction


def clock_difference(start: float, end: float) -> float:
    """Seconds from clock time ``start`` to clock time ``end``, crossing midnight if needed."""
    return (end - start) % SECONDS_PER_DAY


def split_channels(text: str) -> tuple[str, ...]:
    """Channel names from a cell (comma- or semicolon-separated), normalised as Ictal shows them."""
    if is_na(text):
        return ()
    names = (normalize_name(part) for part in _CHANNEL_SEPARATORS.split(text.strip()))
    return tuple(name for name in names if name)


def make_annotation(
    onset: float,
    duration: float,
    description: str,
    *,
    path: Path,
    where: str,
    source: str,
    channels: Iterable[str] = (),
) -> Annotation:
    """An :class:`Annotation` after the checks every reader shares (finite, duration ≥ 0)."""
    if not (math.isfinite(onset) and math.isfinite(duration)):
        raise AnnotationFileError(str(path), f"{where}: onset and duration must be finite")
    if duration < 0:
        raise AnnotationFileError(
            str(path), f"{where}: negative duration {duration:g} s (end before onset)"
        )
    return Annotation(
        onset=float(onset),
        duration=float(duration),
        description=description.strip(),
        channels=tuple(channels),
        source=source,
    )


def clean_text(text: str) -> str:
    """Text fit for one table cell: control characters and line breaks become single spaces."""
    visible = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return " ".join(visible.split())


def format_seconds(value: float) -> str:
    """Seconds written to microsecond precision without trailing zeros (``417``, ``0.5``)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text
