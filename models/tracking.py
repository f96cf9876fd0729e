"""Completion tracking over records: planned periods, lights (亮灯) and the plan overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from models.records import STATUS_CANCELLED, STATUS_DONE, STATUS_IN_PROGRESS, STATUSES, Activity, Plan
from models.textnorm import join_units
from models.timeframe import Timeframe, format_timeframe, parse_timeframe


class Light(StrEnum):
    """The traffic light of an activity."""

    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"
    ARCHIVED = "archived"  # the plan is archived: no light at all


LIGHT_LABELS: dict[Light, str] = {
    Light.DONE: "已完成",
    Light.OVERDUE: "已逾期",
    Light.DUE_SOON: "临期",
    Light.ON_TRACK: "正常推进",
    Light.CANCELLED: "已取消",
    Light.UNKNOWN: "未识别时间",
    Light.ARCHIVED: "方案已归档（不亮灯）",
}
#: The one word for a light that is about to turn red, used by every screen and document.
DUE_SOON_WORD = LIGHT_LABELS[Light.DUE_SOON]


def planned_range(activity: Activity, year: int) -> Timeframe | None:
    """Return the planned period: the hand override if set, else parsed from the time text."""
    if activity.planned_start is not None or activity.planned_end is not None:
        return Timeframe(activity.planned_start, activity.planned_end)
    return parse_timeframe(activity.time_text, year)


def light(
    activity: Activity, year: int, today: dt.date, due_soon_days: int = 7, *, archived: bool = False
) -> Light:
    """Return the light of an activity on `today` (none for the activities of an archived plan)."""
    if archived:
        return Light.ARCHIVED
    if activity.status == STATUS_DONE:
        return Light.DONE
    if activity.status == STATUS_CANCELLED:
        return Light.CANCELLED
    tf = planned_range(activity, year)
    if tf is None or tf.end is None:
        return Light.ON_TRACK if tf is not None and tf.start is not None else Light.UNKNOWN
    if today > tf.end:
        return Light.OVERDUE
    if (tf.end - today).days <= due_soon_days:
        return Light.DUE_SOON
    return Light.ON_TRACK


@dataclass
class UnitStats:
    """Completion numbers of one lead unit."""

    unit: str
    total: int = 0
    done: int = 0
    overdue: int = 0
    in_progress: int = 0
    cancelled: int = 0

    @property
    def rate(self) -> float:
        """Done over the activities not cancelled (0 when there are none)."""
        base = self.total - self.cancelled
        return self.done / base if base > 0 else 0.0


@dataclass
class Overview:
    """The numbers of a plan on a given day."""

    plan_title: str
    today: dt.date
    total: int
    counts: dict[str, int]
    completion_rate: float
    lights: dict[Light, int]
    per_unit: list[UnitStats]
    overdue: list[Activity] = field(default_factory=list)
    due_soon: list[Activity] = field(default_factory=list)
    report_deadline: dt.date | None = None
    days_left: int | None = None
    archived: bool = False  # an archived plan: no lights, nothing late, no countdown
    year: int | None = None  # the plan's year (periods without a year fall in it)


NO_UNIT = "未指定"


def compute_overview(
    plan: Plan, activities: list[Activity], today: dt.date, due_soon_days: int = 7, *, archived: bool = False
) -> Overview:
    """Count a plan's activities per status, light and lead unit on `today` (an archived plan's
    activities have no light: nothing is late or due, and the report deadline has no countdown)."""
    year = plan.year or today.year
    counts = dict.fromkeys(STATUSES, 0)
    lights = dict.fromkeys(Light, 0)
    units: dict[str, UnitStats] = {}
    overdue: list[Activity] = []
    due_soon: list[Activity] = []
    for a in activities:
        counts[a.status] = counts.get(a.status, 0) + 1
        lit = light(a, year, today, due_soon_days, archived=archived)
        lights[lit] += 1
        if lit == Light.OVERDUE:
            overdue.append(a)
        elif lit == Light.DUE_SOON:
            due_soon.append(a)
        for name in a.lead_units or [NO_UNIT]:
            stats = units.setdefault(name, UnitStats(name))
            stats.total += 1
            stats.done += a.status == STATUS_DONE
            stats.cancelled += a.status == STATUS_CANCELLED
            stats.in_progress += a.status == STATUS_IN_PROGRESS
            stats.overdue += lit == Light.OVERDUE
    base = len(activities) - counts.get(STATUS_CANCELLED, 0)
    rate = counts.get(STATUS_DONE, 0) / base if base > 0 else 0.0
    deadline_tf = parse_timeframe(plan.report_deadline, year) if plan.report_deadline else None
    deadline = (deadline_tf.end or deadline_tf.start) if deadline_tf else None
    return Overview(
        plan.title,
        today,
        len(activities),
        counts,
        rate,
        lights,
        list(units.values()),
        overdue,
        due_soon,
        deadline,
        (deadline - today).days if deadline and not archived else None,
        archived,
        year,
    )


def _line(a: Activity, year: int) -> str:
    tf = planned_range(a, year)
    end = tf.end.isoformat() if tf and tf.end else format_timeframe(tf)
    return f"  [{a.position}] {a.name} — 牵头：{join_units(a.lead_units) or NO_UNIT}（计划完成 {end}）"


def format_overview(ov: Overview, year: int | None = None) -> str:
    """Return the overview as plain Chinese text (the `status` sub-command)."""
    year = year or ov.year or ov.today.year
    lines = [ov.plan_title + ("（已归档）" if ov.archived else ""), f"统计日期：{ov.today.isoformat()}"]
    lines.append(f"活动总数：{ov.total}")
    lines.append("状态：" + "，".join(f"{status} {n}" for status, n in ov.counts.items()))
    lines.append(f"完成率：{ov.completion_rate * 100:.1f}%")
    if ov.report_deadline is not None and ov.days_left is not None:
        when = f"剩余 {ov.days_left} 天" if ov.days_left >= 0 else f"已过 {-ov.days_left} 天"
        lines.append(f"报送截止：{ov.report_deadline.isoformat()}（{when}）")
    lines.append("各牵头单位（完成/总数，逾期）：")
    for s in ov.per_unit:
        lines.append(f"  {s.unit}：{s.done}/{s.total}，逾期 {s.overdue}，完成率 {s.rate * 100:.0f}%")
    lines.append(f"逾期事项（{len(ov.overdue)}）：")
    lines.extend(_line(a, year) for a in ov.overdue) if ov.overdue else lines.append("  无")
    lines.append(f"{DUE_SOON_WORD}（{len(ov.due_soon)}）：")
    lines.extend(_line(a, year) for a in ov.due_soon) if ov.due_soon else lines.append("  无")
    return "\n".join(lines)
