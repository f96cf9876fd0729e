"""Excel in: offices' own activity tables (header found by meaning) and returned progress reports."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports.inputs import input_problem
from models.errors import ReadError
from models.records import STATUSES, Activity, Plan
from models.textnorm import clean_name, clean_text, split_units
from models.vocabulary import match_header

META_SHEET = "_taizhang"
HEADER_SCAN_ROWS = 20


class WorkbookError(ReadError):
    """A workbook that cannot be imported; the message is Chinese and names the problem (and row)."""


@dataclass
class ProgressUpdate:
    """One row of a returned progress report."""

    activity_id: int | None
    position: int | None
    name: str
    status: str | None
    progress: int | None
    completed_on: dt.date | None
    completion_notes: str | None


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


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not m:
        raise ValueError(text)
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def _parse_progress(value: Any) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value * 100 if 0 < value < 1 else value
        if number != int(number):
            number = round(number)
        number = int(number)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().rstrip("%").strip()
        if not re.fullmatch(r"\d{1,3}(\.\d+)?", text):
            raise ValueError(text)
        number = round(float(text))
    if not 0 <= number <= 100:
        raise ValueError(str(value))
    return number


def _load(path: Path, max_bytes: int) -> Any:
    from openpyxl import load_workbook

    problem = input_problem(path, max_bytes)
    if problem:
        raise WorkbookError(problem)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(
            f"“{path.name}”是旧版 Excel（.xls）格式，请在 Excel 或 WPS 中另存为 .xlsx 后再导入。"
        )
    if not head.startswith(b"PK"):
        raise WorkbookError(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件。")
    try:
        return load_workbook(path, data_only=True)
    except zipfile.BadZipFile as exc:
        raise WorkbookError(f"“{path.name}”已损坏（压缩包无法打开），无法导入。") from exc
    except KeyError as exc:
        raise WorkbookError(f"“{path.name}”缺少工作簿内容（{exc}），可能已损坏。") from exc
    except Exception as exc:
        raise WorkbookError(f"“{path.name}”无法作为 Excel 工作簿读取（{type(exc).__name__}）。") from exc


def read_workbook(
    path: str | os.PathLike[str],
    max_rows: int = 20_000,
    max_bytes: int = 50 * 1024 * 1024,
    max_cell: int = 20_000,
) -> TableImport:
    """Read an activity table (or a returned progress report) from an .xlsx; nothing is written."""
    p = Path(path)
    wb = _load(p, max_bytes)
    try:
        return _read(wb, p, max_rows, max_cell)
    finally:
        wb.close()


def _grid(ws: Any, max_rows: int) -> list[list[Any]]:
    """Return the sheet's values with merged ranges filled from their top-left cell."""
    if ws.max_row > max_rows + HEADER_SCAN_ROWS:
        raise WorkbookError(
            f"工作表“{ws.title}”有 {ws.max_row} 行，超过导入上限 {max_rows} 行。请拆分后导入。"
        )
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([None] * (width - len(r)))
    for merged in ws.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else None
        for row_no in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            for col_no in range(merged.min_col, min(merged.max_col, width) + 1):
                rows[row_no - 1][col_no - 1] = value
    return rows


def _read(wb: Any, path: Path, max_rows: int, max_cell: int) -> TableImport:
    best: tuple[int, Any, int, dict[str, int], list[list[Any]]] | None = None
    for ws in wb.worksheets:
        if ws.title == META_SHEET or ws.sheet_state != "visible":
            continue
        grid = _grid(ws, max_rows)
        for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
            mapping = match_header(row)
            score = len(mapping) + (3 if "name" in mapping else 0)
            if "name" in mapping and len(mapping) >= 2 and (best is None or score > best[0]):
                best = (score, ws, r, mapping, grid)
    if best is None:
        raise WorkbookError(f"“{path.name}”中没有找到活动表的表头（如“序号”“活动名称”“活动主要内容”等）。")
    _score, ws, header_index, mapping, grid = best
    header = grid[header_index]
    warnings: list[str] = []
    title_lines = [_cell_text(v).strip() for row in grid[:header_index] for v in row[:1] + row[1:] if v]
    plan = _plan_from_title(title_lines, path)
    activities: list[Activity] = []
    updates: list[ProgressUpdate] = []
    meta = _meta(wb)
    ids = meta.get("ids", {})
    for r in range(header_index + 1, len(grid)):
        row = grid[r]
        excel_row = r + 1
        values = {f: row[c] if c < len(row) else None for f, c in mapping.items()}
        texts = {f: _cell_text(v) for f, v in values.items()}
        for f, t in texts.items():
            if len(t) > max_cell:
                raise WorkbookError(
                    f"第 {excel_row} 行“{_cell_text(header[mapping[f]])}”一栏超过 {max_cell} 个字符，"
                    "请检查是否粘贴了多余内容。"
                )
        if not any(t.strip() for t in texts.values()):
            continue
        number = texts.get("position", "").strip()
        if "position" in mapping and not number and activities and not texts.get("status", "").strip():
            _continue_row(activities[-1], texts)
            continue
        name = clean_name(texts.get("name", ""), 400)
        if not name:
            content = clean_text(texts.get("content", ""))
            if not content:
                warnings.append(f"第 {excel_row} 行没有活动名称，已跳过。")
                continue
            name = clean_name(content.split("\n")[0], 60)
        activity = Activity(
            position=len(activities) + 1,
            name=name,
            content=clean_text(texts.get("content", "")),
            time_text=clean_name(texts.get("time_text", "")),
            location=clean_name(texts.get("location", "")),
            lead_units=split_units(texts.get("lead_units", "")),
            coop_units=split_units(texts.get("coop_units", "")),
            remarks=clean_text(texts.get("remarks", "")),
        )
        if (
            "content" in mapping
            and activity.content == activity.name
            and mapping.get("content") == mapping.get("name")
        ):
            activity.content = ""
        update = _tracking(activity, values, texts, excel_row, warnings)
        activities.append(activity)
        if update is not None:
            position = int(number) if number.isdigit() else activity.position
            update.activity_id = ids.get(excel_row)
            update.position = position
            updates.append(update)
    if not activities:
        raise WorkbookError(f"“{path.name}”的工作表“{ws.title}”有表头但没有活动行。")
    columns = {f: clean_name(_cell_text(header[c])) for f, c in mapping.items()}
    report_id = meta.get("plan_id")
    return TableImport(
        plan,
        activities,
        columns,
        header_index + 1,
        ws.title,
        warnings,
        report_id if isinstance(report_id, int) else None,
        updates,
    )


def _continue_row(previous: Activity, texts: dict[str, str]) -> None:
    """A row with no 序号 that only continues the text of the row above is merged into it."""
    for f in ("name", "content", "remarks", "location", "time_text"):
        extra = clean_text(texts.get(f, ""))
        if extra:
            current = getattr(previous, f)
            joiner = "" if f in ("name", "time_text", "location") else "\n"
            setattr(previous, f, f"{current}{joiner}{extra}" if current else extra)
    for f in ("lead_units", "coop_units"):
        for unit in split_units(texts.get(f, "")):
            if unit not in getattr(previous, f):
                getattr(previous, f).append(unit)


def _tracking(
    activity: Activity, values: dict[str, Any], texts: dict[str, str], excel_row: int, warnings: list[str]
) -> ProgressUpdate | None:
    if not {"status", "progress", "completed_on", "completion_notes"} & set(values):
        return None
    update = ProgressUpdate(None, None, activity.name, None, None, None, None)
    status = clean_name(texts.get("status", ""))
    if status:
        if status in STATUSES:
            activity.status = update.status = status
        else:
            warnings.append(f"第 {excel_row} 行的状态“{status}”无效（可选：{'、'.join(STATUSES)}），已忽略。")
    raw = values.get("progress")
    if raw not in (None, ""):
        try:
            activity.progress = update.progress = _parse_progress(raw)
        except ValueError:
            warnings.append(f"第 {excel_row} 行的进度“{_cell_text(raw)}”不是 0–100 的数，已忽略。")
    raw = values.get("completed_on")
    if raw not in (None, ""):
        try:
            activity.completed_on = update.completed_on = _parse_date(raw)
        except ValueError:
            warnings.append(f"第 {excel_row} 行的完成时间“{_cell_text(raw)}”不是有效日期，已忽略。")
    if "completion_notes" in values:
        notes = clean_text(texts.get("completion_notes", ""))
        activity.completion_notes = notes
        update.completion_notes = notes or None
    return update


def _plan_from_title(lines: list[str], path: Path) -> Plan:
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


def _meta(wb: Any) -> dict[str, Any]:
    if META_SHEET not in wb.sheetnames:
        return {}
    ws = wb[META_SHEET]
    info: dict[str, Any] = {}
    for row in ws.iter_rows(min_row=1, max_row=6, values_only=True):
        if row and row[0]:
            info[str(row[0])] = row[1] if len(row) > 1 else None
    header_row = info.get("header_row")
    ids: dict[int, int] = {}
    if isinstance(header_row, int):
        for i, row in enumerate(ws.iter_rows(min_row=8, values_only=True)):
            if row and isinstance(row[0], int):
                ids[header_row + 1 + i] = row[0]
    info["ids"] = ids
    return info
