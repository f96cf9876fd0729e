"""The main window: composes the plan list, the activity table and the side panels, and wires actions."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import repository as repo
from models.records import Plan
from ui.plan_dialog import PlanDialog
from ui.plan_list import PlanIdRole, PlanListModel
from ui.session import Session
from ui.table_panel import ActivityTablePanel
from ui.undo import DeletePlan, EditPlan

APP_TITLE = "活动台账"
MAX_RECENT = 8


def recent_databases(settings: QSettings) -> list[str]:
    """Return the recently opened database files, newest first."""
    value = settings.value("recent", [])
    items = [value] if isinstance(value, str) else list(value or [])
    return [str(v) for v in items if v]


def remember_database(settings: QSettings, path: str) -> None:
    """Put a database first in the recent list."""
    items = [path] + [p for p in recent_databases(settings) if p != path]
    settings.setValue("recent", items[:MAX_RECENT])


class MainWindow(QMainWindow):
    """The Taizhang main window over one open database."""

    openRequested = Signal(str)  # another database file chosen by the clerk (the application opens it)

    def __init__(self, session: Session, settings: QSettings | None = None, *, remember: bool = True) -> None:
        super().__init__()
        self.remember = remember  # False: the default layout, nothing read from or written to QSettings
        self.session = session
        self.settings = settings or QSettings()
        self.plans = PlanListModel(session, self)
        self.plan_view = QListView(self)
        self.plan_view.setObjectName("planList")
        self.plan_view.setModel(self.plans)
        self.plan_view.setWordWrap(True)
        self.plan_view.setSpacing(2)
        self.plan_view.setAlternatingRowColors(True)
        self.plan_view.selectionModel().currentRowChanged.connect(lambda *_: self._plan_chosen())
        self.plan_view.doubleClicked.connect(lambda *_: self.edit_plan())
        self.table = ActivityTablePanel(session, self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.plan_view)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        for text, tip, slot in (("新建", "新建方案", self.new_plan), ("属性", "方案属性", self.edit_plan),
                                ("复制", "复制为下一年度方案", self.duplicate_plan),
                                ("删除", "删除方案", self.delete_plan)):
            button = QToolButton(left)
            button.setText(text)
            button.setToolTip(tip)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        left_layout.addLayout(buttons)
        left.setMinimumWidth(160)

        self.side = self._build_side()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.table)
        if self.side is not None:
            self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([170, 1040, 290][: self.splitter.count()])
        self.setCentralWidget(self.splitter)
        self._build_actions()
        session.plansChanged.connect(self._reload_plans)
        session.settingsChanged.connect(self.table.model.refresh_lights)
        session.settingsChanged.connect(lambda: self.overview.refresh())
        session.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.resize(1500, 860)
        if remember:
            self._restore()
        self._update_title()
        if self.plans.rowCount():
            self.select_plan(int(self.plans.rows[0].plan.id or 0))
        self.table.model.modelReset.connect(self._select_first_row)
        self._select_first_row()
        if session.readonly:
            QTimer.singleShot(0, self._show_readonly)

    # ---- composition hooks (side panels live in their own modules)
    def _build_side(self) -> QWidget | None:
        from PySide6.QtWidgets import QTabWidget

        from ui.detail_panel import ActivityDetailPanel
        from ui.overview_panel import OverviewPanel

        self.detail = ActivityDetailPanel(self.session, self)
        self.overview = OverviewPanel(self.session, self)
        tabs = QTabWidget(self)
        tabs.setObjectName("sideTabs")
        tabs.addTab(self.detail, "活动详情")
        tabs.addTab(self.overview, "方案概况")
        self.side_tabs = tabs
        self.table.currentActivityChanged.connect(self.detail.set_activity)
        return tabs

    def _build_actions(self) -> None:
        menu_file = self.menuBar().addMenu("文件(&F)")
        menu_edit = self.menuBar().addMenu("编辑(&E)")
        menu_plan = self.menuBar().addMenu("方案(&P)")
        self.menu_help = self.menuBar().addMenu("帮助(&H)")
        self.menu_file, self.menu_edit, self.menu_plan = menu_file, menu_edit, menu_plan

        def act(menu: object, text: str, slot: object, shortcut: object = None) -> QAction:
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)  # type: ignore[arg-type]
            action.triggered.connect(slot)  # type: ignore[arg-type]
            menu.addAction(action)  # type: ignore[attr-defined]
            return action

        act(menu_file, "新建方案…", self.new_plan, QKeySequence.StandardKey.New)
        act(menu_file, "打开数据库…", self.choose_database)
        self.recent_menu = menu_file.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu_file.addSeparator()
        act(menu_file, "导入…", self.import_file, QKeySequence.StandardKey.Open)
        act(menu_file, "粘贴通知文本…", self.import_pasted, QKeySequence("Ctrl+Shift+V"))
        menu_file.addSeparator()
        act(menu_file, "导出Excel…", lambda: self.export("xlsx"), QKeySequence("Ctrl+E"))
        act(menu_file, "导出PDF…", lambda: self.export("pdf"), QKeySequence("Ctrl+Shift+E"))
        act(menu_file, "打印预览…", self.print_preview, QKeySequence.StandardKey.Print)
        menu_file.addSeparator()
        act(menu_file, "备份与恢复…", self.backups)
        act(menu_file, "设置…", self.open_settings)
        menu_file.addSeparator()
        act(menu_file, "退出", self.close, QKeySequence.StandardKey.Quit)

        undo = self.session.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.session.undo_stack.createRedoAction(self, "重做")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        menu_edit.addAction(undo)
        menu_edit.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        menu_edit.addSeparator()
        act(menu_edit, "添加活动", lambda: self.table.add_activity(), QKeySequence("Ctrl+N"))
        act(menu_edit, "在当前行前插入活动", lambda: self.table.add_activity(before_current=True),
            QKeySequence("Ctrl+I"))
        act(menu_edit, "删除活动…", lambda: self.table.delete_selected(), QKeySequence("Ctrl+Delete"))
        act(menu_edit, "上移", lambda: self.table.move_current(-1), QKeySequence("Ctrl+Up"))
        act(menu_edit, "下移", lambda: self.table.move_current(1), QKeySequence("Ctrl+Down"))
        menu_edit.addSeparator()
        act(menu_edit, "查找", self._focus_search, QKeySequence.StandardKey.Find)
        # Ctrl+N belongs to "new activity" (the daily action); a new plan is Ctrl+Shift+N.
        menu_file.actions()[0].setShortcut(QKeySequence("Ctrl+Shift+N"))

        act(menu_plan, "方案属性…", self.edit_plan)
        act(menu_plan, "复制为下一年度方案", self.duplicate_plan)
        act(menu_plan, "删除方案…", self.delete_plan)
        act(menu_plan, "方案修改记录…", self.plan_history)
        menu_plan.addSeparator()
        act(menu_plan, "单位名录…", self.manage_units)
        act(self.menu_help, "关于活动台账", self.about)

    # ---- state
    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(geometry)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray | bytes) and splitter:
            self.splitter.restoreState(splitter)
        self.table.restore_state(self.settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember geometry and column widths; data is already saved."""
        if not self.remember:
            event.accept()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.table.save_state(self.settings)
        event.accept()

    def _select_first_row(self) -> None:
        """Keep a current row, so that the detail panel shows something useful."""
        if self.table.current_activity() is None and self.table.proxy.rowCount():
            first = self.table.proxy.mapToSource(self.table.proxy.index(0, 0)).row()
            self.table.select_activity(self.table.model.activity(first).id or 0)

    def _update_title(self) -> None:
        name = self.session.path.name if self.session.path else "（内存）"
        suffix = "（只读）" if self.session.readonly else ""
        self.setWindowTitle(f"{name}{suffix} — {APP_TITLE}")

    def _show_readonly(self) -> None:
        QMessageBox.information(self, "只读方式打开", self.session.readonly_reason or "此数据库以只读方式打开。")

    def _focus_search(self) -> None:
        self.table.search.setFocus()
        self.table.search.selectAll()

    # ---- plans
    def current_plan_id(self) -> int | None:
        """Return the id of the plan shown."""
        index = self.plan_view.currentIndex()
        return int(index.data(PlanIdRole)) if index.isValid() else None

    def current_plan(self) -> Plan | None:
        """Return the plan shown."""
        plan_id = self.current_plan_id()
        return repo.get_plan(self.session.db, plan_id) if plan_id is not None else None

    def select_plan(self, plan_id: int) -> None:
        """Show a plan."""
        row = self.plans.row_of(plan_id)
        if row is not None:
            self.plan_view.setCurrentIndex(self.plans.index(row))

    def _plan_chosen(self) -> None:
        plan_id = self.current_plan_id()
        if plan_id != self.table.model.plan_id:
            self.table.model.set_plan(plan_id)
            self.plan_changed(plan_id)

    def plan_changed(self, plan_id: int | None) -> None:
        """Tell the side panels which plan is shown."""
        self.detail.set_plan_year(self.table.model.plan_year)
        self.overview.set_plan(plan_id)

    def _reload_plans(self) -> None:
        current = self.current_plan_id()
        self.plans.reload()
        if current is not None and self.plans.row_of(current) is not None:
            self.select_plan(current)
        elif self.plans.rowCount():
            self.select_plan(int(self.plans.rows[0].plan.id or 0))
        else:
            self.table.model.set_plan(None)
            self.plan_changed(None)
        self.table.model.reload()

    def _writable(self) -> bool:
        if self.session.readonly:
            QMessageBox.information(self, "只读", "此数据库以只读方式打开，不能修改。")
            return False
        return True

    def new_plan(self) -> None:
        """Create a plan from the properties dialog."""
        if not self._writable():
            return
        dialog = PlanDialog(Plan(year=self.session.today().year), self, title="新建方案")
        if dialog.exec():
            try:
                plan = repo.create_plan(self.session.db, Plan(**dialog.values()))
            except repo.ValidationError as exc:
                QMessageBox.warning(self, "新建方案", str(exc))
                return
            self.session.undo_stack.clear()  # an undo across plans would surprise; history keeps the trace
            self._reload_plans()
            self.select_plan(int(plan.id or 0))

    def edit_plan(self) -> None:
        """Edit the current plan's properties (undoable)."""
        plan = self.current_plan()
        if plan is None or not self._writable():
            return
        dialog = PlanDialog(plan, self)
        if dialog.exec():
            values = dialog.values()
            changed = {k: v for k, v in values.items() if v != getattr(plan, k)}
            if changed:
                try:
                    self.session.undo_stack.push(EditPlan(self.session, int(plan.id or 0), changed))
                except repo.ValidationError as exc:
                    QMessageBox.warning(self, "方案属性", str(exc))

    def duplicate_plan(self) -> None:
        """Copy the current plan to next year's plan (activities copied, progress cleared)."""
        plan = self.current_plan()
        if plan is None or not self._writable():
            return
        answer = QMessageBox.question(
            self, "复制方案",
            f"将“{plan.title}”复制为下一年度的方案？\n所有活动一并复制，状态、进度和完成情况清空。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        copy = repo.duplicate_plan(self.session.db, int(plan.id or 0), next_year=True)
        self._reload_plans()
        self.select_plan(int(copy.id or 0))
        self.statusBar().showMessage(f"已复制为“{copy.title}”", 8000)

    def delete_plan(self) -> None:
        """Delete the current plan after asking (undoable)."""
        plan = self.current_plan()
        if plan is None or not self._writable():
            return
        count = self.table.model.rowCount()
        answer = QMessageBox.warning(
            self, "删除方案", f"确定删除方案“{plan.title}”及其 {count} 项活动？\n删除后可用“撤销”恢复。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.before_bulk_change("delete")
            self.session.undo_stack.push(DeletePlan(self.session, int(plan.id or 0), plan.title))

    def before_bulk_change(self, kind: str) -> None:
        """Make a backup before a bulk change (delete of a plan, import)."""
        if self.session.path is None:
            return
        from models.backup import BackupError, make_backup

        try:
            make_backup(self.session.db, self.session.path, kind)
        except BackupError as exc:
            self.statusBar().showMessage(str(exc), 8000)

    def detach(self) -> None:
        """Let go of the database before it is closed: save typed notes, empty every view."""
        self.detail.set_activity(None)
        self.table.model.set_plan(None)
        self.overview.set_plan(None)
        self.plans.beginResetModel()
        self.plans.rows = []
        self.plans.endResetModel()
        self.session.undo_stack.clear()

    # ---- databases
    def choose_database(self) -> None:
        """Pick another database file (or a new one) to open."""
        from PySide6.QtWidgets import QFileDialog

        start = str(self.session.path.parent) if self.session.path else ""
        path, _ = QFileDialog.getSaveFileName(
            self, "打开或新建数据库", start, "台账数据库 (*.db);;所有文件 (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.openRequested.emit(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in recent_databases(self.settings) if p != str(self.session.path)]
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.openRequested.emit(p))
        if not recent:
            self.recent_menu.addAction("（无）").setEnabled(False)

    # ---- files in and out (each dialog lives in its own module)
    def export(self, fmt: str) -> None:
        """Export the current plan to Excel or PDF."""
        plan = self.current_plan()
        if plan is None:
            return
        from ui.export_dialog import ExportDialog

        ExportDialog(self.session, plan, fmt, self, self.settings).exec()

    def print_preview(self) -> None:
        """Show the print preview of the current plan."""
        plan = self.current_plan()
        if plan is None:
            return
        from ui.print_preview import PrintPreviewDialog

        PrintPreviewDialog(self.session, plan, self, self.settings).exec()

    def import_file(self, path: str | None = None) -> None:
        """Import a spreadsheet or a plan text, with a preview first."""
        if not self._writable():
            return
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        if not path:
            folder = str(self.settings.value("import/folder", str(Path.home())))
            path, _ = QFileDialog.getOpenFileName(
                self, "导入", folder, "可导入的文件 (*.xlsx *.txt *.docx *.pdf);;Excel 工作簿 (*.xlsx);;"
                "方案文本 (*.txt *.docx *.pdf)",
            )
            if not path:
                return
            self.settings.setValue("import/folder", str(Path(path).parent))
        self._run_preview(Path(path), None, Path(path).name)

    def import_pasted(self) -> None:
        """Turn pasted notice text into a proposed plan."""
        if not self._writable():
            return
        from ui.import_dialog import PasteTextDialog

        dialog = PasteTextDialog(self)
        if dialog.exec() and dialog.text.toPlainText().strip():
            self._run_preview(None, dialog.text.toPlainText(), "粘贴的文本")

    def _run_preview(self, path: object, text: str | None, name: str) -> None:
        from ui.import_dialog import ImportPreviewDialog, preview_job
        from ui.workers import BackgroundTask, error_text

        job = preview_job(self.session.path, path, text, None)  # type: ignore[arg-type]
        task = BackgroundTask(job, label=f"正在读取 {name}…", parent=self)  # type: ignore[arg-type]

        def show(preview: object) -> None:
            dialog = ImportPreviewDialog(self.session, preview, name, self)  # type: ignore[arg-type]
            if dialog.exec() and dialog.created_plan_id is not None:
                self._reload_plans()
                self.select_plan(dialog.created_plan_id)

        task.finished.connect(show)
        task.failed.connect(lambda e: QMessageBox.warning(self, "无法导入", error_text(e)))
        self._task = task.start()

    def backups(self) -> None:
        """Open 备份与恢复."""
        from ui.backup_dialog import BackupDialog

        BackupDialog(self.session, self).exec()

    def open_settings(self) -> None:
        """Open the settings dialog."""
        if not self._writable():
            return
        from ui.settings_dialog import SettingsDialog

        SettingsDialog(self.session, self).exec()

    def plan_history(self) -> None:
        """Show every recorded change of the current plan."""
        plan = self.current_plan()
        if plan is not None:
            from ui.history_dialog import HistoryDialog

            HistoryDialog(self.session, plan_id=plan.id, title=plan.title, parent=self).exec()

    def manage_units(self) -> None:
        """Open the unit directory."""
        from ui.units_dialog import UnitDirectoryDialog

        UnitDirectoryDialog(self.session, self).exec()

    def about(self) -> None:
        """Show the version."""
        from main import __version__

        QMessageBox.about(
            self, "关于活动台账",
            f"<h3>活动台账 {__version__}</h3><p>市场监管部门活动安排表（工作台账）的编制、跟踪、打印与报送工具。</p>"
            "<p>数据保存在本机的一个 SQLite 文件中，每次修改立即保存；不联网。</p>",
        )
