"""SEEG helpers for the comparison: shafts of channel names and the treated-contact list.

Contact names follow :func:`app.core.channels.seeg_contact` (``A'1``, ``TP2``, ``HA3``).
A shaft-bipolar name (``B'1-B'2``) belongs to the shaft of its first contact. The list of
treated (thermocoagulated) contacts is typed by the surgeon, so it accepts what people
write: ``B'1, B'2 B'3``, a range on one shaft ``B'1-3`` or ``B'1-B'3`` (contacts 1 to 3),
semicolons, and a typographic apostrophe (``B’1``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from app.core.channels import electrodes_of, normalize_name, seeg_contact
from app.core.compare.source import CompareError

_RANGE = re.compile(r"^([A-Za-z]{1,4}'?)(\d{1,2})-(?:([A-Za-z]{1,4}'?))?(\d{1,2})$")


def clean_name(name: str) -> str:
    """Display form of a typed or recorded name (typographic primes made plain)."""
    return normalize_name(name.replace("’", "'").replace("‘", "'").replace("`", "'"))


def contact_of(name: str) -> tuple[str, int] | None:
    """(shaft, number) of a contact or of the first contact of a bipolar pair."""
    parts = electrodes_of(clean_name(name))
    return seeg_contact(parts[0]) if parts else None


def shaft_of(name: str) -> str | None:
    contact = contact_of(name)
    return None if contact is None else contact[0]


def group_by_shaft(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Shaft -> its names ordered by contact number; shafts in order of first appearance."""
    shafts: dict[str, list[tuple[int, str]]] = {}
    for name in names:
        contact = contact_of(name)
        if contact is not None:
            shafts.setdefault(contact[0], []).append((contact[1], name))
    return {shaft: tuple(n for _, n in sorted(items)) for shaft, items in shafts.items()}


def _expand(token: str) -> list[str]:
    match = _RANGE.match(token)
    if match is None:
        return [clean_name(token)]
    shaft, first, other, last = match.groups()
    if other is not None and other.upper() != shaft.upper():
        return [clean_name(token)]  # a bipolar name across shafts (``Fp1-F7``): as written
    lo, hi = int(first), int(last)
    if hi < lo:
        raise CompareError(f"treated contacts '{token}'", "a range must go from low to high")
    if hi - lo > 20:
        raise CompareError(f"treated contacts '{token}'", "a shaft has at most 20 contacts")
    return [f"{shaft}{n}" for n in range(lo, hi + 1)]


def parse_treated(text: str | Sequence[str]) -> tuple[str, ...]:
    """Contact names from a typed list (see the module doc), duplicates removed, in order."""
    items = [text] if isinstance(text, str) else list(text)
    tokens = [
        tok
        for item in items
        for tok in re.split(r"[,;\s]+", item.replace("’", "'").replace("‘", "'"))
        if tok
    ]
    out: list[str] = []
    for token in tokens:
        for name in _expand(token):
            if name not in out:
                out.append(name)
    return tuple(out)
