"""备份与恢复: the list of backups with dates and counts, restore one, save a full copy elsewhere."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.backup import list_backups, make_backup
from models.errors import BackupError
from services import backups
from ui.folders import last_folder, remember_folder
from ui.session import Session
from ui.workers import BackgroundTask, error_text


class BackupDialog(QDialog):
    """Lists the automatic and manual backups next to the database."""

    HEADERS = ("时间", "类型", "方案数", "活动数", "文件")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.restored = False
        self.task: BackgroundTask[object] | None = None
        self.setWindowTitle("备份与恢复")
        self.resize(760, 460)
        self.table = QTableWidget(0, len(self.HEADERS), self)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move in the list
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QHBoxLayout()
        for text, slot in (
            ("立即备份", self.backup_now),
            ("恢复所选备份…", self.restore_selected),
            ("从文件恢复…", self.restore_file),
            ("保存完整副本…", self.save_copy),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        where = session.path.parent / "backups" if session.path else "（内存数据库没有备份）"
        layout.addWidget(
            QLabel(
                f"备份位置：{where}\n每天第一次打开时、升级前、导入前和删除方案前自动备份；"
                "恢复前会先备份当前数据。",
                self,
            )
        )
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.reload()

    def reject(self) -> None:
        """Close, except while a copy or restore is under way (its progress window offers 取消)."""
        if self.task is not None and self.task.running:
            return
        super().reject()

    def reload(self) -> None:
        """Refill the list."""
        self.backups = list_backups(self.session.path) if self.session.path else []
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            values = (
                info.when.strftime("%Y-%m-%d %H:%M:%S"),
                info.label,
                "损坏" if info.plans is None else str(info.plans),
                "" if info.activities is None else str(info.activities),
                info.path.name,
            )
            for col, text in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def backup_now(self) -> None:
        """Make a manual backup."""
        if self.session.path is None:
            return
        try:
            make_backup(self.session.db, self.session.path, "manual")
        except BackupError as exc:
            QMessageBox.warning(self, "备份", str(exc))
        self.reload()

    def restore_selected(self) -> None:
        """Restore the selected backup after asking."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._restore(self.backups[rows[0].row()].path)

    def restore_file(self) -> None:
        """Restore from a backup file or a full copy chosen on disk."""
        settings = QSettings()
        path, _ = QFileDialog.getOpenFileName(
            self, "从文件恢复", str(last_folder(settings)), "台账备份 (*.db *.zip)"
        )
        if path:
            remember_folder(settings, path)
            self._restore(Path(path))

    def _restore(self, path: Path) -> None:
        if self.session.path is None or self.session.readonly:
            QMessageBox.information(self, "恢复", "只读方式打开时不能恢复。")
            return
        answer = QMessageBox.warning(
            self,
            "恢复备份",
            f"用备份“{path.name}”替换当前全部数据？\n替换前会自动备份当前数据，可以再恢复回来。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db_path = self.session.path
        if not zipfile.is_zipfile(path):  # a database backup: nothing to unpack
            try:
                self._restore_from(backups.unpack(path, db_path))
            except BackupError as exc:
                QMessageBox.warning(self, "恢复失败", str(exc))
            return
        # A full copy's evidence files (possibly many photos and videos) are unpacked in the background
        # with progress; the database itself is then restored here, on its own thread.
        task: BackgroundTask[backups.RestoreSource] = BackgroundTask(
            lambda progress: backups.unpack(path, db_path, progress),
            label=f"正在读取 {path.name}…",
            parent=self,
        )
        task.on_done(self._restore_from)
        task.on_error(lambda e: QMessageBox.warning(self, "恢复失败", f"{error_text(e)}当前数据未改变。"))
        self.task = task.start()  # type: ignore[assignment]

    def _restore_from(self, source: backups.RestoreSource) -> None:
        assert self.session.path is not None
        try:
            backups.restore(self.session.db, self.session.path, source)
        except BackupError as exc:
            QMessageBox.warning(self, "恢复失败", str(exc))
            return
        self.restored = True
        self.session.undo_stack.clear()
        self.session.plansChanged.emit()
        self.session.directoryChanged.emit()
        self.session.unitsChanged.emit()
        self.session.settingsChanged.emit()  # the restored file has its own settings
        self.session.message.emit(f"已从 {source.chosen.name} 恢复。")
        self.reload()

    def save_copy(self) -> None:
        """Save database and evidence as one .zip somewhere else (a USB stick, a share)."""
        if self.session.path is None:
            return
        settings = QSettings()
        path, _ = QFileDialog.getSaveFileName(
            self,
            "保存完整副本",
            str(last_folder(settings) / f"{self.session.path.stem}-完整备份.zip"),
            "完整副本 (*.zip);;仅数据库 (*.db)",
        )
        if path:
            remember_folder(settings, path)
        if path:
            self.save_copy_to(Path(path))

    def save_copy_to(self, out: Path) -> None:
        """Write the full copy: the database snapshot here, the evidence files in the background."""
        assert self.session.path is not None
        try:
            snapshot = backups.start_copy(self.session.db, self.session.path)
        except BackupError as exc:
            QMessageBox.warning(self, "保存完整副本", str(exc))
            return
        db_path = self.session.path
        task: BackgroundTask[Path] = BackgroundTask(
            lambda progress: backups.finish_copy(snapshot, db_path, out, progress),
            label=f"正在保存 {out.name}…",
            parent=self,
        )
        task.on_done(self._copy_saved)
        task.on_error(lambda e: QMessageBox.warning(self, "保存完整副本", error_text(e)))
        self.task = task.start()  # type: ignore[assignment]

    def _copy_saved(self, out: Path) -> None:
        self.session.message.emit(f"完整副本已保存到 {out}")
        QMessageBox.information(self, "保存完整副本", f"已保存到 {out}")
