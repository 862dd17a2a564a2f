"""Which channel of the post recording is which channel of the pre recording.

Channels are matched by name, as a reviewer would: the display names (``EEG FP1-REF`` and
``Fp1`` are the same), case-free, with the old and new 10-20 names as aliases (T3 = T7,
T4 = T8, T5 = P7, T6 = P8, also inside bipolar names) and typographic primes made plain
(``A’1`` = ``A'1``). Nothing is matched by position: a contact missing after surgery
must show up as unmatched, never as its neighbour. Unmatched channels are listed both
ways; a name that occurs twice in one recording is matched once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.channels import canonical_electrode, electrodes_of
from app.core.compare.seeg import clean_name


def match_key(name: str) -> str:
    """The key under which two spellings of the same channel coincide."""
    return "-".join(canonical_electrode(e) for e in electrodes_of(clean_name(name))).upper()


@dataclass(frozen=True, slots=True)
class MatchedPair:
    """One channel present in both recordings (``name``: its pre spelling)."""

    name: str
    pre_index: int
    post_index: int
    post_name: str


@dataclass(frozen=True, slots=True)
class Matching:
    pairs: tuple[MatchedPair, ...]
    only_pre: tuple[str, ...]
    only_post: tuple[str, ...]


def match_channels(pre: Sequence[str], post: Sequence[str]) -> Matching:
    """Pairs in pre order; names without a partner in ``only_pre`` / ``only_post``."""
    post_index: dict[str, int] = {}
    for k, name in enumerate(post):
        post_index.setdefault(match_key(name), k)
    pairs: list[MatchedPair] = []
    used: set[int] = set()
    only_pre: list[str] = []
    for i, name in enumerate(pre):
        j = post_index.get(match_key(name))
        if j is None or j in used:
            only_pre.append(name)
            continue
        used.add(j)
        pairs.append(MatchedPair(name, i, j, post[j]))
    only_post = tuple(name for j, name in enumerate(post) if j not in used)
    return Matching(tuple(pairs), tuple(only_pre), only_post)
