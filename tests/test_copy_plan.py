"""Copy to next year: every year moves on, nothing of the old year is left, window and command line alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from models import clock, store
from models.db import open_database
from models.records import Activity, Plan
from services import editing
from services.plans import copy_plan, next_year_copy, shift_years
from tests.test_cli import run


@pytest.mark.parametrize(
    ("text", "years", "expected"),
    [
        ("2024年9月", {2024, 2025}, "2025年9月"),
        ("2024年9月至2025年1月", {2024, 2025}, "2025年9月至2026年1月"),
        ("二〇二四年质量月", {2024}, "二〇二五年质量月"),
        ("《质量强国建设纲要（2021—2035年）》", {2024}, "《质量强国建设纲要（2021—2035年）》"),
        ("电话 0730-20241234", {2024}, "电话 0730-20241234"),
        ("9月", {2024}, "9月"),
    ],
)
def test_shift_years(text: str, years: set[int], expected: str) -> None:
    assert shift_years(text, years) == expected


def test_copy_moves_every_year_and_keeps_nothing_of_the_old_one(seeded_db: Database) -> None:
    source = store.get_plan(seeded_db, 1)
    store.update_plan(seeded_db, 1, report_deadline="2024年10月12日前", period_text="2024年9月")
    acts = store.list_activities(seeded_db, 1)
    editing.set_activity_fields(
        seeded_db,
        acts[0].id or 0,
        {
            "time_text": "2024年9月",
            "content": "2024年“质量月”期间开展宣贯",
            "status": "已完成",
            "progress": 100,
            "completed_on": dt.date(2024, 9, 20),
            "completion_notes": "已办结",
        },
    )
    editing.set_activity_fields(
        seeded_db,
        acts[1].id or 0,
        {"planned_start": dt.date(2024, 2, 29), "planned_end": dt.date(2024, 10, 15)},
    )
    new = copy_plan(seeded_db, 1, next_year=True)
    assert new.year == 2025 and new.title == source.title.replace("2024", "2025")
    assert new.period_text == "2025年9月" and new.report_deadline == "2025年10月12日前"
    assert new.doc_number == ""
    copied = store.list_activities(seeded_db, int(new.id or 0))
    assert len(copied) == len(acts)
    first, second = copied[0], copied[1]
    assert first.time_text == "2025年9月" and first.content.startswith("2025年“质量月”")
    assert (first.status, first.progress, first.completed_on, first.completion_notes) == (
        "未开始",
        0,
        None,
        "",
    )
    assert (second.planned_start, second.planned_end) == (dt.date(2025, 2, 28), dt.date(2025, 10, 15))
    texts = [str(v) for v in dataclasses.asdict(new).values()]
    texts += [
        str(getattr(a, f))
        for a in copied
        for f in ("name", "content", "time_text", "remarks", "planned_start")
    ]
    assert not [t for t in texts if re.search(r"(?<!\d)2024(?!\d)", t)]
    assert store.get_plan(seeded_db, 1).year == 2024  # the source is unchanged
    assert store.list_activities(seeded_db, 1)[0].status == "已完成"


def test_plan_without_a_year_in_its_title_says_which_year_the_copy_is() -> None:
    plan, acts = next_year_copy(
        Plan(title="质量月活动方案", year=2024), [Activity(name="a", time_text="9月")]
    )
    assert plan.title == "质量月活动方案（2025年）" and plan.year == 2025 and acts[0].time_text == "9月"


def test_command_line_copy_prints_the_new_id(db_file: Path) -> None:
    result = run("copy", "--db", str(db_file), "--plan", "2", "--next-year")
    assert result.returncode == 0, result.stderr
    new_id = int(result.stdout.strip())
    db = open_database(db_file)
    plan = store.get_plan(db, new_id)
    assert plan.year == 2025 and "2025年" in plan.title and "2024" not in plan.title + plan.period_text
    assert len(store.list_activities(db, new_id)) == 12
    db.close()
    assert "已复制为下一年度方案" in result.stderr
    missing = run("copy", "--db", str(db_file), "--plan", "99", "--next-year")
    assert missing.returncode == 2 and "没有编号为 99 的方案" in missing.stderr and missing.stdout == ""


@pytest.fixture
def on_20_september() -> Iterator[None]:
    with clock.use(clock.FixedClock(dt.date(2024, 9, 20))):
        yield


@pytest.mark.usefixtures("on_20_september")
def test_window_copy_is_the_same_use_case_and_undoable(
    qtbot: object, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from ui.main_window import MainWindow
    from ui.session import Session

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    session = Session(open_database(db_file), db_file)
    window = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.select_plan(2)
    window.duplicate_plan()
    copied = window.current_plan()
    assert copied is not None and copied.year == 2025 and copied.id not in (1, 2)
    assert window.detail.plan_year == 2025
    session.undo_stack.undo()
    assert len(store.list_plans(session.db)) == 2


def test_command_line_archives_and_restores_a_plan(db_file: Path) -> None:
    from models.store.plans import is_archived

    assert run("archive", "--db", str(db_file), "--plan", "1").returncode == 0
    db = open_database(db_file)
    assert is_archived(db, 1) and store.list_plans(db)[-1].plan.id == 1
    db.close()
    assert run("archive", "--db", str(db_file), "--plan", "1", "--active").returncode == 0
    db = open_database(db_file)
    assert not is_archived(db, 1)
    db.close()
    status = run("status", "--db", str(db_file), "--plan", "1", "--today", "2026-01-01")
    assert "已过" in status.stdout and "计划完成 2024-09-30" in status.stdout  # the plan's year, not today's
    run("archive", "--db", str(db_file), "--plan", "1")
    status = run("status", "--db", str(db_file), "--plan", "1", "--today", "2026-01-01")
    assert "（已归档）" in status.stdout and "已过" not in status.stdout and "逾期事项（0）" in status.stdout
