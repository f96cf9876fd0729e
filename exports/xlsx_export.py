"""Excel out: the official activity table (附件 style) and the progress report, ready to print."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import os
import unicodedata
from collections.abc import Callable
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exports.atomic import atomic_target
from exports.columns import COLUMNS, DEFAULT_TABLE_COLUMNS, PROGRESS_BASE_COLUMNS
from exports.options import XlsxOptions
from models import clock
from models.labels import PROGRESS_PERCENT_HEADER, label
from models.records import STATUS_CANCELLED, STATUS_DONE, STATUS_IN_PROGRESS, STATUSES, Activity, Plan
from models.settings import SPECS
from models.timeframe import format_timeframe
from models.tracking import LIGHT_LABELS, Light, compute_overview, light, planned_range

#: Version of the hidden metadata sheet that lets a returned report be matched back.
REPORT_FORMAT = 1
META_SHEET = "_taizhang"
BODY_FONT = "宋体"
TITLE_FONT = "方正小标宋简体"
LABEL_FONT = "黑体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILLS = {
    Light.OVERDUE: PatternFill("solid", fgColor="F8D7DA"),
    Light.DUE_SOON: PatternFill("solid", fgColor="FFF3CD"),
    Light.DONE: PatternFill("solid", fgColor="D4EDDA"),
}
#: Column widths in Excel units (≈ one Latin character), by column: minimum and maximum.
WIDTH_LIMITS: dict[str, tuple[float, float]] = {
    "position": (6, 6),
    "name": (16, 30),
    "content": (24, 50),
    "time_text": (10, 14),
    "location": (8, 14),
    "lead_units": (10, 18),
    "coop_units": (10, 22),
    "remarks": (8, 18),
    "status": (8, 8),
    "progress": (7, 7),
    "planned": (12, 24),
    "completed_on": (11, 11),
    "completion_notes": (20, 44),
    "light": (8, 9),
}
REPORT_EXTRA = ("status", "progress", "planned", "completed_on", "completion_notes", "light")
#: The columns of the 按单位统计 sheet (headed by the vocabulary's statistic labels).
UNIT_STAT_KEYS = ("lead_unit", "total", "done", "in_progress", "overdue", "cancelled", "completion_rate")
LINE_HEIGHT = 15.0  # points per wrapped line at 11 pt
BODY_SIZE = 11.0
MIN_PRINTED_SIZE = 9.0  # the smallest body text a printout may shrink to (points at 100 %)
#: Paper widths (mm) in landscape and the left + right margins (inches) the sheets are set up with.
PAPER_WIDTH_MM = {"A4": 297.0, "A3": 420.0}
SIDE_MARGINS_IN = 0.5 + 0.5
DUE_SOON_DAYS: int = SPECS["due_soon_days"].default


@functools.lru_cache(maxsize=8192)
def _line_widths(text: str) -> tuple[int, ...]:
    """Display width of each line: wide (CJK) characters count 2. Cached: unit names and times repeat,
    and each long text is measured twice (column width, row height)."""
    return tuple(
        sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in text.split("\n")
    )


def text_width(text: str) -> int:
    """Return the display width of the longest line: wide (CJK) characters count 2."""
    return max(_line_widths(str(text)))


def wrapped_lines(text: str, width: float) -> int:
    """Estimate how many lines `text` takes in a column `width` units wide."""
    usable = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(w / usable)) for w in _line_widths(str(text)))


def printed_width_mm(widths: list[float]) -> float:
    """Return how wide columns of these Excel widths print at 100 % (7 px per unit + 5 px, at 96 dpi)."""
    return sum(int(w * 7 + 5) for w in widths) * 25.4 / 96


def print_scale(widths: list[float], paper: str = "A4") -> float:
    """Return the scale "fit to one page wide" prints these columns at on landscape `paper` (≤ 1)."""
    usable = PAPER_WIDTH_MM[paper] - SIDE_MARGINS_IN * 25.4
    return min(1.0, usable / printed_width_mm(widths))


def readable_widths(columns: list[str], widths: list[float]) -> tuple[list[float], str]:
    """Narrow the widest columns (never below their minimum) until the sheet prints one page wide with
    body text of at least MIN_PRINTED_SIZE on A4; if even the minimums do not, print on A3."""
    floor = MIN_PRINTED_SIZE / BODY_SIZE
    widths = list(widths)
    lows = [WIDTH_LIMITS.get(key, (8, 30))[0] for key in columns]
    for _ in range(200):
        if print_scale(widths) >= floor:
            return widths, "A4"
        slack = [w - lo for w, lo in zip(widths, lows, strict=True)]
        widest = max(range(len(widths)), key=lambda i: slack[i])
        if slack[widest] <= 0:
            break
        widths[widest] -= min(slack[widest], 1.0)
    return widths, "A4" if print_scale(widths) >= floor else "A3"


def text_lines(text: str, width: float, size: float = BODY_SIZE) -> int:
    """Lines `text` at `size` points takes in a column `width` units wide (a wide character at 11 pt is
    about two units)."""
    return wrapped_lines(text, width * BODY_SIZE / size)


def _set_text(ws: Worksheet, row: int, col: int, value: str) -> None:
    """Write user text as text: never a formula, whatever it starts with; characters a workbook cannot
    hold (control characters, which only a damaged file carries) are left out."""
    cell = ws.cell(row=row, column=col)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"


def _column_values(
    key: str, activities: list[Activity], plan_year: int, today: dt.date, days: int, archived: bool = False
) -> list[str]:
    if key == "planned":
        return [format_timeframe(planned_range(a, plan_year)) for a in activities]
    if key == "light":
        return [LIGHT_LABELS[light(a, plan_year, today, days, archived=archived)] for a in activities]
    column = COLUMNS[key]
    return [column.text(a) for a in activities]


def _header(key: str) -> str:
    return label(key)


def _write_table(
    ws: Worksheet,
    plan: Plan,
    activities: list[Activity],
    columns: list[str],
    options: XlsxOptions,
    progress: Callable[[int, int], None] | None,
    today: dt.date,
    days: int,
    archived: bool = False,
    *,
    default_label: bool = True,
) -> int:
    """Write label, title, header and rows; return the header row number. Every row gets an explicit
    height (LibreOffice and WPS do not grow rows left unset, and print wrapped text overlapped)."""
    year = plan.year or today.year
    label = (
        (plan.annex_label if default_label else "") if options.annex_label is None else options.annex_label
    )
    title = plan.display_table_title if options.title is None else options.title
    ncols = len(columns)
    row = 1
    if label:
        _set_text(ws, row, 1, label)
        ws.cell(row=row, column=1).font = Font(name=LABEL_FONT, size=14)
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="left", vertical="center")
        ws.row_dimensions[row].height = 22
        row += 1
    _set_text(ws, row, 1, title)
    ws.cell(row=row, column=1).font = Font(name=TITLE_FONT, size=18, bold=True)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if ncols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    title_row = row
    row += 1
    header_row = row
    values = {key: _column_values(key, activities, year, today, days, archived) for key in columns}
    widths: list[float] = []
    for key in columns:
        lo, hi = WIDTH_LIMITS.get(key, (8, 30))
        natural = max([text_width(_header(key)) + 2, *(text_width(v) + 2 for v in values[key][:2000])])
        widths.append(max(lo, min(hi, natural)))
    widths, paper = readable_widths(columns, widths)
    ws.row_dimensions[title_row].height = max(36.0, text_lines(title, sum(widths), 18) * 24.0 + 12)
    header_lines = 1
    for col, key in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
        header_lines = max(header_lines, text_lines(_header(key), widths[col - 1], 12))
        _set_text(ws, row, col, _header(key))
        cell = ws.cell(row=row, column=col)
        cell.font = Font(name=LABEL_FONT, size=12, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    ws.row_dimensions[row].height = max(30.0, header_lines * 16.0 + 8)
    body_font = Font(name=BODY_FONT, size=11)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    short = {"position", "status", "progress", "time_text", "completed_on", "light", "location"}
    total = len(activities)
    lights = (
        [light(a, year, today, days, archived=archived) for a in activities] if "status" in columns else []
    )
    # Setting font/border/alignment objects cell by cell makes openpyxl hash them every time (most of
    # the export's time); each combination is set once and its style record copied to the other cells,
    # as openpyxl's own worksheet copy does.
    styles: dict[tuple[bool, Light | None], StyleArray] = {}
    for i, _activity in enumerate(activities):
        row += 1
        lines = 1
        fill_key = lights[i] if lights and lights[i] in FILLS else None
        for col, key in enumerate(columns, start=1):
            text = values[key][i]
            _set_text(ws, row, col, text)
            cell = ws.cell(row=row, column=col)
            style_key = (key in short, fill_key)
            style = styles.get(style_key)
            if style is None:
                cell.font = body_font
                cell.border = BORDER
                cell.alignment = centred if key in short else left
                if fill_key is not None:
                    cell.fill = FILLS[fill_key]
                styles[style_key] = copy(cell._style)
            else:
                cell._style = copy(style)
            lines = max(lines, wrapped_lines(text, widths[col - 1]))
        ws.row_dimensions[row].height = min(409.0, max(20.0, lines * LINE_HEIGHT + 6))
        if progress is not None and (i % 200 == 0 or i == total - 1):
            progress(i + 1, total)
    _page_setup(ws, header_row, row, ncols, paper=paper)
    return header_row


def _page_setup(
    ws: Worksheet, header_row: int, last_row: int, ncols: int, *, paper: str = "A4", landscape: bool = True
) -> None:
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(ncols)}{max(last_row, header_row)}"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if paper == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = BODY_FONT
    ws.oddFooter.center.size = 10


def _save(wb: Workbook, path: str | os.PathLike[str]) -> Path:
    with atomic_target(path) as tmp:
        save_workbook(wb, tmp)
    return Path(path)


def save_workbook(wb: Workbook, path: Path) -> None:
    """Write a workbook; a failed write (a full disk) raises OSError and leaves no half-closed archive
    behind (openpyxl's would try to finish itself later and print a traceback)."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        fp, archive.fp = archive.fp, None  # closing would write the directory to the full disk again
        if fp is not None:
            with contextlib.suppress(OSError):
                fp.close()
        raise


def export_table(
    path: str | os.PathLike[str],
    plan: Plan,
    activities: list[Activity],
    options: XlsxOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    today: dt.date | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
    archived: bool = False,
) -> Path:
    """Write the 活动安排表 as an .xlsx that prints cleanly as it is (lights, when the 状态 column is chosen,
    as on `today` — the program's clock unless given — with the office's due-soon days; none for an
    archived plan)."""
    options = options or XlsxOptions()
    today = today or clock.today()
    columns = [c for c in options.columns if c in COLUMNS] or list(DEFAULT_TABLE_COLUMNS)
    wb = Workbook()
    ws = wb.active
    ws.title = "活动安排表"
    _write_table(ws, plan, activities, columns, options, progress, today, due_soon_days, archived)
    return _save(wb, path)


def export_progress_report(
    path: str | os.PathLike[str],
    plan: Plan,
    activities: list[Activity],
    options: XlsxOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    today: dt.date | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
    archived: bool = False,
) -> Path:
    """Write the 进展情况表: the table plus tracking columns, a 状态 dropdown and per-unit counts.

    With no options it starts from PROGRESS_BASE_COLUMNS; it carries an 附件 label only when one is
    asked for (options.annex_label), and prints one page wide at no less than 9 pt."""
    options = options or XlsxOptions(columns=list(PROGRESS_BASE_COLUMNS))
    today = today or clock.today()
    base = [c for c in options.columns if c in COLUMNS and c not in REPORT_EXTRA] or list(
        DEFAULT_TABLE_COLUMNS
    )
    columns = base + [c for c in REPORT_EXTRA if c != "light"] + ["light"]
    wb = Workbook()
    ws = wb.active
    ws.title = "进展情况表"
    title = (options.title if options.title is not None else plan.display_table_title).replace(
        "主要活动安排表", ""
    ) + "进展情况表"
    header_row = _write_table(
        ws,
        plan,
        activities,
        columns,
        XlsxOptions(columns, options.annex_label, title),
        progress,
        today,
        due_soon_days,
        archived,
        default_label=False,
    )
    first, last = header_row + 1, header_row + max(1, len(activities))
    status_col = get_column_letter(columns.index("status") + 1)
    progress_col = get_column_letter(columns.index("progress") + 1)
    # showErrorMessage makes Excel and WPS refuse other values (openpyxl leaves both flags off)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
    )
    dv.error, dv.errorTitle = f"状态只能是：{'、'.join(STATUSES)}。请从下拉列表中选择。", "状态无效"
    dv.prompt, dv.promptTitle = "从下拉列表选择：" + " / ".join(STATUSES), label("status")
    dv.add(f"{status_col}{first}:{status_col}{last}")
    ws.add_data_validation(dv)
    pv = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
    )
    pv.error, pv.errorTitle = "进度为 0 到 100 之间的整数（百分比，不带 % 号）。", "进度无效"
    pv.prompt, pv.promptTitle = "填 0 到 100 的整数，例如 80 表示 80%。", PROGRESS_PERCENT_HEADER
    ws.add_data_validation(pv)
    # progress is written as a number so that the validation applies and sub-units can type 80
    for i, a in enumerate(activities):
        cell = ws.cell(row=first + i, column=columns.index("progress") + 1)
        cell.value = a.progress
        cell.data_type = "n"
    pv.add(f"{progress_col}{first}:{progress_col}{last}")
    ws.cell(row=header_row, column=columns.index("progress") + 1).value = PROGRESS_PERCENT_HEADER
    _unit_sheet(wb, plan, activities, today, due_soon_days, archived)
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for r, (key, value) in enumerate(
        (
            ("format", REPORT_FORMAT),
            ("plan_id", plan.id),
            ("plan_title", plan.title),
            ("header_row", header_row),
            ("exported", today.isoformat()),
        ),
        start=1,
    ):
        meta.cell(row=r, column=1, value=key)
        cell = meta.cell(row=r, column=2, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
    meta.cell(row=7, column=1, value="activity_id")
    meta.cell(row=7, column=2, value="position")
    for i, a in enumerate(activities):
        meta.cell(row=8 + i, column=1, value=a.id)
        meta.cell(row=8 + i, column=2, value=a.position)
    return _save(wb, path)


def _unit_sheet(
    wb: Workbook, plan: Plan, activities: list[Activity], today: dt.date, days: int, archived: bool = False
) -> None:
    ws = wb.create_sheet("按单位统计")
    ov = compute_overview(plan, activities, today, days, archived=archived)
    for col, text in enumerate(map(label, UNIT_STAT_KEYS), start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font = Font(name=LABEL_FONT, bold=True)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center")
    for r, s in enumerate(ov.per_unit, start=2):
        values: tuple[object, ...] = (s.unit, s.total, s.done, s.in_progress, s.overdue, s.cancelled, s.rate)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if col == 1:
                cell.data_type = "s"
            cell.border = BORDER
            cell.font = Font(name=BODY_FONT)
        ws.cell(row=r, column=7).number_format = "0.0%"
    total_row = len(ov.per_unit) + 2
    ws.cell(row=total_row, column=1, value=label("grand_total")).font = Font(name=LABEL_FONT, bold=True)
    ws.cell(row=total_row, column=2, value=ov.total)
    ws.cell(row=total_row, column=3, value=ov.counts.get(STATUS_DONE, 0))
    ws.cell(row=total_row, column=4, value=ov.counts.get(STATUS_IN_PROGRESS, 0))
    ws.cell(row=total_row, column=5, value=len(ov.overdue))
    ws.cell(row=total_row, column=6, value=ov.counts.get(STATUS_CANCELLED, 0))
    ws.cell(row=total_row, column=7, value=ov.completion_rate).number_format = "0.0%"
    ws.cell(row=total_row + 2, column=1, value=f"{label('as_of')}：{today.isoformat()}").data_type = "s"
    ws.column_dimensions["A"].width = 28
    for letter in "BCDEFG":
        ws.column_dimensions[letter].width = 10
    for r in range(1, total_row + 3):
        name = str(ws.cell(row=r, column=1).value or "")
        ws.row_dimensions[r].height = max(20.0, text_lines(name, 28) * LINE_HEIGHT + 6)
        ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="center")
    for cell in ws[1]:
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    _page_setup(ws, 1, total_row, 7, landscape=False)
    ws.print_area = f"A1:G{total_row + 2}"
