"""The list of plans on the left of the main window: plans in progress, then the archived ones apart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont

from models import store
from models.rules import PLAN_STATES
from ui.session import Session

PlanIdRole = Qt.ItemDataRole.UserRole + 1
ArchivedRole = Qt.ItemDataRole.UserRole + 2
SEPARATOR = "—— 已归档 ——"


class PlanListModel(QAbstractListModel):
    """One row per plan (title, year, counts); a caption row sets the archived plans apart.

    The counts follow every edit: a change of an activity recounts (coalesced into one query per burst of
    edits) and, when the list itself is unchanged, only the rows' text is refreshed, so the current plan
    stays selected.
    """

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[store.PlanSummary] = []
        self._separator: int | None = None  # display row of the 已归档 caption, if any plan is archived
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(0)
        self._recount.timeout.connect(self.refresh_counts)
        session.activityChanged.connect(lambda *_: self._recount.start())
        session.activitiesReset.connect(lambda *_: self._recount.start())
        self.reload()

    def reload(self) -> None:
        """Reload the plans from the database."""
        self.beginResetModel()
        self._set_rows(store.list_plans(self.session.db))
        self.endResetModel()

    def _set_rows(self, rows: list[store.PlanSummary]) -> None:
        self.rows = rows
        first = next((i for i, s in enumerate(rows) if s.archived), None)
        self._separator = first

    def refresh_counts(self) -> None:
        """Recount the activities; refresh the text in place when the plans themselves are unchanged."""
        fresh = store.list_plans(self.session.db)
        if [(s.plan.id, s.state) for s in fresh] != [(s.plan.id, s.state) for s in self.rows]:
            self.reload()
            return
        self.rows = fresh
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def summary(self, row: int) -> store.PlanSummary | None:
        """Return the plan shown in a display row (None for the caption row)."""
        if self._separator is not None:
            if row == self._separator:
                return None
            if row > self._separator:
                row -= 1
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of plans (and the caption row)."""
        if parent.isValid():
            return 0
        return len(self.rows) + (1 if self._separator is not None else 0)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """The caption row cannot be chosen."""
        if index.isValid() and self.summary(index.row()) is None:
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return the title with counts, the id, or a tooltip."""
        if not index.isValid():
            return None
        summary = self.summary(index.row())
        if summary is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return SEPARATOR
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#707070"))
            return None
        plan = summary.plan
        if role == Qt.ItemDataRole.DisplayRole:
            year = f"{plan.year}年 · " if plan.year else ""
            state = "已归档 · " if summary.archived else ""
            return f"{plan.title}\n{state}{year}{summary.activities} 项活动，已完成 {summary.done} 项"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [
                plan.title,
                plan.office,
                plan.doc_number,
                plan.theme,
                f"状态：{PLAN_STATES[summary.state]}",
            ]
            if summary.archived:
                lines.append("已归档：不亮灯、不计逾期，仍可查看、搜索、导出和打印。")
            return "\n".join(x for x in lines if x)
        if role == Qt.ItemDataRole.ForegroundRole and summary.archived:
            return QBrush(QColor("#6b6b6b"))
        if role == Qt.ItemDataRole.FontRole and summary.archived:
            font = QFont()
            font.setItalic(True)
            return font
        if role == PlanIdRole:
            return plan.id
        if role == ArchivedRole:
            return summary.archived
        return None

    def row_of(self, plan_id: int | None) -> int | None:
        """Return the display row of a plan id."""
        for row, summary in enumerate(self.rows):
            if summary.plan.id == plan_id:
                return row + (1 if self._separator is not None and row >= self._separator else 0)
        return None
