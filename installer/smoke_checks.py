"""The checks of the frozen-bundle smoke test (installer/smoke_test.py), kept free of I/O.

Pure functions over a command's output or a file's bytes, so tests/installer can check
them without a bundle: failure marks in output (tracebacks, missing modules, Qt plugin
and bootloader errors), a small PNG decoder (8-bit, as Qt writes them) for "the screenshot
is not blank", the command list of ``ictal --help`` and the one JSON object of ``--json``.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections import Counter
from pathlib import Path

_NO_PLATFORM = r"could not (find or load|find|load) the Qt platform plugin|no Qt platform plugin"
FAILURE_PATTERNS = (
    ("Traceback", re.compile(r"Traceback \(most recent call last\)")),
    ("ModuleNotFoundError", re.compile(r"ModuleNotFoundError|No module named")),
    ("ImportError", re.compile(r"\bImportError\b")),
    ("Qt platform plugin", re.compile(_NO_PLATFORM, re.IGNORECASE)),
    ("Qt plugin", re.compile(r"qt\.qpa\.plugin")),
    ("internal error", re.compile(r"ictal: internal error")),
    ("bootloader", re.compile(r"\[PYI-\d+:ERROR\]|Failed to execute script")),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class StepFailed(Exception):
    """A check of one step did not hold; the message says which and why."""


def failures_in(output: str) -> list[str]:
    """The failure kinds whose marks appear in a command's output."""
    return [kind for kind, pattern in FAILURE_PATTERNS if pattern.search(output)]


def png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """Decode an 8-bit, non-interlaced PNG (as Qt writes them): width, height, bpp, pixels."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    pos, chunks, header = 8, [], b""
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or bpp is None or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour})")
    raw, stride = zlib.decompress(b"".join(chunks)), width * bpp
    pixels, previous = bytearray(), bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(raw[start], row, previous, bpp)
        pixels += row
        previous = row
    return width, height, bpp, bytes(pixels)


def _unfilter(kind: int, row: bytearray, up: bytearray, bpp: int) -> None:
    if kind == 1:  # Sub
        for i in range(bpp, len(row)):
            row[i] = (row[i] + row[i - bpp]) & 0xFF
    elif kind == 2:  # Up
        row[:] = bytes((a + b) & 0xFF for a, b in zip(row, up, strict=True))
    elif kind == 3:  # Average
        for i in range(len(row)):
            left = row[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + ((left + up[i]) >> 1)) & 0xFF
    elif kind == 4:  # Paeth
        for i in range(len(row)):
            a = row[i - bpp] if i >= bpp else 0
            b, c = up[i], up[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            row[i] = (row[i] + pred) & 0xFF
    elif kind != 0:
        raise ValueError(f"bad PNG filter type {kind}")


def image_content(path: Path) -> tuple[int, int, int, float]:
    """Width, height, distinct colours and the share of pixels unlike the commonest one."""
    width, height, bpp, pixels = png_pixels(path.read_bytes())
    counts = Counter(pixels[i : i + bpp] for i in range(0, len(pixels), bpp))
    commonest = counts.most_common(1)[0][1]
    return width, height, len(counts), 1.0 - commonest / (width * height)


def check_screenshot(path: Path) -> str:
    """Raise StepFailed unless ``path`` holds a drawn window (not one flat colour)."""
    if not path.is_file() or path.stat().st_size == 0:
        raise StepFailed(f"no screenshot at {path}")
    width, height, colours, busy = image_content(path)
    if colours < 8 or busy < 0.01:
        raise StepFailed(f"screenshot looks blank: {colours} colours, {busy:.1%} non-background")
    return f"screenshot {width}x{height}, {colours} colours, {busy:.1%} non-background"


def available_commands(help_text: str) -> set[str]:
    """Subcommand names listed by ``ictal --help``."""
    return set(re.findall(r"^ {4}(\w+) {2,}", help_text, re.MULTILINE))


def json_object(stdout: str) -> dict[str, object]:
    """The one JSON object a ``--json`` command prints."""
    start = stdout.find("{")
    if start < 0:
        raise StepFailed("no JSON object on stdout")
    value = json.loads(stdout[start:])
    if not isinstance(value, dict):
        raise StepFailed("stdout JSON is not an object")
    return value
