"""The to-do across plans (services.todo) and `python main.py todo`, without Qt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlite_utils import Database

from models import store
from models.db import open_database
from models.records import Activity, Plan
from services import editing
from services.todo import NEXT_WEEK, OVERDUE, THIS_WEEK, format_todo, todo_list, week_bounds

WED = dt.date(2024, 9, 25)  # a Wednesday: the week is 9-23 … 9-29


def _plan(db: Database, title: str, rows: list[tuple[str, str]], **plan: object) -> int:
    created = store.create_plan_with_activities(
        db,
        Plan(title=title, year=2024, **plan),  # type: ignore[arg-type]
        [Activity(name=name, time_text=when, lead_units=["质量发展科"]) for name, when in rows],
    )
    return int(created.id or 0)


@pytest.fixture
def two_plans(fresh_db: Database) -> Database:
    _plan(
        fresh_db,
        "2024年“质量月”活动方案",
        [("动员会", "9月上旬"), ("宣传周", "9月25日前"), ("抽查", "9月"), ("总结", "10月")],
        report_deadline="10月12日前",
        report_to="市局质量发展科",
    )
    _plan(fresh_db, "2024年安全生产月活动方案", [("应急演练", "9月27日"), ("隐患排查", "9月")])
    return fresh_db


def test_week_runs_monday_to_sunday() -> None:
    assert week_bounds(WED) == (dt.date(2024, 9, 23), dt.date(2024, 9, 29))
    assert week_bounds(dt.date(2024, 9, 29)) == (dt.date(2024, 9, 23), dt.date(2024, 9, 29))


def test_groups_over_every_plan(two_plans: Database) -> None:
    todo = todo_list(two_plans, WED)
    assert [i.name for i in todo.overdue] == ["动员会"]
    assert [i.name for i in todo.this_week] == ["宣传周", "应急演练"]
    assert {i.name for i in todo.next_week} == {"抽查", "隐患排查"}  # 9-30 is next Monday
    assert todo.overdue[0].days == -15 and todo.overdue[0].when == "已逾期 15 天"
    assert {i.kind for i in todo.this_week} == {THIS_WEEK}
    assert todo.has_due


def test_reminder_line_as_the_status_bar_shows_it(two_plans: Database) -> None:
    assert todo_list(two_plans, WED).reminder() == "2 项本周到期，1 项逾期"
    # within a week of the report deadline it is mentioned too
    assert todo_list(two_plans, dt.date(2024, 10, 8)).reminder() == "5 项逾期，质量月报送还有 4 天"


def test_done_and_cancelled_activities_are_not_due(two_plans: Database) -> None:
    first = store.list_activities(two_plans, 1)
    editing.set_activity_fields(two_plans, int(first[0].id or 0), {"status": "已完成"})
    editing.set_activity_fields(two_plans, int(first[1].id or 0), {"status": "已取消"})
    todo = todo_list(two_plans, WED)
    assert todo.overdue == []
    assert [i.name for i in todo.this_week] == ["应急演练"]
    assert todo.reminder() == "1 项本周到期"


def test_report_deadlines_ahead_are_listed_with_open_count(two_plans: Database) -> None:
    deadlines = todo_list(two_plans, WED).deadlines
    assert [(d.due, d.days, d.open_activities) for d in deadlines] == [(dt.date(2024, 10, 12), 17, 4)]
    assert todo_list(two_plans, dt.date(2024, 10, 13)).deadlines == []  # passed: gone


def test_a_finished_plan_shows_only_its_coming_deadline(two_plans: Database) -> None:
    for a in store.list_activities(two_plans, 1):
        editing.set_activity_fields(two_plans, int(a.id or 0), {"status": "已完成"})
    todo = todo_list(two_plans, WED)
    assert {i.plan_id for group in (todo.overdue, todo.this_week, todo.next_week) for i in group} == {2}
    assert [d.open_activities for d in todo.deadlines] == [0]


def test_unreadable_periods_are_not_guessed(fresh_db: Database) -> None:
    _plan(fresh_db, "方案", [("常态化工作", "全年持续"), ("另行通知", "另行通知")])
    todo = todo_list(fresh_db, dt.date(2024, 12, 30))
    assert [i.name for i in todo.overdue + todo.this_week + todo.next_week] in ([], ["常态化工作"])


def test_format_lists_every_group(two_plans: Database) -> None:
    text = format_todo(todo_list(two_plans, WED))
    assert text.splitlines()[1] == "2 项本周到期，1 项逾期"
    assert "逾期（1）：" in text and "本周到期（2）：" in text and "下周到期（2）：" in text
    assert "[1-1] 动员会" in text and "已逾期 15 天" in text
    assert (
        "报送截止（1）：" in text and "2024-10-12（还有 17 天），报送市局质量发展科；未完成活动 4 项" in text
    )
    assert {OVERDUE, THIS_WEEK, NEXT_WEEK} == {k for k, _ in todo_list(two_plans, WED).groups()}


def test_cli_todo_prints_the_same(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from main import main

    path = tmp_path / "t.db"
    db = open_database(path)
    _plan(db, "2024年“质量月”活动方案", [("动员会", "9月上旬"), ("宣传周", "9月25日前")])
    expected = format_todo(todo_list(db, WED))
    db.close()
    assert main(["todo", "--db", str(path), "--today", "2024-09-25"]) == 0
    assert capsys.readouterr().out.strip() == expected


def test_cli_todo_bad_date_is_a_chinese_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from main import main

    assert main(["todo", "--db", str(tmp_path / "t.db"), "--today", "2024-13-01"]) == 2
    assert "日期“2024-13-01”无效" in capsys.readouterr().err
