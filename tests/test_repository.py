"""The repository: plans, activities, renumbering, units and roles, migrations, cascade, copies."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from models import rules
from models import store as repo
from models.db import (
    KNOWN_MIGRATIONS,
    DamagedDatabaseError,
    DatabaseError,
    NewerDatabaseError,
    NotADatabaseError,
    open_database,
)
from models.records import Activity, Plan
from services import editing
from services.plans import copy_plan


def make_plan(db: Database, n: int = 3) -> int:
    plan = repo.create_plan(db, Plan(title="测试方案", year=2024))
    for i in range(n):
        repo.insert_activity(db, plan.id or 0, Activity(name=f"活动{i + 1}", lead_units=["质监股"]))
    return int(plan.id or 0)


def names(db: Database, plan_id: int) -> list[str]:
    return [a.name for a in repo.list_activities(db, plan_id)]


def positions(db: Database, plan_id: int) -> list[int]:
    return [a.position for a in repo.list_activities(db, plan_id)]


def test_create_and_read_plan_round_trips_every_field(fresh_db: Database) -> None:
    plan = Plan(
        title="方案",
        office="某局",
        doc_number="某监发〔2024〕1号",
        theme="主题",
        year=2024,
        period_text="2024年9月",
        report_deadline="10月12日前",
        report_to="质量发展科",
        report_contact="办公室",
        slogans=["口号一", "口号二"],
        notes="说明",
        annex_label="附件2",
        table_title="表",
    )
    created = repo.create_plan(fresh_db, plan)
    got = repo.get_plan(fresh_db, created.id or 0)
    for name in rules.PLAN_FIELDS:
        assert getattr(got, name) == getattr(plan, name), name
    assert got.created_at and got.updated_at


def test_empty_plan_title_is_refused(fresh_db: Database) -> None:
    with pytest.raises(repo.ValidationError, match="标题不能为空"):
        repo.create_plan(fresh_db, Plan(title="  "))


def test_insert_appends_and_numbers_from_one(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db)
    assert positions(fresh_db, plan_id) == [1, 2, 3]
    assert names(fresh_db, plan_id) == ["活动1", "活动2", "活动3"]


def test_insert_at_position_shifts_the_rest(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db)
    repo.insert_activity(fresh_db, plan_id, Activity(name="插入"), position=2)
    assert names(fresh_db, plan_id) == ["活动1", "插入", "活动2", "活动3"]
    assert positions(fresh_db, plan_id) == [1, 2, 3, 4]


def test_delete_renumbers_and_restore_puts_back(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db)
    second = repo.list_activities(fresh_db, plan_id)[1]
    repo.add_progress_entry(fresh_db, second.id or 0, "已开会", dt.date(2024, 9, 3))
    snapshot = repo.delete_activity(fresh_db, second.id or 0)
    assert names(fresh_db, plan_id) == ["活动1", "活动3"]
    assert positions(fresh_db, plan_id) == [1, 2]
    repo.restore_activity(fresh_db, snapshot)
    assert names(fresh_db, plan_id) == ["活动1", "活动2", "活动3"]
    restored = repo.get_activity(fresh_db, second.id or 0)
    assert restored.lead_units == ["质监股"]
    assert [e.text for e in repo.list_progress_entries(fresh_db, second.id or 0)] == ["已开会"]


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        (1, 3, ["活动2", "活动3", "活动1"]),
        (3, 1, ["活动3", "活动1", "活动2"]),
        (2, 2, ["活动1", "活动2", "活动3"]),
        (1, 99, ["活动2", "活动3", "活动1"]),
    ],
)
def test_move_renumbers(fresh_db: Database, start: int, target: int, expected: list[str]) -> None:
    plan_id = make_plan(fresh_db)
    activity = repo.list_activities(fresh_db, plan_id)[start - 1]
    repo.move_activity(fresh_db, activity.id or 0, target)
    assert names(fresh_db, plan_id) == expected
    assert positions(fresh_db, plan_id) == [1, 2, 3]


def test_units_keep_role_and_order(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db, 1)
    a = repo.list_activities(fresh_db, plan_id)[0]
    editing.set_activity_field(fresh_db, a.id or 0, "coop_units", ["各分局", "食药股", "市场秩序股"])
    editing.set_activity_field(fresh_db, a.id or 0, "lead_units", "质监股、办公室")
    got = repo.get_activity(fresh_db, a.id or 0)
    assert got.lead_units == ["质监股", "办公室"]
    assert got.coop_units == ["各分局", "食药股", "市场秩序股"]
    assert {"各分局", "食药股", "市场秩序股", "办公室"} <= {u.name for u in repo.list_units(fresh_db)}


def test_typed_unit_matches_existing_regardless_of_width(fresh_db: Database) -> None:
    repo.add_unit(fresh_db, "质监股")
    plan_id = make_plan(fresh_db, 1)
    a = repo.list_activities(fresh_db, plan_id)[0]
    editing.set_activity_field(fresh_db, a.id or 0, "coop_units", ["质 监 股"])
    assert [u.name for u in repo.list_units(fresh_db)].count("质监股") == 1


def test_duplicate_unit_name_is_refused(fresh_db: Database) -> None:
    repo.add_unit(fresh_db, "质监股")
    with pytest.raises(repo.ValidationError, match="已在名录中"):
        repo.add_unit(fresh_db, "质监股 ")


def test_rename_onto_existing_unit_merges(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db, 2)
    first, second = repo.list_activities(fresh_db, plan_id)
    editing.set_activity_field(fresh_db, first.id or 0, "coop_units", ["质监科", "各分局"])
    typo = repo.find_unit(fresh_db, "质监科")
    assert typo is not None
    merged = repo.update_unit(fresh_db, typo.id or 0, name="质监股")
    assert merged.name == "质监股"
    assert repo.find_unit(fresh_db, "质监科") is None
    assert repo.get_activity(fresh_db, first.id or 0).coop_units == ["质监股", "各分局"]
    assert repo.get_activity(fresh_db, second.id or 0).lead_units == ["质监股"]


def test_unit_in_use_cannot_be_deleted(fresh_db: Database) -> None:
    make_plan(fresh_db, 1)
    unit = repo.find_unit(fresh_db, "质监股")
    assert unit is not None
    with pytest.raises(repo.ValidationError, match="仍在"):
        repo.delete_unit(fresh_db, unit.id or 0)


def test_empty_activity_name_is_refused(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db, 1)
    a = repo.list_activities(fresh_db, plan_id)[0]
    with pytest.raises(repo.ValidationError, match="活动名称不能为空"):
        editing.set_activity_field(fresh_db, a.id or 0, "name", "   ")
    with pytest.raises(repo.ValidationError):
        repo.insert_activity(fresh_db, plan_id, Activity(name=""))
    assert repo.get_activity(fresh_db, a.id or 0).name == "活动1"


def test_text_is_trimmed_and_control_characters_removed(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db, 1)
    a = repo.list_activities(fresh_db, plan_id)[0]
    editing.set_activity_field(fresh_db, a.id or 0, "name", "\u3000开展\n宣传\x00活动 \t")
    editing.set_activity_field(fresh_db, a.id or 0, "content", "第一行\r\n第二行\x07 𠈌 😀")
    got = repo.get_activity(fresh_db, a.id or 0)
    assert got.name == "开展宣传活动"
    assert got.content == "第一行\n第二行 𠈌 😀"


def test_delete_plan_cascades_and_restore_brings_everything_back(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db)
    a = repo.list_activities(fresh_db, plan_id)[0]
    repo.add_progress_entry(fresh_db, a.id or 0, "进展")
    snapshot = repo.delete_plan(fresh_db, plan_id)
    assert fresh_db.execute("SELECT COUNT(*) FROM activities").fetchone()[0] == 0
    assert fresh_db.execute("SELECT COUNT(*) FROM activity_units").fetchone()[0] == 0
    assert fresh_db.execute("SELECT COUNT(*) FROM progress_entries").fetchone()[0] == 0
    repo.restore_plan(fresh_db, snapshot)
    assert names(fresh_db, plan_id) == ["活动1", "活动2", "活动3"]
    assert len(repo.list_progress_entries(fresh_db, a.id or 0)) == 1


def test_copy_to_next_year_clears_progress(fresh_db: Database) -> None:
    plan = repo.create_plan(
        fresh_db, Plan(title="某局2024年“质量月”活动方案", year=2024, doc_number="某〔2024〕1号")
    )
    repo.insert_activity(fresh_db, plan.id or 0, Activity(name="甲", time_text="9月", coop_units=["各分局"]))
    a = repo.list_activities(fresh_db, plan.id or 0)[0]
    editing.set_activity_fields(
        fresh_db,
        a.id or 0,
        {
            "status": "已完成",
            "progress": 100,
            "completion_notes": "办完",
            "completed_on": dt.date(2024, 9, 20),
        },
    )
    copy = copy_plan(fresh_db, plan.id or 0, next_year=True)
    assert copy.title == "某局2025年“质量月”活动方案"
    assert copy.year == 2025
    assert copy.doc_number == ""
    [copied] = repo.list_activities(fresh_db, copy.id or 0)
    assert (copied.name, copied.time_text, copied.coop_units) == ("甲", "9月", ["各分局"])
    assert (copied.status, copied.progress, copied.completion_notes, copied.completed_on) == (
        "未开始",
        0,
        "",
        None,
    )
    assert repo.get_activity(fresh_db, a.id or 0).status == "已完成"


def test_every_change_is_recorded_with_old_and_new(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db, 1)
    a = repo.list_activities(fresh_db, plan_id)[0]
    editing.set_activity_field(fresh_db, a.id or 0, "time_text", "9月")
    [change] = [c for c in repo.list_changes(fresh_db, activity_id=a.id) if c.field == "time_text"]
    assert (change.old, change.new, change.action) == ("", "9月", "update")
    assert change.user and change.at


def test_set_fields_is_all_or_nothing(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db, 1)
    a = repo.list_activities(fresh_db, plan_id)[0]
    with pytest.raises(repo.ValidationError):
        editing.set_activity_fields(fresh_db, a.id or 0, {"remarks": "改了", "progress": 150})
    assert repo.get_activity(fresh_db, a.id or 0).remarks == ""


def test_migrations_on_empty_file_and_reapplied(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    db = open_database(path)
    assert [m for m in db.table_names() if m in ("plans", "activities", "units", "changes")]
    applied = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == list(KNOWN_MIGRATIONS)
    db.close()
    db = open_database(path)
    again = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert again == applied
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = open_database(path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('taizhang', '9999_future', 'x')"
    )
    db.conn.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="更新版本"):
        open_database(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"hello, this is not a database" * 10, b"PK\x03\x04" + b"\x00" * 200])
def test_not_a_database_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(NotADatabaseError, match="不是台账数据库"):
        open_database(path)
    assert path.read_bytes() == content


def test_truncated_database_is_refused(tmp_path: Path, db_file: Path) -> None:
    data = db_file.read_bytes()
    broken = tmp_path / "broken.db"
    broken.write_bytes(data[:50])
    with pytest.raises(DamagedDatabaseError):
        open_database(broken)
    assert broken.read_bytes() == data[:50]


def test_damaged_pages_are_detected(tmp_path: Path, db_file: Path) -> None:
    con = sqlite3.connect(db_file)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    data = bytearray(db_file.read_bytes())
    for i in range(4096 * 2 + 100, min(len(data), 4096 * 6)):
        data[i] = 0xA5
    broken = tmp_path / "damaged.db"
    broken.write_bytes(bytes(data))
    with pytest.raises(DatabaseError):
        open_database(broken)


def test_directory_as_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="文件夹"):
        open_database(tmp_path)


def test_sample_plans_load_with_expected_counts(seeded_db: Database) -> None:
    plans = {s.plan.title: s.activities for s in repo.list_plans(seeded_db)}
    assert plans == {
        "岳阳市市场监管系统2024年“质量月”活动方案": 12,
        "共青城市市场监督管理局2024年“质量月”活动方案": 12,
    }
    gq = next(s.plan for s in repo.list_plans(seeded_db) if s.plan.title.startswith("共青城"))
    first = repo.list_activities(seeded_db, gq.id or 0)[0]
    assert first.coop_units == ["食药股", "市场秩序股", "知识产权股", "各分局"]
    times = [a.time_text for a in repo.list_activities(seeded_db, gq.id or 0)]
    assert {"9月", "5-12月", "8月下旬"} <= set(times)


def test_samples_carry_no_ocr_noise_and_no_personal_contacts() -> None:
    from models.resources import resource_path

    text = "".join(p.read_text(encoding="utf-8") for p in resource_path("samples").glob("*.json"))
    for noise in ("质士", "质童", "捉升", "牡查", "支拧"):
        assert noise not in text
    import re

    assert not re.search(r"1[3-9]\d{9}", text)
    assert "@" not in text and "qq.com" not in text


def test_over_long_text_is_refused_with_the_bound(fresh_db: Database) -> None:
    plan_id = make_plan(fresh_db, 1)
    a = repo.list_activities(fresh_db, plan_id)[0]
    with pytest.raises(repo.ValidationError, match="最多 20000 字"):
        editing.set_activity_field(fresh_db, a.id or 0, "content", "长" * 20_001)
    with pytest.raises(repo.ValidationError, match="活动名称最多 400 字"):
        editing.set_activity_field(fresh_db, a.id or 0, "name", "名" * 401)
    editing.set_activity_field(fresh_db, a.id or 0, "content", "长" * 20_000)
    assert len(repo.get_activity(fresh_db, a.id or 0).content) == 20_000
