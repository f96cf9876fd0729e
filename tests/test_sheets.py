"""Spreadsheets in: bounded reading of hostile workbooks, old binary workbooks, and the shared table reader."""

from __future__ import annotations

import math
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

import exports.sheets as sheets
from exports.sheets import SheetError, _biff_extents, read_sheets
from exports.xlsx_import import WorkbookError, read_workbook
from models.table_reader import first_clause, parse_progress, read_table, units_by_role
from tests.cfb_writer import write_cfb

FIXTURES = Path(__file__).parent / "fixtures"
MB = 1024 * 1024


def _table(path: Path, extra: list[list[object]] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "活动名称", "活动时间"])
    ws.append([1, "质量宣传", "9月"])
    for row in extra or []:
        ws.append(row)
    wb.save(path)
    return path


def _patch_sheet(path: Path, edit: object) -> Path:
    """Rewrite the first sheet's XML with `edit(xml) -> xml` (how hostile files are built)."""
    out = path.with_name("hostile-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()  # type: ignore[operator]
            dst.writestr(item, data)
    return out


def _bounded(call: object) -> tuple[float, int]:
    """Seconds and peak traced memory of a call."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        call()  # type: ignore[operator]
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return seconds, peak


def test_a_merge_over_the_whole_sheet_costs_nothing(tmp_path: Path) -> None:
    path = _patch_sheet(
        _table(tmp_path / "m.xlsx"),
        lambda xml: xml.replace(
            "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
        ),
    )
    result: list[object] = []
    _seconds, peak = _bounded(lambda: result.append(read_sheets(path, max_bytes=50 * MB, max_rows=20_000)))
    grid = result[0].sheets[0]  # type: ignore[attr-defined]
    assert len(grid.rows) == 2 and len(grid.rows[0]) == 3  # the used area only, filled from A1
    assert grid.rows[1] == ["序号", "序号", "序号"]
    assert peak < 50 * MB


def test_one_value_in_column_xfd_does_not_make_a_wide_grid(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "活动名称"])
    ws.append([1, "质量宣传"])
    ws.cell(row=2, column=16384, value="远处")
    wb.save(tmp_path / "x.xlsx")
    grid = read_sheets(tmp_path / "x.xlsx", max_bytes=50 * MB, max_rows=100).sheets[0]
    assert grid.column_numbers == [1, 2, 16384]
    assert read_workbook(tmp_path / "x.xlsx").activities[0].name == "质量宣传"


def test_a_sheet_of_blanks_is_refused_before_it_inflates(tmp_path: Path) -> None:
    blanks = "<c/>" * 3_200_000  # 12.8 MB of empty cells that zip to a few kilobytes
    path = _patch_sheet(
        _table(tmp_path / "b.xlsx"),
        lambda xml: xml.replace("</sheetData>", f"<row>{blanks}</row></sheetData>"),
    )
    assert path.stat().st_size < 200_000
    with pytest.raises(WorkbookError, match=r"压缩比异常|超过"):
        read_workbook(path)


def test_blank_cells_count_against_the_parse_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_CELL_ELEMENTS", 1_000)
    path = _patch_sheet(
        _table(tmp_path / "b.xlsx"),
        lambda xml: xml.replace("</sheetData>", "<row>" + "<c/>" * 2_000 + "</row></sheetData>"),
    )
    with pytest.raises(WorkbookError, match="单元格超过"):
        read_workbook(path)


def test_hundreds_of_sheets_are_refused_at_once(tmp_path: Path) -> None:
    wb = Workbook()
    for i in range(300):
        wb.create_sheet(f"表{i}").append(["序号", "活动名称"])
    wb.save(tmp_path / "many.xlsx")
    with pytest.raises(WorkbookError, match="301 个工作表"):
        read_workbook(tmp_path / "many.xlsx")


def test_too_many_rows_stop_the_stream_early(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["序号", "活动名称"])
    for i in range(30_000):
        ws.append([i, f"活动{i}"])
    wb.save(tmp_path / "rows.xlsx")
    with pytest.raises(WorkbookError, match="超过导入上限 20000 行"):
        read_workbook(tmp_path / "rows.xlsx")


def test_a_password_protected_workbook_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"
    path.write_bytes(
        write_cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 60, "EncryptedPackage": b"\x00" * 64})
    )
    with pytest.raises(WorkbookError, match="密码"):
        read_workbook(path)


def test_an_old_binary_workbook_and_a_wps_table_are_read() -> None:
    for name in ("merged-two-row-header.xls", "merged-two-row-header-wps.et"):  # saved by LibreOffice as .xls
        table = read_workbook(FIXTURES / name)
        assert table.sheet == "活动安排表"
        assert table.plan.annex_label == "附件2"
        assert [a.name for a in table.activities] == [
            "举办质量月启动仪式",
            "开展“质量开放日”活动",
            "产品质量监督抽查",
        ]
        first, second, third = table.activities
        assert (first.time_text, first.lead_units, first.coop_units) == (
            "9月1日",
            ["质量发展科"],
            ["办公室", "宣传科"],
        )
        assert "组织群众参观检测机构" in second.content  # the row without 序号 continues the one above
        assert (third.lead_units, third.coop_units) == (["质量监督科"], ["各分局"])
        assert any("活动名称" in w for w in table.warnings)


def test_a_biff_sheet_spanning_the_whole_grid_is_measured_before_it_is_built() -> None:
    def record(rtype: int, body: bytes) -> bytes:
        return rtype.to_bytes(2, "little") + len(body).to_bytes(2, "little") + body

    bof = record(0x0809, b"\x00\x06\x10\x00" + b"\x00" * 12)

    def cell(r: int, c: int) -> bytes:
        return record(0x0203, r.to_bytes(2, "little") + c.to_bytes(2, "little") + b"\x0f\x00" + b"\x00" * 8)

    stream = bof + cell(0, 0) + cell(65535, 255) + record(0x000A, b"")
    assert _biff_extents(stream) == [(65536, 256)]
    assert sheets.MAX_CELL_ELEMENTS < 65536 * 256  # such a sheet is refused before calamine fills it


def test_not_a_workbook_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    path.write_text("序号\t活动名称\n1\t宣传\n", encoding="utf-8")
    with pytest.raises(SheetError, match="文本文件"):
        read_sheets(path, max_bytes=MB, max_rows=10)


# --- the table reader ---------------------------------------------------------------------------------


def test_circled_numbers_and_cjk_numbers_are_row_numbers() -> None:
    rows: list[list[object]] = [
        ["序号", "活动名称", "进度"],
        ["①", "宣传", "50%"],
        ["②", "检查", 1e999],
        ["三", "总结", math.nan],
    ]
    table = read_table(rows)
    assert table is not None
    assert [u.position for u in table.updates] == [1, 2, 3]
    assert [a.progress for a in table.activities] == [50, 0, 0]
    assert sum("进度" in w for w in table.warnings) == 2


def test_progress_values() -> None:
    assert parse_progress(0.8) == 80 and parse_progress("80%") == 80 and parse_progress(100) == 100
    for bad in (1e999, -1, 101, "八十", True, math.nan):
        with pytest.raises((ValueError, OverflowError)):
            parse_progress(bad)


def test_a_table_without_a_name_column_names_rows_by_their_first_clause() -> None:
    rows = [
        ["序号", "活动内容", "活动时间", "牵头部门", "协助部门"],
        ["1", "召开质量月动员会：部署全年工作", "9月初", "质量发展股", "办公室"],
        [
            "2",
            "组织开展质量安全进社区、进企业、进学校活动，普及质量知识，提高群众质量意识",
            "9月",
            "各所",
            "",
        ],
    ]
    table = read_table(rows)
    assert table is not None and table.name_from_content
    assert [a.name for a in table.activities] == [
        "召开质量月动员会",
        "组织开展质量安全进社区、进企业、进学校活动",
    ]
    assert table.activities[0].coop_units == ["办公室"]


def test_section_rows_and_repeated_headers_are_not_activities() -> None:
    rows = [
        ["序号", "活动名称", "牵头单位"],
        ["一、宣传活动", "一、宣传活动", "一、宣传活动"],
        ["1", "启动仪式", "质量科"],
        ["序号", "活动名称", "牵头单位"],
        ["2", "开放日", "计量科"],
    ]
    table = read_table(rows)
    assert table is not None
    assert [a.name for a in table.activities] == ["启动仪式", "开放日"]


def test_units_by_role() -> None:
    assert units_by_role("质量科牵头，标准化科、计量科配合") == (["质量科"], ["标准化科", "计量科"])
    assert units_by_role("质量科、计量科") == (["质量科", "计量科"], [])
    assert first_clause("（一）开展计量进社区。内容……") == "开展计量进社区"
