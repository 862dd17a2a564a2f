"""Atomic rewriting of an HDF5 file: the whole file is new, or it is the old one.

The new file is written to a temporary name in the same folder, flushed and
``fsync``-ed, then moved over the old name with ``os.replace`` (atomic on POSIX and
Windows), and the folder is synced so the rename itself survives a power cut. Groups
that are not being replaced are copied from the previous file with ``h5py`` object copy
(raw chunk copies). A crash at any point leaves at most a stray ``.<name>.*.tmp`` file,
which the next open removes once it is old. One rewrite at a time per file, across threads
and processes (the window and ``ictal analyze`` on the same recording each replace their
own groups and keep the other's): an advisory lock file named after the file's path, in
the user's cache folder, so nothing but the session file is written beside a recording.
A file that must not be applied (another recording's, a newer schema's, an unreadable
one) is renamed aside, never deleted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import h5py
from filelock import FileLock

from app.core.fingerprint import Fingerprint
from app.core.session_schema import SCHEMA_VERSION

log = logging.getLogger(__name__)

#: Writes one replaced group: (the new, empty group; the previous file or None).
Writer = Callable[[h5py.Group, h5py.File | None], None]
#: A temporary file older than this is left over from a crash, not a save in progress.
STALE_TEMP_S = 3600.0
#: How long a rewrite waits for another process's rewrite of the same file (s).
LOCK_TIMEOUT_S = 60.0

_locks_guard = threading.Lock()
_locks: dict[str, threading.RLock] = {}


def _lock_for(path: Path) -> threading.RLock:
    key = os.path.normcase(os.path.abspath(path))
    with _locks_guard:
        return _locks.setdefault(key, threading.RLock())


def can_write_in(folder: Path) -> bool:
    """True when a file can be created in ``folder`` (tried, not guessed from modes)."""
    try:
        fd, name = tempfile.mkstemp(prefix=".ictal-probe-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return True


def _lock_path(target: Path) -> Path:
    """The lock file of ``target``: one per absolute path, outside the recording's folder."""
    import hashlib  # noqa: PLC0415

    import platformdirs  # noqa: PLC0415 - only when a session is written

    key = os.path.normcase(os.path.abspath(target))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    folder = Path(platformdirs.user_cache_dir("ictal", appauthor=False)) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.lock"


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def clean_stale_temps(target: Path, max_age_s: float = STALE_TEMP_S) -> int:
    """Remove temporaries of ``target`` left by a crash (older than ``max_age_s``)."""
    removed = 0
    folder = target.parent
    if not folder.is_dir():
        return 0
    now = time.time()
    for path in folder.glob(f"{_temp_prefix(target)}*.tmp"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > max_age_s:
                path.unlink()
                removed += 1
                log.info("removed %s, left over from an interrupted save", path.name)
    return removed


def set_aside(path: Path, kind: str) -> Path:
    """Rename ``x.ictal.h5`` to ``x.ictal.<kind>-<time>.h5`` (never overwriting); the new path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = path.name[: -len(".h5")] if path.name.endswith(".h5") else path.name
    target = path.with_name(f"{base}.{kind}-{stamp}.h5")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{base}.{kind}-{stamp}-{n}.h5")
    os.replace(path, target)
    return target


def _copy_except(source: h5py.Group, target: h5py.Group, replaced: set[str], prefix: str) -> None:
    """Copy every child of ``source`` into ``target`` except the ``replaced`` paths."""
    for name in source:
        full = f"{prefix}{name}"
        if full in replaced:
            continue
        if any(r.startswith(full + "/") for r in replaced):
            child = target.create_group(name)
            child.attrs.update(dict(source[name].attrs))
            _copy_except(source[name], child, replaced, full + "/")
        else:
            source.copy(source[name], target, name=name)


def _fsync_path(path: Path, directory: bool = False) -> None:
    if directory and os.name == "nt":
        return  # Windows cannot open a folder for syncing; NTFS journals the rename
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write(
    temp: Path, source: Path, writers: Mapping[str, Writer], attrs: Mapping[str, Any]
) -> None:
    old = h5py.File(source, "r", locking=False) if source.exists() else None
    try:
        with h5py.File(temp, "w", locking=False) as new:
            if old is not None:
                new.attrs.update(dict(old.attrs))
                _copy_except(old, new, set(writers), "")
            now = time.time()
            new.attrs.update(dict(attrs))
            new.attrs.setdefault("created", now)
            new.attrs["modified"] = now
            for name, write in writers.items():
                write(new.create_group(name), old)
    finally:
        if old is not None:
            old.close()


def rewrite_atomically(
    target: Path,
    source: Path,
    writers: Mapping[str, Writer],
    attrs: Mapping[str, Any],
) -> None:
    """Make ``target`` = ``source``'s content with ``writers``' groups replaced, atomically.

    ``source`` may be ``target`` itself or absent (a new file). Raises ``OSError`` (the
    old file untouched) when the folder is not writable or the disk is full, and
    ``TimeoutError`` (an ``OSError``) when another process held the file for a minute.
    """
    with _lock_for(target), FileLock(_lock_path(target), timeout=LOCK_TIMEOUT_S):
        fd, name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent)
        os.close(fd)
        temp = Path(name)
        try:
            _write(temp, source, writers, attrs)
            _fsync_path(temp)
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        _fsync_path(target.parent, directory=True)


def read_only(path: Path) -> h5py.File:
    """Open for reading without HDF5 file locks (they fail on read-only media)."""
    return h5py.File(path, "r", locking=False)


def check_existing(path: Path, fp: Fingerprint) -> str:
    """'' when ``path`` is absent or fits; else sets it aside and says why (one line)."""
    if not path.exists():
        return ""
    try:
        with read_only(path) as h5:
            version = int(h5.attrs.get("schema_version", 0))
            stored = Fingerprint.from_attrs(h5.attrs)
    except (OSError, ValueError, TypeError) as exc:
        return _aside(path, "unreadable", f"the session file cannot be read ({exc})")
    if version > SCHEMA_VERSION:
        why = f"it was written by a newer Ictal (schema {version} > {SCHEMA_VERSION})"
        return _aside(path, "newer", why)
    if stored != fp:
        return _aside(path, "mismatch", "it belongs to a different recording (fingerprint)")
    return ""


def _aside(path: Path, kind: str, why: str) -> str:
    moved = set_aside(path, kind)
    text = f"{path.name} was not applied: {why}; kept as {moved.name}"
    log.warning("%s", text)
    return text
