"""The activity detail panel: status, progress, dates, 完成情况, the progress log and the evidence files."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.errors import ValidationError
from models.labels import label
from models.records import Activity
from models.timeframe import format_timeframe, parse_timeframe
from services.editing import prepare_edit
from ui.delegates import NO_DATE, DateEdit, from_qdate, to_qdate
from ui.evidence_list import EvidenceList
from ui.session import Session
from ui.undo import AddProgressEntry, EditActivityFields
from ui.wheel_guard import guard_wheel

THUMB = QSize(96, 72)


class NotesEdit(QPlainTextEdit):
    """A text box that says when it loses focus (that is when 完成情况 is saved)."""

    focusLost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Report the focus loss, then behave as usual."""
        self.focusLost.emit()
        super().focusOutEvent(event)


class ActivityDetailPanel(QScrollArea):
    """Edits the tracking fields of the current activity; every change is an undoable command."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.activity: Activity | None = None
        self.plan_year = session.today().year
        self._loading = False
        self._committing = False
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        self.body = body
        self.setWidget(body)
        layout = QVBoxLayout(body)
        self.title = QLabel("（未选择活动）", body)
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        layout.addWidget(self.title)

        box = QGroupBox("完成跟踪", body)
        form = QFormLayout(box)
        self.status = QComboBox(box)
        self.status.setObjectName("detailStatus")
        self.status.activated.connect(lambda *_: self._commit({"status": self.status.currentText()}))
        self.progress = QSpinBox(box)
        self.progress.setObjectName("detailProgress")
        self.progress.setRange(0, 100)
        self.progress.setSuffix(" %")
        self.progress.setSingleStep(10)
        self.progress.editingFinished.connect(lambda: self._commit({"progress": self.progress.value()}))
        self.completed = DateEdit(box)
        self.completed.setCalendarPopup(True)
        self.completed.setDisplayFormat("yyyy-MM-dd")
        self.completed.setMinimumDate(NO_DATE)
        self.completed.setSpecialValueText("（未完成）")
        self.completed.editingFinished.connect(
            lambda: self._commit({"completed_on": from_qdate(self.completed.date())})
        )
        self.time_label = QLabel(box)
        self.time_label.setWordWrap(True)
        self.time_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.manual = QCheckBox("手动指定计划时间", box)
        self.manual.toggled.connect(self._manual_toggled)
        self.plan_start = DateEdit(box)
        self.plan_end = DateEdit(box)
        for edit in (self.plan_start, self.plan_end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText("（不限）")
            edit.editingFinished.connect(self._commit_planned)
        self.notes = NotesEdit(box)
        self.notes.setObjectName("detailNotes")
        self.notes.setPlaceholderText("完成情况：做了什么、取得什么成效（离开输入框即保存）")
        self.notes.setMinimumHeight(90)
        self.notes.setTabChangesFocus(True)  # Tab leaves the box (and saves), as in every other field
        self.notes.focusLost.connect(self._flush_notes)
        form.addRow(label("status"), self.status)
        form.addRow(label("progress"), self.progress)
        form.addRow(label("completed_on"), self.completed)
        form.addRow(label("planned"), self.time_label)
        form.addRow("", self.manual)
        form.addRow(label("planned_start"), self.plan_start)
        form.addRow(label("planned_end"), self.plan_end)
        form.addRow(label("completion_notes"), self.notes)
        layout.addWidget(box)

        log_box = QGroupBox("进展记录", body)
        log_layout = QVBoxLayout(log_box)
        self.log = QListWidget(log_box)
        self.log.setWordWrap(True)
        self.log.setMinimumHeight(90)
        add_row = QHBoxLayout()
        self.log_date = DateEdit(log_box)
        self.log_date.setCalendarPopup(True)
        self.log_date.setDisplayFormat("yyyy-MM-dd")
        self.log_date.setDate(to_qdate(session.today()))
        self.log_text = QLineEdit(log_box)
        self.log_text.setPlaceholderText("记录一条进展，回车添加")
        self.log_text.returnPressed.connect(self.add_log_entry)
        self.add_log = QPushButton("添加", log_box)
        self.add_log.clicked.connect(self.add_log_entry)
        add_row.addWidget(self.log_date)
        add_row.addWidget(self.add_log)
        log_layout.addWidget(self.log)
        log_layout.addWidget(self.log_text)
        log_layout.addLayout(add_row)
        layout.addWidget(log_box)

        files_box = QGroupBox("佐证材料（照片、视频、文件）", body)
        files_layout = QVBoxLayout(files_box)
        self.evidence = EvidenceList(session, thumbnails=True, parent=files_box)
        self.files = self.evidence.list
        files_layout.addWidget(self.evidence)
        layout.addWidget(files_box)
        self.history_button = QPushButton("修改记录…", body)
        self.history_button.clicked.connect(self.show_history)
        layout.addWidget(self.history_button)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; the area scrolls to them
        layout.addStretch()
        self.wheel_guard = guard_wheel(body)  # the wheel scrolls the panel, not the field under it
        session.activityChanged.connect(self._on_changed)
        self.set_activity(None)

    def tab_order(self) -> list[QWidget]:
        """The fields in reading order (the log's text box sits above its date and button)."""
        return [
            self.status,
            self.progress,
            self.completed,
            self.manual,
            self.plan_start,
            self.plan_end,
            self.notes,
            self.log,
            self.log_text,
            self.log_date,
            self.add_log,
            self.files,
            *self.evidence.buttons(),
            self.history_button,
        ]

    # ---- loading
    def set_plan_year(self, year: int | None) -> None:
        """Tell the panel the plan's year (for periods without a year)."""
        self.plan_year = year or self.session.today().year

    def set_activity(self, activity: Activity | None) -> None:
        """Show an activity (or nothing)."""
        if self.activity is not None and (activity is None or activity.id != self.activity.id):
            self._flush_notes()  # typed notes of the activity being left are saved first
        self.activity = activity
        self._loading = True
        enabled = activity is not None and not self.session.readonly
        self.body.setEnabled(activity is not None)
        for widget in (self.status, self.progress, self.completed, self.notes, self.manual, self.log_text):
            widget.setEnabled(enabled)
        self.status.clear()
        self.status.addItems(self.session.settings().all_statuses)
        if activity is None:
            self.title.setText("（未选择活动）")
            self.notes.clear()
            self.log.clear()
            self.evidence.set_owner(None, None)
            self.time_label.clear()
            self._loading = False
            return
        # The activity's own plan gives the year (the panel may be told of a plan switch after the
        # table has already made one of the new plan's rows current).
        with contextlib.suppress(KeyError):
            self.plan_year = (
                store.plan_year_of(self.session.db, activity.id or 0) or self.session.today().year
            )
        self.title.setText(f"第 {activity.position} 项　{activity.name}")
        self.status.setCurrentText(activity.status)
        self.progress.setValue(activity.progress)
        self.completed.setDate(to_qdate(activity.completed_on))
        parsed = parse_timeframe(activity.time_text, self.plan_year)
        self.time_label.setText(
            f"{label('time_text')}“{activity.time_text or '（空）'}”→ {format_timeframe(parsed)}"
        )
        manual = activity.planned_start is not None or activity.planned_end is not None
        self.manual.setChecked(manual)
        self.plan_start.setDate(
            to_qdate(activity.planned_start if manual else parsed.start if parsed else None)
        )
        self.plan_end.setDate(to_qdate(activity.planned_end if manual else parsed.end if parsed else None))
        self.plan_start.setEnabled(manual and enabled)
        self.plan_end.setEnabled(manual and enabled)
        if self.notes.toPlainText() != activity.completion_notes:
            self.notes.setPlainText(activity.completion_notes)
        self.log_date.setDate(to_qdate(self.session.today()))
        self._fill_log()
        self.evidence.set_owner(activity.plan_id, activity.id)
        self._loading = False

    def _fill_log(self) -> None:
        self.log.clear()
        if self.activity is None:
            return
        for entry in store.list_progress_entries(self.session.db, self.activity.id or 0):
            day = entry.entry_date.isoformat() if entry.entry_date else ""
            self.log.addItem(f"{day}　{entry.text}（{entry.author}）")

    def _on_changed(self, activity_id: int) -> None:
        if self.activity is not None and self.activity.id == activity_id:
            try:
                self.set_activity(store.get_activity(self.session.db, activity_id))
            except KeyError:
                self.set_activity(None)

    # ---- edits
    def _commit(self, values: dict[str, Any]) -> None:
        if self._loading or self._committing or self.activity is None or self.session.readonly:
            return
        try:
            a = store.get_activity(
                self.session.db, self.activity.id or 0
            )  # the stored values, never a stale copy
        except KeyError:
            return
        self._committing = True
        try:
            self._push(a, values)
        finally:
            self._committing = False

    def _push(self, a: Activity, values: dict[str, Any]) -> None:
        try:
            changed = prepare_edit(
                self.session.db, a, values, plan_year=self.plan_year, today=self.session.today()
            )
        except ValidationError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            self.set_activity(a)
            return
        if changed:
            labels = "、".join(label(k) for k in changed)
            self.session.undo_stack.push(
                EditActivityFields(self.session, a.id or 0, changed, f"修改第 {a.position} 项的{labels}")
            )

    def _manual_toggled(self, on: bool) -> None:
        self.plan_start.setEnabled(on and not self.session.readonly)
        self.plan_end.setEnabled(on and not self.session.readonly)
        if not on:
            self._commit({"planned_start": None, "planned_end": None})
        else:
            self._commit_planned()

    def _commit_planned(self) -> None:
        if not self.manual.isChecked():
            return
        start, end = from_qdate(self.plan_start.date()), from_qdate(self.plan_end.date())
        if start and end and end < start:
            QMessageBox.warning(self, "计划时间", "结束日期不能早于开始日期。")
            return
        if start or end:
            self._commit({"planned_start": start, "planned_end": end})

    def _flush_notes(self) -> None:
        if self.activity is not None and self.notes.toPlainText() != self.activity.completion_notes:
            self._commit({"completion_notes": self.notes.toPlainText()})

    def add_log_entry(self) -> None:
        """Append the typed progress entry."""
        text = self.log_text.text().strip()
        if not text or self.activity is None or self.session.readonly:
            return
        day = from_qdate(self.log_date.date()) or self.session.today()
        self.session.undo_stack.push(AddProgressEntry(self.session, self.activity.id or 0, text, day))
        self.log_text.clear()

    def add_attachments(self, paths: list[str] | None = None) -> None:
        """Attach files to the current activity (see EvidenceList)."""
        self.evidence.add_files(paths)

    def remove_attachment(self) -> None:
        """Remove the chosen attachment after asking."""
        self.evidence.remove_selected()

    def show_history(self) -> None:
        """Show the change history of this activity."""
        if self.activity is None:
            return
        from ui.history_dialog import HistoryDialog

        HistoryDialog(
            self.session, activity_id=self.activity.id, title=self.activity.name, parent=self
        ).exec()
