"""Errors a user can act on: bad input, broken files, missing weights.

Every such error carries *what* failed and *why*, and renders as one line.
The command line prints ``ictal: <what> : <why>`` and exits with status 2.
"""

from __future__ import annotations


class IctalError(Exception):
    """A problem with the user's input; never a bug in Ictal."""

    def __init__(self, what: str, why: str) -> None:
        self.what = str(what)
        self.why = " ".join(str(why).split())  # always one line
        super().__init__(f"{self.what} : {self.why}")

    def __reduce__(self) -> tuple[type[IctalError], tuple[str, str]]:
        """Pickles as (what, why): errors cross to the window from the analysis process."""
        return (type(self), (self.what, self.why))


class RecordingError(IctalError):
    """A recording cannot be opened or read (missing, broken, unsupported)."""


class AnnotationFileError(IctalError):
    """An annotation file cannot be parsed."""


class MontageError(IctalError):
    """A montage definition is invalid or cannot be applied."""


class FilterError(IctalError, ValueError):
    """Filter settings that cannot be applied (cutoffs out of order or out of range)."""


class AnalysisError(IctalError):
    """A recording cannot be analysed (too short, no EEG) or the model cannot run
    (missing or corrupt weights, no such device, out of memory)."""
