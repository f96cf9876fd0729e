"""Tracking: lights with an injected date, status effects, overview numbers, value checks."""

from __future__ import annotations

import datetime as dt

import pytest

from models import rules
from models import store as repo
from models.records import Activity, Plan
from models.rules import validate_completion_date, validate_progress
from models.timeframe import Timeframe
from models.tracking import (
    Light,
    compute_overview,
    format_overview,
    light,
    planned_range,
)
from services import editing

D = dt.date


def act(status: str = "未开始", time_text: str = "9月", **kw: object) -> Activity:
    return Activity(name="活动", status=status, time_text=time_text, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2024, 9, 1), Light.ON_TRACK),
        (D(2024, 9, 22), Light.ON_TRACK),
        (D(2024, 9, 23), Light.DUE_SOON),  # 7 days before the end
        (D(2024, 9, 30), Light.DUE_SOON),  # on the last day it is not late yet
        (D(2024, 10, 1), Light.OVERDUE),
    ],
)
def test_light_boundaries(today: D, expected: Light) -> None:
    assert light(act(), 2024, today) == expected


def test_done_and_cancelled_are_never_late() -> None:
    late = D(2025, 1, 1)
    assert light(act("已完成"), 2024, late) == Light.DONE
    assert light(act("已取消"), 2024, late) == Light.CANCELLED
    assert light(act("进行中"), 2024, late) == Light.OVERDUE


def test_due_soon_window_is_a_setting() -> None:
    assert light(act(), 2024, D(2024, 9, 15), due_soon_days=15) == Light.DUE_SOON
    assert light(act(), 2024, D(2024, 9, 29), due_soon_days=0) == Light.ON_TRACK


def test_unknown_time_and_open_end() -> None:
    assert light(act(time_text="长期坚持"), 2024, D(2030, 1, 1)) == Light.UNKNOWN
    assert light(act(time_text="9月起"), 2024, D(2030, 1, 1)) == Light.ON_TRACK
    assert light(act(time_text="10月12日前"), 2024, D(2024, 10, 13)) == Light.OVERDUE


def test_hand_override_wins_over_time_text() -> None:
    a = act(time_text="9月", planned_start=D(2024, 9, 1), planned_end=D(2024, 12, 31))
    assert planned_range(a, 2024) == Timeframe(D(2024, 9, 1), D(2024, 12, 31))
    assert light(a, 2024, D(2024, 10, 15)) == Light.ON_TRACK


def test_status_done_implies_full_progress_and_today() -> None:
    values = rules.status_change_values(act(progress=40), "已完成", D(2024, 9, 20))
    assert values == {"status": "已完成", "progress": 100, "completed_on": D(2024, 9, 20)}
    kept = rules.status_change_values(act(completed_on=D(2024, 9, 2)), "已完成", D(2024, 9, 20))
    assert "completed_on" not in kept
    assert rules.status_change_values(act(), "进行中", D(2024, 9, 20)) == {"status": "进行中"}


def test_overview_numbers() -> None:
    plan = Plan(title="测试方案", year=2024, report_deadline="10月12日前")
    activities = [
        Activity(position=1, name="甲", time_text="9月上旬", status="已完成", lead_units=["质监股"]),
        Activity(position=2, name="乙", time_text="9月上旬", status="进行中", lead_units=["质监股"]),
        Activity(position=3, name="丙", time_text="9月", lead_units=["市场秩序股", "质监股"]),
        Activity(position=4, name="丁", time_text="9月", status="已取消", lead_units=["市场秩序股"]),
        Activity(position=5, name="戊", time_text="长期坚持"),
    ]
    ov = compute_overview(plan, activities, D(2024, 9, 25))
    assert ov.total == 5
    assert ov.counts == {"未开始": 2, "进行中": 1, "已完成": 1, "已取消": 1}
    assert ov.completion_rate == pytest.approx(1 / 4)
    assert [a.name for a in ov.overdue] == ["乙"]
    assert [a.name for a in ov.due_soon] == ["丙"]
    assert (ov.report_deadline, ov.days_left) == (D(2024, 10, 12), 17)
    units = {s.unit: (s.total, s.done, s.overdue, s.cancelled) for s in ov.per_unit}
    assert units == {"质监股": (3, 1, 1, 0), "市场秩序股": (2, 0, 0, 1), "未指定": (1, 0, 0, 0)}
    assert [s.unit for s in ov.per_unit] == ["质监股", "市场秩序股", "未指定"]
    text = format_overview(ov, 2024)
    assert "完成率：25.0%" in text and "剩余 17 天" in text
    assert "[2] 乙 — 牵头：质监股（计划完成 2024-09-10）" in text


def test_overview_of_empty_plan() -> None:
    ov = compute_overview(Plan(title="空", year=2024), [], D(2024, 9, 1))
    assert (ov.total, ov.completion_rate, ov.per_unit, ov.days_left) == (0, 0.0, [], None)
    assert "逾期事项（0）：\n  无" in format_overview(ov)


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 0), (100, 100), ("80", 80), ("80%", 80), ("８０％", 80), (50.0, 50)]
)
def test_validate_progress_accepts(value: object, expected: int) -> None:
    assert validate_progress(value) == expected


@pytest.mark.parametrize("value", [-1, 101, "abc", "", 12.5, True, None, "1000"])
def test_validate_progress_refuses(value: object) -> None:
    with pytest.raises(ValueError, match="0 到 100"):
        validate_progress(value)


def test_completion_date_bounds() -> None:
    validate_completion_date(D(2024, 9, 1), 2024)
    validate_completion_date(D(2026, 1, 1), 2024)
    with pytest.raises(ValueError, match="早于方案年度"):
        validate_completion_date(D(2023, 12, 31), 2024)
    with pytest.raises(ValueError, match="晚两年以上"):
        validate_completion_date(D(2027, 1, 1), 2024)


def test_repository_refuses_bad_progress_and_date(fresh_db: object) -> None:
    db = fresh_db
    plan = repo.create_plan(db, Plan(title="方案", year=2024))  # type: ignore[arg-type]
    a = repo.insert_activity(db, plan.id or 0, Activity(name="活动"))  # type: ignore[arg-type]
    with pytest.raises(repo.ValidationError, match="0 到 100"):
        editing.set_activity_field(db, a.id or 0, "progress", 150)  # type: ignore[arg-type]
    with pytest.raises(repo.ValidationError, match="早于方案年度"):
        editing.set_activity_field(db, a.id or 0, "completed_on", D(2020, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(repo.ValidationError, match="不是存在的日期"):
        editing.set_activity_field(db, a.id or 0, "completed_on", "2024-02-30")  # type: ignore[arg-type]
    with pytest.raises(repo.ValidationError, match="状态"):
        editing.set_activity_field(db, a.id or 0, "status", "搞定了")  # type: ignore[arg-type]
    assert repo.get_activity(db, a.id or 0).progress == 0  # type: ignore[arg-type]
