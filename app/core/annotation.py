"""The annotation value type shared by readers, writers, sessions and views."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Annotation:
    """One marked interval of a recording.

    ``onset`` and ``duration`` are seconds from the start of the recording.
    ``channels`` is empty for an annotation that concerns the whole recording.
    ``source`` says where it came from (``"edf"``, ``"bids"``, ``"chbmit"``,
    ``"siena"``, ``"tusz"``, ``"csv"``, ``"user"``, ``"simulator"``...).
    """

    onset: float
    duration: float
    description: str
    channels: tuple[str, ...] = field(default=())
    source: str = "file"

    @property
    def end(self) -> float:
        return self.onset + self.duration
