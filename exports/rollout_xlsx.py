"""下发: one office's 进展情况表 with hidden stable row keys, protected key columns and refusing dropdowns;
and the office's reply written back into the upper office's own template with the keys intact."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exports.atomic import atomic_target
from exports.xlsx_export import (
    BODY_FONT,
    BORDER,
    LABEL_FONT,
    TITLE_FONT,
    save_workbook,
    text_width,
    wrapped_lines,
)
from models.errors import ExportError
from models.labels import PROGRESS_PERCENT_HEADER, label

#: The hidden sheet that names plan, office and version; `veryHidden` keeps it out of 取消隐藏.
META_SHEET = "_taizhang_rollup"
FORMAT = 1
SHEET = "进展情况表"
KEY_HEADER = "台账行键（请勿修改）"
KEY_PREFIX = "TZR1"
#: The form fields above the table, in order, and where each is written (row, column of its label).
FORM_KEYS = ("filling_unit", "filled_by", "phone", "filled_on")
FORM_PLACES = ((2, 2), (2, 7), (3, 2), (3, 7))
#: Their labels, as written and as the returns reader looks for them (fixed when the module is loaded:
#: a return is read with the wording its template was written with).
FORM_FIELDS = tuple(label(key) for key in FORM_KEYS)
#: Columns of the template, in order; the last one (the row key) is hidden.
COLUMNS = (
    "position",
    "name",
    "content",
    "time_text",
    "lead_units",
    "coop_units",
    "status",
    "progress",
    "completed_on",
    "completion_notes",
)
FILLED = ("status", "progress", "completed_on", "completion_notes")
WIDTHS = {
    "position": 6,
    "name": 22,
    "content": 36,
    "time_text": 11,
    "lead_units": 12,
    "coop_units": 14,
    "status": 9,
    "progress": 8,
    "completed_on": 12,
    "completion_notes": 36,
}
#: Spare rows below the table that keep the dropdowns for rows an office inserts.
SPARE_ROWS = 50
HEADER_ROW = 4


@dataclass
class TemplateRow:
    """One activity as the office sees it, with its current values (its own, if it returned before)."""

    activity_id: int
    position: int
    name: str
    content: str = ""
    time_text: str = ""
    lead_units: str = ""
    coop_units: str = ""
    status: str = ""
    progress: int = 0
    completed_on: dt.date | None = None
    completion_notes: str = ""


@dataclass
class TemplateSpec:
    """Everything one office's template carries."""

    plan_uid: str
    plan_id: int
    plan_title: str
    issued_by: str
    office_id: int
    office: str
    version: int
    deadline: str
    statuses: tuple[str, ...]
    rows: list[TemplateRow] = field(default_factory=list)
    title: str = ""  # the table title without 进展情况表; empty → the plan title


def row_key(plan_uid: str, activity_id: int, office_id: int, version: int) -> str:
    """The stable key of one activity of one office's template, with a check against hand edits."""
    body = f"{KEY_PREFIX}|{plan_uid}|{activity_id}|{office_id}|{version}"
    return f"{body}|{hashlib.sha256(body.encode()).hexdigest()[:8]}"


def parse_row_key(text: object) -> tuple[str, int, int, int] | None:
    """Return (plan uid, activity id, office id, version) of a valid row key, or None."""
    parts = str(text or "").strip().split("|")
    if len(parts) != 6 or parts[0] != KEY_PREFIX:
        return None
    if row_key(parts[1], *(int(p) if p.isdigit() else -1 for p in parts[2:5])) != "|".join(parts):
        return None
    return parts[1], int(parts[2]), int(parts[3]), int(parts[4])


def meta_check(meta: dict[str, Any]) -> str:
    """The checksum of the hidden sheet's values (anything edited there no longer matches)."""
    # as text, empty for none: a workbook gives an empty string back as no value, a number maybe as a float
    canonical = {k: _canonical(meta[k]) for k in sorted(meta) if k != "check"}
    text = json.dumps(canonical, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def deadline_title(spec: TemplateSpec) -> str:
    """The title printed above the table, naming the office and the return deadline."""
    base = spec.title or spec.plan_title
    # 《…活动安排表》 and 《…活动方案》 both become 《…活动进展情况表》
    for ending, kept in (
        ("主要活动安排表", "活动"),
        ("活动安排表", "活动"),
        ("安排表", ""),
        ("活动方案", "活动"),
        ("工作方案", "工作"),
        ("实施方案", ""),
        ("方案", ""),
    ):
        if base.endswith(ending) and len(base) > len(ending):
            base = base.removesuffix(ending) + kept
            break
    when = f"，请于{spec.deadline.removesuffix('前')}前报送" if spec.deadline else ""
    return f"{base}进展情况表（{spec.office}{when}）"


def _text(ws: Worksheet, row: int, col: int, value: str) -> Any:
    cell = ws.cell(row=row, column=col)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def write_template(path: str | os.PathLike[str], spec: TemplateSpec) -> Path:
    """Write one office's template; return its path."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ncols = len(COLUMNS) + 1
    key_col = ncols
    title = _text(ws, 1, 1, deadline_title(spec))
    title.font = Font(name=TITLE_FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.row_dimensions[1].height = 40
    unlocked = Protection(locked=False)
    # 填报单位 (filled in) and the three fields the office fills, two per row
    for name, key, (row, col) in zip(FORM_FIELDS, FORM_KEYS, FORM_PLACES, strict=True):
        _text(ws, row, col, f"{name}：").font = Font(name=LABEL_FONT, size=11)
        ws.cell(row=row, column=col).alignment = Alignment(horizontal="right", vertical="center")
        value = _text(ws, row, col + 1, spec.office if key == "filling_unit" else "")
        value.font = Font(name=BODY_FONT, size=11)
        value.border = BORDER
        if key != "filling_unit":
            value.protection = unlocked
        if col > 2:  # the narrow 进度 column alone cannot hold a name or a date
            ws.merge_cells(start_row=row, start_column=col + 1, end_row=row, end_column=len(COLUMNS))
        ws.row_dimensions[row].height = 22
    for col, key in enumerate(COLUMNS, start=1):
        header = PROGRESS_PERCENT_HEADER if key == "progress" else label(key)
        cell = _text(ws, HEADER_ROW, col, header)
        cell.font = Font(name=LABEL_FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[key]
    _text(ws, HEADER_ROW, key_col, KEY_HEADER)
    ws.column_dimensions[get_column_letter(key_col)].width = 30
    ws.column_dimensions[get_column_letter(key_col)].hidden = True
    ws.row_dimensions[HEADER_ROW].height = 30
    body = Font(name=BODY_FONT, size=10.5)
    wrap = Alignment(horizontal="left", vertical="center", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    keys: list[str] = []
    for i, r in enumerate(spec.rows):
        row = HEADER_ROW + 1 + i
        values: dict[str, object] = {
            "position": r.position,
            "name": r.name,
            "content": r.content,
            "time_text": r.time_text,
            "lead_units": r.lead_units,
            "coop_units": r.coop_units,
            "status": r.status,
            "progress": r.progress,
            "completed_on": r.completed_on.isoformat() if r.completed_on else "",
            "completion_notes": r.completion_notes,
        }
        lines = 1
        for col, key in enumerate(COLUMNS, start=1):
            value = values[key]
            if isinstance(value, int):
                cell = ws.cell(row=row, column=col, value=value)
            else:
                cell = _text(ws, row, col, str(value))
                lines = max(lines, wrapped_lines(str(value), WIDTHS[key]))
            cell.font = body
            cell.border = BORDER
            cell.alignment = centre if key in ("position", "status", "progress", "time_text") else wrap
            if key in FILLED:
                cell.protection = unlocked
        key = row_key(spec.plan_uid, r.activity_id, spec.office_id, spec.version)
        keys.append(key)
        _text(ws, row, key_col, key)
        ws.row_dimensions[row].height = min(409.0, max(22.0, lines * 14.0 + 6))
    last = HEADER_ROW + max(1, len(spec.rows))
    for row in range(last + 1, last + 1 + SPARE_ROWS):
        for col, key in enumerate(COLUMNS, start=1):
            if key in FILLED:
                ws.cell(row=row, column=col).protection = unlocked
    _validations(ws, spec.statuses, HEADER_ROW + 1, last + SPARE_ROWS)
    _protect_and_print(ws, last)
    _meta(wb, spec, keys)
    with atomic_target(path) as tmp:
        save_workbook(wb, tmp)
    return Path(path)


def _validations(ws: Worksheet, statuses: tuple[str, ...], first: int, last: int) -> None:
    status_col = get_column_letter(COLUMNS.index("status") + 1)
    progress_col = get_column_letter(COLUMNS.index("progress") + 1)
    listed = ",".join(s.replace(",", "，") for s in statuses)
    dv = DataValidation(type="list", formula1=f'"{listed[:250]}"', allow_blank=True)
    dv.showErrorMessage = dv.showInputMessage = True
    dv.error, dv.errorTitle = f"状态只能从下拉列表中选择：{'、'.join(statuses)}。", label("status")
    dv.prompt, dv.promptTitle = " / ".join(statuses), label("status")
    dv.add(f"{status_col}{first}:{status_col}{last}")
    ws.add_data_validation(dv)
    pv = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True)
    pv.showErrorMessage = pv.showInputMessage = True
    pv.error, pv.errorTitle = "进度为 0 到 100 之间的整数（百分比），例如 80。", label("progress")
    pv.prompt, pv.promptTitle = "填 0–100 的整数", PROGRESS_PERCENT_HEADER
    pv.add(f"{progress_col}{first}:{progress_col}{last}")
    ws.add_data_validation(pv)


def _protect_and_print(ws: Worksheet, last: int) -> None:
    ws.protection.sheet = True  # no password: it guards against slips, not against the office
    for option in ("insertRows", "deleteRows", "formatRows", "formatColumns", "formatCells", "sort"):
        setattr(ws.protection, option, False)  # openpyxl: False = allowed
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def _meta(wb: Workbook, spec: TemplateSpec, keys: list[str]) -> None:
    meta: dict[str, Any] = {
        "format": FORMAT,
        "kind": "rollout",
        "plan_uid": spec.plan_uid,
        "plan_id": spec.plan_id,
        "plan_title": spec.plan_title,
        "issued_by": spec.issued_by,
        "office_id": spec.office_id,
        "office": spec.office,
        "version": spec.version,
        "deadline": spec.deadline,
        "header_row": HEADER_ROW,
        "rows": len(keys),
        "keys": hashlib.sha256("\n".join(keys).encode()).hexdigest(),
    }
    meta["check"] = meta_check(meta)
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    for r, (key, value) in enumerate(meta.items(), start=1):
        ws.cell(row=r, column=1, value=key)
        cell = ws.cell(row=r, column=2, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
    ws.protection.sheet = True


def template_name(office: str, plan_title: str) -> str:
    """The file name of an office's template: <office>-<plan title>-进展情况表.xlsx (safe on Windows)."""
    raw = f"{office}-{plan_title}-进展情况表"
    safe = "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in raw).strip(" .")
    return f"{safe[:150]}.xlsx"


# ---------------------------------------------------------------- the office's reply


@dataclass
class ReplyValues:
    """What the office reports for one row of the upper office's template."""

    status: str
    progress: int
    completed_on: dt.date | None
    completion_notes: str


def write_reply(
    template: bytes,
    path: str | os.PathLike[str],
    values: dict[str, ReplyValues],
    form: dict[str, str],
) -> tuple[Path, int]:
    """Fill the upper office's template (its layout, validations, protection and hidden keys kept) with the
    values by row key and the form fields; return the path and the number of rows filled."""
    try:
        wb = load_workbook(io.BytesIO(template))
    except Exception as exc:
        raise ExportError(
            f"保存的上级模板无法打开（{type(exc).__name__}），请重新导入上级下发的表格。"
        ) from exc
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    header_row, columns = _find_columns(ws)
    filled = 0
    for row in range(header_row + 1, ws.max_row + 1):
        key = ws.cell(row=row, column=columns[KEY_HEADER]).value
        reply = values.get(str(key or "").strip())
        if reply is None:
            continue
        for name in FILLED:
            if name not in columns:
                continue
            cell = ws.cell(row=row, column=columns[name])
            value = getattr(reply, name)
            if name == "progress":
                cell.value = int(value)
            else:
                text = value.isoformat() if isinstance(value, dt.date) else str(value or "")
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
                cell.data_type = "s"
        filled += 1
    _fill_form(ws, header_row, form)
    with atomic_target(path) as tmp:
        save_workbook(wb, tmp)
    return Path(path), filled


def _find_columns(ws: Worksheet) -> tuple[int, dict[str, int]]:
    from models.vocabulary import cell_field

    for row in range(1, min(ws.max_row, 30) + 1):
        cells = {ws.cell(row=row, column=c).value: c for c in range(1, ws.max_column + 1)}
        if KEY_HEADER in cells:
            columns = {KEY_HEADER: cells[KEY_HEADER]}
            for value, col in cells.items():
                name = cell_field(value)
                if name is not None and name not in columns:
                    columns[name] = col
            return row, columns
    raise ExportError("上级模板中找不到行键列，无法按原表回复。")


def _fill_form(ws: Worksheet, header_row: int, form: dict[str, str]) -> None:
    """Write the form fields (by key, `FORM_KEYS`) beside their labels in the template."""
    keys = dict(zip(FORM_FIELDS, FORM_KEYS, strict=True))
    for row in range(1, header_row):
        for col in range(1, ws.max_column):
            text = str(ws.cell(row=row, column=col).value or "").strip().rstrip("：:")
            value = form.get(keys.get(text, ""), "")
            if value:
                target = ws.cell(row=row, column=col + 1)
                target.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                target.data_type = "s"


def fitted_width(texts: list[str], low: float, high: float) -> float:
    """A column width that fits the texts (wide characters count 2), within limits."""
    return max(low, min(high, max((text_width(t) + 2 for t in texts), default=low)))


__all__ = [
    "FORM_FIELDS",
    "KEY_HEADER",
    "META_SHEET",
    "ReplyValues",
    "TemplateRow",
    "TemplateSpec",
    "meta_check",
    "parse_row_key",
    "row_key",
    "template_name",
    "write_reply",
    "write_template",
]
