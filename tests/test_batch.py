"""Batch updates (services.batch): many activities in one transaction, all or nothing, history per activity."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database

from models import store
from models.errors import ValidationError
from models.records import Activity, Plan
from services.batch import (
    UNIT_ADD,
    UNIT_REMOVE,
    BatchRefused,
    apply_batch,
    prepare_batch,
    revert_batch,
    set_many,
)
from services.quick_log import add_quick_entry

TODAY = dt.date(2024, 9, 25)


@pytest.fixture
def ids(fresh_db: Database) -> list[int]:
    plan = store.create_plan_with_activities(
        fresh_db,
        Plan(title="2024年质量月活动方案", year=2024),
        [Activity(name=f"活动{i}", time_text="9月", lead_units=["质量发展科"]) for i in range(1, 6)],
    )
    return [int(a.id or 0) for a in store.list_activities(fresh_db, int(plan.id or 0))]


def test_status_for_many_with_the_status_rule(fresh_db: Database, ids: list[int]) -> None:
    batch = set_many(fresh_db, ids[:3], {"status": "已完成"}, today=TODAY)
    assert batch.describe() == "批量修改 3 项的状态、进度、完成时间"
    for i in ids[:3]:
        a = store.get_activity(fresh_db, i)
        assert (a.status, a.progress, a.completed_on) == ("已完成", 100, TODAY)
    assert store.get_activity(fresh_db, ids[3]).status == "未开始"


def test_one_history_record_set_per_activity(fresh_db: Database, ids: list[int]) -> None:
    set_many(fresh_db, ids[:3], {"progress": "50%"}, today=TODAY)
    for i in ids[:3]:
        changes = [c for c in store.list_changes(fresh_db, activity_id=i) if c.action == "update"]
        assert [(c.field, c.old, c.new) for c in changes] == [("progress", "0", "50")]
    assert [c for c in store.list_changes(fresh_db, activity_id=ids[3]) if c.action == "update"] == []


def test_rows_already_so_are_counted_not_written(fresh_db: Database, ids: list[int]) -> None:
    set_many(fresh_db, ids[:1], {"progress": 50}, today=TODAY)
    batch = prepare_batch(fresh_db, ids[:3], {"progress": 50}, today=TODAY)
    assert (batch.activity_ids, batch.unchanged) == (ids[1:3], 1)


def test_units_replace_add_remove(fresh_db: Database, ids: list[int]) -> None:
    set_many(fresh_db, ids[:2], {"coop_units": ["各分局"]}, unit_mode=UNIT_ADD, today=TODAY)
    set_many(fresh_db, ids[:2], {"coop_units": ["计量科"]}, unit_mode=UNIT_ADD, today=TODAY)
    assert store.get_activity(fresh_db, ids[0]).coop_units == ["各分局", "计量科"]
    set_many(fresh_db, ids[:1], {"coop_units": ["各分局"]}, unit_mode=UNIT_REMOVE, today=TODAY)
    assert store.get_activity(fresh_db, ids[0]).coop_units == ["计量科"]
    set_many(fresh_db, ids[:2], {"lead_units": ["稽查局"]}, today=TODAY)
    assert store.get_activity(fresh_db, ids[1]).lead_units == ["稽查局"]


def test_a_row_breaking_a_rule_refuses_the_whole_batch_naming_it(fresh_db: Database, ids: list[int]) -> None:
    set_many(fresh_db, ids[2:3], {"coop_units": ["计量科"]}, today=TODAY)
    with pytest.raises(BatchRefused) as caught:
        set_many(fresh_db, ids, {"lead_units": ["计量科"]}, today=TODAY)
    assert caught.value.rows == [(3, "活动3", "“计量科”不能同时是牵头部门和配合部门。")]
    assert "第 3 项“活动3”" in str(caught.value) and "整批修改未保存" in str(caught.value)
    assert [store.get_activity(fresh_db, i).lead_units for i in ids] == [["质量发展科"]] * 5


def test_a_completion_date_outside_the_plan_years_is_refused(fresh_db: Database, ids: list[int]) -> None:
    with pytest.raises(BatchRefused, match="完成时间 2020-01-01 早于方案年度"):
        set_many(fresh_db, ids, {"completed_on": "2020-01-01"}, today=TODAY)
    assert all(store.get_activity(fresh_db, i).completed_on is None for i in ids)


def test_a_deleted_row_refuses_the_batch(fresh_db: Database, ids: list[int]) -> None:
    store.delete_activity(fresh_db, ids[0])
    with pytest.raises(BatchRefused, match="已被删除"):
        prepare_batch(fresh_db, ids, {"progress": 10}, today=TODAY)


def test_nothing_chosen_is_a_message(fresh_db: Database, ids: list[int]) -> None:
    with pytest.raises(ValidationError, match="至少选择一项"):
        prepare_batch(fresh_db, ids, {}, today=TODAY)
    with pytest.raises(ValidationError, match="先在表格中选择"):
        prepare_batch(fresh_db, [], {"progress": 1}, today=TODAY)


def test_revert_puts_every_row_back_in_one_go(fresh_db: Database, ids: list[int]) -> None:
    batch = apply_batch(fresh_db, prepare_batch(fresh_db, ids, {"status": "已完成"}, today=TODAY))
    revert_batch(fresh_db, batch)
    assert {
        (store.get_activity(fresh_db, i).status, store.get_activity(fresh_db, i).progress) for i in ids
    } == {("未开始", 0)}


def test_the_write_is_one_transaction(
    fresh_db: Database, ids: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from services import editing

    calls = {"n": 0}
    real = editing.write

    def failing(db: Database, activity_id: int, changes: dict[str, object]) -> dict[str, object]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(db, activity_id, changes)

    batch = prepare_batch(fresh_db, ids, {"progress": 30}, today=TODAY)
    monkeypatch.setattr(editing, "write", failing)
    with pytest.raises(OSError):
        apply_batch(fresh_db, batch)
    assert [store.get_activity(fresh_db, i).progress for i in ids] == [0] * 5


def test_marking_done_fills_notes_from_the_log(fresh_db: Database, ids: list[int]) -> None:
    add_quick_entry(fresh_db, ids[0], "9月3日 召开动员会", TODAY)
    set_many(fresh_db, ids[:2], {"status": "已完成"}, today=TODAY)
    assert store.get_activity(fresh_db, ids[0]).completion_notes == "9月3日，召开动员会。"
    assert store.get_activity(fresh_db, ids[1]).completion_notes == ""  # no log: nothing invented
