"""OCR of scans (exports/scan.py) on pages these tests render: clean, red header and seal, ruled tables, photos.

Accuracy is 1 − Levenshtein distance / length of the expected text, whitespace ignored. The pages are
drawn with WenQuanYi Micro Hei (Debian's fonts-wqy-microhei) at A5 or smaller to keep the suite quick;
one engine is shared by every test (the module caches it; the fixture loads it once up front).
"""

from __future__ import annotations

import importlib
import io
import math
import os
import socket
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("rapidocr")
pytest.importorskip("onnxruntime")
pytest.importorskip("cv2")

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from exports import scan
from models.document import TableBlock, TextBlock
from models.errors import Cancelled, MissingFeature, ReadError

FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
)
FONT = next((p for p in FONT_PATHS if Path(p).is_file()), None)
if FONT is None:
    pytest.skip("需要文泉驿微米黑字体（apt-get install fonts-wqy-microhei）", allow_module_level=True)

DPI = 200
RED = (230, 0, 18)
PARAS = [
    "为深入贯彻落实食品安全“四个最严”要求，切实保障人民群众“舌尖上的安全”，根据省市场监督管理局统一部署，"
    "决定在全市范围内开展2024年食品安全专项整治行动。现将有关事项通知如下。",
    "一、工作目标。以学校食堂、农村集体聚餐、网络订餐为重点，全面排查食品安全风险隐患，依法查处违法违规行为，"
    "全市食品安全抽检合格率稳定在98%以上。",
    "二、时间安排。专项行动自2024年3月1日起至11月30日止，各区局要于每月25日前报送工作进展情况。"
    "联系人：张明，电话：0791-12345678。",
]
TITLE = "关于开展2024年食品安全专项整治行动的通知"
HEADER = ["序号", "活动名称", "活动时间", "牵头单位", "备注"]
ROWS = [
    ["1", "食品安全宣传周", "3月", "食品安全协调科", "全市联动"],
    ["2", "校园食品安全检查", "3月至4月", "食品经营科", "全市联动"],
    ["3", "农村集体聚餐指导", "5月", "各区局", "重点乡镇"],
    ["4", "网络订餐专项抽检", "6月", "抽检监测科", ""],
    ["5", "总结验收", "11月", "办公室", "报送总结"],
]
WIDTHS = (0.08, 0.30, 0.17, 0.25, 0.20)


# --- measuring -------------------------------------------------------------------------------------


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def accuracy(got: str, want: str) -> float:
    """1 − edit distance / expected length, whitespace ignored."""
    got, want = "".join(got.split()), "".join(want.split())
    return 1 - levenshtein(got, want) / len(want)


# --- pages ---------------------------------------------------------------------------------------------


def mm(v: float, dpi: int = DPI) -> int:
    """Millimetres to pixels."""
    return round(v / 25.4 * dpi)


def font(px: int) -> ImageFont.FreeTypeFont:
    """The CJK test font at `px` pixels."""
    assert FONT is not None
    return ImageFont.truetype(FONT, px)


def wrap(
    draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int, indent: int
) -> list[str]:
    """Break a paragraph into lines that fit, the first indented (no punctuation starts a line)."""
    lines: list[str] = []
    current = ""
    for ch in text:
        limit = width - (indent if not lines else 0)
        if draw.textlength(current + ch, font=face) > limit and ch not in "，。、；：”）":
            lines.append(current)
            current = ch
        else:
            current += ch
    return [*lines, current] if current else lines


def notice_page(
    *,
    size: tuple[int, int] = (148, 210),
    pt: float = 14,
    paras: list[str] = PARAS,
    red: bool = False,
    dpi: int = DPI,
    mode: str = "RGB",
) -> tuple[Image.Image, list[str], int]:
    """A notice page (title, indented paragraphs; with `red` a red header, number and rule); its texts; the end y."""
    width, height = mm(size[0], dpi), mm(size[1], dpi)
    image = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(image)
    fs = round(pt / 72 * dpi)
    body, title_face = font(fs), font(round(fs * 1.3))
    left, right, y = mm(20, dpi), width - mm(18, dpi), mm(18, dpi)
    texts: list[str] = []
    if red:
        head, number = "南昌市市场监督管理局文件", "洪市监发〔2024〕12号"
        face = font(round(fs * 2.0))
        draw.text(((width - draw.textlength(head, font=face)) / 2, y), head, font=face, fill=RED)
        y += round(fs * 2.9)
        draw.text(((width - draw.textlength(number, font=body)) / 2, y), number, font=body, fill="black")
        y += round(fs * 1.6)
        draw.rectangle([left, y, right, y + max(2, dpi // 70)], fill=RED)
        y += round(fs * 1.4)
        texts += [head, number]
    draw.text(
        ((width - draw.textlength(TITLE, font=title_face)) / 2, y), TITLE, font=title_face, fill="black"
    )
    y += round(fs * 2.3)
    texts.append(TITLE)
    step = round(fs * 1.7)
    for para in paras:
        for k, line in enumerate(wrap(draw, para, body, right - left, 2 * fs)):
            draw.text((left + (2 * fs if k == 0 else 0), y), line, font=body, fill="black")
            y += step
        texts.append(para)
    return image, texts, y


def add_seal(image: Image.Image, cx: int, cy: int, r: int, text: str = "南昌市市场监督管理局") -> Image.Image:
    """A round red seal (ring, star, text on an arc), multiplied over the page as ink over ink."""
    layer = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(layer)
    colour = (225, 30, 40)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour, width=max(3, r // 18))
    star = []
    for k in range(10):
        angle, radius = -math.pi / 2 + k * math.pi / 5, r * (0.28 if k % 2 == 0 else 0.11)
        star.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(star, fill=colour)
    face = font(round(r * 0.26))
    for i, ch in enumerate(text):
        angle = math.radians(-210 + 240 * i / (len(text) - 1))
        x, y = cx + r * 0.72 * math.cos(angle), cy + r * 0.72 * math.sin(angle)
        glyph = Image.new("L", (round(r * 0.4), round(r * 0.4)), 0)
        ImageDraw.Draw(glyph).text((r * 0.07, r * 0.04), ch, font=face, fill=255)
        glyph = glyph.rotate(-math.degrees(angle) - 90)
        layer.paste(
            Image.new("RGB", glyph.size, colour),
            (round(x - glyph.width / 2), round(y - glyph.height / 2)),
            glyph,
        )
    page = np.asarray(image.convert("RGB"), dtype=np.uint16) * np.asarray(layer, dtype=np.uint16) // 255
    return Image.fromarray(page.astype(np.uint8))


def phone_photo(image: Image.Image, *, angle: float, scale: float, blur: float, quality: int) -> bytes:
    """A phone photo of the page: turned, small, uneven light on yellowish paper, noise, blur, JPEG."""
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255))
    small = turned.resize(
        (round(turned.width * scale), round(turned.height * scale)), Image.Resampling.BILINEAR
    )
    a = np.asarray(small).astype(np.float32)
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    light = 0.75 + 0.2 * (xx / w) * (1 - 0.4 * yy / h)
    a = a * light[..., None] * np.array([1.0, 0.97, 0.9]) + np.random.default_rng(1).normal(0, 10, a.shape)
    photo = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def table_page(
    rows: list[list[str]],
    *,
    merged: tuple[tuple[int, int, int, int], ...] = (),
    caption: str | None = "附件1  2024年食品安全专项整治活动安排表",
    footer: str | None = None,
    after: str | None = None,
    size: tuple[int, int] = (210, 130),
    pt: float = 12,
    dpi: int = DPI,
) -> tuple[Image.Image, list[list[str]]]:
    """A ruled table (rows[0] the header; long texts wrap in their cell) with merged cells (grid row0, col0,
    row1, col1); the expected grid, a merged cell's text in every cell it covers."""
    width, height = mm(size[0], dpi), mm(size[1], dpi)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    fs = round(pt / 72 * dpi)
    face = font(fs)
    y = mm(12, dpi)
    if caption:
        draw.text((mm(22, dpi), y), caption, font=font(round(fs * 1.2)), fill="black")
        y += round(fs * 2.4)
    x0, x1 = mm(22, dpi), width - mm(22, dpi)
    xs = [x0]
    for w in WIDTHS:
        xs.append(xs[-1] + round(w * (x1 - x0)))
    xs[-1] = x1
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for span in merged:
        for r in range(span[0], span[2] + 1):
            for c in range(span[1], span[3] + 1):
                owner[(r, c)] = span

    def lines_of(text: str, c0: int, c1: int) -> list[str]:
        return wrap(draw, text, face, xs[c1 + 1] - xs[c0] - fs, 0) or [""]

    step = round(fs * 1.4)
    heights = [
        max(
            round(fs * 2.5),
            max(len(lines_of(t, c, c)) for c, t in enumerate(row) if (r, c) not in owner) * step + fs,
        )
        if any((r, c) not in owner for c in range(len(row)))
        else round(fs * 2.5)
        for r, row in enumerate(rows)
    ]
    ys = [y]
    for h in heights:
        ys.append(ys[-1] + h)
    line = max(2, dpi // 80)
    draw.rectangle([xs[0], ys[0], xs[-1], ys[-1]], outline="black", width=line)
    for r in range(1, len(rows)):
        for c in range(len(WIDTHS)):
            if owner.get((r, c)) is None or owner.get((r, c)) != owner.get((r - 1, c)):
                draw.line([xs[c], ys[r], xs[c + 1], ys[r]], fill="black", width=line)
    for c in range(1, len(WIDTHS)):
        for r in range(len(rows)):
            if owner.get((r, c)) is None or owner.get((r, c)) != owner.get((r, c - 1)):
                draw.line([xs[c], ys[r], xs[c], ys[r + 1]], fill="black", width=line)
    grid = [list(row) for row in rows]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            span = owner.get((r, c), (r, c, r, c))
            if (r, c) != span[:2]:
                continue
            top, bottom, lft, rgt = ys[span[0]], ys[span[2] + 1], xs[span[1]], xs[span[3] + 1]
            parts = lines_of(text, span[1], span[3])
            ty = (top + bottom - len(parts) * step) / 2 + (step - fs) / 2 - fs * 0.1
            for k, part in enumerate(parts):
                draw.text(
                    ((lft + rgt - draw.textlength(part, font=face)) / 2, ty + k * step),
                    part,
                    font=face,
                    fill="black",
                )
            for rr in range(span[0], span[2] + 1):
                for cc in range(span[1], span[3] + 1):
                    grid[rr][cc] = text
    if after:
        draw.text((mm(22, dpi) + 2 * fs, ys[-1] + fs * 1.5), after, font=face, fill="black")
    if footer:
        draw.text(
            ((width - draw.textlength(footer, font=face)) / 2, height - mm(12, dpi)),
            footer,
            font=face,
            fill="black",
        )
    return image, grid


def cells_exact(got: list[list[str]], want: list[list[str]]) -> float:
    """The share of expected cells read exactly (whitespace ignored)."""
    total = sum(len(row) for row in want)
    same = sum(
        1
        for r, row in enumerate(want)
        for c, text in enumerate(row)
        if r < len(got) and c < len(got[r]) and "".join(got[r][c].split()) == text
    )
    return same / total


def page_text(result: scan.ScanResult) -> str:
    """All recognised prose of a result."""
    return "".join("".join(page.paragraphs()) for page in result.pages)


# --- fixtures --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def engine() -> Any:
    """Load the OCR models once for the module (the module keeps the engine for later reads)."""
    assert scan.ocr_missing() is None
    return scan._get_engine()


@pytest.fixture
def notice_png(tmp_path: Path) -> tuple[Path, list[str]]:
    """A clean A5 notice page at 200 dpi as PNG, and its texts."""
    image, texts, _ = notice_page()
    path = tmp_path / "notice.png"
    image.save(path)
    return path, texts


# --- text pages --------------------------------------------------------------------------------------------


def test_clean_notice_page(notice_png: tuple[Path, list[str]]) -> None:
    path, texts = notice_png
    result = scan.read_scan(path)
    page = result.pages[0]
    got = page.paragraphs()
    assert accuracy("".join(got), "".join(texts)) >= 0.99  # measured 1.000
    assert len(got) == len(texts)  # title and each paragraph: wrapped lines joined, indents start paragraphs
    assert accuracy(got[0], TITLE) >= 0.95
    assert page.width > 1000 and page.height > 1500 and abs(page.skew_degrees) < 0.3
    for line in page.lines:
        assert len(line.char_confidences) == len(line.text)
        assert all(0.0 <= c <= 1.0 for c in line.char_confidences) and 0.9 <= line.confidence <= 1.0
    preview = Image.open(io.BytesIO(page.preview_png))
    assert preview.format == "PNG" and max(preview.size) <= scan.PREVIEW_SIDE
    doc = scan.to_document(result, "notice.png")
    assert doc.kind == "scan" and doc.name == "notice.png"
    assert all(isinstance(b, TextBlock) and b.page == 1 for b in doc.blocks)
    assert accuracy(doc.text(), "".join(texts)) >= 0.99


def test_red_header_and_seals_over_text(tmp_path: Path) -> None:
    image, texts, y = notice_page(red=True)
    # two seals pressed over the body text (one over two paragraphs), as on a signed page
    image = add_seal(image, image.width // 2, y - 260, 190)
    image = add_seal(image, image.width - 330, y - 120, 170)
    path = tmp_path / "red.png"
    image.save(path)
    result = scan.read_scan(path)
    text = page_text(result)
    # measured 1.000 here; rapidocr on the colour page as it is: 0.933 (seal strokes read as characters)
    assert accuracy(text, "".join(texts)) >= 0.97
    assert "南昌市市场监督管理局文件" in text  # the red header's title is read (from the green channel)
    assert any("红色印章" in note for note in result.pages[0].notes)


def test_skewed_low_resolution_phone_photo(tmp_path: Path) -> None:
    image, texts, _ = notice_page()
    path = tmp_path / "photo.jpg"
    # about 70 dpi of the page, 4° turned, noise, blur, JPEG quality 40
    path.write_bytes(phone_photo(image, angle=4.0, scale=0.35, blur=1.0, quality=40))
    result = scan.read_scan(path)
    page = result.pages[0]
    assert abs(page.skew_degrees - 4.0) < 0.5
    assert accuracy(page_text(result), "".join(texts)) >= 0.97  # measured 1.000; at 60 dpi (scale 0.3) 0.92


def test_upside_down_page_is_turned(tmp_path: Path) -> None:
    image, texts, _ = notice_page(paras=PARAS[:1])
    path = tmp_path / "flipped.png"
    image.rotate(180).save(path)
    result = scan.read_scan(path)
    assert accuracy(page_text(result), "".join(texts)) >= 0.98
    assert any("倒着" in note for note in result.notes)


def test_600_dpi_page_is_scaled_down(tmp_path: Path) -> None:
    image, texts, _ = notice_page(size=(105, 148), pt=12, paras=PARAS[:1], dpi=600, mode="L")
    path = tmp_path / "fine.png"
    image.save(path, compress_level=1)
    result = scan.read_scan(path)
    page = result.pages[0]
    assert max(page.width, page.height) < max(image.size) / 2  # read at about 200 dpi, not 600
    assert accuracy(page_text(result), "".join(texts)) >= 0.98


# --- tables --------------------------------------------------------------------------------------------


def test_ruled_annex_table_with_merged_cells(tmp_path: Path) -> None:
    rows = [HEADER, *ROWS, ["6", "各项活动结束后十日内报送总结材料", "", "", ""]]
    rows[1] = [
        "1",
        "食品安全宣传周",
        "3月",
        "食品安全协调科、各区市场监督管理局",
        "全市联动",
    ]  # wraps in its cell
    rows[3] = ["3", "农村集体聚餐食品安全指导和培训宣传活动", "5月", "各区局", "重点乡镇"]
    rows[5] = ["5", "网络订餐专项抽检", "11月", "办公室", "报送总结"]
    # 备注 spans rows 1–2, 活动名称 rows 4–5, and the last row's note runs over four columns
    merged = ((1, 4, 2, 4), (4, 1, 5, 1), (6, 1, 6, 4))
    image, want = table_page(rows, merged=merged, pt=11, size=(210, 150))
    path = tmp_path / "table.png"
    image.save(path)
    result = scan.read_scan(path)
    page = result.pages[0]
    assert len(page.tables) == 1
    table = page.tables[0]
    assert (table.n_rows, table.n_cols) == (7, 5)
    assert cells_exact(table.rows(), want) >= 0.95  # measured 1.000
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in table.cells}
    assert spans[(1, 4)] == (2, 1) and spans[(4, 1)] == (2, 1) and spans[(6, 1)] == (1, 4)
    assert (2, 4) not in spans and spans[(4, 0)] == spans[(5, 0)] == (
        1,
        1,
    )  # the narrow 序号 cells stay apart
    assert "附件1" in "".join(page.paragraphs())  # the caption is prose above the table
    doc = scan.to_document(result, "table.png")
    tables = doc.tables()
    assert len(tables) == 1 and sorted(tables[0].merged) == [(1, 4, 2, 4), (4, 1, 5, 1), (6, 1, 6, 4)]
    assert tables[0].rows[2][4] == tables[0].rows[1][4] == "全市联动"
    assert isinstance(doc.blocks[0], TextBlock) and isinstance(doc.blocks[-1], TableBlock)
    low = [c for c in table.cells if c.text and len(c.char_confidences) != len(c.text)]
    assert low == []


def test_table_continued_on_next_page_is_joined(tmp_path: Path) -> None:
    first, want1 = table_page([HEADER, *ROWS[:3]], footer="— 1 —")
    second, want2 = table_page(
        [HEADER, *ROWS[3:]], caption=None, after="以上安排如有调整，另行通知。", footer="— 2 —"
    )
    path = tmp_path / "annex.pdf"
    first.save(
        path, save_all=True, append_images=[second], resolution=DPI
    )  # an image-only PDF, as a scanner makes
    assert scan.scan_pages_of_pdf(path) == [0, 1]
    result = scan.read_scan(path)
    assert [p.index for p in result.pages] == [0, 1]
    assert result.pages[1].tables[0].continued
    doc = scan.to_document(result, "annex.pdf")
    tables = doc.tables()
    assert len(tables) == 1  # one table over the page break, its repeated header row dropped
    assert cells_exact(tables[0].rows, want1 + want2[1:]) >= 0.95
    assert "以上安排" in doc.text() and "— 1 —" not in doc.text()


def test_mixed_pdf_finds_only_the_scanned_pages(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    image, texts, _ = notice_page(paras=PARAS[:1])
    logo = Image.new("RGB", (60, 60), (200, 0, 0))
    path = tmp_path / "mixed.pdf"
    canvas = Canvas(str(path), pagesize=A5)
    canvas.setFont("STSong-Light", 12)
    canvas.drawString(50, 500, "第一页有文字层：" + PARAS[0][:20])  # 0: text
    canvas.showPage()
    canvas.drawImage(ImageReader(image), 0, 0, *A5)  # 1: a scan
    canvas.showPage()
    canvas.setFont("STSong-Light", 12)
    canvas.drawString(50, 500, "第三页有文字也有图：" + PARAS[1][:20])  # 2: text and a logo
    canvas.drawImage(ImageReader(logo), 50, 520, 30, 30)
    canvas.showPage()
    canvas.drawImage(ImageReader(image), 0, 0, *A5)  # 3: a scan with a page number as text
    canvas.setFont("STSong-Light", 9)
    canvas.drawString(200, 20, "4")
    canvas.showPage()
    canvas.save()
    assert scan.scan_pages_of_pdf(path) == [1, 3]
    result = scan.read_scan(path, pages=[1])
    assert [p.index for p in result.pages] == [1]
    assert accuracy(page_text(result), "".join(texts)) >= 0.98
    assert scan.to_document(result, "mixed.pdf").blocks[0].page == 2


# --- progress, cancelling, limits, bad input ------------------------------------------------------------


def two_page_tiff(path: Path) -> None:
    """A two-frame TIFF of short pages."""
    pages = [notice_page(size=(148, 70), paras=[para])[0] for para in PARAS[:2]]
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_deflate")


def open_files() -> int:
    """How many file descriptors this process has open."""
    return len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else 0


def test_progress_per_page_of_a_multipage_tiff(tmp_path: Path) -> None:
    path = tmp_path / "two.tif"
    two_page_tiff(path)
    calls: list[tuple[int, int]] = []
    result = scan.read_scan(path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert [p.index for p in result.pages] == [0, 1]
    assert "四个最严" in "".join(result.pages[0].paragraphs()) and "工作目标" in "".join(
        result.pages[1].paragraphs()
    )


def test_cancel_from_progress_stops_and_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "two.tif"
    two_page_tiff(path)
    before = open_files()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done == 1:
            raise Cancelled()

    with pytest.raises(Cancelled):
        scan.read_scan(path, progress=progress)
    assert seen == [0, 1]  # the second page was never read
    assert open_files() == before  # the file was closed


def test_corrupt_files_are_read_errors(tmp_path: Path, notice_png: tuple[Path, list[str]]) -> None:
    jpeg = io.BytesIO()
    Image.open(notice_png[0]).convert("RGB").save(jpeg, "JPEG")
    cases = {
        "cut.jpg": jpeg.getvalue()[: len(jpeg.getvalue()) // 2],
        "noise.png": os.urandom(5000),
        "noise.pdf": b"%PDF-1.7\n" + os.urandom(5000),
        "empty.tif": b"",
        "text.jpg": "这不是图片".encode(),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ReadError):
            scan.read_scan(path)
    with pytest.raises(ReadError, match="不能识别"):
        scan.read_scan(notice_png[0].rename(tmp_path / "notice.bmp"))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header claims width × height pixels (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1), 255).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_claiming(40_000, 40_000))  # 1.6 G pixels, 4.8 GB as RGB
    t0 = time.perf_counter()
    with pytest.raises(ReadError, match="像素"):
        scan.read_scan(path)
    assert time.perf_counter() - t0 < 2


def test_more_pages_than_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.tif"
    frames = [Image.new("L", (20, 20), 255) for _ in range(scan.MAX_PAGES + 1)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    t0 = time.perf_counter()
    with pytest.raises(ReadError, match=str(scan.MAX_PAGES)):
        scan.read_scan(path)
    assert time.perf_counter() - t0 < 2  # refused before any page is read
    assert len(scan.read_scan(path, pages=[0, 1]).pages) == 2  # a part of it can be read


def test_blank_page_is_a_note(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("RGB", (mm(148), mm(210)), "white").save(path)
    result = scan.read_scan(path)
    assert result.pages[0].lines == [] and result.pages[0].tables == []
    assert any("空白" in note for note in result.notes)
    doc = scan.to_document(result, "blank.png")
    assert doc.blocks == [] and any("没有识别出文字" in note for note in doc.notes)


def test_photo_without_text_is_marked(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:700, 0:900]
    a = np.zeros((700, 900, 3), np.float32)
    for _ in range(12):
        cx, cy, r = rng.uniform(0, 900), rng.uniform(0, 700), rng.uniform(50, 250)
        a += np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))[..., None] * rng.uniform(0, 120, 3)
    photo = Image.fromarray(np.clip(a + 40 + rng.normal(0, 25, a.shape), 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(photo)
    for _ in range(30):
        x, y = rng.uniform(0, 900), rng.uniform(0, 700)
        draw.line(
            [x, y, x + rng.uniform(-200, 200), y + rng.uniform(-200, 200)],
            fill=tuple(int(v) for v in rng.uniform(0, 255, 3)),
            width=3,
        )
    path = tmp_path / "photo.jpg"
    photo.save(path, quality=80)
    result = scan.read_scan(path)
    assert sum(len(line.text) for line in result.pages[0].lines) < 10
    assert any("可能不是文字页" in note for note in result.notes)


# --- OCR missing, no network --------------------------------------------------------------------------


def test_missing_ocr_is_named_and_raised(
    monkeypatch: pytest.MonkeyPatch, notice_png: tuple[Path, list[str]]
) -> None:
    real = importlib.import_module

    def without_onnxruntime(name: str, package: str | None = None) -> Any:
        if name == "onnxruntime":
            raise ImportError("no onnxruntime")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_onnxruntime)
    monkeypatch.setattr(scan, "_missing_cache", [])
    message = scan.ocr_missing()
    assert message is not None and "onnxruntime" in message and 'pip install -e ".[ocr]"' in message
    with pytest.raises(MissingFeature, match="onnxruntime"):
        scan.read_scan(notice_png[0])


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every attempt to open a connection or resolve a name fails, and is recorded."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> Any:
        attempts.append(repr(args)[:80])
        raise OSError("network access is blocked in this test")

    for name in ("socket", "create_connection", "getaddrinfo"):
        monkeypatch.setattr(socket, name, refuse)
    yield attempts


def test_models_load_and_recognise_without_network(
    no_network: list[str], monkeypatch: pytest.MonkeyPatch, notice_png: tuple[Path, list[str]]
) -> None:
    monkeypatch.setattr(scan, "_engine", None)  # build a new engine: the models load with sockets blocked
    path, texts = notice_png
    result = scan.read_scan(path)
    assert scan._engine is not None
    assert accuracy(page_text(result), "".join(texts)) >= 0.99
    assert no_network == []
