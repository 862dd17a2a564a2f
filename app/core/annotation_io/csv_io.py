"""Plain CSV annotations: ``onset,duration,description[,channels]``.

What Ictal writes: a header row ``onset,duration,description,channels``; onset and
duration in seconds from the start of the recording; the channels of a channel-specific
event joined with commas inside one quoted cell (empty for a whole-recording event).

What Ictal reads, leniently, because such lists come from many hands:

- a header row is optional: it is recognised when the first cell is not a number or a
  time; without one, columns are onset, duration, description and optionally channels;
- header names are matched loosely (``Onset (s)``, ``start``; ``end``/``stop`` instead of
  ``duration``; ``label``/``annotation``/``trial_type`` for the description);
- ``,``, ``;`` or tab separates cells (with ``;`` or tab, ``0,5`` reads as 0.5);
- onsets and ends may be clock times (``21:51:02``) or ISO date-times when the
  recording's start is given; lines starting with ``#`` are comments.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.core.annotation import Annotation
from app.core.annotation_io._common import (
    clean_text,
    clock_difference,
    format_seconds,
    is_na,
    make_annotation,
    parse_clock,
    parse_number,
    read_text,
    split_channels,
)
from app.core.annotation_io.safe_write import atomic_write_text
from app.core.errors import AnnotationFileError

SOURCE = "csv"
COLUMNS = ("onset", "duration", "description", "channels")
_DEFAULT_DESCRIPTION = "Event"
_ALIASES = {
    "onset": {"onset", "start", "start_time", "starttime", "begin", "time", "onset_s"},
    "duration": {"duration", "dur", "length", "duration_s"},
    "end": {"end", "stop", "offset", "end_time", "endtime", "stop_time"},
    "description": {"description", "label", "annotation", "event", "text", "trial_type", "type",
                    "comment", "name"},
    "channels": {"channels", "channel", "ch", "chans"},
}  # fmt: skip
_UNITS = re.compile(r"[(\[].*?[)\]]")


@dataclass(frozen=True, slots=True)
class _Context:
    path: Path
    start: datetime | None
    decimal_comma: bool


def _column_name(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", _UNITS.sub("", cell).strip().lower()).strip("_")


def _is_value(cell: str) -> bool:
    """True when a cell is a number or a time (so the row is data, not a header)."""
    text = cell.strip().replace(",", ".")
    try:
        float(text)
    except ValueError:
        return parse_clock(text) is not None or _iso(text) is not None
    return True


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def _split(line: str) -> tuple[str, list[str]] | None:
    """The separator of a file, judged on its first row, and that row's cells."""
    for delimiter in ("\t", ",", ";"):
        cells = _cells(line, delimiter)
        if len(cells) < 2:
            continue
        if _column_name(cells[0]) in _ALIASES["onset"] or (
            _is_value(cells[0]) and _is_value(cells[1])
        ):
            return delimiter, cells
    return None


def _cells(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _seconds(cell: str, ctx: _Context, where: str, field: str) -> float:
    """Seconds from the recording start for a number, a clock time or an ISO date-time."""
    text = cell.strip().replace(",", ".") if ctx.decimal_comma else cell.strip()
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(value):
            raise AnnotationFileError(str(ctx.path), f"{where}: {field} {text!r} is not finite")
        return value
    clock, stamp = parse_clock(text), _iso(text)
    if clock is None and stamp is None:
        raise AnnotationFileError(
            str(ctx.path), f"{where}: {field} {cell.strip()!r} is not a number or a time"
        )
    start = ctx.start
    if start is None:
        raise AnnotationFileError(
            str(ctx.path), f"{where}: clock time {cell.strip()!r} needs the recording's start time"
        )
    if stamp is None:
        start_clock = start.hour * 3600 + start.minute * 60 + start.second + start.microsecond / 1e6
        return clock_difference(start_clock, clock or 0.0)
    if (stamp.tzinfo is None) != (start.tzinfo is None):
        stamp = stamp.replace(tzinfo=start.tzinfo)
    return (stamp - start).total_seconds()


def _header_columns(path: Path, cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = _column_name(cell)
        for key, aliases in _ALIASES.items():
            if name in aliases and key not in columns:
                columns[key] = index
    missing = [k for k in ("onset", "description") if k not in columns]
    if "duration" not in columns and "end" not in columns:
        missing.append("duration (or end)")
    if missing:
        raise AnnotationFileError(str(path), f"missing column(s): {', '.join(missing)}")
    return columns


def _row(cells: list[str], columns: dict[str, int], ctx: _Context, where: str) -> Annotation:
    needed = max(i for key, i in columns.items() if key != "channels") + 1
    if len(cells) < needed:
        raise AnnotationFileError(str(ctx.path), f"{where}: too few cells ({len(cells)})")
    onset = _seconds(cells[columns["onset"]], ctx, where, "onset")
    if "duration" in columns:
        text = cells[columns["duration"]].strip()
        text = text.replace(",", ".") if ctx.decimal_comma else text
        duration = parse_number(text, path=ctx.path, where=where, field="duration")
    else:
        duration = _seconds(cells[columns["end"]], ctx, where, "end") - onset
    description = cells[columns["description"]].strip()
    index = columns.get("channels")
    channels = split_channels(cells[index]) if index is not None and index < len(cells) else ()
    return make_annotation(
        onset,
        duration,
        description if not is_na(description) else _DEFAULT_DESCRIPTION,
        path=ctx.path,
        where=where,
        source=SOURCE,
        channels=channels,
    )


def read_csv_annotations(
    path: Path | str, *, recording_start: datetime | None = None
) -> list[Annotation]:
    """The annotations of a CSV file, in file order (see the module text for the format)."""
    path = Path(path)
    lines = [
        (n, line) for n, line in enumerate(read_text(path).splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]  # fmt: skip
    if not lines:
        raise AnnotationFileError(str(path), "empty file: no annotations")
    split = _split(lines[0][1])
    if split is None:
        raise AnnotationFileError(
            str(path), f"line {lines[0][0]}: neither a header nor onset,duration,description"
        )
    delimiter, first = split
    ctx = _Context(path, recording_start, decimal_comma=delimiter != ",")
    if _is_value(first[0]):
        if len(first) > len(COLUMNS):
            raise AnnotationFileError(
                str(path), f"line {lines[0][0]}: expected onset,duration,description[,channels]"
            )
        columns = {name: i for i, name in enumerate(COLUMNS)}
        body = lines
    else:
        columns = _header_columns(path, first)
        body = lines[1:]
    return [_row(_cells(line, delimiter), columns, ctx, f"line {lineno}") for lineno, line in body]


def csv_text(annotations: Iterable[Annotation]) -> str:
    """The CSV text Ictal writes for ``annotations``, sorted by onset."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in sorted(annotations, key=lambda a: (a.onset, a.duration)):
        writer.writerow(
            [format_seconds(a.onset), format_seconds(a.duration), clean_text(a.description),
             ",".join(a.channels)]
        )  # fmt: skip
    return buffer.getvalue()


def write_csv_annotations(
    path: Path | str, annotations: Iterable[Annotation], *, protect: Iterable[Path | str] = ()
) -> Path:
    """Write ``annotations`` as CSV, atomically; never over a recording or a ``protect`` path."""
    return atomic_write_text(
        Path(path), csv_text(annotations), suffixes=(".csv",), protect=[Path(p) for p in protect]
    )
