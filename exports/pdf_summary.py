"""PDF of the completion summary (完成情况总结) for the report upward: numbers, a chart, each activity, photos."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Paragraph, Spacer, Table, TableStyle

from exports.pdf_common import Fonts, PdfOptions, PdfResult, build, page_size, styles
from models.labels import label
from models.records import Activity, Plan
from models.timeframe import format_timeframe
from models.tracking import Overview, planned_range

THUMB_WIDTH = 40 * mm
THUMBS_PER_ROW = 4
GREEN, RED, GREY = colors.HexColor("#2e9d4f"), colors.HexColor("#d93025"), colors.HexColor("#bdbdbd")
#: The columns of the per-unit table (headed by the vocabulary's statistic labels).
UNIT_STAT_KEYS = ("lead_unit", "total", "done", "in_progress", "overdue", "completion_rate")


def _grid_style() -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ]
    )


def completion_chart(overview: Overview, font: str, width: float, max_height: float = 300.0) -> Drawing:
    """A horizontal bar chart per lead unit: the done share green, the rest grey, with the number of
    late activities written after each bar (a unit at 0 % shows a grey bar, never a full red one)."""
    units = overview.per_unit[:20]
    bar = max(10.0, min(22.0, (max_height - 40) / max(1, len(units))))
    height = max(60.0, bar * len(units) + 40)
    drawing = Drawing(width, height)
    if not units:
        drawing.add(
            String(width / 2, height / 2, "暂无数据", fontName=font, fontSize=10, textAnchor="middle")
        )
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y = 130, 28
    chart.width, chart.height = width - 230, height - 40
    names = [u.unit if len(u.unit) <= 10 else u.unit[:9] + "…" for u in units][::-1]
    chart.data = [
        [u.done for u in units][::-1],
        [max(0, u.total - u.done) for u in units][::-1],
    ]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(u.total for u in units)
    chart.valueAxis.valueStep = max(1, chart.valueAxis.valueMax // 10 or 1)
    chart.valueAxis.labels.fontName = font
    chart.categoryAxis.style = "stacked"
    chart.bars[0].fillColor, chart.bars[1].fillColor = GREEN, GREY
    chart.barSpacing = 2
    drawing.add(chart)
    step = chart.height / len(units)
    for n, u in enumerate(units[::-1]):
        late = f"，{label('overdue')} {u.overdue}" if u.overdue else ""
        drawing.add(
            String(
                chart.x + chart.width + 6,
                chart.y + step * n + step / 2 - 3,
                f"{u.rate * 100:.0f}%（{u.done}/{u.total}{late}）",
                fontName=font,
                fontSize=8.5,
                fillColor=RED if u.overdue else colors.black,
            )
        )
    for i, (key, colour) in enumerate((("done", GREEN), ("not_done", GREY))):
        x = 130 + i * 70
        drawing.add(Rect(x, 6, 10, 10, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 14, 7, label(key), fontName=font, fontSize=9))
    legend = f"红字：{label('overdue_part')}项数"
    drawing.add(String(130 + 140, 7, legend, fontName=font, fontSize=9, fillColor=RED))
    return drawing


def _photo_cells(
    paths: list[Path], notes: list[str], caption: Callable[[Path], str], fonts: Fonts, style: ParagraphStyle
) -> list[Any]:
    """Each readable picture with its caption under it (an unreadable one is named in `notes`)."""
    cells: list[Any] = []
    for path in paths:
        try:
            reader = ImageReader(str(path))
            w, h = reader.getSize()
            if not w or not h:
                raise ValueError("empty image")
            image = Image(str(path), width=THUMB_WIDTH, height=min(THUMB_WIDTH * h / w, 45 * mm))
        except Exception:  # noqa: BLE001 - an unreadable photo is skipped with a note, never a failed report
            notes.append(path.name)
            continue
        cells.append([image, Paragraph(fonts.markup(caption(path)), style)])
    return cells


def _photo_table(cells: list[Any]) -> list[Any]:
    if not cells:
        return []
    rows = [cells[i : i + THUMBS_PER_ROW] for i in range(0, len(cells), THUMBS_PER_ROW)]
    for row in rows:
        row.extend([""] * (THUMBS_PER_ROW - len(row)))
    table = Table(rows, colWidths=[THUMB_WIDTH + 6 * mm] * THUMBS_PER_ROW, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return [table]


def export_summary_pdf(
    path: str | os.PathLike[str],
    plan: Plan,
    activities: list[Activity],
    overview: Overview,
    photos: dict[int, list[Path]],
    plan_photos: list[Path],
    options: PdfOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    captions: dict[Path, str] | None = None,
) -> PdfResult:
    """Write the completion summary as a report: page 1 holds the figures and the chart; then the
    per-unit table, what is late, and each activity with its photos (captioned with the activity,
    the file name and the date). Headings always stay with what follows them, and only the photos
    of an activity may run on to the next page, so no page is left mostly empty."""
    options = options or PdfOptions()
    captions = captions or {}
    fonts = Fonts(options)
    st = styles(fonts, options)
    heading = ParagraphStyle(
        "heading", parent=st["note"], fontName=fonts.heading, keepWithNext=1, spaceBefore=6
    )
    item = ParagraphStyle("item", parent=st["cell"], fontName=fonts.heading, keepWithNext=1, spaceBefore=6)
    small = ParagraphStyle("caption", parent=st["cell"], fontSize=8.5, leading=11)
    size = page_size(options)
    top, right, bottom, left = (m * mm for m in options.margins_mm)
    width = size[0] - left - right
    m = fonts.markup
    year = plan.year or overview.today.year
    story: list[Any] = [Paragraph(m(f"{plan.title}完成情况总结", fonts.title), st["title"])]
    facts = [
        f"{label('period_text')}：{plan.period_text}" if plan.period_text else "",
        f"{label('as_of')}：{overview.today.isoformat()}",
        "方案已归档" if overview.archived else "",
    ]
    if overview.report_deadline is not None:
        facts.append(f"{label('report_deadline')}：{overview.report_deadline.isoformat()}")
    story.append(Paragraph(m("　　".join(f for f in facts if f)), st["centre"]))
    story.append(Spacer(1, 6))
    counts = "，".join(f"{status} {n} 项" for status, n in overview.counts.items())
    late = "" if overview.archived else f"{label('overdue')} {len(overview.overdue)} 项。"
    story.append(Paragraph(m("一、总体情况"), heading))
    story.append(
        Paragraph(
            m(
                f"共 {overview.total} 项活动，{counts}；"
                f"{label('completion_rate')} {overview.completion_rate * 100:.1f}%；{late}"
            ),
            st["note"],
        )
    )
    # the chart belongs on page 1 with the figures: its height is what is left of the first page
    frame = size[1] - top - bottom
    story.append(Paragraph(m(f"二、各{label('lead_unit')}完成情况"), heading))
    story += [completion_chart(overview, fonts.body, width, max_height=max(120.0, frame - 190)), Spacer(1, 6)]
    rows = [[Paragraph(m(label(key), fonts.heading), st["head"]) for key in UNIT_STAT_KEYS]]
    for u in overview.per_unit:
        rows.append(
            [
                Paragraph(m(u.unit), st["cell"]),
                str(u.total),
                str(u.done),
                str(u.in_progress),
                str(u.overdue),
                f"{u.rate * 100:.0f}%",
            ]
        )
    unit_table = Table(rows, colWidths=[width * 0.4] + [width * 0.12] * 5, repeatRows=1)
    unit_table.setStyle(_grid_style())
    unit_table.setStyle(TableStyle([("FONTNAME", (1, 1), (-1, -1), fonts.body)]))
    story += [unit_table, Spacer(1, 8)]
    number = iter("三四五六")
    if overview.overdue:
        story.append(Paragraph(m(f"{next(number)}、逾期事项"), heading))
        for a in overview.overdue:
            tf = planned_range(a, year)
            lead = "、".join(a.lead_units) or "未指定"
            story.append(
                Paragraph(
                    m(
                        f"{a.position}. {a.name}（{label('lead_short')}：{lead}；"
                        f"{label('planned_short')}：{format_timeframe(tf)}；{label('status')}：{a.status}）"
                    ),
                    st["cell"],
                )
            )
        story.append(Spacer(1, 8))
    story.append(Paragraph(m(f"{next(number)}、各项活动完成情况"), heading))
    skipped: list[str] = []
    total = len(activities)
    for n, a in enumerate(activities):
        done = a.completed_on.isoformat() if a.completed_on else "—"

        def caption(path: Path, a: Activity = a) -> str:
            return f"{a.position}. {a.name}\n{captions.get(path, path.name)}"

        cells = _photo_cells(photos.get(a.id or 0, []), skipped, caption, fonts, small)
        # the photos may start on the next page (their captions name the activity): a block of text and
        # pictures moved down whole would leave the page before it half empty
        text = st["cell"]
        story += [
            Paragraph(m(f"（{n + 1}）{a.name}", fonts.heading), item),
            Paragraph(
                m(
                    f"{label('status')}：{a.status}　{label('progress')}：{a.progress}%　"
                    f"{label('completed_on')}：{done}　"
                    f"{label('lead_short')}：{'、'.join(a.lead_units) or '未指定'}"
                ),
                ParagraphStyle("facts", parent=st["cell"], keepWithNext=1),
            ),
            Paragraph(m(f"{label('completion_notes')}：{a.completion_notes or '（未填写）'}"), text),
        ]
        story += _photo_table(cells)  # its rows may run on to the next page; the text before stays whole
        if progress is not None:
            progress(n + 1, total + 1)
    if plan_photos:
        story.append(Spacer(1, 8))
        story.append(Paragraph(m("附：总结材料图片"), heading))
        story += _photo_table(
            _photo_cells(plan_photos, skipped, lambda p: captions.get(p, p.name), fonts, small)
        )
    if skipped:
        story.append(Paragraph(m(f"（以下图片无法读取，未能插入：{'、'.join(skipped)}）"), st["cell"]))
    if options.footer_line:
        story += [Spacer(1, 14), Paragraph(m(options.footer_line), st["footer"])]
    pages = build(path, story, size, (top, right, bottom, left), options, fonts, f"{plan.title}完成情况总结")
    return PdfResult(Path(path), pages, fonts.missing, fonts.names())
