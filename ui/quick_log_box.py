"""The one-field quick entry of the detail panel: a dated progress line that, when it says so, sets status
and progress (services.quick_log), in one undo step."""

from __future__ import annotations

import sqlite3

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from models.db import explain
from models.errors import ValidationError
from models.records import Activity
from services.quick_log import (
    QuickChange,
    apply_quick_change,
    parse_quick_entry,
    prepare_quick_entry,
    revert_quick_change,
)
from ui.session import Session

PLACEHOLDER = "快速记录进展，回车保存：如“9月12日 召开动员会”“完成80%”“已完成，发放资料3000份”"


class QuickLogCommand(QUndoCommand):
    """A log line with the changes it implies, written and undone together."""

    def __init__(
        self, session: Session, change: QuickChange, position: int, *, applied: bool = False
    ) -> None:
        super().__init__(f"第 {position} 项：记录进展“{change.entry.text[:20]}”")
        self.session = session
        self.change = change
        self._applied = applied  # written already (before the push, so that a failed write is told)

    def redo(self) -> None:
        """Add the line and write the changes in one transaction."""
        if self._applied:
            self._applied = False
        else:
            apply_quick_change(self.session.db, self.change)
        self.session.activityChanged.emit(self.change.activity_id)

    def undo(self) -> None:
        """Take the line out and put the old values back."""
        revert_quick_change(self.session.db, self.change)
        self.session.activityChanged.emit(self.change.activity_id)


class QuickLogBox(QWidget):
    """One line edit and a hint saying what Enter will do."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.activity: Activity | None = None
        self.line = QLineEdit(self)
        self.line.setObjectName("quickLog")
        self.line.setPlaceholderText(PLACEHOLDER)
        self.line.setToolTip(PLACEHOLDER)
        self.line.setClearButtonEnabled(True)
        self.line.returnPressed.connect(self.submit)
        self.line.textChanged.connect(self._hint)
        self.hint = QLabel(self)
        self.hint.setObjectName("quickLogHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line)
        layout.addWidget(self.hint)
        self.set_activity(None)

    def set_activity(self, activity: Activity | None) -> None:
        """Log for this activity (None: the box is disabled)."""
        self.activity = activity
        self.line.setEnabled(activity is not None and not self.session.readonly)
        self._hint(self.line.text())

    def _hint(self, text: str) -> None:
        if not text.strip():
            self.hint.setText("")
            return
        try:
            entry = parse_quick_entry(text, self.session.today())
        except ValidationError as exc:
            self.hint.setText(str(exc))
            return
        what = entry.describe()
        self.hint.setText(f"回车：记录于 {entry.day.isoformat()}" + (f"，并{what}" if what else ""))

    def submit(self) -> QuickChange | None:
        """Record the typed line (one undo step); a line that cannot be read stays with its reason shown."""
        if self.activity is None or self.session.readonly or not self.line.text().strip():
            return None
        try:
            change = prepare_quick_entry(
                self.session.db, int(self.activity.id or 0), self.line.text(), self.session.today()
            )
        except ValidationError as exc:
            self.hint.setText(str(exc))
            return None
        except KeyError:
            self.hint.setText("该活动已被删除。")
            return None
        try:
            apply_quick_change(self.session.db, change)  # first: a database that cannot be written is told
        except sqlite3.Error as exc:
            name = self.session.path.name if self.session.path is not None else "数据库"
            text = f"未记录：{explain(exc, name)}"
            self.hint.setText(text)  # the typed line stays, to try again
            self.session.message.emit(text)
            return None
        self.session.undo_stack.push(
            QuickLogCommand(self.session, change, self.activity.position, applied=True)
        )
        self.line.clear()
        self.hint.setText(change.summary())
        self.session.message.emit(change.summary() + "（Ctrl+Z 撤销）")
        return change
