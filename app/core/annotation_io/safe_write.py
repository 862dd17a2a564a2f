"""Writing annotation exports without ever damaging a recording or its source files.

An export is written to a temporary file in the target folder and moved into place with
``os.replace``, so a crash leaves either the old file or the new one, never half a file.
Ictal never modifies a source recording: a target that is a recording (by extension or
by its EDF/BDF header) or one of the ``protect`` paths is refused.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from app.core.errors import AnnotationFileError

log = logging.getLogger(__name__)

#: Extensions of recordings (and Ictal session files) an export must never replace.
RECORDING_SUFFIXES = frozenset(
    {".edf", ".bdf", ".rec", ".fif", ".set", ".fdt", ".vhdr", ".vmrk", ".eeg", ".cnt",
     ".mff", ".nwb", ".h5", ".hdf5", ".mat", ".trc", ".e", ".xdf", ".gdf", ".ns5", ".nev"}
)  # fmt: skip
_RECORDING_MAGIC = (b"0       ", b"\xffBIOSEMI")


def _looks_like_recording(path: Path) -> bool:
    if path.suffix.lower() in RECORDING_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head in _RECORDING_MAGIC


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_target(path: Path, *, suffixes: Iterable[str], protect: Iterable[Path]) -> None:
    """Refuse a target that is not an export file of the expected kind or that is a source."""
    allowed = tuple(s.lower() for s in suffixes)
    if not path.name.lower().endswith(allowed):
        raise AnnotationFileError(
            str(path), f"refusing to write: the file name must end with {' or '.join(allowed)}"
        )
    if path.is_dir():
        raise AnnotationFileError(str(path), "refusing to write: it is a folder")
    if path.exists() and _looks_like_recording(path):
        raise AnnotationFileError(str(path), "refusing to overwrite a recording")
    for source in protect:
        if _same_file(path, Path(source)) or path.resolve() == Path(source).resolve():
            raise AnnotationFileError(str(path), "refusing to overwrite the source file")


def atomic_write_text(
    path: Path, text: str, *, suffixes: Iterable[str], protect: Iterable[Path] = ()
) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically after the checks."""
    path = Path(path)
    check_target(path, suffixes=suffixes, protect=protect)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise AnnotationFileError(str(path), f"cannot write here: {exc.strerror}") from None
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            why = f"cannot write the file: {exc.strerror}"
            raise AnnotationFileError(str(path), why) from None
        raise
    log.info("wrote %s", path)
    return path
