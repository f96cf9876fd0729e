"""Spreadsheets in: offices' own activity tables (.xlsx, .xls, WPS .et; header found by meaning) and returned
progress reports. The cells come from `exports.sheets` (bounded), the activities from `models.table_reader`
(the reader every table format shares)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports.sheets import META_SHEET, SheetError, SheetGrid, read_sheets
from models.errors import ReadError
from models.records import Activity, Plan
from models.table_reader import CellTooLong, ProgressUpdate, TableRead, cell_text, read_table
from models.textnorm import clean_name

__all__ = ["META_SHEET", "ProgressUpdate", "TableImport", "WorkbookError", "plan_from_title", "read_workbook"]


class WorkbookError(ReadError):
    """A workbook that cannot be imported; the message is Chinese and names the problem (and row)."""


@dataclass
class TableImport:
    """What a workbook holds, before anything is written."""

    plan: Plan
    activities: list[Activity]
    columns: dict[str, str]
    header_row: int
    sheet: str
    warnings: list[str] = field(default_factory=list)
    report_plan_id: int | None = None
    updates: list[ProgressUpdate] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the sheet row each activity starts on


def read_workbook(
    path: str | os.PathLike[str],
    max_rows: int = 20_000,
    max_bytes: int = 50 * 1024 * 1024,
    max_cell: int = 20_000,
) -> TableImport:
    """Read an activity table (or a returned progress report) from a workbook; nothing is written."""
    p = Path(path)
    try:
        book = read_sheets(p, max_bytes=max_bytes, max_rows=max_rows)
    except SheetError as exc:
        raise WorkbookError(str(exc)) from exc
    except ReadError as exc:
        raise WorkbookError(str(exc)) from exc
    candidates: list[tuple[tuple[int, int], SheetGrid, TableRead]] = []
    for sheet in book.sheets:
        if sheet.hidden:
            continue
        try:
            table = read_table(sheet.rows, row_numbers=sheet.row_numbers, max_cell=max_cell)
        except CellTooLong as exc:
            raise WorkbookError(f"工作表“{sheet.name}”{exc}") from exc
        if table is None:
            continue
        score = (len(table.columns) + (3 if not table.name_from_content else 2), len(table.activities))
        candidates.append((score, sheet, table))
    if not candidates:
        raise WorkbookError(f"“{p.name}”中没有找到活动表的表头（如“序号”“活动名称”“活动主要内容”等）。")
    with_rows = [c for c in candidates if c[2].activities]
    if not with_rows:
        raise WorkbookError(f"“{p.name}”的工作表“{candidates[0][1].name}”有表头但没有活动行。")
    _score, sheet, table = max(with_rows, key=lambda c: (c[2].activities != [], c[0]))
    warnings = list(book.notes)
    others = [c[1].name for c in with_rows if c[1] is not sheet]
    if others:
        warnings.append(
            f"工作簿中有 {len(with_rows)} 个活动表，已读取“{sheet.name}”（{len(table.activities)} 项）；"
            f"未读取：{'、'.join(others)}。如需其他工作表，请把它另存为单独的工作簿后导入。"
        )
    if table.name_from_content:
        warnings.append("表格没有“活动名称”一栏，活动名称取自内容的第一句，请在预览中核对。")
    warnings.extend(table.warnings)
    header_row = sheet.row_numbers[table.header_index]
    meta = _meta(book.meta)
    ids: dict[int, int] = meta.get("ids", {})
    rows = [sheet.row_numbers[r] for r in table.rows]
    if table.updates:
        for update, row in zip(table.updates, rows, strict=True):
            update.activity_id = ids.get(row)
    report_id = meta.get("plan_id")
    return TableImport(
        plan_from_title(table.title_lines, p),
        table.activities,
        table.columns,
        header_row,
        sheet.name,
        warnings,
        report_id if isinstance(report_id, int) else None,
        table.updates,
        rows,
    )


def plan_from_title(lines: list[str], path: Path) -> Plan:
    """A plan's title, annex label, table title and year from the lines above a table."""
    label = ""
    title = ""
    for line in dict.fromkeys(lines):
        if re.fullmatch(r"附\s*件\s*\d*", line):
            label = re.sub(r"\s+", "", line)
        elif not title and len(line) >= 4:
            title = clean_name(line, 300)
    plan_title = re.sub(r"(主要)?(活动)?(安排表|进展情况表|台账|一览表)$", "", title) or path.stem
    if plan_title and not plan_title.endswith("方案"):
        plan_title = plan_title + ("活动方案" if plan_title.endswith("”") else "")
    year_match = re.search(r"(20\d{2})", title or path.stem)
    return Plan(
        title=plan_title or path.stem,
        annex_label=label,
        table_title=title,
        year=int(year_match[1]) if year_match else None,
    )


def _meta(grid: SheetGrid | None) -> dict[str, Any]:
    """Taizhang's hidden key sheet: key/value pairs in rows 1–6, activity ids from row 8 in column A."""
    if grid is None or not grid.column_numbers:
        return {}
    info: dict[str, Any] = {}
    first_col_a = grid.column_numbers[0] == 1
    for i, n in enumerate(grid.row_numbers):
        row = grid.rows[i]
        if n <= 6 and first_col_a and row[0] is not None:
            second = len(row) > 1 and grid.column_numbers[1] == 2
            info[cell_text(row[0])] = _whole(row[1]) if second else None
    header_row = info.get("header_row")  # ints, whether the workbook stored 3 or 3.0 (.xls)
    ids: dict[int, int] = {}
    if isinstance(header_row, int) and first_col_a:
        for i, n in enumerate(grid.row_numbers):
            value = _whole(grid.rows[i][0])
            if n >= 8 and isinstance(value, int) and not isinstance(value, bool):
                ids[header_row + 1 + (n - 8)] = value
    info["ids"] = ids
    return info


def _whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
