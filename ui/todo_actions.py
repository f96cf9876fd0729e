"""Fewer steps, wired into a MainWindow from outside: `install(window)` adds the 待办 view (shown first when
something is due) and the status-bar reminder, batch actions and status shortcuts on the table, evidence
drop and paste on the table and the detail panel, the quick-log box in the detail panel, 报送材料, and
完成情况 from the log when an activity is marked 已完成 anywhere.

The window needs: `session`, `table` (an ActivityTablePanel), `select_plan(plan_id)`, `statusBar()`; it
may have `detail`, `side_tabs`, `menu_file`, `menu_edit`, `current_plan_id()` and a "mainToolBar".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QStyle,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

from models import store
from models.records import STATUS_DONE, Activity
from services.quick_log import completion_from_log
from services.todo import TodoList
from ui.activity_model import RecordRole
from ui.batch_actions import BatchActions
from ui.evidence_drop import EvidenceDrop
from ui.quick_log_box import QuickLogBox
from ui.session import Session
from ui.todo_panel import TodoPanel
from ui.undo import EditActivityFields


class TodoWiring(QObject):
    """Everything install() adds to one window, kept together (the window holds it as `todo_wiring`)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        win: Any = window  # a MainWindow; typed loosely so that only what is used is required
        self.window: Any = win
        self.session: Session = win.session
        table: Any = win.table
        self.todo = TodoPanel(self.session, window)
        self.todo.setObjectName("todoPanel")
        self.tabs: QTabWidget | None = getattr(window, "side_tabs", None)
        self.dock: QDockWidget | None = None
        if self.tabs is not None:
            self.tabs.insertTab(0, self.todo, "待办")
        else:
            self.dock = QDockWidget("待办", window)
            self.dock.setObjectName("todoDock")
            self.dock.setWidget(self.todo)
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.todo.activityRequested.connect(self.open_activity)
        self.todo.planRequested.connect(self.open_plan)
        self.reminder = QToolButton(window)
        self.reminder.setObjectName("todoReminder")
        self.reminder.setAutoRaise(True)
        self.reminder.setToolTip("点击查看待办")
        self.reminder.clicked.connect(self.show_todo)
        window.statusBar().addPermanentWidget(self.reminder)
        self.todo.changed.connect(self._update_reminder)

        self.batch = BatchActions(self.session, table.view, window)
        self.drop = EvidenceDrop(self.session, window)
        self.drop.watch(table.view.viewport(), self._row_at)
        self.drop.watch(table.view, self._row_at_view)
        self.detail: Any = getattr(window, "detail", None)
        if self.detail is not None:
            for widget in self._drop_widgets(self.detail):
                self.drop.watch(widget, lambda _pos: self._detail_activity(), paste=widget is self.detail)
        self.quick = QuickLogBox(self.session, window)
        self._place_quick_log()
        table.currentActivityChanged.connect(self.quick.set_activity)
        self.quick.set_activity(table.current_activity())

        self.drop.copyStarted.connect(self._after_drop)
        self.report_action = QAction("报送材料…", window)
        self.report_action.setIcon(window.style().standardIcon(QStyle.StandardPixmap.SP_DirOpenIcon))
        self.report_action.setObjectName("reportPackage")
        self.report_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.report_action.setToolTip("一次生成完成情况总结、进展情况表、活动安排表和佐证材料压缩包")
        self.report_action.triggered.connect(self.report)
        self._add_menus()
        self.session.undo_stack.indexChanged.connect(self._maybe_prefill)
        self.prefilled: set[int] = set()

        todo = self.todo.refresh()
        if todo.has_due:
            self.show_todo()
        reminder = todo.reminder()
        if reminder:
            window.statusBar().showMessage(reminder, 15000)

    # ---- composition
    def _drop_widgets(self, detail: QWidget) -> list[QWidget]:
        """The detail panel, its viewport and every child that takes drops itself (text boxes would
        otherwise paste a dropped file's address as text)."""
        widgets: list[QWidget] = [detail]
        viewport = getattr(detail, "viewport", None)
        if callable(viewport):
            widgets.append(viewport())
        for child in detail.findChildren(QWidget):
            if child.acceptDrops() and child not in widgets:
                widgets.append(child)
        return widgets

    def _place_quick_log(self) -> None:
        """Into the detail panel if it offers a place (a `place_quick_log` hook, else its body's box layout
        under the title), otherwise a dock of its own."""
        detail = self.detail
        if detail is not None and callable(getattr(detail, "place_quick_log", None)):
            detail.place_quick_log(self.quick)
            return
        body = getattr(detail, "body", None) if detail is not None else None
        layout = body.layout() if isinstance(body, QWidget) else None
        if isinstance(layout, QBoxLayout):
            self.quick.setParent(body)
            layout.insertWidget(1, self.quick)
            return
        dock = QDockWidget("快速记录", self.window)
        dock.setObjectName("quickLogDock")
        dock.setWidget(self.quick)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)

    def _add_menus(self) -> None:
        menu_edit = getattr(self.window, "menu_edit", None)
        if menu_edit is not None:
            menu_edit.addSeparator()
            menu_edit.addMenu(self.batch.menu(self.window))
        menu_file = getattr(self.window, "menu_file", None)
        if menu_file is not None:
            actions = menu_file.actions()
            # after the export actions, before 打印预览 when it is there
            before = next((a for a in actions if a.text().startswith("打印预览")), None)
            if before is not None:
                menu_file.insertAction(before, self.report_action)
            else:
                menu_file.addAction(self.report_action)
        else:
            self.window.addAction(self.report_action)
        toolbar = self.window.findChild(QToolBar, "mainToolBar")
        if toolbar is not None:
            toolbar.addAction(self.report_action)

    # ---- the to-do
    def _update_reminder(self, todo: TodoList) -> None:
        text = todo.reminder()
        self.reminder.setText(f"待办：{text}" if text else "")
        self.reminder.setVisible(bool(text))
        if self.tabs is not None:
            index = self.tabs.indexOf(self.todo)
            due = len(todo.overdue) + len(todo.this_week)
            self.tabs.setTabText(index, f"待办（{due}）" if due else "待办")

    def show_todo(self) -> None:
        """Bring the 待办 view to the front."""
        if self.tabs is not None:
            self.tabs.setCurrentWidget(self.todo)
        elif self.dock is not None:
            self.dock.show()
            self.dock.raise_()

    def open_plan(self, plan_id: int) -> None:
        """Show a plan (from a report deadline)."""
        self.window.select_plan(plan_id)

    def open_activity(self, plan_id: int, activity_id: int) -> None:
        """Show a plan, make its activity current (clearing filters that hide it) and show its details."""
        self.window.select_plan(plan_id)
        table = self.window.table
        if table.model.plan_id != plan_id:
            return
        row = table.model.row_of(activity_id)
        if row is not None and not table.proxy.mapFromSource(table.model.index(row, 0)).isValid():
            table.search.clear()
            for combo in (table.status_filter, table.unit_filter):
                combo.setCurrentIndex(0)
            table.overdue_only.setChecked(False)
        table.select_activity(activity_id)
        if self.tabs is not None and self.detail is not None:
            self.tabs.setCurrentWidget(self.detail)
        table.view.setFocus()

    # ---- drop targets
    def _row_at(self, pos: QPoint | None) -> Activity | None:
        view = self.window.table.view
        index = view.indexAt(pos) if pos is not None else view.currentIndex()
        if not index.isValid():
            return None if pos is not None else self.window.table.current_activity()
        record = index.siblingAtColumn(0).data(RecordRole)
        return record if isinstance(record, Activity) else None

    def _after_drop(self, activity_id: int, _count: int) -> None:
        """Show where the files went, and put the cursor in the quick-log box: say what the photos show."""
        table = self.window.table
        current = table.current_activity()
        if current is None or current.id != activity_id:
            table.select_activity(activity_id)
        if self.tabs is not None and self.detail is not None:
            self.tabs.setCurrentWidget(self.detail)  # the 待办 view may be in front: show the activity
        self.quick.line.setFocus(Qt.FocusReason.OtherFocusReason)

    def _row_at_view(self, pos: QPoint | None) -> Activity | None:
        # the view itself only sees Ctrl+V (drops land on its viewport): the current row
        return self._row_at(None)

    def _detail_activity(self) -> Activity | None:
        activity = getattr(self.detail, "activity", None)
        return activity if isinstance(activity, Activity) else None

    # ---- 完成情况 from the log, whichever way an activity was marked 已完成
    def _maybe_prefill(self, index: int) -> None:
        stack = self.session.undo_stack
        if not isValid(stack) or not isValid(self):  # the window is being torn down
            return
        if index != stack.count() or index == 0 or self.session.readonly:
            return  # an undo or a redo: only a new edit fills in
        command = stack.command(index - 1)
        if isinstance(command, EditActivityFields) and command.values.get("status") == STATUS_DONE:
            QTimer.singleShot(0, lambda: self._prefill(command.activity_id))

    def _prefill(self, activity_id: int) -> None:
        if activity_id in self.prefilled:
            return
        try:
            activity = store.get_activity(self.session.db, activity_id)
        except KeyError:
            return
        if activity.status != STATUS_DONE or activity.completion_notes.strip():
            return
        text = completion_from_log(store.list_progress_entries(self.session.db, activity_id))
        if not text:
            return
        self.prefilled.add(activity_id)
        self.session.undo_stack.push(
            EditActivityFields(
                self.session,
                activity_id,
                {"completion_notes": text},
                f"第 {activity.position} 项：根据进展记录填写完成情况",
            )
        )
        self.session.message.emit("已根据进展记录填写完成情况，可直接修改（Ctrl+Z 撤销）。")

    # ---- 报送材料
    def report(self) -> None:
        """Open the 报送材料 dialog on the plan shown."""
        current = getattr(self.window, "current_plan_id", None)
        plan_id = current() if callable(current) else self.window.table.model.plan_id
        if plan_id is None:
            QMessageBox.information(self.window, "报送材料", "请先选择一个方案。")
            return
        from ui.report_dialog import ReportDialog

        settings = getattr(self.window, "settings", None)
        dialog = ReportDialog(
            self.session, int(plan_id), self.window, settings if isinstance(settings, QSettings) else None
        )
        dialog.activityRequested.connect(self.open_activity)
        self.dialog = dialog
        dialog.exec()


def install(window: QMainWindow) -> TodoWiring:
    """Wire the to-do, batch updates, evidence drop, quick entry and 报送材料 into a MainWindow (once)."""
    existing = getattr(window, "todo_wiring", None)
    if isinstance(existing, TodoWiring):
        return existing
    wiring = TodoWiring(window)
    window.todo_wiring = wiring  # type: ignore[attr-defined]  # kept alive with the window
    return wiring


def wiring_of(window: QMainWindow) -> TodoWiring:
    """The wiring a window made for itself (MainWindow calls install() at the end of its __init__)."""
    wiring = getattr(window, "todo_wiring", None)
    if not isinstance(wiring, TodoWiring):
        raise LookupError(
            "this window has no 待办 / 批量修改 / 报送材料 wiring: install(window) was not called"
        )
    return wiring
