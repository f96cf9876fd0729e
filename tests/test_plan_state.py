"""Plan state (进行中 / 已归档): stored, recorded, undone; an archived plan has no lights and sits apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from models import clock, store
from models.db import open_database
from models.errors import ValidationError
from models.rules import PLAN_ACTIVE, PLAN_ARCHIVED
from models.store.plans import get_plan_state, is_archived, set_plan_state
from models.tracking import Light, compute_overview, format_overview
from services.status import plan_overview
from ui.activity_model import COLUMN_INDEX
from ui.main_window import MainWindow
from ui.plan_list import PlanIdRole
from ui.session import Session

LATE = dt.date(2026, 12, 1)  # long after the 2024 samples


def test_new_plans_are_active_and_listed_first(seeded_db: Database) -> None:
    plans = store.list_plans(seeded_db)
    assert [s.state for s in plans] == [PLAN_ACTIVE, PLAN_ACTIVE]
    first = int(plans[0].plan.id or 0)
    set_plan_state(seeded_db, first, PLAN_ARCHIVED)
    again = store.list_plans(seeded_db)
    assert [s.plan.id for s in again][-1] == first and again[-1].archived
    assert get_plan_state(seeded_db, first) == PLAN_ARCHIVED and is_archived(seeded_db, first)


def test_state_change_is_recorded_and_accepts_chinese_names(seeded_db: Database) -> None:
    plan_id = int(store.list_plans(seeded_db)[0].plan.id or 0)
    assert set_plan_state(seeded_db, plan_id, "已归档") == PLAN_ACTIVE
    change = store.list_changes(seeded_db, plan_id=plan_id)[0]
    assert (change.field, change.old, change.new) == ("state", "进行中", "已归档")
    with pytest.raises(ValidationError, match="方案状态"):
        set_plan_state(seeded_db, plan_id, "已删除")


def test_deleted_archived_plan_comes_back_archived(seeded_db: Database) -> None:
    plan_id = int(store.list_plans(seeded_db)[0].plan.id or 0)
    set_plan_state(seeded_db, plan_id, PLAN_ARCHIVED)
    snapshot = store.delete_plan(seeded_db, plan_id)
    store.restore_plan(seeded_db, snapshot)
    assert get_plan_state(seeded_db, plan_id) == PLAN_ARCHIVED


def test_archived_plan_has_no_lights_nothing_late_and_no_countdown(seeded_db: Database) -> None:
    plan_id = int(store.list_plans(seeded_db)[0].plan.id or 0)
    live = plan_overview(seeded_db, plan_id, LATE)
    assert live.overdue and live.days_left is not None and live.days_left < -700
    set_plan_state(seeded_db, plan_id, PLAN_ARCHIVED)
    ov = plan_overview(seeded_db, plan_id, LATE)
    assert ov.archived and ov.overdue == [] and ov.due_soon == [] and ov.days_left is None
    assert set(k for k, n in ov.lights.items() if n) == {Light.ARCHIVED}
    assert all(u.overdue == 0 for u in ov.per_unit)
    text = format_overview(ov)
    assert "（已归档）" in text and "已过" not in text


def test_overview_of_live_plan_unchanged_by_the_flag() -> None:
    from models.records import Activity, Plan

    plan = Plan(title="t", year=2024)
    acts = [Activity(id=1, name="a", time_text="9月", position=1)]
    assert compute_overview(plan, acts, LATE).lights[Light.OVERDUE] == 1
    assert compute_overview(plan, acts, LATE, archived=True).lights[Light.OVERDUE] == 0


def test_migration_archives_untouched_samples_of_older_files(tmp_path: Path) -> None:
    from models.samples import seed_database
    from models.schema import m0004_plan_state

    path = tmp_path / "old.db"
    db = open_database(path)
    seed_database(db)  # the samples as an older version made them; the office worked on the second
    worked_on = int(store.list_plans(db)[1].plan.id or 0)
    db.execute("UPDATE activities SET status = '进行中' WHERE plan_id = ?", [worked_on])
    db.close()
    raw = Database(path)
    raw.execute("ALTER TABLE plans DROP COLUMN state")  # the file as it was before plan states
    m0004_plan_state(raw)
    states = {r["id"]: r["state"] for r in raw.query("SELECT id, state FROM plans")}
    raw.close()
    assert states[worked_on] == "active"
    assert [s for plan_id, s in states.items() if plan_id != worked_on] == ["archived"]


@pytest.fixture
def window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> Iterator[MainWindow]:
    with clock.use(clock.FixedClock(LATE)):
        yield _window(qtbot, db_file, tmp_path)


def _window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> MainWindow:
    db = open_database(db_file)
    session = Session(db, db_file)
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    return win


def test_archiving_turns_lights_off_and_moves_the_plan_apart(qtbot: QtBot, window: MainWindow) -> None:
    model = window.table.model
    light_col = COLUMN_INDEX["light"]
    assert model.data(model.index(0, light_col)) == "逾期"
    plan_id = window.current_plan_id()
    window.toggle_archived()
    assert window.current_plan_id() == plan_id  # still shown
    assert model.archived and model.data(model.index(0, light_col)) == ""
    assert model.data(model.index(0, light_col), 1) is None  # no coloured dot (DecorationRole)
    plans = window.plans
    caption = plans.index(plans.rowCount() - 2)
    assert caption.data() == "—— 已归档 ——" and caption.data(PlanIdRole) is None
    assert not plans.flags(caption)  # cannot be chosen
    assert plans.index(plans.rowCount() - 1).data(PlanIdRole) == plan_id
    assert "已归档" in plans.index(plans.rowCount() - 1).data()
    window.overview.refresh()
    assert "已归档" in window.overview.summary.text() and "已过" not in window.overview.summary.text()
    window.session.undo_stack.undo()
    assert not model.archived and model.data(model.index(0, light_col)) == "逾期"
    assert plans.rowCount() == 2


def test_archived_plan_stays_searchable_and_exportable(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.toggle_archived()
    window.table.search.setText("电梯")
    assert 0 < window.table.proxy.rowCount() < window.table.model.rowCount()
    from services.exporting import export_plan, make_request

    out = tmp_path / "a.xlsx"
    request = make_request(out, "progress", window.session.settings())
    export_plan(
        window.session.db, window.session.path, int(window.current_plan_id() or 0), request, today=LATE
    )
    from openpyxl import load_workbook

    ws = load_workbook(out)["进展情况表"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "已逾期" not in values and "方案已归档（不亮灯）" in values
