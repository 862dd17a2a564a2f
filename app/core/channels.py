"""Channel names and types: what a label in a file means clinically.

Recording systems label the same electrode in many ways (``EEG FP1-REF``,
``Fp1-A1``, ``FP1``). Ictal shows one normalised name per channel, keeps the
old/new 10-20 aliases interchangeable (T3/T7, T4/T8, T5/P7, T6/P8), parses
bipolar labels (CHB-MIT ``FP1-F7``) and SEEG contact names (``A'1``, ``TP2``),
and infers each channel's type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum


class ChannelType(StrEnum):
    EEG = "EEG"
    SEEG = "SEEG"
    EOG = "EOG"
    ECG = "ECG"
    EMG = "EMG"
    RESP = "RESP"
    MISC = "MISC"
    ANNOTATION = "ANNOTATION"


# 10-10 system electrode names in their conventional capitalisation.
_TEN_TEN_TEXT = (
    "Fp1 Fpz Fp2 AF9 AF7 AF5 AF3 AF1 AFz AF2 AF4 AF6 AF8 AF10 F9 F7 F5 F3 F1 Fz F2 F4 "
    "F6 F8 F10 FT9 FT7 FC5 FC3 FC1 FCz FC2 FC4 FC6 FT8 FT10 T9 T7 C5 C3 C1 Cz C2 C4 "
    "C6 T8 T10 TP9 TP7 CP5 CP3 CP1 CPz CP2 CP4 CP6 TP8 TP10 P9 P7 P5 P3 P1 Pz P2 P4 "
    "P6 P8 P10 PO9 PO7 PO5 PO3 PO1 POz PO2 PO4 PO6 PO8 PO10 O1 Oz O2 O9 O10 Iz I1 I2 "
    "T3 T4 T5 T6 A1 A2 M1 M2 Nz LPA RPA"
)
_TEN_TEN = tuple(_TEN_TEN_TEXT.split())
_BY_UPPER = {name.upper(): name for name in _TEN_TEN}

#: Old (10-20) name -> new (10-10) name, and back.
OLD_TO_NEW = {"T3": "T7", "T4": "T8", "T5": "P7", "T6": "P8"}
NEW_TO_OLD = {new: old for old, new in OLD_TO_NEW.items()}

#: References that are stripped from referential labels (``FP1-REF`` -> ``Fp1``).
_REFERENCES = {"REF", "LE", "AR", "AVG", "AV", "CAR", "A1A2", "M1M2", "LINKED", "GND", "COM"}
_REF_ELECTRODES = {"A1", "A2", "M1", "M2"}

_PREFIX = re.compile(r"^(EEG|SEEG|EOG|ECG|EKG|EMG|RESP|POL|ECOG)[\s_:]+", re.IGNORECASE)
_SEEG_CONTACT = re.compile(r"^([A-Za-z]{1,4}'?)(?:(?<=')\s*)?0*(\d{1,2})$")
#: DC inputs of clinical amplifiers (Nihon Kohden ``DC01``): not shaft contacts.
_DC_INPUT = re.compile(r"^DC\d{1,2}$", re.IGNORECASE)
_TYPE_KEYWORDS: tuple[tuple[ChannelType, tuple[str, ...]], ...] = (
    (ChannelType.ANNOTATION, ("ANNOTATION", "ANNOTATIONS", "STATUS", "EVENT", "TRIGGER", "MARKER")),
    (ChannelType.ECG, ("ECG", "EKG")),
    (ChannelType.EOG, ("EOG", "LOC", "ROC", "HEOG", "VEOG")),
    (ChannelType.EMG, ("EMG", "CHIN", "LEG", "DELT")),
    (ChannelType.RESP, ("RESP", "THOR", "ABD", "AIRFLOW", "FLOW", "SAO2", "SPO2", "PLETH")),
    (ChannelType.MISC, ("PHOTIC", "IBI", "BURSTS", "SUPPR", "PULSE", "HR", "DC", "VNS", "X")),
)


def canonical_electrode(name: str) -> str:
    """The 10-10 name of an electrode (T3 -> T7 ...); other names unchanged."""
    return OLD_TO_NEW.get(name, name)


def same_electrode(a: str, b: str) -> bool:
    """True when two electrode names denote the same site (aliases both ways)."""
    return canonical_electrode(a) == canonical_electrode(b)


def is_ten_ten(name: str) -> bool:
    """True for a (normalised) 10-20/10-10 scalp electrode name."""
    return name in _BY_UPPER.values()


def _electrode(token: str) -> str:
    """Normalise one electrode token's capitalisation (``FP1`` -> ``Fp1``)."""
    token = token.strip()
    upper = token.upper()
    if upper in _BY_UPPER:
        return _BY_UPPER[upper]
    return token


def _strip(raw: str) -> str:
    text = raw.strip()
    stripped = _PREFIX.sub("", text).strip()
    # Keep the type prefix when nothing meaningful is left without it (``EKG 1`` stays).
    if not stripped or stripped.isdigit() or not any(ch.isalnum() for ch in stripped):
        return text
    return stripped


def normalize_name(raw: str) -> str:
    """The display name of a channel label.

    ``EEG FP1-REF`` -> ``Fp1``; ``FP1-F7`` -> ``Fp1-F7``; ``EEG T3-LE`` -> ``T3``;
    ``A'01`` -> ``A'1``; duplicates (``T8-P8-0``) keep their suffix so they stay distinct.
    """
    text = _strip(raw)
    if not text or _PREFIX.match(text):
        # Nothing but a type and a number (``EKG 1``): keep the label as it is.
        return " ".join(raw.split())
    parts = [p for p in re.split(r"\s*-\s*", text) if p != ""]
    if not parts:
        return raw.strip()
    if len(parts) >= 2 and parts[-1].upper() in _REFERENCES:
        parts = parts[:-1]
    if (
        len(parts) == 2
        and parts[1].upper() in _REF_ELECTRODES
        and parts[0].upper() in _BY_UPPER
        and parts[0].upper() not in _REF_ELECTRODES
    ):
        # Ear / mastoid referential (``Fp1-A1``): show the active electrode.
        parts = parts[:1]
    if len(parts) == 1:
        contact = _SEEG_CONTACT.match(parts[0])
        if contact and parts[0].upper() not in _BY_UPPER:
            return f"{contact.group(1)}{int(contact.group(2))}"
        return _electrode(parts[0])
    # Bipolar (maybe with a duplicate index suffix from the reader: ``T8-P8-0``).
    if len(parts) == 3 and parts[2].isdigit():
        return f"{_electrode(parts[0])}-{_electrode(parts[1])}-{parts[2]}"
    return "-".join(_electrode(p) for p in parts)


def electrodes_of(name: str) -> tuple[str, ...]:
    """The electrodes a normalised channel name involves (one, or two for bipolar).

    A reader's duplicate suffix is not an electrode: ``T8-P8-1`` -> (T8, P8),
    ``Fp1-0`` -> (Fp1,).
    """
    parts = name.split("-")
    if len(parts) in (2, 3) and parts[-1].isdigit():
        parts = parts[:-1]
    return tuple(parts)


def bipolar_pair(name: str) -> tuple[str, str] | None:
    """``("Fp1", "F7")`` for a bipolar name ``Fp1-F7``; None for a referential one."""
    parts = electrodes_of(name)
    if len(parts) == 2:
        return parts[0], parts[1]
    return None


def seeg_contact(name: str) -> tuple[str, int] | None:
    """``("A'", 1)`` for ``A'1``, ``("TP", 2)`` for ``TP2``; None otherwise."""
    match = _SEEG_CONTACT.match(name.strip())
    if match is None:
        return None
    return match.group(1), int(match.group(2))


def _keyword_type(raw: str) -> ChannelType | None:
    upper = raw.upper()
    head = re.split(r"[\s_:\-]+", upper.strip())[0] if upper.strip() else ""
    for ctype, keywords in _TYPE_KEYWORDS:
        if head in keywords:
            return ctype
        if any(re.search(rf"(^|[^A-Z]){kw}([^A-Z]|$)", upper) for kw in keywords if len(kw) > 2):
            return ctype
    return None


def infer_type(raw: str, name: str | None = None) -> ChannelType:
    """The type of one channel from its label alone (no recording context)."""
    name = normalize_name(raw) if name is None else name
    upper = raw.strip().upper()
    if upper.startswith("SEEG"):
        return ChannelType.SEEG
    keyword = _keyword_type(raw)
    if keyword is not None:
        return keyword
    if _DC_INPUT.match(name):
        return ChannelType.MISC
    electrodes = electrodes_of(name)
    if all(is_ten_ten(e) for e in electrodes):
        return ChannelType.EEG
    if all(seeg_contact(e) is not None for e in electrodes):
        return ChannelType.SEEG
    if upper.startswith("EEG"):
        return ChannelType.EEG
    return ChannelType.MISC


def _shafts(name: str) -> set[str] | None:
    """The shaft prefixes (``A'``, ``TP``) of a name made only of contacts, else None."""
    contacts = [seeg_contact(e) for e in electrodes_of(name)]
    if not contacts or any(c is None for c in contacts):
        return None
    return {c[0].upper() for c in contacts if c is not None}


def infer_types(raws: Sequence[str], names: Sequence[str]) -> list[ChannelType]:
    """Types for a whole recording, using context.

    A contact name that happens to be a 10-10 name (``TP7``, ``F3``, ``A1``)
    is SEEG when the recording is a depth recording (most electrode-like
    channels are shaft contacts that are not scalp names) and either another
    contact of the same shaft is SEEG (``A1`` beside ``A3``..``A8``, even when
    labelled ``EEG A1-REF`` as some systems export every channel) or the
    label does not say ``EEG``.
    """
    types = [infer_type(r, n) for r, n in zip(raws, names, strict=True)]
    seeg = sum(t is ChannelType.SEEG for t in types)
    eeg = sum(t is ChannelType.EEG for t in types)
    if seeg < 4 or seeg < eeg:
        return types
    shafts: set[str] = set()
    for name, ctype in zip(names, types, strict=True):
        if ctype is ChannelType.SEEG:
            shafts |= _shafts(name) or set()
    for i, (raw, name) in enumerate(zip(raws, names, strict=True)):
        own = _shafts(name)
        if types[i] is not ChannelType.EEG or own is None:
            continue
        if own & shafts or not raw.strip().upper().startswith("EEG"):
            types[i] = ChannelType.SEEG
    return types


def dedupe(names: Sequence[str]) -> list[str]:
    """Make names unique by suffixing repeats (``T8-P8``, ``T8-P8-1``).

    A suffixed name never collides with a name already in the list.
    """
    taken = set(names)
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        unique = name
        count = 0
        while unique in seen or (count and unique in taken):
            count += 1
            unique = f"{name}-{count}"
        seen.add(unique)
        out.append(unique)
    return out
