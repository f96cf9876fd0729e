"""Excel out: values, styles, merged title, print settings, footer, validation, no formulas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlite_utils import Database

from exports.atomic import ExportError
from exports.columns import DEFAULT_TABLE_COLUMNS
from exports.options import XlsxOptions
from exports.xlsx_export import export_progress_report, export_table
from models import store as repo
from models.records import Activity, Plan
from services import editing


@pytest.fixture
def plan_and_rows(seeded_db: Database) -> tuple[Plan, list[Activity]]:
    return repo.get_plan(seeded_db, 1), repo.list_activities(seeded_db, 1)


def test_table_values_title_label_and_header(
    tmp_path: Path, plan_and_rows: tuple[Plan, list[Activity]]
) -> None:
    plan, rows = plan_and_rows
    out = export_table(tmp_path / "t.xlsx", plan, rows)
    ws = load_workbook(out).active
    assert ws["A1"].value == "附件2"
    assert ws["A2"].value == "岳阳市市场监管系统“质量月”主要活动安排表"
    assert "A2:H2" in {str(r) for r in ws.merged_cells.ranges}
    headers = [c.value for c in ws[3]]
    assert headers == [
        "序号",
        "活动名称",
        "活动主要内容",
        "活动时间",
        "活动地点",
        "牵头部门",
        "配合部门",
        "备注",
    ]
    assert all(c.font.bold for c in ws[3])
    assert ws["B4"].value == rows[0].name
    assert ws["A15"].value == "12"
    assert ws["G4"].value == "各县市区局"
    assert ws["C4"].alignment.wrap_text and ws["C4"].border.left.style == "thin"
    assert ws.row_dimensions[4].height >= 20
    body = [c for r in ws.iter_rows(min_row=4, max_row=3 + len(rows)) for c in r]
    assert all(c.border.bottom.style == "thin" and c.font.size == 11 and c.alignment.wrap_text for c in body)
    centred = {c.column_letter for c in body if c.alignment.horizontal == "center"}
    assert centred == {"A", "D", "E"}  # 序号, 时间, 地点; the long texts are left-aligned
    assert 6 <= ws.column_dimensions["A"].width <= ws.column_dimensions["C"].width <= 50


def test_print_setup_makes_a_clean_printout(
    tmp_path: Path, plan_and_rows: tuple[Plan, list[Activity]]
) -> None:
    plan, rows = plan_and_rows
    ws = load_workbook(export_table(tmp_path / "t.xlsx", plan, rows)).active
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$3:$3"
    assert ws.print_area == ["'活动安排表'!$A$1:$H$15"] or "$A$1:$H$15" in str(ws.print_area)
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.freeze_panes == "A4"


def test_chosen_columns_and_labels(tmp_path: Path, plan_and_rows: tuple[Plan, list[Activity]]) -> None:
    plan, rows = plan_and_rows
    options = XlsxOptions(columns=["position", "name", "lead_units"], annex_label="", title="自定标题")
    ws = load_workbook(export_table(tmp_path / "t.xlsx", plan, rows, options)).active
    assert ws["A1"].value == "自定标题"
    assert [c.value for c in ws[2]] == ["序号", "活动名称", "牵头部门"]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","点我")', "+1", "-各分局", "@SUM(A1)", "=1+1"])
def test_user_text_never_becomes_a_formula(tmp_path: Path, text: str) -> None:
    plan = Plan(id=1, title="方案", year=2024)
    rows = [Activity(id=1, position=1, name=text, content=text, lead_units=[text], remarks=text)]
    for path in (
        export_table(tmp_path / "a.xlsx", plan, rows),
        export_progress_report(tmp_path / "b.xlsx", plan, rows, today=dt.date(2024, 9, 1)),
    ):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
        assert wb.worksheets[0]["B3"].value == text


def test_progress_report_has_tracking_dropdown_highlight_and_unit_sheet(
    tmp_path: Path, seeded_db: Database
) -> None:
    plan = repo.get_plan(seeded_db, 1)
    rows = repo.list_activities(seeded_db, 1)
    editing.set_activity_fields(
        seeded_db,
        rows[0].id or 0,
        {
            "status": "已完成",
            "progress": 100,
            "completed_on": dt.date(2024, 9, 5),
            "completion_notes": "已办",
        },
    )
    rows = repo.list_activities(seeded_db, 1)
    wb = load_workbook(export_progress_report(tmp_path / "p.xlsx", plan, rows, today=dt.date(2024, 9, 20)))
    ws = wb["进展情况表"]
    assert ws["A1"].value.endswith("进展情况表")  # no 附件2 label unless asked for
    headers = [c.value for c in ws[2]]
    for name in ("状态", "进度(%)", "计划时间", "完成时间", "完成情况", "亮灯"):
        assert name in headers
    status_col = headers.index("状态") + 1
    assert ws.cell(row=3, column=status_col).value == "已完成"
    assert ws.cell(row=3, column=headers.index("完成情况") + 1).value == "已办"
    assert ws.cell(row=3, column=headers.index("计划时间") + 1).value == "2024-09-01 ～ 2024-09-30"
    validations = ws.data_validations.dataValidation
    lists = [v for v in validations if v.type == "list"]
    assert lists and lists[0].formula1 == '"未开始,进行中,已完成,已取消"' and not lists[0].showDropDown
    assert any(v.type == "whole" for v in validations)
    # row 14 is activity 12 (9月上旬): overdue on 2024-09-20 → red fill; row 3 done → green
    assert ws.cell(row=14, column=1).fill.fgColor.rgb.endswith("F8D7DA")
    assert ws.cell(row=3, column=1).fill.fgColor.rgb.endswith("D4EDDA")
    units = wb["按单位统计"]
    assert units["A1"].value == "牵头单位"
    table = {units.cell(row=r, column=1).value: units.cell(row=r, column=3).value for r in range(2, 12)}
    assert table["质量发展科"] == 1
    assert wb["_taizhang"].sheet_state == "hidden"


def test_export_to_missing_folder_or_locked_target_fails_cleanly(
    tmp_path: Path, plan_and_rows: tuple[Plan, list[Activity]], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, rows = plan_and_rows
    with pytest.raises(ExportError, match="不存在"):
        export_table(tmp_path / "nope" / "t.xlsx", plan, rows)
    import os

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError, match="正在被其他程序"):
        export_table(tmp_path / "t.xlsx", plan, rows)
    assert list(tmp_path.iterdir()) == []  # nothing partial left behind


def test_empty_plan_exports_header_only(tmp_path: Path) -> None:
    ws = load_workbook(export_table(tmp_path / "e.xlsx", Plan(title="空方案"), [])).active
    assert [c.value for c in ws[2]][:2] == ["序号", "活动名称"]


def test_progress_validations_refuse_other_values_and_show_their_prompt(
    tmp_path: Path, plan_and_rows: tuple[Plan, list[Activity]]
) -> None:
    plan, rows = plan_and_rows
    ws = load_workbook(export_progress_report(tmp_path / "p.xlsx", plan, rows))["进展情况表"]
    validations = ws.data_validations.dataValidation
    assert {v.type for v in validations} == {"list", "whole"}
    for v in validations:
        assert v.showErrorMessage and v.showInputMessage and v.errorStyle in (None, "stop")
        assert v.error and v.errorTitle and v.prompt and v.promptTitle


def test_every_row_has_an_explicit_height_that_grows_with_wrapped_text(
    tmp_path: Path, plan_and_rows: tuple[Plan, list[Activity]]
) -> None:
    plan, rows = plan_and_rows
    rows[0].content = "很长的内容。" * 60
    for export in (export_table, export_progress_report):
        wb = load_workbook(export(tmp_path / f"{export.__name__}.xlsx", plan, rows))
        for ws in (s for s in wb.worksheets if s.sheet_state == "visible"):
            for r in range(1, ws.max_row + 1):
                if any(c.value not in (None, "") for c in ws[r]):
                    assert ws.row_dimensions[r].height, (ws.title, r)
    ws = load_workbook(tmp_path / "export_table.xlsx").active
    assert ws.row_dimensions[4].height > 3 * ws.row_dimensions[5].height


def test_progress_report_prints_one_page_wide_at_nine_points_or_more(
    tmp_path: Path, plan_and_rows: tuple[Plan, list[Activity]]
) -> None:
    from openpyxl.utils import get_column_letter

    from exports.xlsx_export import print_scale

    plan, rows = plan_and_rows
    every = XlsxOptions(columns=list(DEFAULT_TABLE_COLUMNS))  # the clerk ticks all eight table columns too
    for options in (None, every):
        wb = load_workbook(export_progress_report(tmp_path / "p.xlsx", plan, rows, options))
        ws = wb["进展情况表"]
        widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
        paper = "A3" if str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A3) else "A4"
        assert 11 * print_scale(widths, paper) >= 9, (options, paper)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    units = wb["按单位统计"]
    assert units.page_setup.orientation == "portrait" and str(units.page_setup.paperSize) == "9"
    assert units.print_title_rows == "$1:$1" and units.oddFooter.center.text
    assert units.sheet_properties.pageSetUpPr.fitToPage


def test_progress_report_label_only_when_asked(
    tmp_path: Path, plan_and_rows: tuple[Plan, list[Activity]]
) -> None:
    plan, rows = plan_and_rows
    options = XlsxOptions(columns=["position", "name"], annex_label="附件3")
    ws = load_workbook(export_progress_report(tmp_path / "p.xlsx", plan, rows, options))["进展情况表"]
    assert ws["A1"].value == "附件3"
