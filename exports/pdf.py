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

__all__ = ["PdfOptions", "PdfResult", "column_widths", "export_table_pdf", "fit_scale", "split_tall_rows"]


CENTRED_COLUMNS = {"position", "time_text", "location", "status", "progress", "completed_on"}


LONG_TEXT = {"name", "content", "completion_notes"}


UNIT_COLUMNS = {"lead_units", "coop_units"}
#: Short columns whose usual entries (9月上旬, 全市, 进行中) read badly when broken.
KEEP_WHOLE = {"time_text", "location", "status", "progress", "completed_on", "position"}
PAD = 10.0  # cell padding (4 + 4) and a little air


def _atoms(key: str, text: str) -> list[str]:
    """The pieces of a cell that must not be broken across lines: each unit name (with its 、), a
    short time or place as a whole; long text may break anywhere."""
    if key in UNIT_COLUMNS:
        parts = text.split("、")
        return [p + "、" for p in parts[:-1]] + parts[-1:]
    if key in KEEP_WHOLE and len(text) <= 10:
        return [text]
    return []


def _measures(
    columns: list[str],
    rows: list[list[str]],
    head_font: str,
    head_size: float,
    body_font: str,
    body_size: float,
) -> tuple[list[float], list[float], list[float]]:
    """Each column's natural width (its text on one line), minimum width (header on one line, no unit
    name broken) and weight among the long-text columns (0 for the short ones)."""

    def measure(text: str) -> float:
        return stringWidth(text, body_font, body_size) if body_font else len(text) * body_size

    naturals, minimums, weights = [], [], []
    for i, key in enumerate(columns):
        texts = [r[i] for r in rows]
        head = stringWidth(COLUMNS[key].header, head_font, head_size) + PAD
        lines = [line for t in texts for line in t.split("\n")] or [""]
        widths = sorted(measure(line) for line in lines)
        atom = max((measure(a) for t in texts for a in _atoms(key, t)), default=0.0) + PAD
        long_text = key in LONG_TEXT or (key == "remarks" and max(map(len, texts), default=0) > 30)
        if long_text:
            typical = widths[max(0, int(len(widths) * 0.9) - 1)]  # a few huge cells do not set the width
            lengths = sorted(len(t) for t in texts) or [0]
            length = min(max(lengths[max(0, int(len(lengths) * 0.9) - 1)], 1), 120)
            naturals.append(max(head, typical + PAD))
            minimums.append(max(head, measure("国" * 6) + PAD))
            weights.append(COLUMNS[key].weight * (1 + math.sqrt(length) / 4))
        else:
            naturals.append(max(head, widths[-1] + PAD))
            minimums.append(max(head, atom))
            weights.append(0.0)
        minimums[-1] = min(minimums[-1], naturals[-1])
    return naturals, minimums, weights


def column_widths(
    columns: list[str],
    rows: list[list[str]],
    total: float,
    head_font: str,
    head_size: float,
    body_font: str = "",
    body_size: float = 10.5,
) -> list[float]:
    """Widths that follow the content, filling `total`.

    A table whose text fits on one line per cell grows every column alike (a short 内容 column does not
    take the page). Otherwise short columns get their longest entry on one line (within 16 % of the
    width, and never less than their header or a whole unit name: no "质量发展/股"), and the long-text
    columns share the rest by weight, none wider than its usual text needs. Only when even the
    minimums do not fit are all columns squeezed alike (see `fit_scale`).
    """
    naturals, minimums, weights = _measures(columns, rows, head_font, head_size, body_font, body_size)
    if sum(naturals) <= total:
        return [n * total / sum(naturals) for n in naturals]
    longs = [i for i, w in enumerate(weights) if w > 0]
    widths = [
        0.0 if i in longs else max(minimums[i], min(naturals[i], total * 0.16)) for i in range(len(columns))
    ]
    need = sum(minimums[i] for i in longs)
    short = sum(w for i, w in enumerate(widths) if i not in longs)
    if short + need > total:  # short columns give way first, down to their minimums
        over = short + need - total
        slack = {i: widths[i] - minimums[i] for i in range(len(columns)) if i not in longs}
        room = sum(slack.values()) or 1.0
        for i, sl in slack.items():
            widths[i] -= min(sl, over * sl / room)
    rest = total - sum(w for i, w in enumerate(widths) if i not in longs)
    open_ = list(longs)
    while open_:  # water-filling by weight: a column held at its minimum or natural width stops there
        weight = sum(weights[i] for i in open_)
        share = {i: rest * weights[i] / weight for i in open_}
        held = {i: minimums[i] for i in open_ if share[i] < minimums[i]}
        if not held:
            held = {i: naturals[i] for i in open_ if share[i] > naturals[i]}
        if not held:
            for i in open_:
                widths[i] = share[i]
            break
        for i, value in held.items():
            widths[i] = value
            rest -= value
            open_.remove(i)
    used = sum(widths)
    if used > total or not longs or used < total:  # squeeze alike, or spread what is left alike
        widths = [w * total / used for w in widths]
    return widths


def fit_scale(
    columns: list[str], rows: list[list[str]], total: float, head_font: str, body_font: str
) -> float:
    """The text size factor (≤ 1, ≥ 0.5) at which every column gets its minimum width one page wide."""
    _naturals, minimums, _weights = _measures(columns, rows, head_font, 11, body_font, 10.5)
    fixed = PAD * len(columns)
    if sum(minimums) <= total:
        return 1.0
    return max(0.5, (total - fixed) / max(1.0, sum(minimums) - fixed))


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
    size = page_size(options)
    top, right, bottom, left = (m * mm for m in options.margins_mm)
    width = size[0] - left - right
    texts = [[COLUMNS[k].text(a) for k in columns] for a in activities]
    scale = fit_scale(columns, texts, width, fonts.heading, fonts.body) if options.fit_width else 1.0
    st = styles(fonts, options, scale)
    head_size, body_size = st["head"].fontSize, st["cell"].fontSize
    widths = column_widths(columns, texts, width, fonts.heading, head_size, fonts.body, body_size)
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
