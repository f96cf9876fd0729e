"""Cell editors of the activity table: long text, units, status, progress, dates, planned period."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QWidget,
)

from models import store
from models.textnorm import join_units, split_units
from ui.activity_model import COLUMNS
from ui.session import Session

Index = QModelIndex | QPersistentModelIndex
NO_DATE = QDate(2000, 1, 1)


def to_qdate(value: dt.date | None) -> QDate:
    """Convert a date (or None) for a QDateEdit whose minimum means 'no date'."""
    return QDate(value.year, value.month, value.day) if value else NO_DATE


def from_qdate(value: QDate) -> dt.date | None:
    """Convert back; the minimum date means 'no date'."""
    if not value.isValid() or value == NO_DATE:
        return None
    return dt.date(value.year(), value.month(), value.day())


class DateEdit(QDateEdit):
    """A date box that Tab always leaves (a QDateEdit showing its special text, such as “（未完成）”,
    otherwise keeps Tab for moving between year, month and day, trapping the keyboard; the arrow
    keys still move between them)."""

    def focusNextPrevChild(self, next: bool) -> bool:
        """Move the focus to the next or previous widget."""
        return QWidget.focusNextPrevChild(self, next)


def _tab_direction(event: QEvent) -> bool | None:
    """True for Tab, False for Shift+Tab, None for any other event (Ctrl+Tab included)."""
    if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
        return None
    if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
        return None
    if event.key() == Qt.Key.Key_Backtab or (
        event.key() == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
    ):
        return False
    return True if event.key() == Qt.Key.Key_Tab else None


class LongTextEditor(QPlainTextEdit):
    """A multi-line editor larger than its cell. As in Excel and WPS, Enter (or Ctrl+Enter, or leaving
    it) commits and Alt+Enter starts a new line (Shift+Enter too); Esc cancels; Tab / Shift+Tab save
    and go on to the next / previous cell, as in the other editors."""

    commit = Signal()
    tabbed = Signal(bool)  # True: Tab, False: Shift+Tab

    def event(self, event: QEvent) -> bool:
        """Take Tab before the text box would move the focus (or type it)."""
        forward = _tab_direction(event)
        if forward is not None:
            self.tabbed.emit(forward)
            return True
        return super().event(event)

    def keyPressEvent(self, event: Any) -> None:
        """Enter commits; Alt+Enter or Shift+Enter adds a line break."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier):
                self.insertPlainText("\n")
            else:
                self.commit.emit()
            return
        super().keyPressEvent(event)


class UnitsEditor(QWidget):
    """Unit names separated by 、 with completion from the directory, plus a picker button.

    Tab / Shift+Tab in the text save and go on to the next / previous cell (the picker is reached with
    the mouse or Alt+Down)."""

    tabbed = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("多个单位用“、”分隔")

        names = [u.name for u in store.list_units(session.db, active_only=True)]
        self.names = names
        completer = QCompleter(names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setWidget(self.line)
        completer.activated.connect(self._complete)
        self.completer = completer
        self.line.textEdited.connect(self._on_edit)
        self.button = QToolButton(self)
        self.button.setText("…")
        self.button.setToolTip("从单位名录中选择")
        self.button.clicked.connect(self._pick)
        layout.addWidget(self.line)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.line.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tab in the text: the delegate saves and moves on; Alt+Down opens the picker."""
        if watched is self.line:
            forward = _tab_direction(event)
            popup = self.completer.popup()
            if forward is not None and not (popup is not None and popup.isVisible()):
                self.tabbed.emit(forward)
                return True
            if (
                isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down
                and event.modifiers() & Qt.KeyboardModifier.AltModifier
            ):
                self._pick()
                return True
        return super().eventFilter(watched, event)

    def _current_word(self) -> str:
        return re.split(r"[、，,；;]", self.line.text()[: self.line.cursorPosition()])[-1]

    def popup_width(self) -> int:
        """The completion list's width: the longest directory name whole (within 480 px), never less
        than the cell."""
        metrics = self.line.fontMetrics()
        widest = max((metrics.horizontalAdvance(n) for n in self.names), default=0)
        return max(self.line.width(), min(480, widest + 48))

    def _on_edit(self, _text: str) -> None:
        word = self._current_word().strip()
        if word:
            self.completer.setCompletionPrefix(word)
            rect = self.line.rect()
            rect.setWidth(self.popup_width())
            self.completer.complete(rect)

    def _complete(self, name: str) -> None:
        text = self.line.text()
        pos = self.line.cursorPosition()
        head = text[:pos]
        cut = max(head.rfind(sep) for sep in "、，,；;") + 1
        self.line.setText(head[:cut] + name + text[pos:])
        self.line.setCursorPosition(cut + len(name))

    def _pick(self) -> None:
        from ui.units_dialog import UnitPickerDialog

        dialog = UnitPickerDialog(self.session, self.units(), self)
        if dialog.exec():
            self.set_units(dialog.selected())

    def units(self) -> list[str]:
        """Return the names typed or picked, in order."""
        return split_units(self.line.text())

    def unknown_units(self) -> list[str]:
        """Return the names typed that are not in the unit directory (a half-typed name, a new unit)."""
        return [n for n in self.units() if store.find_unit(self.session.db, n) is None]

    def set_units(self, names: list[str]) -> None:
        """Show names joined with 、."""
        self.line.setText(join_units(names))


class ActivityDelegate(QStyledItemDelegate):
    """Chooses the editor by column; long text gets a larger editor than its cell."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """Return the editor for the column of `index`."""
        column = COLUMNS[index.column()]
        if column.multiline:
            editor = LongTextEditor(parent)
            editor.commit.connect(lambda: self._commit_close(editor))
            editor.tabbed.connect(lambda forward: self._commit_close(editor, forward))
            return editor
        if column.key in ("lead_units", "coop_units"):
            units = UnitsEditor(self.session, parent)
            units.tabbed.connect(lambda forward: self._commit_close(units, forward))
            return units
        if column.key == "status":
            combo = QComboBox(parent)
            combo.addItems(self.session.settings().all_statuses)
            return combo
        if column.key == "progress":
            spin = QSpinBox(parent)
            spin.setRange(0, 100)
            spin.setSuffix("%")
            spin.setSingleStep(10)
            return spin
        if column.key == "completed_on":
            edit = DateEdit(parent)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText("（未完成）")
            return edit
        if column.key == "planned":
            line = QLineEdit(parent)
            line.setPlaceholderText("例如 2024-09-01 ~ 2024-09-30；清空则按活动时间自动识别")
            return line
        return super().createEditor(parent, option, index)

    def _commit_close(self, editor: QWidget, forward: bool | None = None) -> None:
        """Save the editor's value and close it; `forward` True/False: edit the next/previous cell."""
        hint = QAbstractItemDelegate.EndEditHint
        self.commitData.emit(editor)
        self.closeEditor.emit(
            editor,
            hint.NoHint if forward is None else hint.EditNextItem if forward else hint.EditPreviousItem,
        )

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        """Give long-text editors room: at least 380×180 pixels, kept inside the view."""
        if isinstance(editor, LongTextEditor):
            rect = QRect(option.rect)
            rect.setWidth(max(rect.width(), 380))
            rect.setHeight(max(rect.height(), 180))
            parent = editor.parentWidget()
            if parent is not None:
                area = parent.rect()
                if rect.right() > area.right():
                    rect.moveRight(area.right())
                if rect.bottom() > area.bottom():
                    rect.moveBottom(area.bottom())
            editor.setGeometry(rect)
            return
        if isinstance(editor, QLineEdit) and COLUMNS[index.column()].key == "planned":
            rect = QRect(option.rect)
            rect.setWidth(max(rect.width(), 260))
            editor.setGeometry(rect)
            return
        if isinstance(editor, QComboBox | QSpinBox | QDateEdit):
            # a narrow 状态 or 进度 column must not clip its editor to “未开”: it is as wide as it needs
            rect = QRect(option.rect)
            rect.setWidth(max(rect.width(), editor.sizeHint().width()))
            rect.setHeight(max(rect.height(), editor.sizeHint().height()))
            parent = editor.parentWidget()
            if parent is not None and rect.right() > parent.rect().right():
                rect.moveRight(parent.rect().right())
            editor.setGeometry(rect)
            return
        super().updateEditorGeometry(editor, option, index)

    def _resolve_units(
        self, model: QAbstractItemModel, index: QPersistentModelIndex, names: list[str], unknown: list[str]
    ) -> None:
        """Store typed units once the clerk has said what the names outside the directory are."""
        if not index.isValid():
            return
        similar = {n: similar_units(self.session, n) for n in unknown}
        parent = self.parent()
        choice = ask_unknown_units(parent if isinstance(parent, QWidget) else None, unknown, similar)
        if choice == UNKNOWN_ADD:
            model.setData(index, names)
        elif choice == UNKNOWN_DROP:
            model.setData(index, [n for n in names if n not in unknown])

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Fill the editor from the model's EditRole value."""
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, LongTextEditor):
            editor.setPlainText(str(value or ""))
            editor.moveCursor(editor.textCursor().MoveOperation.End)
        elif isinstance(editor, UnitsEditor):
            editor.set_units(list(value or []))
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(str(value))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
        elif isinstance(editor, QDateEdit):
            editor.setDate(to_qdate(value) if value else to_qdate(self.session.today()))
        elif isinstance(editor, QLineEdit) and COLUMNS[index.column()].key == "planned":
            start, end, _parsed = value
            editor.setText(format_override(start, end))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Hand the editor's value to the model (which validates and pushes an undoable edit)."""
        if isinstance(editor, LongTextEditor):
            model.setData(index, editor.toPlainText())
        elif isinstance(editor, UnitsEditor):
            unknown = editor.unknown_units()
            if not unknown:
                model.setData(index, editor.units())
            else:  # asked once the editor has closed: a half-typed name never becomes a unit unasked
                names, target = editor.units(), QPersistentModelIndex(index)
                QTimer.singleShot(0, lambda: self._resolve_units(model, target, names, unknown))
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
        elif isinstance(editor, QSpinBox):
            model.setData(index, editor.value())
        elif isinstance(editor, QDateEdit):
            model.setData(index, from_qdate(editor.date()))
        elif isinstance(editor, QLineEdit) and COLUMNS[index.column()].key == "planned":
            parsed = parse_override(editor.text())
            if parsed is None:
                self.session.message.emit("计划时间格式应为 2024-09-01 ~ 2024-09-30，未修改。")
                return
            model.setData(index, parsed)
        else:
            super().setModelData(editor, model, index)


UNKNOWN_ADD, UNKNOWN_DROP, UNKNOWN_CANCEL = "add", "drop", "cancel"


def similar_units(session: Session, name: str) -> list[str]:
    """Directory names that contain a typed name or are contained in it (the likely intended ones)."""
    key = name.casefold()
    return [
        u.name
        for u in store.list_units(session.db, active_only=True)
        if key in u.name.casefold() or u.name.casefold() in key
    ][:6]


def ask_unknown_units(parent: QWidget | None, unknown: list[str], similar: dict[str, list[str]]) -> str:
    """Ask what to do with names not in the directory: add them as units, leave them out, or cancel."""
    lines = []
    for name in unknown:
        near = similar.get(name) or []
        lines.append(f"“{name}”" + (f"（名录中相近的有：{'、'.join(near)}）" if near else ""))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("单位不在名录中")
    box.setText("以下单位不在单位名录中：\n" + "\n".join(lines))
    box.setInformativeText("要把它们作为新单位加入名录吗？若是输入未完成，请选“不保存这些名称”后重新选择。")
    add = box.addButton("加入名录", QMessageBox.ButtonRole.AcceptRole)
    drop = box.addButton("不保存这些名称", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消修改", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(drop)
    box.exec()
    clicked = box.clickedButton()
    return UNKNOWN_ADD if clicked is add else UNKNOWN_DROP if clicked is drop else UNKNOWN_CANCEL


def format_override(start: dt.date | None, end: dt.date | None) -> str:
    """Show a hand-set planned period for editing."""
    if not start and not end:
        return ""
    return f"{start.isoformat() if start else ''} ~ {end.isoformat() if end else ''}".strip()


def parse_override(text: str) -> tuple[dt.date | None, dt.date | None] | None:
    """Parse "2024-09-01 ~ 2024-09-30" (either side may be empty); None if malformed."""
    text = text.strip()
    if not text:
        return (None, None)
    parts = re.split(r"\s*(?:~|～|至|到|—|--)\s*", text)
    if len(parts) == 1:
        parts = [parts[0], parts[0]]
    if len(parts) != 2:
        return None
    dates: list[dt.date | None] = []
    for part in parts:
        part = part.strip()
        if not part:
            dates.append(None)
            continue
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", part)
        if not m:
            return None
        try:
            dates.append(dt.date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            return None
    start, end = dates
    if start and end and end < start:
        return None
    return (start, end)
