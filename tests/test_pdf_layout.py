"""PDF layout: widths follow content, fit one page wide, the 公文 preset, line breaking, the summary's order."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from exports.columns import COLUMNS, DEFAULT_TABLE_COLUMNS
from exports.options import GONGWEN, PdfOptions, apply_preset, options_from_settings
from exports.pdf import PAD, column_widths, export_table_pdf, fit_scale
from exports.pdf_common import CLOSING_MARKS, OPENING_MARKS, Fonts, page_numbers, styles
from exports.pdf_summary import export_summary_pdf
from models.records import Activity, Plan
from models.tracking import compute_overview
from tests.test_pdf import many, text_of


def _png(path: Path, shade: int = 0) -> None:
    """A tiny PNG of its own colour (identical pictures would be stored once)."""
    import struct
    import zlib

    raw = b"".join(b"\x00" + bytes((shade % 256, 0x78, 0xE7)) * 8 for _ in range(6))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


WIDTH = 760.0  # A4 landscape less the default margins, in points


def fonts() -> Fonts:
    return Fonts(PdfOptions())


def lines_of(text: str, width: float, font: str) -> list[str]:
    style = ParagraphStyle("t", fontName=font, fontSize=10.5, leading=14, wordWrap="CJK")
    para = Paragraph(text, style)
    para.wrap(width, 10_000)
    if para.blPara.kind == 0:  # one font: (room left, [text]) per line
        return ["".join(line[1]) for line in para.blPara.lines]
    return ["".join(getattr(w, "text", "") for w in line.words) for line in para.blPara.lines]


@pytest.mark.parametrize("width", [float(w) for w in range(40, 200, 7)])
def test_no_line_starts_with_closing_punctuation(width: float) -> None:
    f = fonts()
    font = f.body
    text = "开展《质量强国建设纲要》，宣贯“质量月”（九月）活动》》，并组织培训、咨询。" * 3
    for markup in (text, f"<b>{text[:10]}</b>{text[10:]}"):  # one font, and several fragments
        lines = lines_of(markup, width, font)
        assert "".join(lines) == text  # nothing lost or doubled by moving characters down
        for line in lines[1:]:
            assert line and line[0] not in CLOSING_MARKS, (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in OPENING_MARKS, (width, lines)


def test_short_unit_names_are_never_broken_and_headers_stay_whole() -> None:
    f = fonts()
    columns = list(DEFAULT_TABLE_COLUMNS)
    rows = [[COLUMNS[k].text(a) for k in columns] for a in many(5)]
    for row in rows:
        row[columns.index("lead_units")] = "质量发展股、计量股、标准化股、特种设备安全监察科"
        row[columns.index("content")] = "组织开展质量宣传、咨询、服务活动。" * 6
    widths = column_widths(columns, rows, WIDTH, f.heading, 11, f.body, 10.5)
    assert sum(widths) == pytest.approx(WIDTH)
    lead = widths[columns.index("lead_units")]
    assert lead >= stringWidth("特种设备安全监察科", f.body, 10.5) + PAD - 0.01
    for key, w in zip(columns, widths, strict=True):
        assert w >= stringWidth(COLUMNS[key].header, f.heading, 11) + PAD - 0.01, key


def test_a_short_content_column_does_not_stay_wide() -> None:
    f = fonts()
    columns = list(DEFAULT_TABLE_COLUMNS)
    short = [[COLUMNS[k].text(a) for k in columns] for a in many(5)]
    for row in short:
        row[columns.index("content")] = "宣传"
    widths = column_widths(columns, short, WIDTH, f.heading, 11, f.body, 10.5)
    content, name = widths[columns.index("content")], widths[columns.index("name")]
    assert content < name  # "宣传" needs less than the names do
    assert content < WIDTH * 0.2


def test_fit_one_page_wide_shrinks_text_until_every_column_fits(tmp_path: Path) -> None:
    f = fonts()
    every = list(COLUMNS)
    rows = [[COLUMNS[k].text(a) for k in every] for a in many(10)]
    scale = fit_scale(every, rows, 500, f.heading, f.body)
    assert 0.5 <= scale < 1
    assert fit_scale(["position", "name"], rows, WIDTH, f.heading, f.body) == 1.0
    plan = Plan(title="宽表", year=2024)
    narrow = PdfOptions(columns=every, landscape=False, fit_width=True)
    result = export_table_pdf(tmp_path / "fit.pdf", plan, many(10), narrow)
    text = "".join(text_of(result.path))
    for key in every:  # each header whole on one line
        assert COLUMNS[key].header in text, key


def test_gongwen_preset_follows_gb_t_9704(tmp_path: Path) -> None:
    options = options_from_settings({}, preset="gongwen")
    assert (
        options.pagesize == "A4" and options.margins_mm == (37, 26, 35, 28) and options.page_numbers == "dash"
    )
    f = Fonts(options)
    st = styles(f, options)
    assert (st["label"].fontSize, st["title"].fontSize) == (16, 22)  # 3号 and 2号
    assert st["title"].alignment == 1 and st["label"].alignment == 0
    numbers = page_numbers(options, f, (842.0, 595.0), tuple(m * 2.8346 for m in options.margins_mm))
    assert numbers.outside and numbers.size == GONGWEN.number_size and numbers.style == "dash"
    plan = Plan(title="某局2025年“质量月”活动方案", year=2025, annex_label="附件2")
    result = export_table_pdf(tmp_path / "gw.pdf", plan, many(40), options)
    reader = PdfReader(result.path)
    assert result.pages >= 2
    first = reader.pages[0].extract_text().splitlines()
    assert first[0].strip() == "附件2"
    for number, page in enumerate(reader.pages, start=1):
        xs: list[float] = []

        def visit(
            text: str, _cm: Any, tm: Any, _font: Any, _size: Any, xs: list[float] = xs, number: int = number
        ) -> None:
            if text.strip() == f"— {number} —":
                xs.append(float(tm[4]))

        page.extract_text(visitor_text=visit)
        assert xs, number
        middle = float(page.mediabox.width) / 2
        assert (xs[0] > middle) if number % 2 else (xs[0] < middle), (number, xs)  # odd right, even left


def test_preset_keeps_a_clerks_own_margins() -> None:
    options = options_from_settings({}, preset="gongwen", margins_mm=(30, 20, 30, 20))
    assert options.margins_mm == (30, 20, 30, 20) and options.preset == "gongwen"
    assert apply_preset(PdfOptions(), "nonsense").preset == "plain"


# ---- the summary


def summary(tmp_path: Path, n: int, notes: str, photos: int = 0) -> tuple[Path, list[Activity]]:
    plan = Plan(id=1, title="某局2024年“质量月”活动方案", year=2024, period_text="2024年9月")
    acts = many(n)
    for i, a in enumerate(acts):
        a.lead_units = [f"单位{i % 7}"]
        a.status = "已完成" if i % 3 == 0 else "进行中"
        a.completion_notes = notes
    pictures: dict[int, list[Path]] = {}
    captions: dict[Path, str] = {}
    for i in range(photos):
        path = tmp_path / f"照片{i}.png"
        _png(path, 20 * i)
        pictures.setdefault(acts[i % n].id or 0, []).append(path)
        captions[path] = f"现场照片{i}.jpg　2024-09-1{i % 10}"
    ov = compute_overview(plan, acts, dt.date(2024, 9, 25))
    out = tmp_path / "s.pdf"
    export_summary_pdf(out, plan, acts, ov, pictures, [], captions=captions)
    return out, acts


def test_summary_page_one_holds_the_figures_and_the_chart(tmp_path: Path) -> None:
    out, _acts = summary(tmp_path, 30, "已完成宣传活动。" * 20)
    first = text_of(out)[0]
    assert "一、总体情况" in first and "完成率" in first
    assert "二、各牵头单位完成情况" in first and "已完成" in first and "未完成" in first  # chart legend
    assert "单位6" in first  # the chart's bars with their labels


def test_summary_heading_is_never_the_last_line_of_a_page(tmp_path: Path) -> None:
    out, _acts = summary(tmp_path, 40, "已完成宣传活动，取得良好成效。" * 9)
    heading = re.compile(r"^（\d+）|^[一二三四五六]、")
    for page in text_of(out):
        lines = [
            line for line in page.splitlines() if line.strip() and not re.fullmatch(r"— \d+ —", line.strip())
        ]
        assert lines and not heading.match(lines[-1].strip()), lines[-3:]


def test_summary_photos_have_captions_and_no_page_is_left_mostly_empty(tmp_path: Path) -> None:
    out, acts = summary(tmp_path, 6, "已完成。", photos=9)
    text = "".join(text_of(out))
    assert "现场照片0.jpg" in text and "2024-09-10" in text
    assert f"1. {acts[0].name}" in text  # the activity under its photo
    reader = PdfReader(out)
    assert sum(len(p.images) for p in reader.pages) == 9
    # every page but the last is used: text or pictures reach its lower third
    for page in reader.pages[:-1]:
        ys: list[float] = []

        def visit(text: str, _cm: Any, tm: Any, _font: Any, _size: Any, ys: list[float] = ys) -> None:
            if text.strip() and not re.fullmatch(r"— \d+ —", text.strip()):
                ys.append(float(tm[5]))

        page.extract_text(visitor_text=visit)
        assert page.images or min(ys) < float(page.mediabox.height) / 3
