"""Compare mode: two simulated SEEG recordings (before/after coagulating B'1-B'3) side by
side, the comparison PDF, and ``ictal compare`` on the files."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.compare import CompareOptions, compare, compare_files
from app.core.compare.figures import scalp_maps
from app.core.compare.report import comparison_report
from app.core.simulate import SimulationSpec, seeg_channels, write_edf
from app.core.viewport import SEEG_SENSITIVITY_UV_MM
from app.ui.compare_figure_widget import FigureWidget
from app.ui.compare_figures import draw_scalp_maps
from app.ui.compare_pdf import write_comparison_pdf
from app.ui.compare_window import CompareWindow
from tests.core.compare_helpers import TREATED, metrics_of, scalp_pair
from tests.ui.fakes import ScriptedPrompter

FAST = CompareOptions(model_mode="off", replicates=200)


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    """2-min SEEG before and after treatment; the post recording lost contact TP'8."""
    folder = tmp_path_factory.mktemp("pair")
    pre = replace(
        SimulationSpec.seeg_demo(120.0, seed=0),
        channels=seeg_channels((("A'", 10), ("B'", 12), ("TP'", 8))),
        spikes_per_hour=1200.0,
    )
    post = replace(pre, seed=1, channels=seeg_channels((("A'", 10), ("B'", 12), ("TP'", 7))))
    write_edf(pre, folder / "pre.edf")
    write_edf(post.silenced(TREATED), folder / "post.edf")
    return folder / "pre.edf", folder / "post.edf"


@pytest.fixture
def window(qtbot, pair):
    win = CompareWindow(ScriptedPrompter())
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignals([win.pre.page_drawn, win.post.page_drawn], timeout=20000):
        win.open_pair(*pair)
    qtbot.waitUntil(lambda: "TP'7-TP'8" in win.pre.viewport.hidden, timeout=10000)
    return win


def test_panes_are_time_locked_with_an_offset(qtbot, window) -> None:
    pre, post = window.pre.viewport, window.post.viewport
    assert pre.montage == post.montage == "seeg_bipolar"  # SEEG opens shaft-bipolar
    # ... at the viewer's SEEG sensitivity (the same constant as the review window's)
    assert pre.sensitivity_uv_mm == post.sensitivity_uv_mm == SEEG_SENSITIVITY_UV_MM
    assert window.toolbar.sensitivity.text().strip() == f"{SEEG_SENSITIVITY_UV_MM:g} µV/mm"
    window.set_offset(5.0)
    assert post.start_s == pytest.approx(pre.start_s + 5.0)
    pre.scroll(2.0)
    assert pre.start_s == pytest.approx(20.0) and post.start_s == pytest.approx(25.0)
    window.set_offset(-3.0)
    assert post.start_s == pytest.approx(17.0)


def test_unmatched_traces_are_hidden_and_listed(qtbot, window) -> None:
    assert window.pre.viewport.hidden == frozenset({"TP'7-TP'8"})
    assert window.post.viewport.hidden == frozenset()
    qtbot.waitUntil(lambda: "TP'7-TP'8" not in window.pre.trace_view.shown_labels())
    assert window.pre.trace_view.shown_labels() == window.post.trace_view.shown_labels()
    assert "TP'7-TP'8" in window.results.unmatched.toPlainText()


def test_treated_contacts_are_highlighted_on_both_panes(qtbot, window) -> None:
    window.toolbar.treated.setText("B'1-3")
    window.toolbar.treated.editingFinished.emit()
    assert window.treated == TREATED
    marked = ("B'1-B'2", "B'2-B'3", "B'3-B'4")  # every pair touching a treated contact
    assert window.pre.treated_bands.marked_labels == marked
    assert window.post.treated_bands.marked_labels == marked
    for pane in (window.pre, window.post):  # their labels too, in the bands' colour
        assert pane.trace_view.label_axis.highlighted == frozenset(marked)
    window.set_montage("as_recorded")
    qtbot.waitUntil(lambda: window.pre.treated_bands.marked_labels == TREATED, timeout=10000)


def test_compare_fills_the_ranking_charts_and_unmatched(qtbot, window) -> None:
    window.set_treated(TREATED)
    with qtbot.waitSignal(window.comparison_ready, timeout=60000) as blocker:
        window.start_compare(FAST)
    comp = blocker.args[0]
    assert {e.name for e in comp.ranking[:3]} == set(TREATED)
    assert comp.only_pre == ("TP'8",) and comp.only_post == ()
    results = window.results
    assert results.ranking.rowCount() == len(comp.channels) == 29
    assert results.ranking.item(0, 1).text().endswith("(treated)")
    assert results.tabs.tabText(1) == "Shafts"
    assert results.chart.has_figure and results.spatial.has_figure
    assert "TP'8" in results.unmatched.toPlainText()
    assert not window.toolbar.busy and window.toolbar.compare.isEnabled()
    # New treated contacts re-flag the comparison without recomputing the metrics.
    metrics = window.metrics
    with qtbot.waitSignal(window.comparison_ready, timeout=1000) as again:
        window.set_treated(("A'1",))
    assert window.metrics is metrics
    assert [e.name for e in again.args[0].ranking if e.treated] == ["A'1"]
    window.show_first_discharge(comp.ranking[0].name)
    assert window.pre.viewport.start_s < 120.0


def test_comparison_pdf_has_figures_and_tables(qtbot, pair, tmp_path) -> None:
    comp = compare_files(*pair, TREATED, FAST)
    report = comparison_report(comp, replicates=200)
    assert [s.title.split(":")[0] for s in report.strips] == ["Discharge rate", "Line length"]
    assert report.maps == () and report.shafts is not None
    pdf = tmp_path / "compare.pdf"
    pages = write_comparison_pdf(report, pdf)
    assert pages >= 3
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert list(tmp_path.iterdir()) == [pdf]  # no temporary file left behind


def test_ictal_compare_writes_the_pdf_and_one_json_object(qtbot, pair, tmp_path, capsys) -> None:
    pdf = tmp_path / "out.pdf"
    args = ["compare", *map(str, pair), "--out", str(pdf), "--treated", "B'1-3", "--json",
            "--model-mode", "off", "--replicates", "200"]  # fmt: skip
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pdf"] == str(pdf) and data["pages"] >= 3 and pdf.exists()
    assert {"name", "pre", "post", "change"} <= data["channels"][0].keys()
    assert {r["name"] for r in data["ranking"][:3]} == set(TREATED)
    assert data["unmatched"] == {"pre_only": ["TP'8"], "post_only": []}
    assert [s["shaft"] for s in data["shafts"]] == ["A'", "B'", "TP'"]
    assert main([*args[:5], "--json", "--model-mode", "off"]) == 2  # the PDF exists: --force
    assert "already exists" in capsys.readouterr().err


def test_ictal_compare_rejects_bad_input(pair, tmp_path, capsys) -> None:
    assert main(["compare", str(tmp_path / "nope.edf"), str(pair[1])]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["compare", *map(str, pair), "--epoch", "1"]) == 2
    assert main(["compare", *map(str, pair), "--treated", "B'3-1"]) == 2
    assert "low to high" in capsys.readouterr().err


def test_scalp_maps_draw_in_a_widget(qtbot) -> None:
    pre, post = scalp_pair(120.0)
    comp = compare(metrics_of(pre, label="a", seed=1), metrics_of(post, label="b", seed=2))
    maps = scalp_maps(comp, "spike_rate")
    assert maps is not None and [p.label for p in maps.panels][2] == "change (/min)"
    widget = FigureWidget("none")
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.set_drawer(lambda canvas, rect: draw_scalp_maps(canvas, rect, maps))
    image = widget.grab().toImage()
    colours = {image.pixelColor(x, 200).name() for x in range(0, 900, 7)}
    assert len(colours) > 10  # the three heads are drawn, not a blank widget


def test_panes_scroll_through_many_channels_together(qtbot, window) -> None:
    window.resize(1400, 640)  # the 29 traces no longer fit: labels keep their height
    pre, post = window.pre.trace_view, window.post.trace_view
    qtbot.waitUntil(lambda: pre.scrolls_channels and post.scrolls_channels, timeout=5000)
    assert pre.channel_bar.isVisible()
    assert pre.layout_mm.spacing_mm * pre.calibration.px_per_mm_y >= pre.min_row_px - 1e-6
    pre.scroll_channels(6)
    assert pre.channel_top_mm > 0 and post.channel_top_mm == pytest.approx(pre.channel_top_mm)
    assert pre.visible_labels() == post.visible_labels()
    assert pre.visible_labels()[0] != pre.shown_labels()[0]
    post.set_channel_top(0.0)  # either pane leads
    assert pre.channel_top_mm == 0.0


def test_ictal_report_has_the_comparison_section(qtbot, pair, tmp_path, capsys) -> None:
    import pypdf

    pre, post = pair
    pdf = tmp_path / "report.pdf"
    args = ["report", str(post), "--out", str(pdf), "--json", "--sessions", str(tmp_path),
            "--no-trends"]  # fmt: skip
    assert main([*args, "--compare-with", str(pre), "--treated", "B'1-3"]) == 0
    result = json.loads(capsys.readouterr().out)
    data = result["comparison"]
    assert [r["treated"] for r in data["ranking"][:3]] == [True, True, True]
    assert {r["name"] for r in data["ranking"][:3]} == set(TREATED)
    summary = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert summary["comparison"] == data and summary["pages"] == result["pages"]
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages)
    assert "Pre/post comparison: pre.edf → post.edf" in text and "EEG report" in text
    ranking = text[text.index("Channels ranked by decrease") :]
    for rank, entry in enumerate(data["ranking"][:3], start=1):  # treated first, starred
        assert f" {rank} {entry['name']}* " in ranking[:400]
    # Without --compare-with: no section, null in the JSON.
    assert main([*args, "--no-analyze"]) == 0
    assert json.loads(capsys.readouterr().out)["comparison"] is None
    assert "comparison" not in " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)


def test_ictal_report_rejects_a_bad_comparison(pair, tmp_path, capsys) -> None:
    pdf = tmp_path / "report.pdf"
    base = ["report", str(pair[1]), "--out", str(pdf), "--sessions", str(tmp_path)]
    assert main([*base, "--compare-with", str(tmp_path / "nope.edf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"ictal: {tmp_path / 'nope.edf'} : no such file"] and not pdf.exists()
    assert main([*base, "--treated", "B'1"]) == 2
    assert "needs --compare-with" in capsys.readouterr().err
    assert main([*base, "--compare-with", str(pair[0]), "--treated", "B'3-1"]) == 2
    assert "low to high" in capsys.readouterr().err and not pdf.exists()
