"""One door for annotation files: detect the format, read it, find files beside a recording.

Single-recording formats (BIDS ``events.tsv``, CSV, TUSZ) describe one recording.
Seizure lists (CHB-MIT ``*-summary.txt``, Siena ``Seizures-list-*.txt``) describe all of a
subject's recordings; :func:`read_annotation_file` then needs the recording's file name
to pick its seizures, and :func:`read_annotation_sets` returns them all.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from pathlib import Path, PurePath

from app.core.annotation import Annotation
from app.core.annotation_io._common import read_text
from app.core.annotation_io.bids import read_bids_events
from app.core.annotation_io.chbmit import read_chbmit_summary
from app.core.annotation_io.csv_io import read_csv_annotations
from app.core.annotation_io.listing import SeizureListing
from app.core.annotation_io.siena import read_siena_list
from app.core.annotation_io.tusz import read_tusz
from app.core.errors import AnnotationFileError

log = logging.getLogger(__name__)


class AnnotationFormat(StrEnum):
    BIDS = "bids"
    CSV = "csv"
    CHBMIT = "chbmit"
    SIENA = "siena"
    TUSZ = "tusz"


_SUPPORTED = "events .tsv, .csv, .csv_bi, .tse, CHB-MIT *-summary.txt or Siena Seizures-list-*.txt"


def _head(path: Path) -> str:
    return read_text(path)[:4096]


def detect_format(path: Path | str) -> AnnotationFormat:
    """The format of an annotation file, from its name and, where needed, its first lines."""
    path = Path(path)
    name = path.name.lower()
    suffix = path.suffix.lower()
    if suffix in {".csv_bi", ".tse", ".tse_bi"}:
        return AnnotationFormat.TUSZ
    if suffix == ".tsv":
        return AnnotationFormat.BIDS
    if suffix == ".csv":
        first = next((line for line in _head(path).splitlines() if line.strip()), "")
        is_tusz = first.lstrip().startswith("#") and "csv_v" in first
        return AnnotationFormat.TUSZ if is_tusz else AnnotationFormat.CSV
    if suffix == ".txt":
        head = _head(path).lower()
        if name.endswith("-summary.txt") or "number of seizures in file" in head:
            return AnnotationFormat.CHBMIT
        if name.startswith("seizures-list") or "registration start time" in head:
            return AnnotationFormat.SIENA
        raise AnnotationFileError(str(path), "text file is neither a CHB-MIT nor a Siena list")
    if suffix in {".edf", ".bdf"}:
        raise AnnotationFileError(str(path), "EDF+ annotations are read with the recording")
    raise AnnotationFileError(str(path), f"unsupported annotation file; expected {_SUPPORTED}")


def read_listing(path: Path | str) -> SeizureListing:
    """A CHB-MIT summary or Siena seizure list, with every recording it names."""
    path = Path(path)
    fmt = detect_format(path)
    if fmt is AnnotationFormat.CHBMIT:
        return read_chbmit_summary(path)
    if fmt is AnnotationFormat.SIENA:
        return read_siena_list(path)
    raise AnnotationFileError(str(path), "not a seizure list of several recordings")


def _select(listing: SeizureListing, recording_name: str | PurePath | None) -> list[Annotation]:
    if recording_name is None:
        if len(listing.recordings) == 1:
            return list(listing.recordings[0].seizures)
        example = listing.recordings[0].file_name
        raise AnnotationFileError(
            str(listing.path),
            f"lists {len(listing.recordings)} recordings; say which one (e.g. {example})",
        )
    entry = listing.find(recording_name)
    if entry is not None:
        return list(entry.seizures)
    if listing.complete:
        raise AnnotationFileError(
            str(listing.path), f"does not list the recording {PurePath(recording_name).name}"
        )
    log.info("%s: %s not listed, so it has no seizures", listing.path, recording_name)
    return []


def read_annotation_file(
    path: Path | str,
    *,
    recording_name: str | PurePath | None = None,
    recording_start: datetime | None = None,
) -> list[Annotation]:
    """The annotations an annotation file gives for one recording (seconds from its start).

    ``recording_name`` (file name or path of the recording) picks the recording in a
    seizure list of several; ``recording_start`` lets a CSV give clock times. Raises
    :class:`AnnotationFileError` for a missing, unsupported or malformed file.
    """
    path = Path(path)
    fmt = detect_format(path)
    if fmt in (AnnotationFormat.CHBMIT, AnnotationFormat.SIENA):
        return _select(read_listing(path), recording_name)
    if fmt is AnnotationFormat.BIDS:
        return read_bids_events(path)
    if fmt is AnnotationFormat.TUSZ:
        return list(read_tusz(path).annotations)
    return read_csv_annotations(path, recording_start=recording_start)


def read_annotation_sets(
    path: Path | str, *, recording_start: datetime | None = None
) -> dict[str, list[Annotation]]:
    """Annotations per recording name: every recording of a seizure list, or the one a
    single-recording file describes (named by the TUSZ ``bname`` or the file's stem)."""
    path = Path(path)
    fmt = detect_format(path)
    if fmt in (AnnotationFormat.CHBMIT, AnnotationFormat.SIENA):
        return read_listing(path).annotations()
    if fmt is AnnotationFormat.TUSZ:
        tusz = read_tusz(path)
        return {tusz.bname: list(tusz.annotations)}
    stem = path.stem.removesuffix("_events")
    return {stem: read_annotation_file(path, recording_start=recording_start)}


def find_annotation_files(recording: Path | str) -> tuple[Path, ...]:
    """Annotation files that sit beside a recording and may describe it, in a fixed order.

    TUSZ (``<stem>.csv_bi``, ``.csv``, ``.tse_bi``, ``.tse``), BIDS (``<stem>_events.tsv``,
    ``..._eeg`` replaced by ``..._events.tsv``), CHB-MIT ``<subject>-summary.txt`` and
    Siena ``Seizures-list-<subject>.txt``. Only existing files are returned.
    """
    recording = Path(recording)
    folder, stem = recording.parent, recording.stem
    names = [f"{stem}{ext}" for ext in (".csv_bi", ".csv", ".tse_bi", ".tse")]
    names.append(f"{stem}_events.tsv")
    for suffix in ("_eeg", "_ieeg"):
        if stem.endswith(suffix):
            names.append(f"{stem.removesuffix(suffix)}_events.tsv")
    names.append(f"{stem.split('_')[0]}-summary.txt")
    names.append(f"Seizures-list-{stem.split('-')[0]}.txt")
    found = [folder / name for name in dict.fromkeys(names)]
    return tuple(p for p in found if p.is_file() and p != recording)
