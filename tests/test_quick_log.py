"""Quick progress entry (services.quick_log): a dated log line that, when it says so, sets status and progress."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database

from models import store
from models.errors import ValidationError
from models.records import Activity, Plan, ProgressEntry
from services.quick_log import (
    add_quick_entry,
    apply_quick_change,
    completion_from_log,
    parse_quick_entry,
    prepare_quick_entry,
    revert_quick_change,
)

TODAY = dt.date(2024, 9, 25)


@pytest.fixture
def activity_id(fresh_db: Database) -> int:
    plan = store.create_plan_with_activities(
        fresh_db, Plan(title="2024年质量月活动方案", year=2024), [Activity(name="质量宣传", time_text="9月")]
    )
    return int(store.list_activities(fresh_db, int(plan.id or 0))[0].id or 0)


@pytest.mark.parametrize(
    ("text", "day", "done", "progress", "started", "logged"),
    [
        ("召开动员会", TODAY, False, None, False, "召开动员会"),
        ("9月12日 召开动员会", dt.date(2024, 9, 12), False, None, False, "召开动员会"),
        ("2024-09-01：印发通知", dt.date(2024, 9, 1), False, None, False, "印发通知"),
        ("9.20，走访企业", dt.date(2024, 9, 20), False, None, False, "走访企业"),
        ("昨天 已启动宣传", dt.date(2024, 9, 24), False, None, True, "已启动宣传"),
        ("完成80%", TODAY, False, 80, True, "完成80%"),
        ("完成８０％，发放资料2000份", TODAY, False, 80, True, "完成80%，发放资料2000份"),
        ("完成八成", TODAY, False, 80, True, "完成八成"),
        ("已完成，共发放宣传资料3000份", TODAY, True, 100, True, "已完成，共发放宣传资料3000份"),
        ("圆满完成", TODAY, True, 100, True, "圆满完成"),
        ("完成100%", TODAY, True, 100, True, "完成100%"),
        ("尚未完成，正在协调场地", TODAY, False, None, True, "尚未完成，正在协调场地"),
        ("未完成", TODAY, False, None, False, "未完成"),
        ("完成情况待汇总", TODAY, False, None, False, "完成情况待汇总"),
        ("取消了现场环节", TODAY, False, None, False, "取消了现场环节"),
    ],
)
def test_what_a_line_says(
    text: str, day: dt.date, done: bool, progress: int | None, started: bool, logged: str
) -> None:
    entry = parse_quick_entry(text, TODAY)
    assert (entry.day, entry.done, entry.progress, entry.started, entry.text) == (
        day,
        done,
        progress,
        started,
        logged,
    )


def test_a_december_date_typed_in_january_is_last_year() -> None:
    assert parse_quick_entry("12月28日 总结", dt.date(2025, 1, 5)).day == dt.date(2024, 12, 28)


@pytest.mark.parametrize("text", ["", "9月12日", "   ", "完成120%", "2月30日 开会"])
def test_lines_that_cannot_be_logged(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_quick_entry(text, TODAY)


def test_a_plain_line_only_logs(fresh_db: Database, activity_id: int) -> None:
    change = add_quick_entry(fresh_db, activity_id, "9月3日 召开动员会", TODAY)
    assert change.changes == {}
    entries = store.list_progress_entries(fresh_db, activity_id)
    assert [(e.entry_date, e.text) for e in entries] == [(dt.date(2024, 9, 3), "召开动员会")]
    assert store.get_activity(fresh_db, activity_id).status == "未开始"


def test_progress_moves_a_new_activity_to_in_progress(fresh_db: Database, activity_id: int) -> None:
    add_quick_entry(fresh_db, activity_id, "完成60%，已走访企业12家", TODAY)
    a = store.get_activity(fresh_db, activity_id)
    assert (a.status, a.progress, a.completed_on) == ("进行中", 60, None)


def test_done_sets_status_progress_date_and_prefills_notes(fresh_db: Database, activity_id: int) -> None:
    add_quick_entry(fresh_db, activity_id, "9月3日 召开动员会", TODAY)
    add_quick_entry(fresh_db, activity_id, "9月10日 完成50%，走访企业12家", TODAY)
    change = add_quick_entry(fresh_db, activity_id, "9月20日 已完成，共发放宣传资料3000份", TODAY)
    a = store.get_activity(fresh_db, activity_id)
    assert (a.status, a.progress, a.completed_on) == ("已完成", 100, dt.date(2024, 9, 20))
    assert (
        a.completion_notes == "9月3日，召开动员会。\n9月10日，走访企业12家。\n9月20日，共发放宣传资料3000份。"
    )
    assert "completion_notes" in change.changes and "已完成" in change.summary()


def test_notes_the_clerk_wrote_are_never_replaced(fresh_db: Database, activity_id: int) -> None:
    from services import editing

    editing.set_activity_fields(fresh_db, activity_id, {"completion_notes": "我写的完成情况"})
    add_quick_entry(fresh_db, activity_id, "已完成", TODAY)
    assert store.get_activity(fresh_db, activity_id).completion_notes == "我写的完成情况"


def test_undo_takes_the_line_and_the_values_back(fresh_db: Database, activity_id: int) -> None:
    change = prepare_quick_entry(fresh_db, activity_id, "已完成，验收合格", TODAY)
    apply_quick_change(fresh_db, change)
    revert_quick_change(fresh_db, change)
    a = store.get_activity(fresh_db, activity_id)
    assert (a.status, a.progress, a.completed_on, a.completion_notes) == ("未开始", 0, None, "")
    assert store.list_progress_entries(fresh_db, activity_id) == []
    apply_quick_change(fresh_db, change)  # redo: the same log entry id again
    assert [e.id for e in store.list_progress_entries(fresh_db, activity_id)] == [change.entry_id]
    assert store.get_activity(fresh_db, activity_id).status == "已完成"


def test_each_change_is_in_the_history(fresh_db: Database, activity_id: int) -> None:
    add_quick_entry(fresh_db, activity_id, "完成80%", TODAY)
    changes = store.list_changes(fresh_db, activity_id=activity_id)
    assert {(c.entity, c.field) for c in changes} >= {("progress", ""), ("activity", "progress")}


def test_completion_text_leaves_out_status_only_lines() -> None:
    entries = [
        ProgressEntry(1, 1, dt.date(2024, 9, 3), "召开动员会"),
        ProgressEntry(2, 1, dt.date(2024, 9, 10), "完成80%"),
        ProgressEntry(3, 1, dt.date(2024, 9, 20), "已完成。"),
        ProgressEntry(4, 1, dt.date(2024, 9, 5), "印发宣传资料3000份。"),
    ]
    assert completion_from_log(entries) == "9月3日，召开动员会。\n9月5日，印发宣传资料3000份。"
    assert completion_from_log([]) == ""
