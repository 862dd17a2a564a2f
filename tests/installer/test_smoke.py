"""The frozen bundle's smoke test (installer/smoke_test.py) and the checks it relies on.

The checks run everywhere; the bundle itself is exercised only when ``make installer``
has built ``dist/ictal`` (otherwise that test skips, saying so). It takes about half a
minute on two cores: every command of the frozen app starts a fresh process.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"
BUNDLE = REPO / "dist" / "ictal"
EXECUTABLE = BUNDLE / ("ictal.exe" if sys.platform == "win32" else "ictal")

sys.path.insert(0, str(INSTALLER))
import smoke_checks  # noqa: E402 - lives in installer/, not a package
import smoke_test  # noqa: E402


def _png(width: int, height: int, rows: list[bytes], filters: list[int]) -> bytes:
    """A minimal RGB PNG whose rows are already filtered with the given filter types."""
    raw = b"".join(bytes([f]) + row for f, row in zip(filters, rows, strict=True))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        smoke_checks.PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _paeth(a: int, b: int, c: int) -> int:
    """The PNG specification's Paeth predictor (left, up, up-left)."""
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def test_png_decoder_undoes_every_filter_type() -> None:
    # 2x2 pixels; row 0 plain, row 1 written with Sub, then Up, Average and Paeth.
    top = bytes([10, 20, 30, 40, 50, 60])
    bottom = bytes([15, 25, 35, 45, 55, 65])
    sub = bottom[:3] + bytes((b - a) & 0xFF for a, b in zip(bottom, bottom[3:], strict=False))
    up = bytes((b - a) & 0xFF for a, b in zip(top, bottom, strict=True))
    avg = bytes(
        (bottom[i] - (((bottom[i - 3] if i >= 3 else 0) + top[i]) >> 1)) & 0xFF for i in range(6)
    )
    paeth = bytes(
        (bottom[i] - _paeth(bottom[i - 3] if i >= 3 else 0, top[i], top[i - 3] if i >= 3 else 0))
        & 0xFF
        for i in range(6)
    )
    for kind, row in ((1, sub), (2, up), (3, avg), (4, paeth)):
        data = _png(2, 2, [top, row], [0, kind])
        width, height, bpp, pixels = smoke_checks.png_pixels(data)
        assert (width, height, bpp) == (2, 2, 3)
        assert pixels == top + bottom, f"filter {kind}"


def test_flat_image_is_blank_and_traces_are_not(tmp_path: Path) -> None:
    white = bytes([255]) * 3 * 40
    flat = tmp_path / "flat.png"
    flat.write_bytes(_png(40, 30, [white] * 30, [0] * 30))
    with pytest.raises(smoke_checks.StepFailed, match="blank"):
        smoke_checks.check_screenshot(flat)

    rows = []
    for y in range(30):  # ten grey levels of "traces" on white, one per three rows
        row = bytearray(white)
        row[3 * y : 3 * y + 30] = bytes([y * 8]) * 30
        rows.append(bytes(row))
    drawn = tmp_path / "drawn.png"
    drawn.write_bytes(_png(40, 30, rows, [0] * 30))
    width, height, colours, busy = smoke_checks.image_content(drawn)
    assert (width, height, colours) == (40, 30, 31)  # white + 30 levels
    assert busy == pytest.approx(30 * 10 / (40 * 30))
    assert "31 colours" in smoke_checks.check_screenshot(drawn)


def test_failure_marks_are_found_in_output() -> None:
    assert smoke_checks.failures_in("opened Recording\nictal: ready\n") == []
    log = (
        "Traceback (most recent call last):\n"
        "ModuleNotFoundError: No module named 'mne.channels'\n"
        'qt.qpa.plugin: Could not find the Qt platform plugin "xcb" in ""\n'
        "This application failed to start because no Qt platform plugin could be "
        "initialized.\n[PYI-1234:ERROR] Failed to load Python shared library\n"
    )
    assert smoke_checks.failures_in(log) == [
        "Traceback",
        "ModuleNotFoundError",
        "Qt platform plugin",
        "Qt plugin",
        "bootloader",
    ]
    assert smoke_checks.failures_in("could not find or load the Qt platform plugin") == [
        "Qt platform plugin"
    ]


def test_help_text_yields_command_names() -> None:
    help_text = (
        "usage: ictal [-h] [--version] COMMAND ...\n\npositional arguments:\n  COMMAND\n"
        "    info      show a recording's header\n    view      open the review window\n"
        "\noptions:\n  -h, --help  show this help message and exit\n"
    )
    assert smoke_checks.available_commands(help_text) == {"info", "view"}


def test_summary_counts_steps() -> None:
    results = [
        smoke_test.StepResult("start", "PASS", 1.0, ""),
        smoke_test.StepResult("view", "FAIL", 2.0, "no ready line"),
        smoke_test.StepResult("report", "SKIP", 0.0, "no command"),
    ]
    text = smoke_test.summary(results)
    assert text.splitlines()[-1] == "smoke: 1 passed, 1 failed, 1 skipped"
    assert "not run (command not in this bundle): report" in text


def test_frozen_bundle_smoke(tmp_path: Path) -> None:
    if not EXECUTABLE.is_file():
        pytest.skip(f"no frozen bundle at {BUNDLE}: build it with `make installer`")
    results = smoke_test.run_smoke(BUNDLE, tmp_path)
    failed = [f"{r.name}: {r.detail}" for r in results if r.status == "FAIL"]
    assert not failed, "\n".join(failed)
    passed = {r.name for r in results if r.status == "PASS"}
    assert {"start", "simulate", "info", "view"} <= passed
