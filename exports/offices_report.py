"""汇总 out: the consolidated workbook and PDF of a plan's offices — one row per activity, one column per
office ("已完成 100%"), the combined 完成情况 naming the offices, and per-office statistics."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.atomic import atomic_target
from exports.xlsx_export import BODY_FONT, BORDER, LABEL_FONT, TITLE_FONT, save_workbook, wrapped_lines
from models.labels import label

if TYPE_CHECKING:
    from exports.pdf_common import PdfOptions, PdfResult

#: Cell colours by the status a cell starts with (plain fills: they print the same in WPS).
COLOURS = {"已完成": "D4EDDA", "进行中": "FFF3CD", "未开始": "F8F9FA", "未报送": "F8D7DA", "已取消": "E2E3E5"}
#: The columns of the per-office statistics (headed by the vocabulary's labels).
STAT_KEYS = (
    "unit",
    "report_state",
    "received_at",
    "filled_by",
    "phone",
    "assigned",
    "done",
    "in_progress",
    "completion_rate",
)


@dataclass
class ReportRow:
    """One activity of the consolidated table."""

    position: int
    name: str
    lead: str
    cells: list[str]  # per office, in the order of `offices`
    combined: str  # 完成情况 of every office, each named


@dataclass
class OfficesReport:
    """Everything the consolidated report shows, already worked out (no database here)."""

    title: str
    today: dt.date
    deadline: str
    offices: list[str]
    rows: list[ReportRow]
    stats: list[tuple[str, str, str, str, str, int, int, int, float]] = field(default_factory=list)


def stat_headers() -> list[str]:
    """The headers of the per-office statistics."""
    return [label(key) for key in STAT_KEYS]


def table_headers(offices: list[str]) -> list[str]:
    """The headers of the consolidated table: 序号, 名称, 牵头, one column per office, the combined 完成情况."""
    return [label("position"), label("name"), label("lead_units"), *offices, label("combined_notes")]


def _note(report: OfficesReport) -> str:
    """The line under the title: the date of the figures and the deadline."""
    deadline = f"　{label('report_deadline')}：{report.deadline}" if report.deadline else ""
    return f"{label('as_of')}：{report.today.isoformat()}{deadline}"


def _text(ws: Worksheet, row: int, col: int, value: str) -> None:
    cell = ws.cell(row=row, column=col)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"


def _fill(text: str) -> PatternFill | None:
    for status, colour in COLOURS.items():
        if text.startswith(status):
            return PatternFill("solid", fgColor=colour)
    return None


def export_offices_xlsx(path: str | os.PathLike[str], report: OfficesReport) -> Path:
    """Write the consolidated workbook (汇总表 and 各单位统计 sheets), ready to print."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    headers = table_headers(report.offices)
    widths = [6, 24, 12, *([11] * len(report.offices)), 44]
    _text(ws, 1, 1, f"{report.title}各单位进展汇总表")
    ws.cell(row=1, column=1).font = Font(name=TITLE_FONT, size=16, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.row_dimensions[1].height = 36
    _text(ws, 2, 1, _note(report))
    for col, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        _text(ws, 3, col, header)
        cell = ws.cell(row=3, column=col)
        cell.font = Font(name=LABEL_FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[3].height = 30
    body = Font(name=BODY_FONT, size=10.5)
    for i, r in enumerate(report.rows):
        row = 4 + i
        values = [str(r.position), r.name, r.lead, *r.cells, r.combined]
        lines = 1
        for col, value in enumerate(values, start=1):
            _text(ws, row, col, value)
            cell = ws.cell(row=row, column=col)
            cell.font, cell.border = body, BORDER
            centred = col == 1 or 3 < col <= 3 + len(report.offices)
            cell.alignment = Alignment(
                horizontal="center" if centred else "left", vertical="center", wrap_text=True
            )
            if 3 < col <= 3 + len(report.offices) and (fill := _fill(value)) is not None:
                cell.fill = fill
            lines = max(lines, wrapped_lines(value, widths[col - 1]))
        ws.row_dimensions[row].height = min(409.0, max(20.0, lines * 14.0 + 6))
    last = 3 + max(1, len(report.rows))
    _print_setup(ws, len(headers), last)
    _stats_sheet(wb, report)
    with atomic_target(path) as tmp:
        save_workbook(wb, tmp)
    return Path(path)


def _print_setup(ws: Worksheet, ncols: int, last: int) -> None:
    ws.freeze_panes = "D4"
    ws.print_title_rows = "3:3"
    ws.print_area = f"A1:{get_column_letter(ncols)}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def _stats_sheet(wb: Workbook, report: OfficesReport) -> None:
    ws = wb.create_sheet("各单位统计")
    _text(ws, 1, 1, f"{report.title}各单位报送和完成情况统计")
    ws.cell(row=1, column=1).font = Font(name=TITLE_FONT, size=14, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    headers = stat_headers()
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.row_dimensions[1].height = 30
    for col, header in enumerate(headers, start=1):
        _text(ws, 2, col, header)
        cell = ws.cell(row=2, column=col)
        cell.font, cell.border = Font(name=LABEL_FONT, bold=True), BORDER
        cell.alignment = Alignment(horizontal="center")
    for r, stat in enumerate(report.stats, start=3):
        for col, value in enumerate(stat, start=1):
            if isinstance(value, str):
                _text(ws, r, col, value)
            else:
                ws.cell(row=r, column=col, value=value)
            ws.cell(row=r, column=col).border = BORDER
            ws.cell(row=r, column=col).font = Font(name=BODY_FONT)
        ws.cell(row=r, column=9).number_format = "0.0%"
    for col, width in enumerate((22, 10, 18, 10, 16, 10, 8, 8, 9), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _print_setup(ws, len(headers), 2 + max(1, len(report.stats)))
    ws.freeze_panes = "B3"
    ws.print_title_rows = "2:2"


def export_offices_pdf(
    path: str | os.PathLike[str], report: OfficesReport, options: PdfOptions | None = None
) -> PdfResult:
    """Write the same report as a landscape PDF for the meeting; return the PdfResult."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from exports.pdf_common import Fonts, PdfOptions, PdfResult, build, page_size, styles

    opts = replace(options or PdfOptions(), landscape=True)
    fonts = Fonts(opts)
    st = styles(fonts)
    size = page_size(opts)
    usable = size[0] - 30 * mm
    n = len(report.offices)
    office_w = min(26 * mm, max(18 * mm, (usable - 150 * mm) / max(1, n)))
    widths = [10 * mm, 40 * mm, 22 * mm, *([office_w] * n)]
    widths.append(max(40 * mm, usable - sum(widths)))

    def p(text: str, style: str = "cell") -> Paragraph:
        return Paragraph(fonts.markup(text).replace("\n", "<br/>"), st[style])

    head = [p(h, "head") for h in table_headers(report.offices)]
    data = [head] + [
        [
            p(str(r.position), "centre"),
            p(r.name),
            p(r.lead),
            *(p(c, "centre") for c in r.cells),
            p(r.combined),
        ]
        for r in report.rows
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for i, r in enumerate(report.rows, start=1):
        for j, text in enumerate(r.cells, start=3):
            for status, colour in COLOURS.items():
                if text.startswith(status):
                    style.append(("BACKGROUND", (j, i), (j, i), colors.HexColor("#" + colour)))
    table.setStyle(TableStyle(style))
    headers = stat_headers()
    stats = [[p(h, "head") for h in headers]] + [
        [p(str(v) if not isinstance(v, float) else f"{v * 100:.0f}%", "centre") for v in s]
        for s in report.stats
    ]
    story = [
        p(f"{report.title}各单位进展汇总表", "title"),
        p(_note(report), "note"),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 8 * mm),
        p("各单位统计", "label"),
        Table(stats, colWidths=[usable / len(headers)] * len(headers), repeatRows=1, style=style[:3]),
    ]
    margins = (15 * mm, 15 * mm, 18 * mm, 15 * mm)
    pages = build(path, story, size, margins, opts, fonts, f"{report.title}各单位进展汇总表")
    return PdfResult(Path(path), pages, set(fonts.missing), fonts.names())
