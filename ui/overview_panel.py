"""The plan overview: counts per status, completion rate, per-unit table, late items and a bar chart."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.labels import label
from models.store.plans import is_archived
from models.textnorm import join_units
from models.timeframe import format_timeframe
from models.tracking import DUE_SOON_WORD, Overview, UnitStats, compute_overview, planned_range
from ui.evidence_list import EvidenceList
from ui.session import Session

DONE_COLOUR, OPEN_COLOUR, LATE_COLOUR = "#2e9d4f", "#e3e3e3", "#d93025"
#: The chart's legend: what each colour means (the bar is the unit's activities, the red mark the late ones),
#: by the vocabulary's statistic keys.
LEGEND: tuple[tuple[str, str], ...] = (
    (DONE_COLOUR, "done"),
    (OPEN_COLOUR, "not_done"),
    (LATE_COLOUR, "overdue_part"),
)
#: The columns of the per-unit table.
UNIT_STAT_KEYS = ("lead_unit", "done_of_total", "overdue", "completion_rate")


class CompletionChart(QWidget):
    """A horizontal bar chart of completion per lead unit, drawn with QPainter.

    Each bar is a unit's activities: green for the done share, grey for the rest; a thin red mark
    under the bar shows the late share (so a unit at 0 % shows a grey bar, never a wall of red). A
    legend above the bars says so.
    """

    BAR = 18
    GAP = 8
    LEGEND_H = 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats: list[UnitStats] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setObjectName("completionChart")

    def set_stats(self, stats: list[UnitStats]) -> None:
        """Show these per-unit numbers."""
        self.stats = stats
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        """Height grows with the number of units."""
        return QSize(300, max(40, 16 + self.LEGEND_H + len(self.stats) * (self.BAR + self.GAP)))

    def bar_parts(self, s: UnitStats, width: float) -> tuple[float, float]:
        """Return the widths of a unit's green (done) bar and of its red late mark."""
        total = max(1, s.total)
        return width * s.done / total, width * s.overdue / total

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw one labelled bar per unit: green for done, red for overdue, grey for the rest."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        if not self.stats:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "暂无数据")
            return
        label_w = min(max(metrics.horizontalAdvance(s.unit) for s in self.stats) + 8, self.width() // 3)
        value_w = metrics.horizontalAdvance("100% (99/99)") + 6
        bar_w = max(40, self.width() - label_w - value_w - 8)
        x = 0.0  # the legend starts at the left edge: it fits a narrow side panel
        for colour, key in LEGEND:
            text = label(key)
            painter.setPen(QPen(QColor("#9e9e9e")))
            painter.setBrush(QColor(colour))
            painter.drawRect(QRectF(x, 6, 10, 10))
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(x + 14, 0, 80, 22), int(Qt.AlignmentFlag.AlignVCenter), text)
            x += 20 + metrics.horizontalAdvance(text)
        y = 8 + self.LEGEND_H
        for s in self.stats:
            name = metrics.elidedText(s.unit, Qt.TextElideMode.ElideRight, label_w - 6)
            painter.setPen(self.palette().windowText().color())
            painter.drawText(
                QRectF(0, y, label_w - 6, self.BAR),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                name,
            )
            frame = QRectF(label_w, y, bar_w, self.BAR)
            painter.setPen(QPen(QColor("#bdbdbd")))
            painter.setBrush(QColor(OPEN_COLOUR))
            painter.drawRect(frame)
            done_w, late_w = self.bar_parts(s, bar_w)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(DONE_COLOUR))
            painter.drawRect(QRectF(label_w, y, done_w, self.BAR))
            painter.setBrush(QColor(LATE_COLOUR))
            painter.drawRect(QRectF(label_w + done_w, y + self.BAR - 4, late_w, 4))
            painter.setPen(self.palette().windowText().color())
            painter.drawText(
                QRectF(label_w + bar_w + 6, y, value_w, self.BAR),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                f"{s.rate:.0%} ({s.done}/{s.total})",
            )
            y += self.BAR + self.GAP
        painter.end()


def _caption(text: str, parent: QWidget) -> QLabel:
    """A section caption that wraps instead of widening the panel past its right edge."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class OverviewPanel(QScrollArea):
    """Recomputed from the database whenever the plan's activities change."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plan_id: int | None = None
        self.overview: Overview | None = None
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the lists and buttons inside
        body = QWidget(self)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        self.summary = QLabel(body)
        self.summary.setObjectName("overviewSummary")
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.chart = CompletionChart(body)
        self.units = QTableWidget(0, len(UNIT_STAT_KEYS), body)
        self.units.setTabKeyNavigation(False)  # Tab moves on to the lists below; arrows move in the table
        self.units.verticalHeader().setVisible(False)
        self.units.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.units.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.units.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # as wide as the panel, never wider: a wider table would push the whole overview off its right edge
        self.units.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.units.setHorizontalHeaderLabels([label(key) for key in UNIT_STAT_KEYS])
        self.units.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.late = QListWidget(body)
        self.late.setObjectName("lateList")
        self.late.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(_caption(f"<b>各{label('lead_unit')}完成情况</b>", body))
        layout.addWidget(self.chart)
        layout.addWidget(self.units)
        layout.addWidget(_caption(f"<b>逾期与{DUE_SOON_WORD}</b>", body))
        layout.addWidget(self.late)
        layout.addWidget(_caption("<b>总结材料（报送上级的照片、视频、文件）</b>", body))
        self.materials = EvidenceList(session, thumbnails=False, parent=body)
        layout.addWidget(self.materials)
        layout.addStretch()

        # Recomputing means reading the whole plan: do it once after a burst of edits, and only when shown.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self._stale = True
        session.activityChanged.connect(self.schedule)
        session.activitiesReset.connect(self.schedule)
        session.plansChanged.connect(self.schedule)
        session.evidenceChanged.connect(self.schedule)

    def schedule(self, *_args: object) -> None:
        """Mark the numbers stale; recompute soon if the panel is visible."""
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        """Bring stale numbers up to date when the panel is shown."""
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def set_plan(self, plan_id: int | None) -> None:
        """Show the overview of a plan."""
        self.plan_id = plan_id
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        """Recompute the numbers."""
        self._stale = False
        if self.plan_id is None:
            self.summary.setText("（未选择方案）")
            self.chart.set_stats([])
            self.units.setRowCount(0)
            self.late.clear()
            self.materials.set_owner(None, None)
            return
        try:
            plan = store.get_plan(self.session.db, self.plan_id)
        except KeyError:
            self.set_plan(None)
            return
        activities = store.list_activities(self.session.db, self.plan_id)
        today = self.session.today()
        archived = is_archived(self.session.db, self.plan_id)
        ov = compute_overview(plan, activities, today, self.session.due_soon_days(), archived=archived)
        self.overview = ov
        counts = "　".join(f"{status} <b>{n}</b>" for status, n in ov.counts.items())
        deadline = ""
        if archived:
            deadline = (
                f"<br>{label('report_deadline')} {plan.report_deadline or '—'}"
                if plan.report_deadline
                else ""
            )
        elif ov.report_deadline is not None and ov.days_left is not None:
            when = (
                f"剩余 <b>{ov.days_left}</b> 天"
                if ov.days_left >= 0
                else f"<span style='color:#d93025'>已过 <b>{-ov.days_left}</b> 天</span>"
            )
            deadline = f"<br>{label('report_deadline')} {ov.report_deadline.isoformat()}（{plan.report_deadline}），{when}"
        lights = (
            "<span style='color:#6b6b6b'>方案已归档：不亮灯，不计逾期。</span>"
            if archived
            else f"<span style='color:#d93025'>{label('overdue')} {len(ov.overdue)} 项</span>　"
            f"<span style='color:#b07800'>{DUE_SOON_WORD} {len(ov.due_soon)} 项</span>"
        )
        self.summary.setText(
            f"<b>共 {ov.total} 项</b>　{label('completion_rate')} <b>{ov.completion_rate:.1%}</b><br>{counts}"
            f"<br>{lights}{deadline}"
            f"<br><small>{label('as_of')} {today.isoformat()}</small>"
        )
        self.chart.set_stats(ov.per_unit)
        self.units.setRowCount(len(ov.per_unit))
        for row, s in enumerate(ov.per_unit):
            for col, text in enumerate((s.unit, f"{s.done}/{s.total}", str(s.overdue), f"{s.rate:.0%}")):
                self.units.setItem(row, col, QTableWidgetItem(text))
        self.units.resizeRowsToContents()
        self.units.setFixedHeight(
            self.units.horizontalHeader().sizeHint().height()
            + 2 * self.units.frameWidth()
            + self.units.verticalHeader().length()
            + 2
        )
        self.late.clear()
        year = plan.year or today.year
        for kind, items in ((label("overdue"), ov.overdue), (DUE_SOON_WORD, ov.due_soon)):
            for a in items:
                tf = planned_range(a, year)
                self.late.addItem(
                    f"【{kind}】{a.position}. {a.name}\n"
                    f"{label('lead_short')}：{join_units(a.lead_units) or '未指定'}"
                    f"　{label('planned_short')}：{format_timeframe(tf)}"
                )
        if not self.late.count():
            self.late.addItem("方案已归档。" if archived else f"无逾期或{DUE_SOON_WORD}的活动。")
        self.materials.set_owner(self.plan_id, None)
