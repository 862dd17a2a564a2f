"""Errors the models package raises for problems a user can act on."""

from __future__ import annotations


class WeightsError(Exception):
    """A checkpoint is missing, incomplete, corrupted or does not match its architecture.

    Carries *what* (the checkpoint) and *why* (one line); the app maps it onto its own
    one-line error contract (``ictal: <what> : <why>``).
    """

    def __init__(self, what: str, why: str) -> None:
        self.what = str(what)
        self.why = " ".join(str(why).split())
        super().__init__(f"{self.what} : {self.why}")
