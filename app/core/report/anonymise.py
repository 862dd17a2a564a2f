"""Anonymised reports: no patient name, ID or birth date on any page or in any file.

An anonymised report is built without the patient fields, the file name (file names
often carry the patient's name), the EDF+ admin code and the technician, and shows an
anonymised ID instead: a hash of the recording's fingerprint, the same for every report
of one recording and not reversible to anything in the header. Then, as a second line
of defence, every text of the finished model (annotation labels, the reviewer's typed
findings, channel notes...) is scrubbed of the patient's identifiers, whole or in parts,
case-insensitively.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from app.core.recording_info import PatientInfo

REMOVED = "[removed]"
#: Name parts shorter than this are not scrubbed on their own (initials, "Q").
MIN_PART = 3
_SPLIT = re.compile(r"[\s_,;:/]+")
T = TypeVar("T")


def anonymous_id(fingerprint_key: str) -> str:
    """``ANON-3F9A12C4``: stable per recording, not derived from patient text alone."""
    digest = hashlib.sha256(f"ictal-report|{fingerprint_key}".encode()).hexdigest()
    return f"ANON-{digest[:8].upper()}"


def _date_forms(day: date) -> list[str]:
    months = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    return [
        day.isoformat(),
        f"{day.day:02d}-{months[day.month - 1]}-{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.month:02d}/{day.day:02d}/{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        day.strftime("%d %B %Y"),
        day.strftime("%B %d, %Y"),
    ]


def identifiers(patient: PatientInfo, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The texts that identify the patient: longest first, so whole names go before parts."""
    found: set[str] = set()
    for given in (patient.name, patient.code, *extra):
        text = given.strip()
        if not text or text.upper() == "X":
            continue
        found.add(text)
        found.update(p for p in _SPLIT.split(text) if len(p) >= MIN_PART)
    for token in _SPLIT.split(patient.raw):
        if len(token) >= MIN_PART and token.upper() not in {"X", "MALE", "FEMALE"}:
            found.add(token)
    if patient.birthdate is not None:
        found.update(_date_forms(patient.birthdate))
    return tuple(sorted(found, key=lambda s: (-len(s), s)))


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every identifier replaced by ``[removed]`` (any case).

    An identifier matches as a whole word (not inside a longer word or number: the
    name part "Lee" leaves "sleep" alone), with ``_`` and punctuation as separators.
    """
    for secret in secrets:
        if secret and secret.lower() in text.lower():
            pattern = rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])"
            text = re.sub(pattern, REMOVED, text, flags=re.IGNORECASE)
    return text


def scrub_value(value: T, secrets: tuple[str, ...]) -> T:
    """A copy of ``value`` (dataclasses, tuples, lists, dicts, strings) with every string
    scrubbed; arrays and other values are returned as they are."""
    out: Any
    if not secrets:
        return value
    if isinstance(value, str):
        out = scrub(value, secrets)
    elif isinstance(value, tuple):
        out = tuple(scrub_value(v, secrets) for v in value)
    elif isinstance(value, list):
        out = [scrub_value(v, secrets) for v in value]
    elif isinstance(value, dict):
        out = {scrub_value(k, secrets): scrub_value(v, secrets) for k, v in value.items()}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: scrub_value(getattr(value, f.name), secrets) for f in dataclasses.fields(value)
        }
        out = dataclasses.replace(value, **changes)
    else:
        out = value
    return out  # type: ignore[no-any-return]
