"""The use-case layer: one export dispatch with typed requests, one edit path, settings and the clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlite_utils import Database

from exports.options import PdfOptions, XlsxOptions
from models import clock, store
from models.errors import ExportError, ValidationError
from models.settings import OfficeSettings, load_settings, save_settings, with_changes
from services import editing
from services.exporting import (
    ProgressXlsx,
    SummaryPdf,
    TablePdf,
    TableXlsx,
    export_plan,
    make_request,
)


@pytest.mark.parametrize(
    ("name", "report", "kind"),
    [
        ("a.xlsx", "table", TableXlsx),
        ("a.xlsx", "progress", ProgressXlsx),
        ("a.pdf", "table", TablePdf),
        ("a.PDF", "summary", SummaryPdf),
    ],
)
def test_one_request_type_per_kind(name: str, report: str, kind: type) -> None:
    request = make_request(Path(name), report, OfficeSettings(pdf_page_numbers="of"))
    assert type(request) is kind
    if isinstance(request.options, PdfOptions):
        assert request.options.page_numbers == "of"  # the office's PDF settings, unless chosen for this file
    else:
        assert isinstance(request.options, XlsxOptions)


@pytest.mark.parametrize(
    ("name", "report"), [("a.xlsx", "summary"), ("a.pdf", "progress"), ("a.docx", "table")]
)
def test_a_combination_that_does_not_exist_names_the_choices(name: str, report: str) -> None:
    with pytest.raises(ExportError, match=r"结尾|可选"):
        make_request(Path(name), report, OfficeSettings())


def test_the_table_workbook_lights_follow_the_office_setting_and_the_clock(
    seeded_db: Database, tmp_path: Path
) -> None:
    """The table export once hard-coded 7 days and the wall clock; now both come from the one place."""
    plan = store.list_plans(seeded_db)[0].plan
    columns = ["position", "name", "time_text", "status"]
    request = make_request(tmp_path / "t.xlsx", "table", load_settings(seeded_db), columns=columns)

    def light_fill(day: dt.date) -> set[str]:
        with clock.use(clock.FixedClock(day)):
            export_plan(seeded_db, None, plan.id or 0, request)
        ws = load_workbook(request.path).active
        return {str(ws.cell(row=r, column=1).fill.fgColor.rgb) for r in range(4, ws.max_row + 1)}

    assert any("F8D7DA" in c for c in light_fill(dt.date(2024, 12, 31)))  # everything overdue: red
    assert not any("F8D7DA" in c for c in light_fill(dt.date(2024, 1, 2)))  # nothing due yet


def test_settings_have_defaults_bounds_and_survive_damage(fresh_db: Database) -> None:
    assert load_settings(fresh_db) == OfficeSettings()
    saved = save_settings(
        fresh_db, with_changes(OfficeSettings(), due_soon_days=99, statuses=("已暂停", "未开始"))
    )
    assert saved.due_soon_days == 60 and saved.statuses == ("已暂停",)
    assert saved.all_statuses == ["未开始", "进行中", "已完成", "已取消", "已暂停"]
    store.set_setting(fresh_db, "due_soon_days", "十天")
    store.set_setting(fresh_db, "statuses", "{broken")
    assert load_settings(fresh_db).due_soon_days == 7 and load_settings(fresh_db).statuses == ()


def test_an_edit_applies_the_status_rule_once(seeded_db: Database) -> None:
    activity = store.list_activities(seeded_db, 1)[0]
    changes = editing.prepare_edit(
        seeded_db, activity, {"status": "已完成"}, plan_year=2024, today=dt.date(2024, 9, 20)
    )
    assert changes == {"status": "已完成", "progress": 100, "completed_on": dt.date(2024, 9, 20)}
    olds = editing.write(seeded_db, activity.id or 0, changes)
    assert olds == {"status": "未开始", "progress": 0, "completed_on": None}
    assert [c.field for c in store.list_changes(seeded_db, activity_id=activity.id)][:3] == [
        "completed_on",
        "progress",
        "status",
    ]
    with pytest.raises(ValidationError):
        editing.prepare_edit(seeded_db, activity, {"progress": "1E999"}, plan_year=2024)


def test_the_clock_stamps_history_backups_and_log_entries(seeded_db: Database) -> None:
    activity = store.list_activities(seeded_db, 1)[0]
    with clock.use(clock.FixedClock(dt.date(2024, 9, 15))):
        entry = store.add_progress_entry(seeded_db, activity.id or 0, "启动仪式已举行")
        editing.set_activity_fields(seeded_db, activity.id or 0, {"remarks": "改"})
    assert entry.entry_date == dt.date(2024, 9, 15)
    assert store.list_changes(seeded_db, activity_id=activity.id)[0].at.startswith("2024-09-15T")
