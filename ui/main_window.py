"""The main window: composes the plan list, the activity table and the side panels, and wires actions."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from models import store
from models.errors import ValidationError
from models.records import Plan
from models.rules import PLAN_ACTIVE, PLAN_ARCHIVED
from models.store.plans import get_plan_state
from models.version import __version__
from ui import rollup_actions, todo_actions
from ui.file_actions import FileActions
from ui.plan_dialog import PlanDialog
from ui.plan_list import PlanIdRole, PlanListModel
from ui.session import Session
from ui.table_panel import ActivityTablePanel
from ui.undo import CreatePlan, DeletePlan, EditPlan, SetPlanState

APP_TITLE = "活动台账"
#: The size a first start aims at; it is cut down to the screen's available area (taskbar excluded).
PREFERRED_SIZE = QSize(1500, 860)
#: A 1366×768 laptop's screen less a taskbar (the size pictures for the user guide are taken at).
LAPTOP_SIZE = QSize(1366, 728)


def default_size(available: QSize | None = None) -> QSize:
    """Return the window's first-start size: the preferred size, within the screen's available area."""
    if available is None:
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen is not None else PREFERRED_SIZE
    return QSize(
        min(PREFERRED_SIZE.width(), available.width()), min(PREFERRED_SIZE.height(), available.height())
    )


def splitter_sizes(width: int) -> list[int]:
    """Plan list, table and side panel widths for a window `width` pixels wide (the table gets the rest)."""
    # 1280 px: the side panel is as wide as its tabs (待办（12）), so the plan list gives way and 进度 stays
    # in sight
    plans = 126 if width < 1340 else 140 if width < 1440 else 170
    side = 240 if width < 1440 else 290
    return [plans, max(400, width - plans - side - 12), side]


class FixedTextAction(QAction):
    """Triggers another action and follows its enabled state and description, with a fixed text."""

    def __init__(self, source: QAction, text: str, parent: QWidget) -> None:
        super().__init__(source.icon(), text, parent)
        self.source = source
        source.changed.connect(self.follow)  # a bound slot: disconnected when this action goes
        self.triggered.connect(source.trigger)
        self.follow()

    def follow(self) -> None:
        """Copy the enabled state; the tooltip says what would be undone or redone."""
        if not (isValid(self) and isValid(self.source)):  # the window is being torn down
            return
        self.setEnabled(self.source.isEnabled())
        self.setToolTip(self.source.text())


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
        self.plan_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.plan_view.customContextMenuRequested.connect(
            lambda pos: self.menu_plan.exec(self.plan_view.viewport().mapToGlobal(pos))
        )
        self.table = ActivityTablePanel(session, self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.plan_view)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        self.plan_buttons: list[QToolButton] = []
        for text, tip, slot in (
            ("新建", "新建方案", self.new_plan),
            ("属性", "方案属性", self.edit_plan),
            ("复制", "复制为下一年度方案", self.duplicate_plan),
            ("删除", "删除方案", self.delete_plan),
        ):
            button = QToolButton(left)
            button.setText(text)
            button.setToolTip(tip)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.plan_buttons.append(button)
        left_layout.addLayout(buttons)
        left.setMinimumWidth(130)
        self.left = left

        self.side = self._build_side()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.table)
        if self.side is not None:
            self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(True)
        self.splitter.setCollapsible(1, False)  # the table never disappears
        self.splitter.splitterMoved.connect(lambda *_: self._sync_panel_actions())
        self.setCentralWidget(self.splitter)
        self.files = FileActions(self)
        self.statusBar().showMessage("就绪")  # made now: a status bar made on first message shifts the window
        self._build_actions()
        session.plansChanged.connect(self.reload_plans)
        session.settingsChanged.connect(self.table.model.refresh_lights)
        session.settingsChanged.connect(lambda: self.overview.refresh())
        session.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.restored = False  # True once a remembered size and place are back (`_restore`)
        self.resize(default_size())
        self.splitter.setSizes(splitter_sizes(self.width())[: self.splitter.count()])
        if remember:
            self._restore()
        self._sync_panel_actions()
        self._update_title()
        if self.plans.rowCount():
            self.select_plan(int(self.plans.rows[0].plan.id or 0))
        self.table.model.modelReset.connect(self._select_first_row)
        self._select_first_row()
        todo_actions.install(self)  # 待办, batch updates, evidence drop and paste, quick log, 报送材料
        rollup_actions.install(self)  # 报送 menu (下发, 回收, 催报 board) and returns dropped on the window
        self._set_tab_order()
        if session.readonly:
            QTimer.singleShot(0, self._show_readonly)

    def _set_tab_order(self) -> None:
        """Tab moves as the eye reads: plan list and its buttons, the filter bar, the table, then the side."""
        t = self.table
        order: list[QWidget] = [
            self.plan_view,
            *self.plan_buttons,
            t.search,
            t.status_filter,
            t.unit_filter,
            t.overdue_only,
            t.view,
        ]
        if self.side is not None:
            wiring = getattr(self, "todo_wiring", None)
            quick = [wiring.quick.line] if wiring is not None else []  # above the fields, under the title
            order += [self.side_tabs.tabBar(), *quick, *self.detail.tab_order()]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    # ---- composition hooks (side panels live in their own modules)
    def _build_side(self) -> QWidget | None:
        from PySide6.QtWidgets import QTabWidget

        from ui.detail_panel import ActivityDetailPanel
        from ui.overview_panel import OverviewPanel

        self.detail = ActivityDetailPanel(self.session, self)
        self.overview = OverviewPanel(self.session, self)
        tabs = QTabWidget(self)
        tabs.setObjectName("sideTabs")
        # Tab reaches the tab bar once: the tab widget itself hands focus on to its tab bar, which
        # would make it a second stop that Tab can never leave forward.
        tabs.setFocusProxy(None)  # type: ignore[arg-type]  # Qt accepts None: no proxy
        tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # every tab stays in sight and whole: the panel is at least as wide as its tabs (“待办（12）”
        # made 方案概况 scroll away behind arrows)
        tabs.setUsesScrollButtons(False)
        tabs.setElideMode(Qt.TextElideMode.ElideNone)
        tabs.addTab(self.detail, "活动详情")
        tabs.addTab(self.overview, "方案概况")
        self.side_tabs = tabs
        self.table.currentActivityChanged.connect(self.detail.set_activity)
        return tabs

    def _build_actions(self) -> None:
        menu_file = self.menuBar().addMenu("文件(&F)")
        menu_edit = self.menuBar().addMenu("编辑(&E)")
        menu_view = self.menuBar().addMenu("视图(&V)")
        menu_plan = self.menuBar().addMenu("方案(&P)")
        self.menu_help = self.menuBar().addMenu("帮助(&H)")
        self.menu_file, self.menu_edit, self.menu_plan = menu_file, menu_edit, menu_plan

        icon = self.style().standardIcon
        sp = QStyle.StandardPixmap

        def act(
            menu: QMenu,
            text: str,
            slot: Callable[[], object],
            shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
            pixmap: QStyle.StandardPixmap | None = None,
        ) -> QAction:
            action = QAction(text, self)
            if pixmap is not None:
                action.setIcon(icon(pixmap))
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            return action

        act(menu_file, "新建方案…", self.new_plan, QKeySequence.StandardKey.New)
        files = self.files
        act(menu_file, "打开数据库…", files.choose_database)
        self.recent_menu = menu_file.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(files.fill_recent)
        menu_file.addSeparator()
        import_action = act(
            menu_file, "导入…", files.import_file, QKeySequence.StandardKey.Open, sp.SP_DialogOpenButton
        )
        act(menu_file, "粘贴通知文本…", files.import_pasted, QKeySequence("Ctrl+Shift+V"))
        menu_file.addSeparator()
        export_action = act(
            menu_file,
            "导出Excel…",
            lambda: files.export("xlsx"),
            QKeySequence("Ctrl+E"),
            sp.SP_DialogSaveButton,
        )
        act(menu_file, "导出PDF…", lambda: files.export("pdf"), QKeySequence("Ctrl+Shift+E"))
        print_action = act(
            menu_file,
            "打印预览…",
            files.print_preview,
            QKeySequence.StandardKey.Print,
            sp.SP_FileDialogContentsView,
        )
        menu_file.addSeparator()
        act(menu_file, "备份与恢复…", files.backups)
        act(menu_file, "设置…", files.open_settings)
        menu_file.addSeparator()
        act(menu_file, "退出", self.close, QKeySequence.StandardKey.Quit)

        undo = self.session.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setIcon(icon(sp.SP_ArrowBack))
        redo = self.session.undo_stack.createRedoAction(self, "重做")
        redo.setIcon(icon(sp.SP_ArrowForward))
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        menu_edit.addAction(undo)
        menu_edit.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        # The toolbar's buttons keep a fixed text (the menu's say what would be undone): a button whose
        # text grows with each edit pushes every button after it along the toolbar.
        self.undo_button = self._fixed_twin(undo, "撤销")
        self.redo_button = self._fixed_twin(redo, "重做")
        menu_edit.addSeparator()
        add = act(
            menu_edit,
            "添加活动",
            lambda: self.table.add_activity(),
            QKeySequence("Ctrl+N"),
            sp.SP_FileDialogNewFolder,
        )
        act(
            menu_edit,
            "在当前行前插入活动",
            lambda: self.table.add_activity(before_current=True),
            QKeySequence("Ctrl+I"),
        )
        delete = act(
            menu_edit,
            "删除活动…",
            lambda: self.table.delete_selected(),
            QKeySequence("Ctrl+Delete"),
            sp.SP_TrashIcon,
        )
        up = act(
            menu_edit, "上移", lambda: self.table.move_current(-1), QKeySequence("Ctrl+Up"), sp.SP_ArrowUp
        )
        down = act(
            menu_edit, "下移", lambda: self.table.move_current(1), QKeySequence("Ctrl+Down"), sp.SP_ArrowDown
        )
        menu_edit.addSeparator()
        act(menu_edit, "查找", self._focus_search, QKeySequence.StandardKey.Find)
        # Ctrl+N belongs to "new activity" (the daily action); a new plan is Ctrl+Shift+N.
        menu_file.actions()[0].setShortcut(QKeySequence("Ctrl+Shift+N"))

        self.side_action = act(menu_view, "侧栏（活动详情、方案概况）", self.toggle_side, QKeySequence("F9"))
        self.side_action.setCheckable(True)
        self.side_action.setIconText("侧栏")  # the toolbar's short text; the menu says what it holds
        self.side_action.setToolTip("显示或收起右侧的活动详情和方案概况（F9）")
        self.plans_action = act(menu_view, "方案列表", self.toggle_plan_list, QKeySequence("F8"))
        self.plans_action.setCheckable(True)

        act(menu_plan, "方案属性…", self.edit_plan)
        self.archive_action = act(menu_plan, "归档方案", self.toggle_archived)
        menu_plan.aboutToShow.connect(self._update_archive_action)
        act(menu_plan, "复制为下一年度方案", self.duplicate_plan)
        act(menu_plan, "删除方案…", self.delete_plan)
        act(menu_plan, "方案修改记录…", self.plan_history)
        menu_plan.addSeparator()
        act(menu_plan, "单位名录…", self.manage_units)
        act(self.menu_help, "用户手册", self.open_manual, QKeySequence.StandardKey.HelpContents)
        act(self.menu_help, "关于活动台账", self.about)
        toolbar = self.addToolBar("常用")
        toolbar.setObjectName("mainToolBar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        for action in (
            add,
            delete,
            up,
            down,
            None,
            self.undo_button,
            self.redo_button,
            None,
            import_action,
            export_action,
            print_action,
        ):
            if action is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.side_action)
        self.side_action.setIcon(icon(sp.SP_TitleBarShadeButton))
        self.toolbar = toolbar

    def show_on_screen(self) -> None:
        """Show the window. A first start on a screen smaller than the preferred size shows it maximised:
        a window as large as the available area would still add its title bar and frame, and push its
        status bar under the taskbar (1366×768 with a 40 px taskbar)."""
        if not self.restored and default_size() != PREFERRED_SIZE:
            screen = self.screen().availableGeometry()
            # un-maximised later, it still fits: the frame of a Windows 10 window is about 16 × 40 px
            self.setGeometry(screen.adjusted(8, 32, -8, -8))
            self.showMaximized()
        else:
            self.show()

    def _fixed_twin(self, action: QAction, text: str) -> QAction:
        """A toolbar action with a fixed text that triggers `action` and follows its state."""
        return FixedTextAction(action, text, self)

    # ---- panels
    def _sync_panel_actions(self) -> None:
        sizes = self.splitter.sizes()
        self.plans_action.setChecked(sizes[0] > 0)
        if self.side is not None:
            self.side_action.setChecked(sizes[-1] > 0)

    def toggle_side(self) -> None:
        """Collapse the side panel (more room for the table) or bring it back."""
        self._toggle_panel(len(self.splitter.sizes()) - 1, 250)

    def toggle_plan_list(self) -> None:
        """Collapse the plan list or bring it back."""
        self._toggle_panel(0, 150)

    def _toggle_panel(self, which: int, width: int) -> None:
        sizes = self.splitter.sizes()
        if sizes[which] > 0:
            self._remembered = getattr(self, "_remembered", {})
            self._remembered[which] = sizes[which]
            sizes[1] += sizes[which]
            sizes[which] = 0
        else:
            wanted = getattr(self, "_remembered", {}).get(which, width)
            sizes[which] = wanted
            sizes[1] = max(300, sizes[1] - wanted)
        self.splitter.setSizes(sizes)
        self._sync_panel_actions()

    # ---- state
    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restored = self.restoreGeometry(geometry)
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
        QMessageBox.information(
            self, "只读方式打开", self.session.readonly_reason or "此数据库以只读方式打开。"
        )

    def _focus_search(self) -> None:
        self.table.search.setFocus()
        self.table.search.selectAll()

    # ---- plans
    def current_plan_id(self) -> int | None:
        """Return the id of the plan shown."""
        index = self.plan_view.currentIndex()
        value = index.data(PlanIdRole) if index.isValid() else None
        return int(value) if value is not None else None

    def current_plan(self) -> Plan | None:
        """Return the plan shown."""
        plan_id = self.current_plan_id()
        return store.get_plan(self.session.db, plan_id) if plan_id is not None else None

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

    def reload_plans(self) -> None:
        """Reload the plan list, keeping the current plan (or the first one) and its current activity."""
        current = self.current_plan_id()
        activity = self.table.current_activity()
        self.plans.reload()
        if current is not None and self.plans.row_of(current) is not None:
            self.select_plan(current)
        elif self.plans.rowCount():
            self.select_plan(int(self.plans.rows[0].plan.id or 0))
        else:
            self.table.model.set_plan(None)
            self.plan_changed(None)
        self.table.model.reload()
        if activity is not None and self.table.model.row_of(activity.id or 0) is not None:
            self.table.select_activity(activity.id or 0)

    def ensure_writable(self) -> bool:
        """Tell whether the database may be changed; if not, say so to the clerk."""
        if self.session.readonly:
            QMessageBox.information(self, "只读", "此数据库以只读方式打开，不能修改。")
            return False
        return True

    def new_plan(self) -> None:
        """Create a plan from the properties dialog."""
        if not self.ensure_writable():
            return
        dialog = PlanDialog(Plan(year=self.session.today().year), self, title="新建方案")
        if dialog.exec():
            plan = Plan(**dialog.values())
            command = CreatePlan(
                self.session, lambda: store.create_plan(self.session.db, plan).id, "新建方案"
            )
            try:
                self.session.undo_stack.push(command)
            except ValidationError as exc:
                QMessageBox.warning(self, "新建方案", str(exc))
                return
            self.select_plan(int(command.plan_id or 0))

    def edit_plan(self) -> None:
        """Edit the current plan's properties (undoable)."""
        plan = self.current_plan()
        if plan is None or not self.ensure_writable():
            return
        dialog = PlanDialog(plan, self)
        if dialog.exec():
            values = dialog.values()
            changed = {k: v for k, v in values.items() if v != getattr(plan, k)}
            if changed:
                try:
                    self.session.undo_stack.push(EditPlan(self.session, int(plan.id or 0), changed))
                except ValidationError as exc:
                    QMessageBox.warning(self, "方案属性", str(exc))

    def _update_archive_action(self) -> None:
        plan_id = self.current_plan_id()
        archived = plan_id is not None and get_plan_state(self.session.db, plan_id) == PLAN_ARCHIVED
        self.archive_action.setText("恢复为进行中" if archived else "归档方案")
        self.archive_action.setEnabled(plan_id is not None)

    def toggle_archived(self) -> None:
        """Archive the current plan (no lights, listed apart) or put it back in progress (undoable)."""
        plan = self.current_plan()
        if plan is None or not self.ensure_writable():
            return
        archived = get_plan_state(self.session.db, int(plan.id or 0)) == PLAN_ARCHIVED
        state = PLAN_ACTIVE if archived else PLAN_ARCHIVED
        self.session.undo_stack.push(SetPlanState(self.session, int(plan.id or 0), state, plan.title))
        self.select_plan(int(plan.id or 0))
        self.statusBar().showMessage(
            f"已恢复为进行中：{plan.title}" if archived else f"已归档（不再亮灯，可撤销）：{plan.title}",
            8000,
        )

    def duplicate_plan(self) -> None:
        """Copy the current plan to next year's plan (activities copied, progress cleared)."""
        plan = self.current_plan()
        if plan is None or not self.ensure_writable():
            return
        answer = QMessageBox.question(
            self,
            "复制方案",
            f"将“{plan.title}”复制为下一年度的方案？\n所有活动一并复制；标题、活动时间、报送截止和计划日期中的年份"
            "顺延一年；状态、进度和完成情况清空。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from services.plans import copy_plan

        command = CreatePlan(
            self.session,
            lambda: copy_plan(self.session.db, int(plan.id or 0), next_year=True).id,
            f"复制方案“{plan.title}”",
        )
        self.session.undo_stack.push(command)
        self.select_plan(int(command.plan_id or 0))
        copied = self.current_plan()
        self.statusBar().showMessage(
            f"已复制为下一年度方案（可撤销）：{copied.title if copied else ''}", 8000
        )

    def delete_plan(self) -> None:
        """Delete the current plan after asking (undoable)."""
        plan = self.current_plan()
        if plan is None or not self.ensure_writable():
            return
        count = self.table.model.rowCount()
        answer = QMessageBox.warning(
            self,
            "删除方案",
            f"确定删除方案“{plan.title}”及其 {count} 项活动？\n删除后可用“撤销”恢复。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.session.undo_stack.push(DeletePlan(self.session, int(plan.id or 0), plan.title))

    def detach(self) -> None:
        """Let go of the database before it is closed: save typed notes, empty every view."""
        self.detail.set_activity(None)
        self.table.model.set_plan(None)
        self.overview.set_plan(None)
        self.plans.beginResetModel()
        self.plans.rows = []
        self.plans.endResetModel()
        self.session.undo_stack.clear()

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

    def open_manual(self) -> None:
        """Show the user guide in a window of its own."""
        from ui.manual_dialog import ManualDialog, manual_path

        path = manual_path()
        if path is None:
            QMessageBox.information(self, "用户手册", "未找到用户手册文件（docs/用户手册.md）。")
            return
        try:
            self.manual = ManualDialog(path, self)
        except OSError as exc:
            QMessageBox.warning(self, "用户手册", f"无法读取用户手册：{exc.strerror or exc}")
            return
        self.manual.show()

    def about(self) -> None:
        """Show the version."""
        QMessageBox.about(
            self,
            "关于活动台账",
            f"<h3>活动台账 {__version__}</h3><p>市场监管部门活动安排表（工作台账）的编制、跟踪、打印与报送工具。</p>"
            "<p>数据保存在本机的一个 SQLite 文件中，每次修改立即保存；不联网。</p>",
        )
