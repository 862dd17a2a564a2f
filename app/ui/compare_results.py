"""The comparison results under the traces: change chart, shaft strip or scalp map, ranking.

Everything shown is computed in ``app.core.compare``; this panel only draws it. The metric
chosen at the top applies to the chart and to the strip/map. Treated contacts are orange
in the ranking and outlined in the figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.compare.change import Comparison
from app.core.compare.figures import change_bars, scalp_maps, shaft_figure
from app.core.compare.report import fmt, num
from app.ui.compare_figure_widget import FigureWidget
from app.ui.compare_figures import (
    TREATED,
    draw_change_bars,
    draw_scalp_maps,
    draw_shaft_figure,
)

NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
RANK_COLUMNS = ("#", "Channel", "Before /min", "After /min", "Decrease [95 % CI]", "Score")


class CompareResults(QWidget):
    channel_activated = Signal(str)  # a ranking row was double-clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        waiting = self.tr("Press Compare to compute the per-channel change.")
        self.metric_combo = QComboBox()
        self.metric_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.summary = QLabel(waiting)
        self.summary.setWordWrap(True)
        self.chart = FigureWidget(waiting)
        self.spatial = FigureWidget(waiting)
        self.ranking = QTableWidget(0, len(RANK_COLUMNS))
        self.ranking.setHorizontalHeaderLabels(RANK_COLUMNS)
        self.ranking.verticalHeader().setVisible(False)
        self.ranking.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.ranking.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.unmatched = QPlainTextEdit()
        self.unmatched.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.chart, self.tr("Change per channel"))
        self.tabs.addTab(self.spatial, self.tr("Shafts"))
        self.tabs.addTab(self.ranking, self.tr("Ranking"))
        self.tabs.addTab(self.unmatched, self.tr("Unmatched"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Metric")))
        row.addWidget(self.metric_combo)
        row.addWidget(self.summary, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(2, 2, 2, 2)
        column.addLayout(row)
        column.addWidget(self.tabs, 1)
        self.metric_combo.currentIndexChanged.connect(lambda _i: self._draw_figures())
        self.ranking.cellDoubleClicked.connect(self._on_double_click)

    @property
    def metric_key(self) -> str:
        return str(self.metric_combo.currentData() or "spike_rate")

    def set_unmatched(self, only_pre: Sequence[str], only_post: Sequence[str]) -> None:
        none = self.tr("none")
        self.unmatched.setPlainText(
            self.tr("Only in the pre recording:") + f"\n  {', '.join(only_pre) or none}\n\n"
            + self.tr("Only in the post recording:") + f"\n  {', '.join(only_post) or none}\n"
        )  # fmt: skip

    def set_comparison(self, comp: Comparison | None) -> None:
        self.comparison = comp
        if comp is None:
            return
        current = self.metric_key
        self.metric_combo.blockSignals(True)
        self.metric_combo.clear()
        for info in comp.metrics:
            if comp.has_metric(info.key):
                self.metric_combo.addItem(f"{info.label} ({info.unit})", info.key)
        self.metric_combo.setCurrentIndex(max(0, self.metric_combo.findData(current)))
        self.metric_combo.blockSignals(False)
        self.tabs.setTabText(1, self.tr("Shafts") if comp.kind == "seeg" else self.tr("Scalp map"))
        self._fill_ranking(comp)
        self.set_unmatched(comp.only_pre, comp.only_post)
        self.summary.setText(self._summary(comp))
        self._draw_figures()

    def _summary(self, comp: Comparison) -> str:
        spike = comp.metric_index("spike_rate")
        down = [ch.name for ch in comp.channels if ch.changes[spike].diff.high < 0]
        text = self.tr("%1 channels matched; discharge rate significantly lower after on: %2")
        text = text.replace("%1", str(len(comp.channels))).replace("%2", ", ".join(down) or "–")
        if comp.only_pre or comp.only_post:
            text += f" · {len(comp.only_pre)}/{len(comp.only_post)} " + self.tr("unmatched")
        return text

    def _draw_figures(self) -> None:
        comp, key = self.comparison, self.metric_key
        if comp is None:
            return
        bars = change_bars(comp, key)
        self.chart.set_drawer(lambda canvas, rect: draw_change_bars(canvas, rect, bars))
        if comp.kind == "seeg":
            strip = shaft_figure(comp, key)
            self.spatial.set_drawer(lambda canvas, rect: draw_shaft_figure(canvas, rect, strip))
            return
        maps = scalp_maps(comp, key)
        if maps is None:
            self.spatial.set_drawer(None, self.tr("No channel has a 10-20 position."))
        else:
            self.spatial.set_drawer(lambda canvas, rect: draw_scalp_maps(canvas, rect, maps))

    def _fill_ranking(self, comp: Comparison) -> None:
        spike = comp.metric_index("spike_rate")
        d = comp.metrics[spike].decimals
        by_name = {ch.name: ch for ch in comp.channels}
        self.ranking.setRowCount(len(comp.ranking))
        for r, entry in enumerate(comp.ranking):
            change = by_name[entry.name].changes[spike]
            cells = (
                str(entry.rank), entry.name + (" (treated)" if entry.treated else ""),
                num(change.pre.value, d), num(change.post.value, d),
                fmt(entry.decrease, d), num(entry.combined, 1),
            )  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.name)
                if c != 1:
                    item.setTextAlignment(NUMBER_ALIGN)
                if entry.treated:
                    item.setBackground(QBrush(TREATED.lighter(170)))
                self.ranking.setItem(r, c, item)
        self.ranking.resizeColumnsToContents()

    def _on_double_click(self, row: int, _column: int) -> None:
        item = self.ranking.item(row, 0)
        if item is not None:
            self.channel_activated.emit(str(item.data(Qt.ItemDataRole.UserRole)))
