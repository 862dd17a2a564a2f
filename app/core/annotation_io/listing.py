"""Seizure lists that describe many recordings at once (CHB-MIT summaries, Siena lists)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from pathlib import Path, PurePath

from app.core.annotation import Annotation


@dataclass(frozen=True, slots=True)
class ListedRecording:
    """One recording in a seizure list, with its seizures in seconds from its start.

    ``start`` is the wall-clock time the recording began (when the list gives it),
    ``duration_s`` its length from the listed start/end times, ``channels`` the channel
    labels in force for it, exactly as listed, and ``declared_seizures`` the count the
    list itself states (CHB-MIT), so a reader can check it against ``seizures``.
    """

    file_name: str
    seizures: tuple[Annotation, ...] = field(default=())
    start: time | None = None
    duration_s: float | None = None
    channels: tuple[str, ...] = field(default=())
    declared_seizures: int | None = None


@dataclass(frozen=True, slots=True)
class SeizureListing:
    """A parsed seizure list for one subject.

    ``complete`` is True when the list names every recording of the subject (CHB-MIT
    summaries), so a recording it does not name is an error; it is False when only the
    recordings with seizures are named (Siena), so an unnamed recording has no seizures.
    """

    path: Path
    source: str
    subject: str
    sfreq: float | None
    recordings: tuple[ListedRecording, ...]
    complete: bool

    def find(self, name: str | PurePath) -> ListedRecording | None:
        """The entry for a recording named by file name or path, with or without extension."""
        wanted = PurePath(name).name.lower()
        wanted_stem = PurePath(wanted).stem
        for entry in self.recordings:
            listed = entry.file_name.lower()
            if listed in (wanted, f"{wanted}.edf") or PurePath(listed).stem == wanted_stem:
                return entry
        return None

    def annotations(self) -> dict[str, list[Annotation]]:
        """Seizures per recording file name, in list order."""
        return {entry.file_name: list(entry.seizures) for entry in self.recordings}


def seconds_to_time(seconds_after_midnight: float) -> time:
    """A wall-clock time from seconds after midnight (hours of 24 and more wrap)."""
    whole = int(seconds_after_midnight) % 86400
    micro = round((seconds_after_midnight - int(seconds_after_midnight)) * 1e6)
    return time(whole // 3600, (whole % 3600) // 60, whole % 60, min(micro, 999_999))
