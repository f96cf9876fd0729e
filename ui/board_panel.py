"""汇总: who returned, who has not, who is late; the activity × office matrix; 催报 text to copy or save;
the consolidated report out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.labels import label
from services.exporting import make_request
from services.rollup import LATE, RETURNED, STATE_LABELS, Board, board, reminder_text
from ui.export_dialog import make_export_job
from ui.session import Session
from ui.workers import BackgroundTask, Progress, error_text

SortRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
STATE_COLOURS = {RETURNED: "#d4edda", LATE: "#f8d7da"}
CELL_COLOURS = {"已完成": "#d4edda", "进行中": "#fff3cd", "未报送": "#f8d7da", "已取消": "#e2e3e5"}


class OfficeTableModel(QAbstractTableModel):
    """One row per office: state, last return, filler, done/total, rate."""

    #: The columns, by the vocabulary's keys (the headers are its labels).
    KEYS = (
        "unit",
        "report_state",
        "received_at",
        "filled_by",
        "phone",
        "done_of_assigned",
        "completion_rate",
        "returns",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board: Board | None = None

    def set_board(self, b: Board) -> None:
        """Show a board."""
        self.beginResetModel()
        self.board = b
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Offices."""
        return 0 if parent.isValid() or self.board is None else len(self.board.offices)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Columns."""
        return 0 if parent.isValid() else len(self.KEYS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return label(self.KEYS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """An office's values."""
        if not index.isValid() or self.board is None:
            return None
        o = self.board.offices[index.row()]
        values = (
            o.name,
            STATE_LABELS[o.state],
            o.received_at.replace("T", " ")[:16],
            o.filled_by,
            o.phone,
            f"{o.done}/{o.total}",
            f"{o.rate * 100:.0f}%",
            str(o.returns),
        )
        raw = (o.name, o.state, o.received_at, o.filled_by, o.phone, o.done, o.rate, o.returns)
        if role == Qt.ItemDataRole.DisplayRole:
            return values[index.column()]
        if role == SortRole:
            return raw[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 1 and o.state in STATE_COLOURS:
            return QColor(STATE_COLOURS[o.state])
        return None


class MatrixModel(QAbstractTableModel):
    """Activities × offices: each cell the office's status and progress ("已完成 100%")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board: Board | None = None

    def set_board(self, b: Board) -> None:
        """Show a board."""
        self.beginResetModel()
        self.board = b
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Activities."""
        return 0 if parent.isValid() or self.board is None else len(self.board.activities)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """序号和名称, one column per office, and the combined 完成情况."""
        return 0 if parent.isValid() or self.board is None else len(self.board.offices) + 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Office names across; 序号 down."""
        if role != Qt.ItemDataRole.DisplayRole or self.board is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(self.board.activities[section].position)
        if section == 0:
            return label("name")
        if section == len(self.board.offices) + 1:
            return label("combined_notes")
        return self.board.offices[section - 1].name

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, colour and tooltip."""
        if not index.isValid() or self.board is None:
            return None
        b = self.board
        a = b.activities[index.row()]
        col = index.column()
        if col == 0:
            text = a.name
        elif col == len(b.offices) + 1:
            text = b.combined_notes(int(a.id or 0))
        else:
            text = b.cell_text(int(a.id or 0), b.offices[col - 1].office_id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.BackgroundRole and 0 < col <= len(b.offices):
            colour = next((c for s, c in CELL_COLOURS.items() if text.startswith(s)), None)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and 0 < col <= len(b.offices):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class BoardPanel(QWidget):
    """The board of one plan: offices, matrix, 催报."""

    def __init__(self, session: Session, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.plan_id = session, plan_id
        self.board: Board | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.offices = OfficeTableModel(self)
        self.office_view = QTableView(self)
        self.office_view.setModel(self.offices)
        self.office_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.matrix = MatrixModel(self)
        self.matrix_view = QTableView(self)
        self.matrix_view.setModel(self.matrix)
        self.matrix_view.setWordWrap(True)
        self.reminder = QPlainTextEdit(self)
        copy = QPushButton("复制催报通知", self)
        copy.clicked.connect(self.copy_reminder)
        save = QPushButton("保存为文本…", self)
        save.clicked.connect(self.save_reminder)
        reminder_box = QWidget(self)
        reminder_layout = QVBoxLayout(reminder_box)
        reminder_layout.addWidget(self.reminder)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addWidget(save)
        row.addStretch()
        reminder_layout.addLayout(row)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.office_view, "各单位")
        self.tabs.addTab(self.matrix_view, "活动×单位")
        self.tabs.addTab(reminder_box, "催报")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs)
        self.refresh()

    def refresh(self, today: dt.date | None = None) -> None:
        """Read the board again (quick: a few queries)."""
        b = board(self.session.db, self.plan_id, today or self.session.today())
        self.board = b
        self.offices.set_board(b)
        self.matrix.set_board(b)
        self.matrix_view.setColumnWidth(0, 220)
        for col in range(1, len(b.offices) + 1):
            self.matrix_view.setColumnWidth(col, 96)
        self.matrix_view.setColumnWidth(len(b.offices) + 1, 320)
        self.reminder.setPlainText(reminder_text(b))
        counts = {s: sum(1 for o in b.offices if o.state == s) for s in STATE_LABELS}
        total = sum(o.total for o in b.offices)
        done = sum(o.done for o in b.offices)
        deadline = f"报送截止：{b.deadline_text}。" if b.deadline_text else "未设报送截止。"
        self.summary.setText(
            f"{deadline}共 {len(b.offices)} 个单位："
            + "，".join(f"{STATE_LABELS[s]} {n}" for s, n in counts.items())
            + f"。各单位承担的活动共 {total} 项次，已完成 {done} 项次"
            + (f"（{done / total * 100:.0f}%）。" if total else "。")
        )

    def copy_reminder(self) -> None:
        """Put the 催报通知 on the clipboard."""
        QGuiApplication.clipboard().setText(self.reminder.toPlainText())
        self.session.message.emit("催报通知已复制。")

    def save_reminder(self) -> None:
        """Save the 催报通知 as a .txt file."""
        path, _ = QFileDialog.getSaveFileName(self, "保存催报通知", "催报通知.txt", "文本文件 (*.txt)")
        if path:
            try:
                Path(path).write_text(self.reminder.toPlainText(), encoding="utf-8")
            except OSError as exc:
                QMessageBox.warning(self, "保存", f"无法保存：{exc.strerror or exc}")


class BoardDialog(QDialog):
    """The board in a window of its own, with the consolidated report out."""

    def __init__(
        self, session: Session, plan_id: int, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings or QSettings()
        self.panel = BoardPanel(session, plan_id, self)
        self.setWindowTitle(f"各单位汇总 — {self.panel.board.plan.title if self.panel.board else ''}")
        self.resize(1100, 640)
        self.task: BackgroundTask[str] | None = None
        export = QPushButton("导出汇总表…", self)
        export.clicked.connect(self.export)
        refresh = QPushButton("刷新", self)
        refresh.clicked.connect(lambda: self.panel.refresh())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(export, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(refresh, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)

    def export(self, path: str | None = None) -> None:
        """Write the consolidated report (.xlsx or .pdf) in the background."""
        b = self.panel.board
        if b is None:
            return
        if not path:
            folder = str(self.settings.value("rollup/folder", str(Path.home())))
            name = f"{b.plan.title}-各单位进展汇总表.xlsx"
            path, _ = QFileDialog.getSaveFileName(
                self, "导出汇总表", str(Path(folder) / name), "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)"
            )
            if not path:
                return
        out = Path(path)
        if out.suffix.lower() not in (".xlsx", ".pdf"):
            out = out.with_suffix(".xlsx")
        session = self.panel.session
        request = make_request(out, "offices", session.settings())
        export_job = make_export_job(
            session, b.plan, request
        )  # the board read here, written in the background

        def job(progress: Progress) -> str:
            return export_job(progress).note

        task = BackgroundTask(job, label="正在导出汇总表…", parent=self)
        task.on_done(
            lambda note: self.panel.session.message.emit(f"已导出到 {out}" + (f"；{note}" if note else ""))
        )
        task.on_error(lambda e: QMessageBox.warning(self, "导出汇总表", error_text(e)))
        self.task = task.start()
