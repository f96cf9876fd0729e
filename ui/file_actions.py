"""The 文件 menu's work: other databases, import with preview, export, print preview, backups, settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSettings, SignalInstance
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from models.records import Plan
from services.importing import ImportPreview
from ui.recent import recent_databases
from ui.session import Session
from ui.workers import BackgroundTask


class FileHost(Protocol):
    """What the 文件 menu needs of the window it belongs to."""

    session: Session
    settings: QSettings
    recent_menu: QMenu
    openRequested: SignalInstance

    def current_plan(self) -> Plan | None: ...
    def ensure_writable(self) -> bool: ...
    def reload_plans(self) -> None: ...
    def select_plan(self, plan_id: int) -> None: ...


class FileActions(QObject):
    """Opens the dialogs of the 文件 menu for one main window; it holds no data of its own."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window: Any = window  # a FileHost (the main window)
        self._task: BackgroundTask[ImportPreview] | None = None

    @property
    def host(self) -> FileHost:
        """The window, as the 文件 menu sees it."""
        return self.window  # type: ignore[no-any-return]

    @property
    def session(self) -> Session:
        """The window's open database."""
        return self.host.session

    # ---- databases
    def choose_database(self) -> None:
        """Pick another database file (or name a new one) to open."""
        start = str(self.session.path.parent) if self.session.path else ""
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "打开或新建数据库",
            start,
            "台账数据库 (*.db);;所有文件 (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.window.openRequested.emit(path)

    def fill_recent(self) -> None:
        """Fill the 最近打开 menu."""
        menu = self.window.recent_menu
        menu.clear()
        recent = [p for p in recent_databases(self.window.settings) if p != str(self.session.path)]
        for path in recent:
            action = menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.window.openRequested.emit(p))
        if not recent:
            menu.addAction("（无）").setEnabled(False)

    # ---- out
    def export(self, fmt: str) -> None:
        """Export the current plan to Excel or PDF."""
        plan = self.window.current_plan()
        if plan is not None:
            from ui.export_dialog import ExportDialog

            ExportDialog(self.session, plan, fmt, self.window, self.window.settings).exec()

    def print_preview(self) -> None:
        """Show the print preview of the current plan."""
        plan = self.window.current_plan()
        if plan is not None:
            from ui.print_preview import PrintPreviewDialog

            PrintPreviewDialog(self.session, plan, self.window, self.window.settings).exec()

    # ---- in
    def import_file(self, path: str | None = None) -> None:
        """Import a spreadsheet or a plan text, with a preview first."""
        if not self.host.ensure_writable():
            return
        if not path:
            folder = str(self.window.settings.value("import/folder", str(Path.home())))
            path, _ = QFileDialog.getOpenFileName(
                self.window,
                "导入",
                folder,
                "可导入的文件 (*.xlsx *.txt *.docx *.pdf);;Excel 工作簿 (*.xlsx);;"
                "方案文本 (*.txt *.docx *.pdf)",
            )
            if not path:
                return
            self.window.settings.setValue("import/folder", str(Path(path).parent))
        self._run_preview(Path(path), None, Path(path).name)

    def import_pasted(self) -> None:
        """Turn pasted notice text into a proposed plan."""
        if not self.host.ensure_writable():
            return
        from ui.import_dialog import PasteTextDialog

        dialog = PasteTextDialog(self.window)
        if dialog.exec() and dialog.text.toPlainText().strip():
            self._run_preview(None, dialog.text.toPlainText(), "粘贴的文本")

    def _run_preview(self, path: Path | None, text: str | None, name: str) -> None:
        from ui.import_dialog import preview_job
        from ui.workers import error_text

        job = preview_job(self.session.path, path, text, None)
        task = BackgroundTask(job, label=f"正在读取 {name}…", parent=self.window)
        task.on_done(lambda preview: self.show_preview(preview, name))
        task.on_error(lambda e: QMessageBox.warning(self.window, "无法导入", error_text(e)))
        self._task = task.start()

    def show_preview(self, preview: ImportPreview, name: str) -> None:
        """Show the preview; a returned progress report may update its plan or become a new one."""
        from models import store
        from ui.import_dialog import ImportPreviewDialog

        if preview.kind == "progress" and preview.report_plan_id is not None:
            title = store.get_plan(self.session.db, preview.report_plan_id).title
            answer = QMessageBox.question(
                self.window,
                "导入进展情况表",
                f"“{name}”是本程序导出的进展情况表，对应方案“{title}”。\n\n"
                "是：更新该方案中对应活动的状态、进度和完成情况（先预览变化）。\n否：作为一个新方案导入。",
                QMessageBox.StandardButton.Yes
                | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.No:
                preview.kind, preview.changes = "table", []
        dialog = ImportPreviewDialog(self.session, preview, name, self.window)
        if dialog.exec() and dialog.created_plan_id is not None:
            self.host.reload_plans()
            self.host.select_plan(dialog.created_plan_id)

    # ---- safety and preferences
    def backups(self) -> None:
        """Open 备份与恢复."""
        from ui.backup_dialog import BackupDialog

        BackupDialog(self.session, self.window).exec()

    def open_settings(self) -> None:
        """Open the settings dialog."""
        if self.host.ensure_writable():
            from ui.settings_dialog import SettingsDialog

            SettingsDialog(self.session, self.window).exec()
