"""The list of plans on the left of the main window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from models import store
from ui.session import Session

PlanIdRole = Qt.ItemDataRole.UserRole + 1


class PlanListModel(QAbstractListModel):
    """One row per plan: title, year and counts."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[store.PlanSummary] = []
        self.reload()

    def reload(self) -> None:
        """Reload the plans from the database."""
        self.beginResetModel()
        self.rows = store.list_plans(self.session.db)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of plans."""
        return 0 if parent.isValid() else len(self.rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return the title with counts, the id, or a tooltip."""
        if not index.isValid():
            return None
        summary = self.rows[index.row()]
        plan = summary.plan
        if role == Qt.ItemDataRole.DisplayRole:
            year = f"{plan.year}年 · " if plan.year else ""
            return f"{plan.title}\n{year}{summary.activities} 项活动，已完成 {summary.done} 项"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(x for x in (plan.title, plan.office, plan.doc_number, plan.theme) if x)
        if role == PlanIdRole:
            return plan.id
        return None

    def row_of(self, plan_id: int | None) -> int | None:
        """Return the row of a plan id."""
        for row, summary in enumerate(self.rows):
            if summary.plan.id == plan_id:
                return row
        return None
