"""PDF of the completion summary (完成情况总结) for the report upward: numbers, a chart, each activity, photos."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from exports.pdf_common import Fonts, PdfOptions, PdfResult, build, page_size, styles
from models.records import Activity, Plan
from models.timeframe import format_timeframe
from models.tracking import Overview, planned_range

THUMB_WIDTH = 40 * mm
THUMBS_PER_ROW = 4
GREEN, RED, GREY = colors.HexColor("#2e9d4f"), colors.HexColor("#d93025"), colors.HexColor("#bdbdbd")


def _grid_style() -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ]
    )


def completion_chart(overview: Overview, font: str, width: float) -> Drawing:
    """A horizontal bar chart: done and overdue per lead unit, out of the unit's total."""
    units = overview.per_unit[:20]
    height = max(60.0, 26.0 * len(units) + 40)
    drawing = Drawing(width, height)
    if not units:
        drawing.add(
            String(width / 2, height / 2, "暂无数据", fontName=font, fontSize=10, textAnchor="middle")
        )
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y = 130, 28
    chart.width, chart.height = width - 170, height - 40
    names = [u.unit if len(u.unit) <= 10 else u.unit[:9] + "…" for u in units][::-1]
    chart.data = [
        [u.done for u in units][::-1],
        [u.overdue for u in units][::-1],
        [max(0, u.total - u.done - u.overdue) for u in units][::-1],
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
    chart.bars[0].fillColor, chart.bars[1].fillColor, chart.bars[2].fillColor = GREEN, RED, GREY
    chart.barSpacing = 2
    drawing.add(chart)
    for i, (label, colour) in enumerate((("已完成", GREEN), ("逾期", RED), ("其他", GREY))):
        x = 130 + i * 70
        from reportlab.graphics.shapes import Rect

        drawing.add(Rect(x, 6, 10, 10, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 14, 7, label, fontName=font, fontSize=9))
    return drawing


def _thumbs(paths: list[Path], notes: list[str]) -> list[Any]:
    images: list[Any] = []
    for path in paths:
        try:
            reader = ImageReader(str(path))
            w, h = reader.getSize()
            if not w or not h:
                raise ValueError("empty image")
            ratio = h / w
            images.append(Image(str(path), width=THUMB_WIDTH, height=min(THUMB_WIDTH * ratio, 60 * mm)))
        except Exception:  # noqa: BLE001 - an unreadable photo is skipped with a note, never a failed report
            notes.append(path.name)
    if not images:
        return []
    rows = [images[i : i + THUMBS_PER_ROW] for i in range(0, len(images), THUMBS_PER_ROW)]
    for row in rows:
        row.extend([""] * (THUMBS_PER_ROW - len(row)))
    table = Table(rows, colWidths=[THUMB_WIDTH + 4 * mm] * THUMBS_PER_ROW, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
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
) -> PdfResult:
    """Write the completion summary: statistics, per-unit table and chart, then each activity with photos."""
    options = options or PdfOptions()
    fonts = Fonts(options)
    st = styles(fonts)
    size = page_size(options)
    top, right, bottom, left = (m * mm for m in options.margins_mm)
    width = size[0] - left - right
    m = fonts.markup
    year = plan.year or overview.today.year
    story: list[Any] = [Paragraph(m(f"{plan.title}完成情况总结", fonts.title), st["title"])]
    facts = [
        f"活动时间：{plan.period_text}" if plan.period_text else "",
        f"统计日期：{overview.today.isoformat()}",
    ]
    if overview.report_deadline is not None:
        facts.append(f"报送截止：{overview.report_deadline.isoformat()}")
    story.append(Paragraph(m("　　".join(f for f in facts if f)), st["centre"]))
    story.append(Spacer(1, 8))
    counts = "，".join(f"{status} {n} 项" for status, n in overview.counts.items())
    story.append(
        Paragraph(
            m(
                f"一、总体情况：共 {overview.total} 项活动，{counts}；完成率 "
                f"{overview.completion_rate * 100:.1f}%；逾期 {len(overview.overdue)} 项。"
            ),
            st["note"],
        )
    )
    story.append(Spacer(1, 6))
    story.append(Paragraph(m("二、各牵头单位完成情况"), st["note"]))
    head = ["牵头单位", "总数", "已完成", "进行中", "逾期", "完成率"]
    rows = [[Paragraph(m(h, fonts.heading), st["head"]) for h in head]]
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
    story += [unit_table, Spacer(1, 6), completion_chart(overview, fonts.body, width), Spacer(1, 8)]
    if overview.overdue:
        story.append(Paragraph(m("三、逾期事项"), st["note"]))
        for a in overview.overdue:
            tf = planned_range(a, year)
            story.append(
                Paragraph(
                    m(
                        f"{a.position}. {a.name}（牵头：{'、'.join(a.lead_units) or '未指定'}；"
                        f"计划：{format_timeframe(tf)}；状态：{a.status}）"
                    ),
                    st["cell"],
                )
            )
        story.append(Spacer(1, 8))
    story.append(Paragraph(m(("四" if overview.overdue else "三") + "、各项活动完成情况"), st["note"]))
    skipped: list[str] = []
    total = len(activities)
    for n, a in enumerate(activities):
        done = a.completed_on.isoformat() if a.completed_on else "—"
        block: list[Any] = [
            Spacer(1, 6),
            Paragraph(m(f"（{n + 1}）{a.name}", fonts.heading), st["cell"]),
            Paragraph(
                m(
                    f"状态：{a.status}　进度：{a.progress}%　完成时间：{done}　牵头：{'、'.join(a.lead_units) or '未指定'}"
                ),
                st["cell"],
            ),
            Paragraph(m(f"完成情况：{a.completion_notes or '（未填写）'}"), st["cell"]),
        ]
        block += _thumbs(photos.get(a.id or 0, []), skipped)
        story.append(KeepTogether(block) if len(block) < 6 else block[0])
        if len(block) >= 6:
            story += block[1:]
        if progress is not None:
            progress(n + 1, total + 1)
    if plan_photos:
        story.append(Spacer(1, 8))
        story.append(Paragraph(m("附：总结材料图片"), st["note"]))
        story += _thumbs(plan_photos, skipped)
    if skipped:
        story.append(Paragraph(m(f"（以下图片无法读取，未能插入：{'、'.join(skipped)}）"), st["cell"]))
    if options.footer_line:
        story += [Spacer(1, 14), Paragraph(m(options.footer_line), st["footer"])]
    pages = build(path, story, size, (top, right, bottom, left), options, fonts, f"{plan.title}完成情况总结")
    return PdfResult(Path(path), pages, fonts.missing, fonts.names())
