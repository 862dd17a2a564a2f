"""The PDF report: its text, anonymisation down to the compressed bytes, non-blank pages,
the export dialog and ``ictal report``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pypdf
import pytest
from PySide6.QtGui import QImage

from app.cli.main import main
from app.core.recording import open_recording
from app.core.report.build import build_report
from app.core.report.model import ReportModel, ReportOptions, ReviewerInputs
from app.ui.report.renderer import render_images, write_pdf
from app.ui.report_dialog import ReportDialog
from tests.core.report_builders import (
    IDENTIFIERS,
    PATIENT_NAME,
    FakeEvent,
    fake_sources,
    reviewer_note,
    write_identified_edf,
)
from tests.ui.fakes import ScriptedPrompter

REVIEWER = ReviewerInputs(
    institution="St Elsewhere Epilepsy Centre",
    findings="Posterior dominant rhythm 9 Hz.",
    impression="One focal seizure of left temporal onset.",
)
EVENTS = (FakeEvent(60.0, 40.0, review="accepted"), FakeEvent(140.0, 8.0))


@pytest.fixture(scope="module")
def edf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_identified_edf(tmp_path_factory.mktemp("report-pdf") / "jane.edf")


def _model(edf: Path, **options: object) -> ReportModel:
    notes = (reviewer_note(30.0, 0.0, "Eyes closed"),)
    with open_recording(edf) as rec:
        return build_report(rec, fake_sources(EVENTS, notes), REVIEWER, ReportOptions(**options))  # type: ignore[arg-type]


def _text(pdf: Path) -> str:
    reader = pypdf.PdfReader(str(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _all_bytes(pdf: Path) -> bytes:
    """The file, plus every stream decompressed, plus the metadata."""
    reader = pypdf.PdfReader(str(pdf))
    chunks = [pdf.read_bytes(), repr(reader.metadata).encode()]
    for number in range(1, int(str(reader.trailer["/Size"]))):
        obj = reader.get_object(number)
        if isinstance(obj, pypdf.generic.StreamObject):
            chunks.append(obj.get_data())
        elif obj is not None:
            chunks.append(repr(obj).encode("utf-8", "replace"))
    return b"\n".join(chunks)


def test_pdf_text_has_sections_times_and_counts(qapp: object, edf: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pages = write_pdf(_model(edf), pdf)
    text = _text(pdf)
    assert pages == len(pypdf.PdfReader(str(pdf)).pages) >= 3
    for title in ("Technical description", "Summary", "Whole-recording trends", "Events",
                  "Findings", "Impression", "Reviewer's annotations", "Event 1"):  # fmt: skip
        assert title in text, title
    assert "22:01:00" in text and "22:02:20" in text  # both events' onsets
    assert "2 (1 confirmed, 0 rejected, 1 not reviewed)" in text
    assert PATIENT_NAME in text and "PAT-4711" in text
    assert f"Page 1 of {pages}" in text and "Eyes closed" in text
    assert "computer-assisted" in text and "the rest were NOT" in text
    meta = pypdf.PdfReader(str(pdf)).metadata
    assert meta is not None and meta.title == "EEG report" and "Ictal" in str(meta.creator)


def test_anonymised_pdf_holds_no_identifier_anywhere(
    qapp: object, edf: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "anon.pdf"
    write_pdf(_model(edf, anonymise=True, include_unreviewed=True), pdf)
    text = _text(pdf)
    blob = (_all_bytes(pdf) + text.encode()).lower()
    for secret in IDENTIFIERS:
        assert secret.lower().encode() not in blob, secret
    assert "ANON-" in text and "jane.edf" not in text


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_pages_render_to_non_blank_images(qapp: object, edf: Path, paper: str) -> None:
    images = render_images(_model(edf, paper=paper, include_unreviewed=True), dpi=30)
    assert len(images) >= 4
    for image in images:
        grey = _pixels(image)
        assert grey.std() > 8.0 and (grey < 128).mean() > 0.002
    width_mm = images[0].width() / 30 * 25.4
    assert width_mm == pytest.approx(210.0 if paper == "A4" else 215.9, abs=1.0)


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    raw = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return raw.reshape(image.height(), image.bytesPerLine())[:, : image.width()]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) not installed")
def test_pdftoppm_pages_are_not_blank(qapp: object, edf: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    pages = write_pdf(_model(edf, include_unreviewed=True), pdf)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(tmp_path / "p")], check=True
    )
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == pages
    for png in pngs:
        assert _pixels(QImage(str(png))).std() > 8.0, png.name


def test_dialog_previews_and_exports(qtbot: object, edf: Path, tmp_path: Path) -> None:
    prompter = ScriptedPrompter(save_path=str(tmp_path / "out"))
    with open_recording(edf) as rec:
        dialog = ReportDialog(rec, fake_sources(EVENTS), prompter)
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        dialog.lines["institution"].setText("St Elsewhere")
        dialog.anonymise.setChecked(True)
        dialog.refresh_preview()
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15_000)  # type: ignore[attr-defined]
        assert dialog.preview is not None and len(dialog.preview.images) >= 3
        assert dialog.pages_layout.count() == len(dialog.preview.images)
        dialog.export()
        qtbot.waitUntil(lambda: dialog.exported is not None, timeout=15_000)  # type: ignore[attr-defined]
    exported = dialog.exported
    assert exported is not None and exported.pdf == tmp_path / "out.pdf" and exported.pdf.exists()
    assert exported.json.exists() and exported.events_tsv.exists() and not prompter.errors
    assert "St Elsewhere" in _text(exported.pdf) and PATIENT_NAME not in _text(exported.pdf)


def test_cli_refuses_unanalysed_recording_without_analysis(
    qapp: object, edf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.pdf"
    code = main(
        ["report", str(edf), "--out", str(out), "--no-analyze", "--sessions", str(tmp_path)]
    )
    assert code == 2 and not out.exists()
    assert "run `ictal analyze FILE` first" in capsys.readouterr().err


def test_cli_refuses_to_overwrite_the_recording(
    qapp: object, edf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(edf), "--out", str(edf)]) == 2
    assert "ictal:" in capsys.readouterr().err


def test_cli_report_json(
    qapp: object, edf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole path: analyse (the shipped student), build, render, companions."""
    out = tmp_path / "night.pdf"
    args = [
        "report",
        str(edf),
        "--out",
        str(out),
        "--anonymize",
        "--json",
        "--sessions",
        str(tmp_path),
    ]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["pdf"] == str(out) and result["pages"] >= 2
    assert isinstance(result["events"], list) and result["anonymised"] is True
    summary = json.loads((tmp_path / "night.json").read_text(encoding="utf-8"))
    assert summary["pages"] == result["pages"] and len(summary["events"]) == len(result["events"])
    assert (tmp_path / "night_events.tsv").read_text().startswith("onset\tduration\ttrial_type")
    companions = (tmp_path / "night.json").read_text() + (tmp_path / "night_events.tsv").read_text()
    assert not any(s.lower() in companions.lower() for s in IDENTIFIERS)
