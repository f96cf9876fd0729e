"""The to-do across every plan in progress: what is overdue, due this week or next, and the report deadlines.

A plan is in progress while it is not archived and has an activity that is neither 已完成 nor 已取消,
or while its 报送截止 is still ahead. Weeks run Monday to Sunday, as office calendars do. The planned period and the
report deadline are read with the same functions as the lights (models.tracking, models.timeframe), so
the to-do never disagrees with the table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlite_utils import Database

from models import clock, store
from models.records import STATUS_CANCELLED, STATUS_DONE, Activity, Plan
from models.textnorm import join_units
from models.timeframe import parse_timeframe
from models.tracking import planned_range

OVERDUE, THIS_WEEK, NEXT_WEEK = "overdue", "this_week", "next_week"
GROUP_LABELS = {OVERDUE: "逾期", THIS_WEEK: "本周到期", NEXT_WEEK: "下周到期"}
_QUOTES = "“”\"'‘’「」『』《》"


@dataclass(frozen=True)
class TodoItem:
    """One open activity with a due date that matters now."""

    kind: str  # OVERDUE / THIS_WEEK / NEXT_WEEK
    plan_id: int
    plan_title: str
    activity_id: int
    position: int
    name: str
    lead_units: tuple[str, ...]
    due: dt.date
    days: int  # due - today (negative: days overdue)
    status: str = ""

    @property
    def when(self) -> str:
        """The due date as a clerk says it: 已逾期 3 天 / 今天到期 / 还有 2 天."""
        if self.days < 0:
            return f"已逾期 {-self.days} 天"
        if self.days == 0:
            return "今天到期"
        return f"还有 {self.days} 天"


@dataclass(frozen=True)
class DeadlineItem:
    """A plan's coming report deadline (报送截止)."""

    plan_id: int
    plan_title: str
    due: dt.date
    days: int
    open_activities: int  # activities not yet 已完成 / 已取消
    report_to: str = ""


@dataclass
class TodoList:
    """Everything due, over all plans in progress, on one day."""

    today: dt.date
    overdue: list[TodoItem] = field(default_factory=list)
    this_week: list[TodoItem] = field(default_factory=list)
    next_week: list[TodoItem] = field(default_factory=list)
    deadlines: list[DeadlineItem] = field(default_factory=list)

    @property
    def has_due(self) -> bool:
        """Tell whether anything is overdue or due this week (then the to-do is shown first)."""
        return bool(self.overdue or self.this_week)

    @property
    def is_empty(self) -> bool:
        """Tell whether there is nothing at all to show."""
        return not (self.overdue or self.this_week or self.next_week or self.deadlines)

    def groups(self) -> list[tuple[str, list[TodoItem]]]:
        """The activity groups in the order they are shown."""
        return [(OVERDUE, self.overdue), (THIS_WEEK, self.this_week), (NEXT_WEEK, self.next_week)]

    def reminder(self) -> str:
        """The status-bar line, e.g. "3 项本周到期，1 项逾期" ('' when nothing is due)."""
        parts = []
        if self.this_week:
            parts.append(f"{len(self.this_week)} 项本周到期")
        if self.overdue:
            parts.append(f"{len(self.overdue)} 项逾期")
        near = [d for d in self.deadlines if d.days <= 7]
        if near:
            d = near[0]
            when = "今天截止" if d.days == 0 else f"还有 {d.days} 天"
            parts.append(f"{campaign_name(d.plan_title)}报送{when}")
        return "，".join(parts)


def campaign_name(title: str) -> str:
    """The campaign a plan is about: "岳阳市市场监管系统2024年“质量月”活动方案" → "质量月"."""
    text = re.sub(r"^关于(印发|开展|做好)?", "", title.strip())
    text = re.sub(r"的通知$", "", text)
    m = re.search(r"(?:19|20)\d{2}\s*年(?:度)?", text)
    if m:
        text = text[m.end() :]
    for suffix in ("工作方案", "实施方案", "活动方案", "方案", "活动安排", "活动"):
        text = text.removesuffix(suffix)
    text = text.removesuffix("活动").strip()
    text = "".join(ch for ch in text if ch not in _QUOTES)  # file names go without quotation marks
    return text.strip() or "活动"


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """Return Monday and Sunday of the week `today` is in."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def short_title(title: str) -> str:
    """A plan title without its 活动方案/方案 ending (for one-line mentions)."""
    return title.removesuffix("活动方案").removesuffix("工作方案").removesuffix("方案") or title


def report_deadline(plan: Plan, today: dt.date) -> dt.date | None:
    """Return the plan's 报送截止 as a date (the end of what is written, e.g. 10月12日前), if readable."""
    if not plan.report_deadline:
        return None
    tf = parse_timeframe(plan.report_deadline, plan.year or today.year)
    return (tf.end or tf.start) if tf else None


def is_open(activity: Activity) -> bool:
    """Tell whether an activity still has work to do (not 已完成, not 已取消)."""
    return activity.status not in (STATUS_DONE, STATUS_CANCELLED)


def classify(activity: Activity, year: int, today: dt.date) -> tuple[str, dt.date] | None:
    """Return (group, due date) of an open activity, or None when it is not due soon or has no end."""
    if not is_open(activity):
        return None
    tf = planned_range(activity, year)
    if tf is None or tf.end is None:
        return None
    _, sunday = week_bounds(today)
    if tf.end < today:
        return OVERDUE, tf.end
    if tf.end <= sunday:
        return THIS_WEEK, tf.end
    if tf.end <= sunday + dt.timedelta(days=7):
        return NEXT_WEEK, tf.end
    return None


def build_todo(plans: list[tuple[Plan, list[Activity]]], today: dt.date) -> TodoList:
    """Collect what is due over the given plans and their activities on `today` (no database)."""
    todo = TodoList(today)
    for plan, activities in plans:
        year = plan.year or today.year
        open_count = sum(is_open(a) for a in activities)
        deadline = report_deadline(plan, today)
        if deadline is not None and deadline >= today:
            todo.deadlines.append(
                DeadlineItem(
                    int(plan.id or 0),
                    plan.title,
                    deadline,
                    (deadline - today).days,
                    open_count,
                    plan.report_to,
                )
            )
        if not open_count:
            continue
        for a in activities:
            found = classify(a, year, today)
            if found is None:
                continue
            kind, due = found
            item = TodoItem(
                kind,
                int(plan.id or 0),
                plan.title,
                int(a.id or 0),
                a.position,
                a.name,
                tuple(a.lead_units),
                due,
                (due - today).days,
                a.status,
            )
            {OVERDUE: todo.overdue, THIS_WEEK: todo.this_week, NEXT_WEEK: todo.next_week}[kind].append(item)
    for items in (todo.overdue, todo.this_week, todo.next_week):
        items.sort(key=lambda i: (i.due, i.plan_id, i.position))
    todo.deadlines.sort(key=lambda d: (d.due, d.plan_id))
    return todo


def todo_list(db: Database, today: dt.date | None = None) -> TodoList:
    """Return the to-do over every plan of the database on `today` (default: the program's clock)."""
    day = today or clock.today()
    plans = []
    for summary in store.list_plans(db):
        if getattr(summary, "archived", False):  # an archived plan is done with: nothing is due in it
            continue
        plan_id = int(summary.plan.id or 0)
        plans.append((store.get_plan(db, plan_id), store.list_activities(db, plan_id)))
    return build_todo(plans, day)


def _item_line(item: TodoItem) -> str:
    units = join_units(list(item.lead_units)) or "未指定"
    return (
        f"  [{item.plan_id}-{item.position}] {item.name} — {short_title(item.plan_title)}；"
        f"牵头：{units}；计划完成 {item.due.isoformat()}（{item.when}）"
    )


def format_todo(todo: TodoList) -> str:
    """Return the to-do as plain Chinese text (the `todo` sub-command)."""
    monday, sunday = week_bounds(todo.today)
    lines = [f"待办（{todo.today.isoformat()}，本周 {monday:%m-%d} 至 {sunday:%m-%d}）"]
    reminder = todo.reminder()
    lines.append(reminder if reminder else "本周没有到期或逾期的事项。")
    for kind, items in todo.groups():
        lines.append(f"{GROUP_LABELS[kind]}（{len(items)}）：")
        lines.extend(_item_line(i) for i in items) if items else lines.append("  无")
    lines.append(f"报送截止（{len(todo.deadlines)}）：")
    if not todo.deadlines:
        lines.append("  无")
    for d in todo.deadlines:
        when = "今天" if d.days == 0 else f"还有 {d.days} 天"
        to = f"，报送{d.report_to}" if d.report_to else ""
        lines.append(
            f"  [{d.plan_id}] {short_title(d.plan_title)} — {d.due.isoformat()}（{when}）{to}；"
            f"未完成活动 {d.open_activities} 项"
        )
    return "\n".join(lines)
