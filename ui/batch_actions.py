"""Batch updates from the table: the selected rows get one status, progress, completion date or unit in one
undoable step; Ctrl+1 … Ctrl+4 set the statuses, Ctrl+B opens the batch dialog.

Works on any QTableView whose model answers `RecordRole` with the row's Activity (the activity table,
through its filter proxy). A row that breaks a rule refuses the whole batch, naming the row
(services.batch); nothing is written then.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.db import explain
from models.errors import ValidationError
from models.labels import label
from models.records import STATUS_DONE, Activity
from services.batch import (
    UNIT_ADD,
    UNIT_REMOVE,
    UNIT_REPLACE,
    Batch,
    apply_batch,
    prepare_batch,
    revert_batch,
)
from ui.activity_model import RecordRole
from ui.delegates import NO_DATE, DateEdit, from_qdate, to_qdate
from ui.session import Session


class BatchEdit(QUndoCommand):
    """A prepared batch as one undo step: redo writes every row in one transaction, undo puts them back."""

    def __init__(self, session: Session, batch: Batch, *, applied: bool = False) -> None:
        super().__init__(batch.describe())
        self.session = session
        self.batch = batch
        self._applied = applied  # written already (before the push, so that a failed write is told)

    def redo(self) -> None:
        """Write every row's change (all or none)."""
        if self._applied:
            self._applied = False
        else:
            apply_batch(self.session.db, self.batch)
        self._notify()

    def undo(self) -> None:
        """Put every row's old values back (all or none)."""
        revert_batch(self.session.db, self.batch)
        self._notify()

    def _notify(self) -> None:
        if {"lead_units", "coop_units"} & set(self.batch.fields):
            self.session.unitsChanged.emit()
        for activity_id in self.batch.activity_ids:
            self.session.activityChanged.emit(activity_id)


def selected_activities(view: QTableView) -> list[Activity]:
    """The activities of the selected rows in table order (the current row when nothing is selected)."""
    model = view.selectionModel()
    indexes = model.selectedRows() if model is not None else []
    if not indexes and view.currentIndex().isValid():
        indexes = [view.currentIndex()]
    found = [i.siblingAtColumn(0).data(RecordRole) for i in indexes]
    chosen = {int(a.id or 0): a for a in found if isinstance(a, Activity)}
    return sorted(chosen.values(), key=lambda a: a.position)


def push_batch(
    session: Session,
    parent: QWidget,
    activities: list[Activity],
    values: dict[str, object],
    unit_mode: str = UNIT_REPLACE,
) -> Batch | None:
    """Check a batch and push it as one undo step; a refused batch is shown with its rows named."""
    if session.readonly:
        QMessageBox.information(
            parent, "只读", f"此数据库以只读方式打开，不能修改。\n{session.readonly_reason}"
        )
        return None
    try:
        batch = prepare_batch(
            session.db,
            [int(a.id or 0) for a in activities],
            values,
            unit_mode=unit_mode,
            today=session.today(),
        )
    except ValidationError as exc:
        QMessageBox.warning(parent, "批量修改", str(exc))
        return None
    if not batch.items:
        session.message.emit(f"所选 {batch.unchanged} 项已是这些值，没有修改。")
        return batch
    try:
        apply_batch(session.db, batch)  # first, outside the stack: a database that cannot be written is told
    except sqlite3.Error as exc:
        name = session.path.name if session.path is not None else "数据库"
        QMessageBox.warning(
            parent, "批量修改", f"{explain(exc, name)}\n所选 {len(batch.items)} 项都没有修改。"
        )
        return None
    session.undo_stack.push(BatchEdit(session, batch, applied=True))
    notes = sum("completion_notes" in i.changes for i in batch.items)
    filled = f"，其中 {notes} 项已根据进展记录填写完成情况" if notes else ""
    session.message.emit(f"已{batch.describe()}{filled}（Ctrl+Z 撤销）。")
    return batch


class BatchDialog(QDialog):
    """Tick what to set for the chosen rows: status, progress, completion date, a unit."""

    def __init__(self, session: Session, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("批量修改")
        self.session = session
        self.use_status = QCheckBox(label("status"), self)
        self.status = QComboBox(self)
        self.status.addItems(session.settings().all_statuses)
        self.use_progress = QCheckBox(label("progress"), self)
        self.progress = QSpinBox(self)
        self.progress.setRange(0, 100)
        self.progress.setSuffix(" %")
        self.progress.setSingleStep(10)
        self.use_date = QCheckBox(label("completed_on"), self)
        self.date = DateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMinimumDate(NO_DATE)
        self.date.setSpecialValueText("（清空）")
        self.date.setDate(to_qdate(session.today()))
        self.use_unit = QCheckBox(label("unit"), self)
        self.role = QComboBox(self)
        for role in ("lead_units", "coop_units"):
            self.role.addItem(label(role), role)
        self.mode = QComboBox(self)
        self.mode.addItem("加上", UNIT_ADD)
        self.mode.addItem("替换为", UNIT_REPLACE)
        self.mode.addItem("去掉", UNIT_REMOVE)
        self.unit = QComboBox(self)
        self.unit.setEditable(True)
        self.unit.addItems([u.name for u in store.list_units(session.db, active_only=True)])
        self.unit.setCurrentText("")
        for box, widget in (
            (self.use_status, self.status),
            (self.use_progress, self.progress),
            (self.use_date, self.date),
            (self.use_unit, self.unit),
        ):
            widget.setEnabled(False)
            box.toggled.connect(widget.setEnabled)
        self.use_unit.toggled.connect(self.role.setEnabled)
        self.use_unit.toggled.connect(self.mode.setEnabled)
        self.role.setEnabled(False)
        self.mode.setEnabled(False)
        # a value chosen ticks its box: one action fewer for the clerk
        self.status.activated.connect(lambda *_: self.use_status.setChecked(True))
        self.progress.valueChanged.connect(lambda *_: self.use_progress.setChecked(True))
        form = QFormLayout()
        form.addRow(self.use_status, self.status)
        form.addRow(self.use_progress, self.progress)
        form.addRow(self.use_date, self.date)
        form.addRow(self.use_unit, self.role)
        form.addRow("", self.mode)
        form.addRow("", self.unit)
        hint = QLabel(
            f"将修改选中的 {count} 项活动（一次撤销即可全部恢复）。设为“{STATUS_DONE}”时进度记为 100%，"
            "未填完成时间的记为今天，未填完成情况的按进展记录填写。",
            self,
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("修改")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> tuple[dict[str, object], str]:
        """The chosen values and how a unit is applied (add / replace / remove)."""
        values: dict[str, object] = {}
        if self.use_status.isChecked():
            values["status"] = self.status.currentText()
        if self.use_progress.isChecked():
            values["progress"] = self.progress.value()
        if self.use_date.isChecked():
            values["completed_on"] = from_qdate(self.date.date())
        if self.use_unit.isChecked():
            values[str(self.role.currentData())] = [self.unit.currentText().strip()]
        return values, str(self.mode.currentData())

    def _accept(self) -> None:
        values, _ = self.values()
        if not values:
            QMessageBox.information(self, "批量修改", "请至少勾选一项要修改的内容。")
            return
        if self.use_unit.isChecked() and not self.unit.currentText().strip():
            QMessageBox.information(self, "批量修改", "请选择或输入单位名称。")
            return
        self.accept()


class BatchActions(QObject):
    """The status shortcuts and the batch dialog over a table view's selected rows."""

    def __init__(self, session: Session, view: QTableView, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.parent_widget = parent
        self.status_actions: list[QAction] = []
        for number, status in enumerate(session.settings().all_statuses[:9], start=1):
            action = QAction(f"设为“{status}”", parent)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setObjectName(f"setStatus{number}")
            action.triggered.connect(lambda _=False, s=status: self.set_status(s))
            self.status_actions.append(action)
        self.batch_action = QAction("批量修改…", parent)
        self.batch_action.setObjectName("batchEdit")
        self.batch_action.setShortcut(QKeySequence("Ctrl+B"))
        self.batch_action.triggered.connect(self.open_dialog)
        for action in (*self.status_actions, self.batch_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            parent.addAction(action)  # shortcuts work wherever the focus is in the window
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        view.addActions([*self.status_actions, self.batch_action])

    def menu(self, parent: QWidget) -> QMenu:
        """A 设置状态 menu with the status actions and the batch dialog."""
        menu = QMenu("设置状态", parent)
        menu.addActions(self.status_actions)
        menu.addSeparator()
        menu.addAction(self.batch_action)
        return menu

    def _chosen(self) -> list[Activity]:
        # Typing in a text box (完成情况) is saved when it loses focus: take the focus first.
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return selected_activities(self.view)

    def set_status(self, status: str) -> Batch | None:
        """Give the selected rows one status (the status rule applies to each)."""
        chosen = self._chosen()
        if not chosen:
            return None
        return push_batch(self.session, self.parent_widget, chosen, {"status": status})

    def open_dialog(self) -> Batch | None:
        """Ask what to set for the selected rows, then set it in one step."""
        chosen = self._chosen()
        if not chosen:
            QMessageBox.information(
                self.parent_widget, "批量修改", "请先在表格中选择要修改的活动（可按住 Ctrl 或 Shift 多选）。"
            )
            return None
        dialog = BatchDialog(self.session, len(chosen), self.parent_widget)
        if not dialog.exec():
            return None
        values, mode = dialog.values()
        return push_batch(self.session, self.parent_widget, chosen, values, mode)
