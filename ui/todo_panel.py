"""The 待办 view: what is overdue, due this week and next, and the coming report deadlines, over every plan
in progress (services.todo). Double-click or Enter opens the activity (or, for a deadline, the plan)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from models.textnorm import join_units
from services.todo import GROUP_LABELS, OVERDUE, TodoList, short_title, todo_list
from ui.session import Session

TargetRole = Qt.ItemDataRole.UserRole + 1  # (plan id, activity id or None)
_COLOURS = {OVERDUE: "#d93025", "this_week": "#b06f00", "next_week": "#3b78e7", "deadline": "#6a3fb5"}


class TodoPanel(QWidget):
    """A tree of groups (逾期, 本周到期, 下周到期, 报送截止) and their items; refreshed as data changes."""

    activityRequested = Signal(int, int)  # plan id, activity id
    planRequested = Signal(int)  # plan id (a report deadline)
    changed = Signal(object)  # the new TodoList

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.todo = TodoList(session.today())
        self.summary = QLabel(self)
        self.summary.setObjectName("todoSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("todoTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["事项", "到期"])
        self.tree.setRootIsDecorated(True)
        # names wrap inside the side panel (a laptop leaves it ~230 px): never “第6项 组…”
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.sectionResized.connect(lambda *_: self._fit_rows())
        self.tree.itemActivated.connect(lambda item, _col: self.open_item(item))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(400)  # many edits in a row (a batch, an import) refresh once
        self._timer.timeout.connect(self.refresh)
        for signal in (session.activityChanged, session.activitiesReset):
            signal.connect(lambda *_: self._timer.start())
        for plain in (session.plansChanged, session.settingsChanged):
            plain.connect(self._timer.start)

    def refresh(self) -> TodoList:
        """Recompute the to-do over every plan and show it."""
        self._timer.stop()
        self.todo = todo_list(self.session.db, self.session.today())
        self._fill()
        self.changed.emit(self.todo)
        return self.todo

    def _group(self, title: str, count: int, colour: str) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self.tree, [f"{title}（{count}）", ""])
        font = QFont(group.font(0))
        font.setBold(True)
        group.setFont(0, font)
        group.setForeground(0, QBrush(QColor(colour)))
        group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        group.setFirstColumnSpanned(True)  # “下周到期（20）” over both columns, never cut
        return group

    def _fill(self) -> None:
        self.tree.clear()
        todo = self.todo
        self.summary.setText(todo.reminder() or "本周没有到期或逾期的事项。")
        plans = {i.plan_id for _kind, items in todo.groups() for i in items}
        for kind, items in todo.groups():
            group = self._group(GROUP_LABELS[kind], len(items), _COLOURS[kind])
            for i in items:
                text = f"第{i.position}项 {i.name}"
                if len(plans) > 1:  # which campaign, when several are due at once
                    text += f"\n{short_title(i.plan_title)}"
                child = QTreeWidgetItem(group, [text, f"{i.due:%m-%d}\n{i.when}"])
                child.setData(0, TargetRole, (i.plan_id, i.activity_id))
                child.setToolTip(
                    0,
                    f"{i.plan_title}\n第 {i.position} 项 {i.name}\n牵头：{join_units(list(i.lead_units)) or '未指定'}"
                    f"\n状态：{i.status}；计划完成 {i.due.isoformat()}（{i.when}）\n双击打开",
                )
                child.setForeground(1, QBrush(QColor(_COLOURS[kind])))
            group.setExpanded(kind != "next_week" or len(items) <= 10)
        deadlines = self._group("报送截止", len(todo.deadlines), _COLOURS["deadline"])
        for d in todo.deadlines:
            when = "今天" if d.days == 0 else f"还有 {d.days} 天"
            child = QTreeWidgetItem(deadlines, [short_title(d.plan_title), f"{d.due:%m-%d}\n{when}"])
            child.setData(0, TargetRole, (d.plan_id, None))
            to = f"报送{d.report_to}；" if d.report_to else ""
            child.setToolTip(0, f"{d.plan_title}\n{to}未完成活动 {d.open_activities} 项\n双击打开方案")
        deadlines.setExpanded(True)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Give each wrapped row the height its text needs in the width it really has (the view's own
        estimate forgets the indentation and cuts the plan's line off)."""
        width = self.tree.header().sectionSize(0) - self.tree.indentation() * 2 - 8
        if width <= 40:
            return
        metrics = self.tree.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        for item in self.items():
            lines = [item.text(0), item.text(1)]
            high = max(
                metrics.boundingRect(QRect(0, 0, width, 10000), flags, lines[0]).height(),
                metrics.lineSpacing() * (lines[1].count("\n") + 1),
            )
            item.setSizeHint(0, QSize(width, high + 4))
        self.tree.doItemsLayout()

    def items(self) -> list[QTreeWidgetItem]:
        """Every item under the groups, top to bottom (for tests and keyboard use)."""
        out = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            if group is not None:
                out += [group.child(c) for c in range(group.childCount())]
        return [i for i in out if i is not None]

    def open_item(self, item: QTreeWidgetItem) -> None:
        """Open what an item stands for: its activity, or its plan for a deadline."""
        target = item.data(0, TargetRole)
        if not target:
            return
        plan_id, activity_id = target
        if activity_id is None:
            self.planRequested.emit(int(plan_id))
        else:
            self.activityRequested.emit(int(plan_id), int(activity_id))
