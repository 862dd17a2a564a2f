"""BIDS ``*_events.tsv``: read and write annotations as BIDS-EEG events.

Columns: ``onset`` and ``duration`` in seconds from the first sample (required),
``trial_type`` (the annotation text) and, for channel-specific events, ``channels``:
the channel names joined with commas, as in the SzCORE / HED-SCORE seizure
annotation convention. ``n/a`` marks a missing value: a missing duration reads as 0 s
(an instant marker); Ictal writes 0 for instant markers.

Reading also accepts ``channel`` for ``channels``, falls back to SzCORE's ``eventType``
or to ``value`` when ``trial_type`` is absent or ``n/a``, and skips background
(``bckg``) rows. BIDS allows negative onsets (events before the first sample).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from app.core.annotation import Annotation
from app.core.annotation_io._common import (
    clean_text,
    format_seconds,
    is_na,
    make_annotation,
    parse_number,
    read_text,
    split_channels,
)
from app.core.annotation_io.safe_write import atomic_write_text
from app.core.errors import AnnotationFileError

log = logging.getLogger(__name__)

SOURCE = "bids"
NA = "n/a"
_REQUIRED = ("onset", "duration")
_DESCRIPTION_COLUMNS = ("trial_type", "eventtype", "value")
_CHANNEL_COLUMNS = ("channels", "channel")
_BACKGROUND = {"bckg"}
_DEFAULT_DESCRIPTION = "Event"


def _header(path: Path, line: str) -> dict[str, int]:
    names = [name.strip().lower() for name in line.split("\t")]
    if len(names) == 1 and "," in line:
        raise AnnotationFileError(str(path), "not tab-separated (commas found): not a BIDS .tsv")
    missing = [name for name in _REQUIRED if name not in names]
    if missing:
        raise AnnotationFileError(str(path), f"missing the required column(s) {', '.join(missing)}")
    return {name: index for index, name in reversed(list(enumerate(names)))}


def _cell(row: list[str], columns: dict[str, int], names: Iterable[str]) -> str:
    """The first present, non-``n/a`` cell among ``names``; '' when none."""
    for name in names:
        index = columns.get(name)
        if index is not None and not is_na(row[index]):
            return row[index].strip()
    return ""


def _row_annotation(
    path: Path, row: list[str], columns: dict[str, int], lineno: int
) -> Annotation | None:
    where = f"line {lineno}"
    onset_text = row[columns["onset"]]
    if is_na(onset_text):
        raise AnnotationFileError(str(path), f"{where}: onset is n/a")
    onset = parse_number(onset_text, path=path, where=where, field="onset")
    duration_text = row[columns["duration"]]
    duration = (
        0.0
        if is_na(duration_text)
        else parse_number(duration_text, path=path, where=where, field="duration")
    )
    description = _cell(row, columns, _DESCRIPTION_COLUMNS) or _DEFAULT_DESCRIPTION
    if description.lower() in _BACKGROUND:
        return None
    channels = split_channels(_cell(row, columns, _CHANNEL_COLUMNS))
    return make_annotation(
        onset, duration, description, path=path, where=where, source=SOURCE, channels=channels
    )


def read_bids_events(path: Path | str) -> list[Annotation]:
    """The annotations of a BIDS events file, in file order."""
    path = Path(path)
    lines = [(n, line.rstrip("\r\n")) for n, line in enumerate(read_text(path).splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line.strip()]
    if not lines:
        raise AnnotationFileError(str(path), "empty file: no header row")
    columns = _header(path, lines[0][1])
    width = max(columns.values()) + 1
    annotations: list[Annotation] = []
    for lineno, line in lines[1:]:
        row = line.split("\t")
        if len(row) < width:
            raise AnnotationFileError(
                str(path), f"line {lineno}: {len(row)} fields, the header has {width}"
            )
        annotation = _row_annotation(path, row, columns, lineno)
        if annotation is not None:
            annotations.append(annotation)
    return annotations


def _clean(text: str) -> str:
    """A cell without the tabs and line breaks that would break the table."""
    return clean_text(text) or NA


def bids_events_text(annotations: Iterable[Annotation]) -> str:
    """The ``events.tsv`` text for ``annotations``, sorted by onset as BIDS recommends."""
    ordered = sorted(annotations, key=lambda a: (a.onset, a.duration))
    with_channels = any(a.channels for a in ordered)
    header = ["onset", "duration", "trial_type"] + (["channels"] if with_channels else [])
    lines = ["\t".join(header)]
    for a in ordered:
        row = [format_seconds(a.onset), format_seconds(a.duration), _clean(a.description)]
        if with_channels:
            row.append(_clean(",".join(a.channels)))
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def write_bids_events(
    path: Path | str, annotations: Iterable[Annotation], *, protect: Iterable[Path | str] = ()
) -> Path:
    """Write ``annotations`` as a BIDS events file, atomically.

    ``path`` must end in ``.tsv``; a recording, or any of the ``protect`` paths (the
    recording and the annotation file these came from), is never overwritten.
    """
    target = Path(path)
    if not target.name.endswith("_events.tsv"):
        log.info("%s: BIDS names events files '*_events.tsv'", target)
    return atomic_write_text(
        target,
        bids_events_text(annotations),
        suffixes=(".tsv",),
        protect=[Path(p) for p in protect],
    )
