"""The change history (留痕) of a plan or an activity."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.labels import label
from ui.session import Session

ACTIONS = {"create": "新增", "update": "修改", "delete": "删除", "restore": "恢复", "merge": "合并"}
ENTITIES = {"plan": "方案", "activity": "活动", "unit": "单位", "progress": "进展记录", "attachment": "附件"}


class HistoryDialog(QDialog):
    """A read-only table of recorded changes, newest first."""

    HEADERS = ("时间", "用户", "对象", "操作", "字段", "原值", "新值")

    def __init__(
        self,
        session: Session,
        *,
        plan_id: int | None = None,
        activity_id: int | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"修改记录 — {title}" if title else "修改记录")
        self.resize(900, 500)
        changes = store.list_changes(session.db, plan_id=plan_id, activity_id=activity_id)
        self.table = QTableWidget(len(changes), len(self.HEADERS), self)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move in the list
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, c in enumerate(changes):
            values = (
                c.at.replace("T", " "),
                c.user,
                ENTITIES.get(c.entity, c.entity),
                ACTIONS.get(c.action, c.action),
                label(c.field),
                c.old,
                c.new,
            )
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        for col, width in enumerate((140, 80, 70, 60, 90, 220, 220)):
            self.table.setColumnWidth(col, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
