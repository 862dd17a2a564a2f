"""Reading and writing annotation files (EDF+ annotations come with the recording).

Readers return :class:`app.core.annotation.Annotation` with onset and duration in
seconds from the recording's start. Writers produce new files atomically and never
overwrite a recording or the file the annotations came from.
"""

from __future__ import annotations

from app.core.annotation_io.bids import bids_events_text, read_bids_events, write_bids_events
from app.core.annotation_io.chbmit import read_chbmit_summary
from app.core.annotation_io.csv_io import csv_text, read_csv_annotations, write_csv_annotations
from app.core.annotation_io.dispatch import (
    AnnotationFormat,
    detect_format,
    find_annotation_files,
    read_annotation_file,
    read_annotation_sets,
    read_listing,
)
from app.core.annotation_io.listing import ListedRecording, SeizureListing
from app.core.annotation_io.siena import read_siena_list
from app.core.annotation_io.tusz import TUSZ_SEIZURE_TYPES, TuszFile, read_tusz, tusz_type

__all__ = [
    "TUSZ_SEIZURE_TYPES",
    "AnnotationFormat",
    "ListedRecording",
    "SeizureListing",
    "TuszFile",
    "bids_events_text",
    "csv_text",
    "detect_format",
    "find_annotation_files",
    "read_annotation_file",
    "read_annotation_sets",
    "read_bids_events",
    "read_chbmit_summary",
    "read_csv_annotations",
    "read_listing",
    "read_siena_list",
    "read_tusz",
    "tusz_type",
    "write_bids_events",
    "write_csv_annotations",
]
