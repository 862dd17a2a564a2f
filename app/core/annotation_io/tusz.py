"""TUH Seizure Corpus (TUSZ) annotations: ``.csv_bi``, ``.csv`` and the older ``.tse(_bi)``.

``.csv_bi`` holds whole-recording labels (channel ``TERM``, label ``seiz`` or ``bckg``);
``.csv`` holds per-channel labels with the seizure type (``fnsz``, ``gnsz``, ``absz``...)
on bipolar TCP channels (``FP1-F7``). Both start with ``#`` header lines
(``# version = csv_v1.0.0``, ``# bname = ...``, ``# duration = 1750.00 secs``) and a
``channel,start_time,stop_time,label,confidence`` header row. ``.tse`` files list
``start stop label confidence`` after a ``version = tse_v1.0.0`` line.

Background (``bckg``) is skipped. A seizure of known type becomes the description
``"Seizure: fnsz"`` (:func:`tusz_type` gives the code back); an untyped ``seiz`` becomes
``"Seizure"``. Rows of one event on several channels (same start, stop and label) become
one annotation listing those channels, so one seizure is one annotation.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from app.core.annotation import Annotation
from app.core.annotation_io._common import make_annotation, parse_number, read_text
from app.core.channels import normalize_name
from app.core.errors import AnnotationFileError

log = logging.getLogger(__name__)

SOURCE = "tusz"
SEIZURE = "Seizure"
_PREFIX = f"{SEIZURE}: "

#: TUSZ seizure-type codes and what they mean clinically (TUSZ v2 label set).
TUSZ_SEIZURE_TYPES: dict[str, str] = {
    "seiz": "seizure, type not specified",
    "fnsz": "focal non-specific seizure",
    "gnsz": "generalized non-specific seizure",
    "spsz": "simple partial seizure",
    "cpsz": "complex partial seizure",
    "absz": "absence seizure",
    "tnsz": "tonic seizure",
    "cnsz": "clonic seizure",
    "tcsz": "tonic-clonic seizure",
    "atsz": "atonic seizure",
    "mysz": "myoclonic seizure",
    "nesz": "non-epileptic seizure",
}
_BACKGROUND = {"bckg", "null", ""}
_WHOLE_RECORDING = {"TERM", ""}
_COLUMNS = ("channel", "start_time", "stop_time", "label", "confidence")
_HEADER_VALUE = re.compile(r"^#?\s*(\w+)\s*=\s*(.*?)\s*$")
_DURATION = re.compile(r"([\d.]+)")


@dataclass(frozen=True, slots=True)
class TuszFile:
    """A TUSZ annotation file: recording base name, stated duration and its events."""

    bname: str
    duration_s: float | None
    annotations: tuple[Annotation, ...]


def tusz_description(label: str) -> str | None:
    """The annotation description for a TUSZ label; None for background."""
    code = label.strip().lower()
    if code in _BACKGROUND:
        return None
    if code == "seiz":
        return SEIZURE
    if code in TUSZ_SEIZURE_TYPES:
        return f"{_PREFIX}{code}"
    return label.strip()


def tusz_type(description: str) -> str | None:
    """The TUSZ seizure-type code of a description (``"Seizure: fnsz"`` -> ``"fnsz"``)."""
    if description.startswith(_PREFIX):
        code = description[len(_PREFIX) :].strip().lower()
        return code if code in TUSZ_SEIZURE_TYPES else None
    return None


def _header(lines: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in lines:
        match = _HEADER_VALUE.match(line)
        if match is not None:
            values[match.group(1).lower()] = match.group(2)
    return values


def _rows(path: Path, text: str) -> tuple[dict[str, str], list[tuple[int, list[str]]]]:
    """The ``key = value`` header and the data rows (line number, fields) of a TUSZ file."""
    header_lines: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    is_tse = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#") or (not rows and "=" in line):
            header_lines.append(line)
            is_tse = is_tse or "tse_v" in line
            continue
        fields = line.split() if is_tse else next(csv.reader([line]))
        rows.append((lineno, [f.strip() for f in fields]))
    header = _header(header_lines)
    if not header.get("version", "").startswith(("csv_v", "tse_v")):
        raise AnnotationFileError(str(path), "no 'version = csv_v…' line: not a TUSZ file")
    if is_tse:
        rows = [(n, ["TERM", *fields]) for n, fields in rows]
    elif rows and [f.lower() for f in rows[0][1][:4]] == list(_COLUMNS[:4]):
        rows = rows[1:]
    return header, rows


def read_tusz(path: Path | str) -> TuszFile:
    """Parse a TUSZ ``.csv_bi``/``.csv``/``.tse(_bi)`` file; times in s from recording start."""
    path = Path(path)
    header, rows = _rows(path, read_text(path))
    duration = None
    if match := _DURATION.search(header.get("duration", "")):
        duration = float(match.group(1))
    groups: dict[tuple[float, float, str, bool], list[str]] = {}
    for lineno, fields in rows:
        where = f"line {lineno}"
        if len(fields) < 4:
            raise AnnotationFileError(
                str(path), f"{where}: expected channel,start_time,stop_time,label"
            )
        channel, start_text, stop_text, label = fields[:4]
        start = parse_number(start_text, path=path, where=where, field="start_time")
        stop = parse_number(stop_text, path=path, where=where, field="stop_time")
        make_annotation(start, stop - start, label, path=path, where=where, source=SOURCE)
        description = tusz_description(label)
        if description is None:
            continue
        if duration is not None and stop > duration + 0.01:
            log.warning("%s %s: event ends after the stated duration", path, where)
        whole = channel.upper() in _WHOLE_RECORDING
        names = groups.setdefault((start, stop, description, whole), [])
        if not whole:
            names.append(normalize_name(channel))
    annotations = [
        Annotation(start, stop - start, description, tuple(dict.fromkeys(names)), SOURCE)
        for (start, stop, description, _), names in groups.items()
    ]
    annotations.sort(key=lambda a: (a.onset, a.duration))
    return TuszFile(
        bname=header.get("bname", path.stem),
        duration_s=duration,
        annotations=tuple(annotations),
    )
