"""导入…: a file or pasted plan text is parsed in the background and previewed; nothing is written before 确定."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from exports.scan import ScanResult
from models import store
from models.errors import BackupError, TaizhangError
from models.labels import label
from models.records import Activity
from models.textnorm import join_units, split_units
from services.importing import ImportPreview, apply_preview
from ui.folders import fit_to_screen
from ui.scan_view import ScanPanel
from ui.session import Session
from ui.workers import Progress

FIELDS = tuple(
    (key, label(key))
    for key in ("name", "content", "time_text", "location", "lead_units", "coop_units", "remarks")
)
UNSURE = QColor("#fff3cd")
NEW_UNIT = QColor("#e3f2fd")


class PasteTextDialog(QDialog):
    """粘贴通知文本: a big box for text copied from a web page or a document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("粘贴通知文本")
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)  # pasted tabs stay; the Tab key moves to the buttons
        self.text.setPlaceholderText("把方案通知的全文（含附件的活动安排表）粘贴到这里，然后点“识别”。")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("识别")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 600)


class ImportPreviewDialog(QDialog):
    """Shows what would be created (or changed); the clerk can fix or drop rows before 确定."""

    def __init__(
        self, session: Session, preview: ImportPreview, source_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.preview = preview
        self.created_plan_id: int | None = None
        self.scan_panel: ScanPanel | None = None
        self.known = {u.name for u in store.list_units(session.db)}
        self.setWindowTitle(f"导入预览 — {source_name}")
        layout = QVBoxLayout(self)
        info = QLabel(self)
        info.setWordWrap(True)
        layout.addWidget(info)
        if preview.kind == "progress":
            info.setText(
                f"这是本程序导出的进展情况表，将更新方案中对应活动的进展，共 {len(preview.changes)} 处变化："
            )
            self.table = self._changes_table()
            layout.addWidget(self.table, 1)
        else:
            self.title = QLineEdit(preview.plan.title, self)
            row = QHBoxLayout()
            row.addWidget(QLabel("新方案标题", self))
            row.addWidget(self.title, 1)
            layout.addLayout(row)
            columns = (
                "、".join(f"{label(k)}←“{v}”" for k, v in preview.columns.items()) if preview.columns else ""
            )
            info.setText(
                f"识别到 {len(preview.activities)} 项活动。黄色为识别把握不大的字段，蓝色为名录中没有的新单位"
                f"（确定后加入名录）。可直接修改单元格；选中行后按 Delete 删除该行。"
                + (f"<br>识别的列：{columns}" if columns else "")
            )
            self.table = self._activities_table()
            main: QWidget = self.table
            if preview.sources:
                self.source = QPlainTextEdit(self)
                self.source.setReadOnly(True)
                self.source.setTabChangesFocus(True)
                self.source.setPlaceholderText("选中一行，这里显示它在原文中的文字。")
                splitter = QSplitter(Qt.Orientation.Vertical, self)
                splitter.addWidget(self.table)
                splitter.addWidget(self.source)
                splitter.setSizes([420, 160])
                main = splitter
                self.table.currentCellChanged.connect(self._show_source)
            scan = getattr(preview.document, "scan", None)
            if isinstance(scan, ScanResult) and scan.pages:
                # a scan: the page beside the table; a cell clicked is framed where it was read
                self.scan_panel = ScanPanel(scan, self)
                info.setText(
                    info.text() + "<br>右侧为扫描原件：点击左侧单元格，原件上框出它的位置；"
                    "黄色底的字识别把握不大，请对照原件修改后再确定。"
                )
                beside = QSplitter(Qt.Orientation.Horizontal, self)
                beside.addWidget(main)
                beside.addWidget(self.scan_panel)
                beside.setStretchFactor(0, 3)
                beside.setStretchFactor(1, 2)
                main = beside
                self.table.currentCellChanged.connect(self._show_on_page)
            layout.addWidget(main, 1)
            if self.table.rowCount():
                self.table.setCurrentCell(0, 0)
        if preview.warnings:
            warnings = QListWidget(self)
            warnings.addItems(preview.warnings)
            warnings.setMaximumHeight(80)
            layout.addWidget(QLabel("提示：", self))
            layout.addWidget(warnings)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定导入")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(preview.changes) if preview.kind == "progress" else bool(preview.activities)
        )
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(fit_to_screen(QSize(1200, 760)))  # its buttons stay on a 768-high screen

    def _activities_table(self) -> QTableWidget:
        table = QTableWidget(len(self.preview.activities), len(FIELDS), self)
        table.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move in the table
        table.setObjectName("importPreviewTable")
        table.setHorizontalHeaderLabels([label for _, label in FIELDS])
        table.setWordWrap(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, a in enumerate(self.preview.activities):
            unsure = self.preview.unsure[row] if row < len(self.preview.unsure) else set()
            doubtful = self.preview.doubtful[row] if row < len(self.preview.doubtful) else {}
            for col, (key, _label) in enumerate(FIELDS):
                value = getattr(a, key)
                text = join_units(value) if isinstance(value, list) else str(value)
                item = QTableWidgetItem(text)
                if key in unsure:
                    item.setBackground(QBrush(UNSURE))
                    chars = doubtful.get(key)
                    item.setToolTip(
                        f"文字识别把握不大的字：{'、'.join(chars)}，请对照原件核对"
                        if chars
                        else "识别把握不大，请核对"
                    )
                elif isinstance(value, list) and any(n not in self.known for n in value):
                    item.setBackground(QBrush(NEW_UNIT))
                    item.setToolTip("新单位：" + "、".join(n for n in value if n not in self.known))
                table.setItem(row, col, item)
        for col, width in enumerate((220, 360, 90, 90, 130, 160, 100)):
            table.setColumnWidth(col, width)
        table.resizeRowsToContents()
        return table

    def _changes_table(self) -> QTableWidget:
        changes = self.preview.changes
        table = QTableWidget(len(changes), 4, self)
        table.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move in the table
        table.setHorizontalHeaderLabels(["活动", "字段", "原值", "新值"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, c in enumerate(changes):
            for col, text in enumerate(
                (
                    f"{c.position}. {c.name}",
                    label(c.field),
                    "" if c.old is None else str(c.old),
                    "" if c.new is None else str(c.new),
                )
            ):
                table.setItem(row, col, QTableWidgetItem(text))
        table.setColumnWidth(0, 320)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _show_on_page(self, row: int, column: int, *_args: int) -> None:
        item = self.table.item(row, column) if row >= 0 and column >= 0 else None
        if self.scan_panel is not None and item is not None:
            self.scan_panel.show_text(item.text())

    def _show_source(self, row: int, *_args: int) -> None:
        if 0 <= row < len(self.preview.sources):
            self.source.setPlainText(self.preview.sources[row])

    def keyPressEvent(self, event: object) -> None:
        """Delete drops the selected rows of a new plan."""
        key = getattr(event, "key", lambda: None)()
        if (
            self.preview.kind != "progress"
            and key == Qt.Key.Key_Delete
            and self.table.state() != QAbstractItemView.State.EditingState
        ):
            for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
                self.table.removeRow(row)
                del self.preview.activities[row]
                if row < len(self.preview.sources):
                    del self.preview.sources[row]
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def edited_activities(self) -> list[Activity]:
        """Return the activities as the clerk left them in the table."""
        result = []
        for row in range(self.table.rowCount()):
            texts: dict[str, str] = {}
            for col, (key, _label) in enumerate(FIELDS):
                item = self.table.item(row, col)
                texts[key] = item.text() if item else ""
            if texts["name"].strip():
                result.append(
                    Activity(
                        name=texts["name"],
                        content=texts["content"],
                        time_text=texts["time_text"],
                        location=texts["location"],
                        lead_units=split_units(texts["lead_units"]),
                        coop_units=split_units(texts["coop_units"]),
                        remarks=texts["remarks"],
                    )
                )
        return result

    def go_on_without_backup(self, problem: BackupError) -> bool:
        """Ask the clerk whether to import although the backup before it failed (the backup policy)."""
        answer = QMessageBox.question(self, "导入", f"{problem}\n仍然继续导入吗？")
        return answer == QMessageBox.StandardButton.Yes

    def apply(self) -> None:
        """Write the import in one transaction (after a backup)."""
        if self.session.readonly:
            QMessageBox.information(self, "只读", "此数据库以只读方式打开，不能导入。")
            return
        if self.preview.kind != "progress":
            self.preview.activities = self.edited_activities()
            self.preview.plan.title = self.title.text().strip() or self.preview.plan.title
            if not self.preview.activities:
                QMessageBox.warning(self, "导入", "没有可导入的活动（活动名称不能为空）。")
                return
        try:
            outcome = apply_preview(
                self.session.db,
                self.preview,
                backup_of=self.session.path,
                on_backup_failure=self.go_on_without_backup,
            )
        except BackupError:  # the backup failed and the clerk chose not to go on: nothing was written
            return
        except TaizhangError as exc:  # one transaction: nothing was written; tell the clerk why
            QMessageBox.warning(self, "导入失败", f"{exc}\n数据库未改变。")
            return
        if self.preview.kind == "progress":
            self.session.undo_stack.clear()  # many activities changed at once; the history keeps each change
        else:
            from ui.undo import CreatePlan

            # written above (after the backup); the command keeps the new plan for undo and redo
            self.session.undo_stack.push(
                CreatePlan(self.session, lambda: outcome.plan_id, f"导入“{self.preview.plan.title}”")
            )
        self.created_plan_id = outcome.plan_id
        self.session.plansChanged.emit()
        self.session.unitsChanged.emit()
        self.session.activitiesReset.emit(outcome.plan_id)
        self.session.message.emit(outcome.message)
        self.accept()


def preview_job(
    db_path: Path | None,
    path: Path | None,
    text: str | None,
    update_plan: int | None,
) -> Callable[[Progress], ImportPreview]:
    """Return background work that parses a file or text with its own connection (read only)."""
    from ui.workers import preload

    preload(
        "services.importing",
        "exports.xlsx_import",
        "exports.plan_sources",
        "models.plan_text",
        "openpyxl",
        "docx",
        "pypdf",
    )

    def job(progress: Progress) -> ImportPreview:
        from models.db import open_database
        from services.importing import preview_path, preview_text

        db = open_database(db_path, readonly=db_path is not None, check=False)
        try:
            if text is not None:
                return preview_text(db, text)
            assert path is not None
            return preview_path(db, path, update_plan=update_plan, detect_report=True)
        finally:
            db.close()

    return job
