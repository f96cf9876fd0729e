"""PDF of the activity table for meetings (A4 landscape, 附件 style), with Chinese set properly."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from exports.columns import COLUMNS, DEFAULT_TABLE_COLUMNS
from exports.pdf_common import Fonts, PdfOptions, PdfResult, build, page_size, styles
from models.records import Activity, Plan

__all__ = ["PdfOptions", "PdfResult", "column_widths", "export_table_pdf", "split_tall_rows"]


CENTRED_COLUMNS = {"position", "time_text", "location", "status", "progress", "completed_on"}


LONG_TEXT = {"name", "content", "completion_notes"}


def column_widths(
    columns: list[str],
    rows: list[list[str]],
    total: float,
    head_font: str,
    head_size: float,
    body_font: str = "",
    body_size: float = 10.5,
) -> list[float]:
    """Proportion widths to content: headers fit on one line, short columns fit their longest text
    on one or two lines (at most 12 % of the width each), and the long-text columns share the rest."""
    pad = 10.0
    minimums = [stringWidth(COLUMNS[k].header, head_font, head_size) + pad for k in columns]
    widths = list(minimums)
    long_cols = []
    for i, key in enumerate(columns):
        texts = sorted((r[i] for r in rows), key=len)
        typical = texts[max(0, int(len(texts) * 0.9) - 1)] if texts else ""
        # short columns are sized by their longest entry, long-text columns by the usual one
        sample = texts[-1] if texts and key not in LONG_TEXT else typical
        longest_line = max(sample.split("\n"), key=len) if sample else ""
        natural = (
            stringWidth(longest_line, body_font, body_size) if body_font else len(longest_line) * body_size
        )
        if key in LONG_TEXT or (key == "remarks" and len(typical) > 30):
            length = min(max(len(typical), 1), 120)  # a few huge cells must not starve the other columns
            long_cols.append((i, COLUMNS[key].weight * (1 + math.sqrt(length) / 4)))
            continue
        cap = total * 0.12
        target = natural + pad if natural + pad <= cap else max(cap * 0.6, (natural + pad) / 2)
        widths[i] = max(minimums[i], min(cap, target))
    long_idx = {c for c, _ in long_cols}
    short_total = sum(w for i, w in enumerate(widths) if i not in long_idx)
    if long_cols and short_total > total * 0.5:
        # keep at least half the width for the names and contents: shrink short columns toward minimums
        over = short_total - total * 0.5
        spare = {i: widths[i] - minimums[i] for i in range(len(widths)) if i not in long_idx}
        room = sum(spare.values()) or 1
        for i, sl in spare.items():
            widths[i] -= min(sl, over * sl / room)
    rest = total - sum(w for i, w in enumerate(widths) if i not in long_idx)
    if long_cols:
        weight = sum(w for _, w in long_cols)
        for i, w in long_cols:
            widths[i] = max(minimums[i], rest * w / weight)
    excess = sum(widths) - total
    if excess > 0:  # too many columns: take it from those above their minimum, in proportion
        slack = [w - m for w, m in zip(widths, minimums, strict=True)]
        room = sum(slack) or 1
        widths = [w - excess * sl / room for w, sl in zip(widths, slack, strict=True)]
    elif excess < 0:  # no long-text column: spread what is left
        widths = [w * total / sum(widths) for w in widths]
    return widths


CELL_PADDING = 8.0


def split_tall_rows(data: list[list[Any]], widths: list[float], frame_height: float) -> list[list[Any]]:
    """Split any row taller than what fits under the header on a page into continuation rows.

    reportlab cannot break a table row across pages by itself without artefacts, so the cell
    paragraphs are split here (Paragraph.split keeps the Chinese line breaking).
    """
    header_height = max(
        p.wrap(w - CELL_PADDING, frame_height)[1] for p, w in zip(data[0], widths, strict=True)
    )
    limit = (frame_height - header_height - 60) * 0.9  # room for the title on the first page
    result = [data[0]]
    for row in data[1:]:
        heights = [cell.wrap(w - CELL_PADDING, frame_height)[1] for cell, w in zip(row, widths, strict=True)]
        if max(heights) + CELL_PADDING <= limit:
            result.append(row)
            continue
        pieces: list[list[Any]] = []
        for cell, w in zip(row, widths, strict=True):
            parts: list[Any] = []
            rest = [cell]
            while rest:
                current = rest[0]
                if current.wrap(w - CELL_PADDING, frame_height)[1] <= limit:
                    parts.append(current)
                    break
                split = current.split(w - CELL_PADDING, limit)
                if len(split) < 2:  # cannot split further: accept the piece as it is
                    parts.append(current)
                    break
                parts.append(split[0])
                rest = split[1:]
            pieces.append(parts)
        for n in range(max(len(p) for p in pieces)):
            result.append([p[n] if n < len(p) else "" for p in pieces])
    return result


def export_table_pdf(
    path: str | os.PathLike[str],
    plan: Plan,
    activities: list[Activity],
    options: PdfOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PdfResult:
    """Write the activity table as a PDF ready to print for a meeting."""
    options = options or PdfOptions()
    columns = [c for c in options.columns if c in COLUMNS] or list(DEFAULT_TABLE_COLUMNS)
    fonts = Fonts(options)
    st = styles(fonts)
    size = page_size(options)
    top, right, bottom, left = (m * mm for m in options.margins_mm)
    width = size[0] - left - right
    texts = [[COLUMNS[k].text(a) for k in columns] for a in activities]
    widths = column_widths(columns, texts, width, fonts.heading, 11, fonts.body, 10.5)
    story: list[Any] = []
    label = plan.annex_label if options.annex_label is None else options.annex_label
    if label:
        story.append(Paragraph(fonts.markup(label, fonts.heading), st["label"]))
    title = plan.display_table_title if options.title is None else options.title
    story.append(Paragraph(fonts.markup(title, fonts.title), st["title"]))
    data: list[list[Any]] = [
        [Paragraph(fonts.markup(COLUMNS[k].header, fonts.heading), st["head"]) for k in columns]
    ]
    total = len(activities)
    for n, row in enumerate(texts):
        data.append(
            [
                Paragraph(fonts.markup(text), st["centre" if key in CENTRED_COLUMNS else "cell"])
                for key, text in zip(columns, row, strict=True)
            ]
        )
        if progress is not None and (n % 100 == 0 or n == total - 1):
            progress(n + 1, total + 1)
    frame_height = size[1] - top - bottom
    data = split_tall_rows(data, widths, frame_height)
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(table)
    if not activities:
        story.append(Spacer(1, 6))
        story.append(Paragraph("（本方案暂无活动）", st["note"]))
    if options.footer_line:
        story.append(Spacer(1, 14))
        story.append(Paragraph(fonts.markup(options.footer_line), st["footer"]))
    pages = build(path, story, size, (top, right, bottom, left), options, fonts, plan.title)
    if progress is not None:
        progress(total + 1, total + 1)
    return PdfResult(Path(path), pages, fonts.missing, fonts.names())
