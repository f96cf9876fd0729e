"""Reading scanned notices offline: image-only PDF pages and photos (JPEG, PNG, TIFF) to text and tables.

The OCR is rapidocr (PP-OCR detection and recognition models run by onnxruntime) with the models that
ship inside the rapidocr wheel, so nothing is downloaded at run time. Each page is rendered or decoded,
prepared (red seals and red headers suppressed by reading the red channel, deskewed, scaled so that the
text has the height the recogniser was trained on), its ruled tables are found from their ruling lines
(OpenCV morphology) and read cell by cell, and the prose outside them is put in reading order and joined
into paragraphs. Pages are done one at a time and their big arrays dropped before the next, so a long
scan keeps memory bounded.

Coordinates (`box`) are pixels of the prepared page (`ScanPage.width` × `ScanPage.height`): deskewed and
scaled, the image that `ScanPage.preview_png` shows at a smaller size (multiply by
`preview width / ScanPage.width` to draw a box on the preview).

Qt-free: numpy, OpenCV, rapidocr, onnxruntime, pypdfium2 and Pillow are imported only when a scan is read,
so the program starts and runs without the optional `ocr` extra.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import math
import re
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.document import Block, SourceDocument, TableBlock, TextBlock
from models.errors import MissingFeature, ReadError

# numpy and cv2 arrays: cv2's stubs type them as MatLike unions and numpy is imported lazily, so a
# precise alias would only add casts.
Array = Any
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in prepared-page pixels
Progress = Callable[[int, int], object]

MAX_PAGES = 50  # pages one read may OCR (2–3 s each): a longer scan is read in parts, by `pages`
MAX_FILE_BYTES = 300 * 1024 * 1024
MAX_INPUT_PIXELS = (
    120_000_000  # per image or embedded PDF image, checked before decoding (A3 at 600 dpi: 70 M)
)
MAX_RENDER_PIXELS = 25_000_000  # a PDF page is rendered at most this large (A4 at 200 dpi: 3.9 M)
MAX_WORK_SIDE = 4000  # the prepared page's long side, at most
MIN_WORK_SIDE = 800  # … and at least (a thumbnail is upscaled)
DET_TEXT_HEIGHT = (
    18  # px of text for the detector: it finds the lines as well at this size, in a fraction of the time
)
MAX_DET_PIXELS = 2_000_000  # the detector needs ≈ 150 MB of working memory per million pixels
# the recogniser scales each line to 48 px itself, and does better on a small photo's own pixels than on an
# upscaled copy (measured: 0.92 vs 0.87–0.90 on a 70-dpi photo); so only large text is scaled down (to 40 px)
# and only tiny text up (to 20 px)
TARGET_TEXT_HEIGHT = 40
SMALL_TEXT_HEIGHT = 20
TEXT_HEIGHT_BAND = (14, 64)  # a page whose text is this high (px) is read at its own size
PREVIEW_SIDE = 1400
MAX_BOXES = 600  # text boxes per page; more means texture (a photo), not text
UNSURE_CHAR = 0.6  # a character recognised with less probability than this is marked for checking
MIN_LINE_SCORE = 0.5  # a line the recogniser is less sure of than this is noise, not text
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
SCAN_SUFFIXES = (".pdf", *IMAGE_SUFFIXES)
_TEXT_LAYER_CHARS = 10  # a page with fewer non-space characters than this has no text layer worth reading

_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(第\s*)?\d{1,3}(\s*页)?[\s\-—–－·]*$|^续表")
_NUMBERED = re.compile(r"^(\(|（)?[一二三四五六七八九十\d]{1,3}(、|\.|．|）|\))")


@dataclass
class OcrLine:
    """A line of prose as recognised, in reading order.

    `char_confidences` has one value per character of `text`: the recogniser's probability for that
    character (rapidocr's CTC decoder gives one per character); a space this module put between two
    boxes of the same line has 1.0.
    """

    text: str
    confidence: float  # the line's mean character probability
    box: Box
    char_confidences: tuple[float, ...] = ()
    paragraph_start: bool = True  # this line begins a paragraph (indent, gap, short previous line, title)


@dataclass
class OcrCell:
    """A table cell (merged cells are one cell with a span); `text` joins its lines in reading order."""

    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    confidence: float  # the lowest line probability in the cell; 1.0 for a cell without ink
    box: Box
    char_confidences: tuple[float, ...] = ()


@dataclass
class OcrTable:
    """A ruled table on one page: its cell grid (`col_edges`, `row_edges` are the ruling lines)."""

    n_rows: int
    n_cols: int
    cells: list[OcrCell]
    box: Box
    col_edges: tuple[int, ...] = ()
    row_edges: tuple[int, ...] = ()
    continued: bool = False  # continues the last table of the previous page (same columns, across the break)

    def rows(self) -> list[list[str]]:
        """The cell texts as rows; a merged cell's text stands in every grid cell it covers."""
        grid = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    grid[r][c] = cell.text
        return grid


@dataclass
class ScanPage:
    """One page as recognised; `index` is 0-based in the file (PDF page or TIFF frame)."""

    index: int
    width: int
    height: int
    preview_png: bytes
    skew_degrees: float  # the page was turned back by this much (positive: it leant anticlockwise)
    lines: list[OcrLine] = field(default_factory=list)
    tables: list[OcrTable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def paragraphs(self) -> list[str]:
        """The prose lines joined into paragraphs."""
        return [text for _y, text in _paragraphs(self.lines)]

    def text(self) -> str:
        """The page's prose and table rows as plain text, in reading order."""
        return SourceDocument(_page_blocks(self), kind="scan").text()


@dataclass
class ScanResult:
    """Every page read, and what could not be read (Chinese notes for the clerk)."""

    pages: list[ScanPage]
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# Is OCR available


_MODULES = (
    ("numpy", "numpy"),
    ("cv2", "opencv-python-headless"),
    ("onnxruntime", "onnxruntime"),
    ("rapidocr", "rapidocr"),
    ("pypdfium2", "pypdfium2"),
    ("PIL", "Pillow"),
)
_missing_lock = threading.Lock()
_missing_cache: list[str | None] = []


def ocr_missing() -> str | None:
    """None when scans can be read; otherwise a Chinese message naming what is missing and how to add it."""
    with _missing_lock:
        if not _missing_cache:
            _missing_cache.append(_check_ocr())
        return _missing_cache[0]


def _check_ocr() -> str | None:
    missing: list[str] = []
    for module, package in _MODULES:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a broken install (a DLL that fails to load) is as missing as none
            missing.append(package)
    if not missing and _model_files() is None:
        missing.append("rapidocr 自带的识别模型文件")
    if not missing:
        return None
    return (
        "无法识别扫描件：本程序没有安装文字识别（OCR）组件（缺少 " + "、".join(missing) + "）。"
        '请使用带文字识别的安装版本，或在源码目录中运行 pip install -e ".[ocr]" 后重新打开程序；'
        "也可以把通知复制为文字后用“粘贴通知文本”。"
    )


def _model_files() -> dict[str, Path] | None:
    """The detection, recognition and orientation models inside the installed rapidocr package."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations))) / "models"
    found: dict[str, Path] = {}
    for task in ("det", "rec", "cls"):
        # the wheel ships one model per task; should it ship more, the highest version name wins
        candidates = sorted(p for p in root.glob(f"*{task}*.onnx") if p.is_file() and p.stat().st_size > 0)
        if not candidates:
            return None
        found[task] = candidates[-1]
    return found


_engine_lock = threading.RLock()  # the engine keeps per-call settings on itself: one call at a time
_engine: Any = None


def _get_engine() -> Any:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _new_engine()
        return _engine


def _new_engine() -> Any:
    """A RapidOCR built on the packaged model files (given by path, so it never looks for a download)."""
    from rapidocr import RapidOCR

    models = _model_files()
    if models is None:
        raise MissingFeature(ocr_missing() or "找不到文字识别模型文件。")
    _return_big_blocks()
    return RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,  # the page is deskewed and turned upright as a whole: see _upside_down
            "Det.model_path": str(models["det"]),
            "Rec.model_path": str(models["rec"]),
            "Cls.model_path": str(models["cls"]),
        }
    )


# ---------------------------------------------------------------------------------------------------
# Files: which PDF pages are scans, page images one at a time


def _return_big_blocks() -> None:
    """On glibc, serve every block of 1 MiB or more by mmap, so that freed inference buffers go back at once.

    onnxruntime allocates and frees a few hundred MB of activations per detection call; glibc's default
    (a threshold that rises after the first big free) keeps them in the heap, and each new input size
    then adds to the process's memory: 640 MB after two pages instead of 400.
    """
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to tune
        return
    m_mmap_threshold = -3
    mallopt(m_mmap_threshold, 1 << 20)


def scan_pages_of_pdf(path: str | Path) -> list[int]:
    """The 0-based pages of a PDF that are scans: no text layer (or a near-empty one) and an image on them."""
    import pypdfium2 as pdfium

    p = Path(path)
    _check_file(p)
    document = _open_pdf(p)
    try:
        scans: list[int] = []
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
                if len("".join(text.split())) >= _TEXT_LAYER_CHARS:
                    continue
                if any(True for _ in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,))):
                    scans.append(index)
            finally:
                page.close()
        return scans
    finally:
        document.close()


def _check_file(p: Path) -> None:
    if not p.is_file():
        raise ReadError(f"找不到文件“{p}”。")
    size = p.stat().st_size
    if size == 0:
        raise ReadError(f"“{p.name}”是空文件。")
    if size > MAX_FILE_BYTES:
        raise ReadError(
            f"“{p.name}”有 {size / 1024 / 1024:.0f} MB，超过扫描件上限 {MAX_FILE_BYTES // 1024 // 1024} MB。"
        )


def _open_pdf(p: Path) -> Any:
    import pypdfium2 as pdfium

    with p.open("rb") as f:
        head = f.read(1024)
    if b"%PDF" not in head:
        raise ReadError(f"“{p.name}”不是有效的 PDF 文件，或已损坏。")
    try:
        return pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError(f"“{p.name}”已加密，无法读取。请先去掉密码。") from exc
        raise ReadError(f"“{p.name}”不是有效的 PDF 文件，或已损坏。") from exc


def _pdf_pages(p: Path, pages: list[int] | None, dpi: int) -> tuple[list[int], Callable[[int], Array], Any]:
    """The page indices to read, a function rendering one of them as BGR, and the document to close."""
    import pypdfium2 as pdfium

    if pages is None:
        pages = scan_pages_of_pdf(p)
        if not pages:
            raise ReadError(f"“{p.name}”的每一页都有文字层，不是扫描件，请按普通 PDF 导入。")
    document = _open_pdf(p)
    count = len(document)
    bad = [i for i in pages if not 0 <= i < count]
    if bad:
        document.close()
        raise ReadError(f"“{p.name}”只有 {count} 页，没有第 {bad[0] + 1} 页。")

    def render(index: int) -> Array:
        page = document[index]
        try:
            for obj in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,)):
                w, h = obj.get_px_size()
                if w * h > MAX_INPUT_PIXELS:  # pdfium would decode it whole to draw it
                    raise ReadError(f"“{p.name}”第 {index + 1} 页的图像有 {w}×{h} 像素，过大，无法识别。")
            width, height = page.get_size()
            scale = dpi / 72.0
            if width * height * scale * scale > MAX_RENDER_PIXELS:  # a poster-sized page: render smaller
                scale = math.sqrt(MAX_RENDER_PIXELS / max(1.0, width * height))
            bitmap = page.render(
                scale=scale, force_bitmap_format=pdfium.raw.FPDFBitmap_BGR, may_draw_forms=False
            )
            try:
                return bitmap.to_numpy().copy()
            finally:
                bitmap.close()
        finally:
            page.close()

    return list(pages), render, document


def _image_pages(p: Path, pages: list[int] | None) -> tuple[list[int], Callable[[int], Array], Any]:
    """The frames to read of an image file (a TIFF may have several), a decoder and the file to close."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit applies, below
            image = Image.open(p)
    except Image.DecompressionBombError as exc:
        raise ReadError(
            f"“{p.name}”的图片像素过多（超过 {MAX_INPUT_PIXELS // 1_000_000} 百万像素），"
            "可能已损坏。请用较低分辨率重新扫描。"
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ReadError(f"“{p.name}”不是可以识别的图片（JPEG、PNG、TIFF），或已损坏。") from exc
    if image.format not in ("JPEG", "PNG", "TIFF", "MPO"):
        image.close()
        raise ReadError(f"“{p.name}”是 {image.format} 图片，只能识别 JPEG、PNG、TIFF。")
    count = int(getattr(image, "n_frames", 1) or 1)
    if image.format == "MPO":
        count = 1  # a phone's multi-picture JPEG: the first picture is the photo
    wanted = list(range(count)) if pages is None else list(pages)
    bad = [i for i in wanted if not 0 <= i < count]
    if bad:
        image.close()
        raise ReadError(f"“{p.name}”只有 {count} 页，没有第 {bad[0] + 1} 页。")

    def decode(index: int) -> Array:
        return _decode_frame(image, index, p.name)

    return wanted, decode, image


def _decode_frame(image: Any, index: int, name: str) -> Array:
    import numpy as np
    from PIL import Image, ImageOps

    try:
        image.seek(index)
    except (EOFError, OSError, ValueError) as exc:
        raise ReadError(f"“{name}”第 {index + 1} 页已损坏。") from exc
    w, h = image.size
    if w <= 0 or h <= 0 or w * h > MAX_INPUT_PIXELS:  # checked on the header, before any pixel is decoded
        raise ReadError(
            f"“{name}”的图片有 {w}×{h} 像素，超过上限（{MAX_INPUT_PIXELS // 1_000_000} 百万像素），"
            "可能已损坏。请用较低分辨率重新扫描。"
        )
    if image.format in ("JPEG", "MPO") and max(w, h) > 2 * MAX_WORK_SIDE:
        # decode a very large photo at 1/2, 1/4 or 1/8 straight from the JPEG: a quarter of the memory
        image.draft("RGB", (w * MAX_WORK_SIDE // max(w, h), h * MAX_WORK_SIDE // max(w, h)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit above applies
            frame = image.copy() if image.format == "TIFF" else image
            frame.load()
            if image.format in ("JPEG", "MPO"):
                frame = ImageOps.exif_transpose(frame)  # a phone photo taken sideways
            if frame.mode in ("I;16", "I;16B", "I;16L", "I"):
                frame = frame.point(lambda v: v / 256).convert("L")
            if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
                # a transparent background would turn black: lay the picture on white paper
                rgba = frame.convert("RGBA")
                frame = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
                del rgba
            rgb = frame.convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ReadError(f"“{name}”的图片已损坏或不完整，无法识别。") from exc
    array = np.asarray(rgb)[:, :, ::-1].copy()  # RGB → BGR, as OpenCV and rapidocr expect
    del rgb, frame
    return array


# ---------------------------------------------------------------------------------------------------
# Reading


def read_scan(
    path: str | Path, *, pages: list[int] | None = None, progress: Progress | None = None, dpi: int = 200
) -> ScanResult:
    """OCR a scan: image-only PDF pages (by default those `scan_pages_of_pdf` finds) or a JPEG/PNG/TIFF.

    `pages` are 0-based PDF pages or TIFF frames. `progress(done, total)` is called before the first page
    and after each; an exception it raises (a cancel) goes through and nothing is returned. Raises
    ReadError for a file that cannot be read and MissingFeature when OCR is not installed.
    """
    problem = ocr_missing()
    if problem:
        raise MissingFeature(problem)
    p = Path(path)
    _check_file(p)
    suffix = p.suffix.lower()
    if suffix not in SCAN_SUFFIXES:
        raise ReadError(f"不能识别“{suffix or '无扩展名'}”文件。可识别扫描的 PDF 和 JPEG、PNG、TIFF 图片。")
    dpi = max(72, min(600, int(dpi)))
    indices, load, handle = _pdf_pages(p, pages, dpi) if suffix == ".pdf" else _image_pages(p, pages)
    try:
        if len(indices) > MAX_PAGES:
            raise ReadError(
                f"“{p.name}”要识别 {len(indices)} 页，超过一次 {MAX_PAGES} 页的上限。请分几次选择页码识别。"
            )
        total = len(indices)
        if progress is not None:
            progress(0, total)
        result = ScanResult(pages=[])
        for done, index in enumerate(indices, 1):
            bgr = load(index)
            page = _read_page(bgr, index)
            del bgr  # the page image is the biggest thing held; free it before the next page
            result.pages.append(page)
            if progress is not None:
                progress(done, total)
    finally:
        handle.close()
    _link_tables(result.pages)
    for page in result.pages:
        result.notes.extend(page.notes)
    return result


def _read_page(bgr: Array, index: int) -> ScanPage:
    """Prepare, find the tables, OCR and lay out one page."""
    import cv2

    label = f"第 {index + 1} 页"
    prep = _prepare(bgr)
    notes: list[str] = []
    if prep.blank:
        notes.append(f"{label}是空白页。")
        return ScanPage(index, prep.width, prep.height, _preview(prep.colour), prep.skew, notes=notes)
    if prep.red_fraction > 0.002:
        notes.append(f"{label}有红色印章或红头：已按黑色文字识别，印章中的文字不识别。")

    ocr = cv2.cvtColor(prep.erased, cv2.COLOR_GRAY2BGR)
    quads, scores = _detect(ocr, prep.text_height)
    if _upside_down(ocr, quads):
        prep = _turn_over(prep)
        notes.append(f"{label}是倒着扫描的，已转正。")
        ocr = cv2.cvtColor(prep.erased, cv2.COLOR_GRAY2BGR)
        quads, scores = _detect(ocr, prep.text_height)
    tables = _find_tables(prep)
    if len(quads) > MAX_BOXES:
        order = sorted(range(len(quads)), key=lambda i: -scores[i])[:MAX_BOXES]
        quads = [quads[i] for i in sorted(order)]
        notes.append(f"{label}的图案过于复杂，只识别了其中最像文字的 {MAX_BOXES} 处。")

    in_table: list[list[Box]] = [[] for _ in tables]
    prose: list[Array] = []
    for quad in quads:
        x0, y0 = quad.min(axis=0)
        x1, y1 = quad.max(axis=0)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        for t, grid in enumerate(tables):
            if grid.x0 <= cx <= grid.x1 and grid.y0 <= cy <= grid.y1:
                in_table[t].append(_quad_box(quad))
                break
        else:
            prose.append(quad)

    raw_lines: list[OcrLine] = []
    dropped = 0
    for quad in prose:
        line = _recognise(_crop_quad(ocr, quad), _quad_box(quad))
        if line is None:
            continue
        if line.confidence < MIN_LINE_SCORE:
            dropped += 1
            continue
        raw_lines.append(line)
    raw_lines.extend(_red_header_lines(prep))
    ocr_tables = [_read_table(grid, boxes, ocr, prep) for grid, boxes in zip(tables, in_table, strict=True)]
    lines = _layout(raw_lines, prep.width)

    chars = sum(len(line.text) for line in lines) + sum(len(c.text) for t in ocr_tables for c in t.cells)
    scored = [c for line in lines for c in line.char_confidences]
    if chars < 4 or (scored and sum(scored) / len(scored) < 0.7) or dropped > max(5, len(lines)):
        notes.append(
            f"{label}识别出的文字很少或不可靠，可能不是文字页（照片、图画）或拍得不清楚，请对照原件核对。"
        )
    elif not lines and not ocr_tables:
        notes.append(f"{label}没有识别出文字。")
    else:
        cell_confs = [v for t in ocr_tables for c in t.cells for v in c.char_confidences]
        unsure = sum(1 for v in [*scored, *cell_confs] if v < UNSURE_CHAR)
        if unsure:
            notes.append(f"{label}有 {unsure} 个字识别把握不大，请对照原件核对标出的字。")
    preview = _preview(prep.colour)
    return ScanPage(index, prep.width, prep.height, preview, prep.skew, lines, ocr_tables, notes)


# ---------------------------------------------------------------------------------------------------
# Preparing a page


@dataclass
class _Prepared:
    colour: Array  # BGR, deskewed and scaled: what the preview shows
    grey: Array  # red suppressed, illumination flattened
    bw: Array  # ink mask (uint8 0/255)
    erased: Array  # grey with ruling lines painted out (what the recogniser reads)
    horizontal: Array  # ruling-line masks
    vertical: Array
    red: Array  # red-ink mask
    skew: float
    text_height: float
    red_fraction: float
    blank: bool

    @property
    def width(self) -> int:
        """Prepared page width."""
        return int(self.grey.shape[1])

    @property
    def height(self) -> int:
        """Prepared page height."""
        return int(self.grey.shape[0])


def _prepare(bgr: Array) -> _Prepared:
    """Red channel as grey, flattened light, deskew, scale to the recogniser's text height, ink and line masks."""
    import cv2
    import numpy as np

    if bgr.ndim == 2:
        bgr = cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
    h, w = bgr.shape[:2]
    long_side = max(h, w)
    if long_side > MAX_WORK_SIDE * 1.25:  # a 600-dpi page: take it down first, the text-height step refines
        s = MAX_WORK_SIDE * 1.25 / long_side
        bgr = cv2.resize(bgr, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
    elif long_side < MIN_WORK_SIDE:
        s = MIN_WORK_SIDE / long_side
        bgr = cv2.resize(bgr, (round(w * s), round(h * s)), interpolation=cv2.INTER_CUBIC)

    grey = _suppress_red(bgr)
    bw = _ink(grey)
    blank = int(np.count_nonzero(bw)) < 0.0003 * bw.size
    skew = 0.0 if blank else _estimate_skew(bw)
    if abs(skew) >= 0.15:
        bgr = _rotate(bgr, skew)
        grey = _suppress_red(bgr)
        bw = _ink(grey)
    text_height = _text_height(bw)
    if text_height and not TEXT_HEIGHT_BAND[0] <= text_height <= TEXT_HEIGHT_BAND[1]:
        s = (TARGET_TEXT_HEIGHT if text_height > TEXT_HEIGHT_BAND[1] else SMALL_TEXT_HEIGHT) / text_height
        h, w = bgr.shape[:2]
        s = min(s, MAX_WORK_SIDE / max(h, w), math.sqrt(30_000_000 / (h * w)))
        s = max(s, MIN_WORK_SIDE / max(h, w))
        if abs(s - 1) > 0.1:
            interp = cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC
            bgr = cv2.resize(bgr, (max(1, round(w * s)), max(1, round(h * s))), interpolation=interp)
            grey = _suppress_red(bgr)
            bw = _ink(grey)
            text_height = _text_height(bw) or text_height * s
    text_height = text_height or TARGET_TEXT_HEIGHT

    horizontal, vertical = _ruling_lines(bw, text_height)
    lines = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    erased = grey.copy()
    erased[lines > 0] = 255
    red = _red_mask(bgr)
    return _Prepared(
        bgr,
        grey,
        bw,
        erased,
        horizontal,
        vertical,
        red,
        round(skew, 2),
        float(text_height),
        float(np.count_nonzero(red)) / red.size,
        blank,
    )


def _suppress_red(bgr: Array) -> Array:
    """Grey with red ink (seal, header) turned white and black text under it kept black; light flattened."""
    import cv2
    import numpy as np

    b, g, r = (bgr[:, :, i] for i in range(3))
    # where the ink is red, the red channel (red ink is bright in it) plus how much redder than green/blue the
    # pixel is, so red ink becomes paper-white (a seal's 225 on paper's 250 is still faint text to the
    # detector); elsewhere the plain grey, whose three channels average out a photo's noise
    redness = cv2.subtract(r, cv2.max(g, b)).astype(np.float32)
    weight = np.clip((redness - 25) / 35, 0, 1)
    whitened = np.minimum(255, r.astype(np.float32) + 2 * redness)
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
    red = (grey + weight * (whitened - grey)).astype(np.uint8)
    del redness, weight, whitened, grey
    # background = the paper's brightness around each pixel (a max filter wider than any stroke), so that a
    # photo's uneven light and yellowish paper become an even white
    k = max(15, (max(red.shape) // 80) | 1)
    small = (
        cv2.resize(red, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA) if min(red.shape) > 400 else red
    )
    kk = max(5, (k * small.shape[0] // red.shape[0]) | 1)
    background = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (kk, kk)))
    background = cv2.medianBlur(background, 5)
    background = cv2.resize(background, (red.shape[1], red.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(red, np.maximum(background, 1), scale=255)
    return flat


def _ink(grey: Array) -> Array:
    """Dark pixels as 255 (Otsu on the flattened page; never above a mid grey, so a blank page stays blank)."""
    import cv2

    threshold, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, bw = cv2.threshold(grey, min(threshold, 170), 255, cv2.THRESH_BINARY_INV)
    return bw


def _red_mask(bgr: Array) -> Array:
    import cv2
    import numpy as np

    b, g, r = (bgr[:, :, i].astype(np.int16) for i in range(3))
    mask = ((r > 110) & (r - np.maximum(g, b) > 50)).astype(np.uint8) * 255
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _estimate_skew(bw: Array) -> float:
    """The angle (degrees) that makes the text lines horizontal: the sharpest horizontal projection."""
    import cv2
    import numpy as np

    scale = min(1.0, 1200 / max(bw.shape))
    small = cv2.resize(bw, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else bw
    ys, xs = np.nonzero(small > 96)
    if len(xs) < 50:
        return 0.0
    if len(xs) > 300_000:
        pick = np.random.default_rng(0).choice(len(xs), 300_000, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float64) - small.shape[1] / 2
    ys = ys.astype(np.float64)

    def sharpness(angle: float) -> float:
        t = math.radians(angle)
        projected = ys * math.cos(t) + xs * math.sin(t)  # row of each ink pixel after turning by `angle`
        rows = np.bincount((projected - projected.min()).astype(np.int64))
        return float(np.dot(rows, rows))

    best = 0.0
    for step, span in ((1.0, 10.0), (0.2, 1.0), (0.05, 0.2)):
        candidates = np.arange(best - span, best + span + step / 2, step)
        best = float(max(candidates, key=sharpness))
    return best


def _rotate(bgr: Array, angle: float) -> Array:
    """Turn the page by `angle` degrees (the canvas grows so no corner is cut; new paper is white)."""
    import cv2
    import numpy as np

    h, w = bgr.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += nw / 2 - w / 2
    matrix[1, 2] += nh / 2 - h / 2
    border = tuple(
        int(v) for v in np.median(bgr[:: max(1, h // 50), :: max(1, w // 50)].reshape(-1, 3), axis=0)
    )
    return cv2.warpAffine(bgr, matrix, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=border)


def _text_height(bw: Array) -> float | None:
    """The median height of the ink bands of text lines (after removing long ruling lines), or None."""
    import cv2
    import numpy as np

    h, w = bw.shape
    long = max(40, w // 12)
    lines = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long, 1)))
    vertical = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(40, h // 12)))
    )
    lines = cv2.bitwise_or(lines, vertical)
    text = cv2.subtract(bw, cv2.dilate(lines, np.ones((5, 5), np.uint8)))
    # bands are measured in vertical strips, so that text in two table columns at different heights does
    # not merge into one tall band
    heights: list[int] = []
    strips = max(1, w // 400)
    for s in range(strips):
        profile = np.count_nonzero(text[:, s * w // strips : (s + 1) * w // strips], axis=1) > 2
        padded = np.concatenate(([False], profile, [False]))
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        heights += [int(b - a) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= 5]
    if len(heights) < 3:
        return None
    return float(np.median(heights))


def _ruling_lines(bw: Array, text_height: float) -> tuple[Array, Array]:
    """Horizontal and vertical line masks: ink runs much longer than any character stroke."""
    import cv2

    h, w = bw.shape
    long_h = int(max(4 * text_height, w / 30))
    long_v = int(max(1.5 * text_height, h / 60))
    # bridge the small gaps a photo or a thin printed rule has, along the line's own direction only
    gap = max(3, int(text_height / 10))
    closed_h = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    closed_v = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    horizontal = cv2.morphologyEx(
        closed_h, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_h, 1))
    )
    vertical = cv2.morphologyEx(
        closed_v, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_v))
    )
    return horizontal, vertical


def _preview(bgr: Array) -> bytes:
    import cv2

    h, w = bgr.shape[:2]
    s = min(1.0, PREVIEW_SIDE / max(h, w))
    small = (
        cv2.resize(bgr, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
        if s < 1
        else bgr
    )
    ok, data = cv2.imencode(".png", small, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    return bytes(data) if ok else b""


# ---------------------------------------------------------------------------------------------------
# Tables from ruling lines


@dataclass
class _Grid:
    x0: int
    y0: int
    x1: int
    y1: int
    xs: list[int]  # column boundaries, n_cols + 1
    ys: list[int]  # row boundaries, n_rows + 1
    cells: list[tuple[int, int, int, int]]  # (row0, col0, row1, col1) inclusive, merged cells included
    thick: int


def _find_tables(prep: _Prepared) -> list[_Grid]:
    """Ruled tables: regions of crossing horizontal and vertical lines, with their cell grid and merges."""
    import cv2
    import numpy as np

    both = cv2.bitwise_or(prep.horizontal, prep.vertical)
    if not np.count_nonzero(prep.vertical) or not np.count_nonzero(prep.horizontal):
        return []
    joined = cv2.dilate(both, np.ones((5, 5), np.uint8))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids: list[_Grid] = []
    for i in range(1, count):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if w < 0.15 * prep.width or h < 1.5 * prep.text_height:
            continue
        grid = _grid(prep, x, y, x + w - 1, y + h - 1)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.y0)


def _separators(profile: Array, minimum: float) -> list[tuple[int, int]]:
    """(start, end) of the runs where a line mask's profile reaches `minimum` (touching rows merged)."""
    import numpy as np

    on = np.concatenate(([False], profile >= minimum, [False]))
    edges = np.flatnonzero(on[1:] != on[:-1])
    runs = [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    merged: list[tuple[int, int]] = []
    for a, b in runs:
        if merged and a - merged[-1][1] <= 3:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _grid(prep: _Prepared, x0: int, y0: int, x1: int, y1: int) -> _Grid | None:
    import cv2
    import numpy as np

    horizontal = prep.horizontal[y0 : y1 + 1, x0 : x1 + 1] > 0
    vertical = prep.vertical[y0 : y1 + 1, x0 : x1 + 1] > 0
    min_cell = max(8.0, 0.6 * prep.text_height)
    rows = _separators(horizontal.sum(axis=1), min(2.5 * prep.text_height, 0.5 * (x1 - x0)))
    cols = _separators(vertical.sum(axis=0), min(1.2 * prep.text_height, 0.5 * (y1 - y0)))
    thick = max(1, int(np.median([b - a + 1 for a, b in rows + cols]))) if rows + cols else 1
    ys = [(a + b) // 2 for a, b in rows]
    xs = [(a + b) // 2 for a, b in cols]
    # a table without an outer rule on one side still ends where its other lines end
    for edges, end in ((ys, y1 - y0), (xs, x1 - x0)):
        if not edges or edges[0] > 3 * thick + 2:
            edges.insert(0, 0)
        if edges[-1] < end - 3 * thick - 2:
            edges.append(end)
    ys = _drop_close(ys, min_cell)
    xs = _drop_close(xs, min_cell)
    tol = max(2, thick + 1)
    # where the long rules are is known now; whether a rule runs along one cell is read from short runs, so
    # that a rule closing a narrow cell (序号) beside a merged one is not lost as too short to be a rule
    region = prep.bw[y0 : y1 + 1, x0 : x1 + 1]
    gap = max(3, int(prep.text_height / 10))
    short_h = max(10, int(0.8 * prep.text_height))
    short_v = max(10, int(0.6 * prep.text_height))
    horizontal = (
        cv2.morphologyEx(
            cv2.morphologyEx(region, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8)),
            cv2.MORPH_OPEN,
            np.ones((1, short_h), np.uint8),
        )
        > 0
    )
    vertical = (
        cv2.morphologyEx(
            cv2.morphologyEx(region, cv2.MORPH_CLOSE, np.ones((gap, 1), np.uint8)),
            cv2.MORPH_OPEN,
            np.ones((short_v, 1), np.uint8),
        )
        > 0
    )

    def has_vertical(r: int, c: int) -> bool:  # the rule between (r, c-1) and (r, c)
        band = vertical[ys[r] + tol : ys[r + 1] - tol, max(0, xs[c] - tol) : xs[c] + tol + 1]
        return band.size > 0 and float(band.any(axis=1).mean()) >= 0.6

    def has_horizontal(r: int, c: int) -> bool:  # the rule between (r-1, c) and (r, c)
        band = horizontal[max(0, ys[r] - tol) : ys[r] + tol + 1, xs[c] + tol : xs[c + 1] - tol]
        return band.size > 0 and float(band.any(axis=0).mean()) >= 0.6

    # a rule that bounds no cell anywhere is not a rule (strokes of characters in a row that ran together)
    for _ in range(2):
        ys = [
            ys[0],
            *(ys[r] for r in range(1, len(ys) - 1) if any(has_horizontal(r, c) for c in range(len(xs) - 1))),
            ys[-1],
        ]
        xs = [
            xs[0],
            *(xs[c] for c in range(1, len(xs) - 1) if any(has_vertical(r, c) for r in range(len(ys) - 1))),
            xs[-1],
        ]
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_cols < 2 or n_rows < 1 or len(cols) < 2:
        return None

    parent = list(range(n_rows * n_cols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in range(n_rows):
        for c in range(n_cols):
            if c > 0 and not has_vertical(r, c):
                parent[find(r * n_cols + c)] = find(r * n_cols + c - 1)
            if r > 0 and not has_horizontal(r, c):
                parent[find(r * n_cols + c)] = find((r - 1) * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    taken: set[tuple[int, int]] = set()
    cells: list[tuple[int, int, int, int]] = []
    for members in sorted(groups.values()):
        r0, c0 = min(r for r, _ in members), min(c for _, c in members)
        r1, c1 = max(r for r, _ in members), max(c for _, c in members)
        covered = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if covered & taken:  # an L-shaped merge (a broken rule): keep its cells single
            for r, c in members:
                if (r, c) not in taken:
                    cells.append((r, c, r, c))
                    taken.add((r, c))
            continue
        taken |= covered
        cells.append((r0, c0, r1, c1))
    if len(cells) < 2:
        return None
    return _Grid(x0, y0, x1, y1, [x0 + v for v in xs], [y0 + v for v in ys], sorted(cells), thick)


def _drop_close(edges: list[int], minimum: float) -> list[int]:
    out: list[int] = []
    for v in sorted(edges):
        if out and v - out[-1] < minimum:
            continue
        out.append(v)
    return out


def _read_table(grid: _Grid, boxes: list[Box], ocr: Array, prep: _Prepared) -> OcrTable:
    """OCR a table: each detected text box is cut at the cell rules it crosses and read in its cell."""
    import numpy as np

    pad = grid.thick + 2
    pieces: dict[tuple[int, int, int, int], list[OcrLine]] = {cell: [] for cell in grid.cells}
    rects = {
        cell: (grid.xs[cell[1]], grid.ys[cell[0]], grid.xs[cell[3] + 1], grid.ys[cell[2] + 1])
        for cell in grid.cells
    }
    minimum = 0.35 * prep.text_height
    for bx0, by0, bx1, by1 in boxes:
        for cell, (cx0, cy0, cx1, cy1) in rects.items():
            x0, y0 = max(bx0, cx0 + pad), max(by0, cy0 + pad)
            x1, y1 = min(bx1, cx1 - pad), min(by1, cy1 - pad)
            if x1 - x0 < minimum or y1 - y0 < minimum:
                continue
            line = _recognise(ocr[y0:y1, x0:x1], (x0, y0, x1, y1))
            if line is not None and line.text:
                pieces[cell].append(line)
    cells: list[OcrCell] = []
    for cell, (cx0, cy0, cx1, cy1) in rects.items():
        found = pieces[cell]
        if not found:
            # detection misses short isolated text (a lone 序号 digit): read the cell's ink directly
            inner = prep.bw[cy0 + pad : cy1 - pad, cx0 + pad : cx1 - pad]
            lines = (
                prep.horizontal[cy0 + pad : cy1 - pad, cx0 + pad : cx1 - pad]
                | prep.vertical[cy0 + pad : cy1 - pad, cx0 + pad : cx1 - pad]
            )
            ink = (inner > 0) & (lines == 0)
            if ink.size and np.count_nonzero(ink) > 0.03 * prep.text_height**2:
                ys, xs = np.nonzero(ink)
                m = max(3, int(0.15 * prep.text_height))
                x0, y0 = (
                    max(cx0 + pad, cx0 + pad + int(xs.min()) - m),
                    max(cy0 + pad, cy0 + pad + int(ys.min()) - m),
                )
                x1, y1 = (
                    min(cx1 - pad, cx0 + pad + int(xs.max()) + m),
                    min(cy1 - pad, cy0 + pad + int(ys.max()) + m),
                )
                line = _recognise(ocr[y0 : y1 + 1, x0 : x1 + 1], (x0, y0, x1, y1))
                if line is not None and line.text and line.confidence >= MIN_LINE_SCORE:
                    found = [line]
        ordered = _layout(found, prep.width, paragraphs=False)
        text, confs = _join([(line.text, line.char_confidences) for line in ordered])
        confidence = min((line.confidence for line in ordered), default=1.0)
        r0, c0, r1, c1 = cell
        cells.append(OcrCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, text, confidence, (cx0, cy0, cx1, cy1), confs))
    return OcrTable(
        len(grid.ys) - 1,
        len(grid.xs) - 1,
        cells,
        (grid.x0, grid.y0, grid.x1, grid.y1),
        tuple(grid.xs),
        tuple(grid.ys),
    )


# ---------------------------------------------------------------------------------------------------
# Detection and recognition


def _detect(ocr: Array, text_height: float) -> tuple[list[Array], list[float]]:
    """Text boxes (4×2 quads in page pixels), found on a smaller copy (detection needs less than recognition)."""
    import cv2
    import numpy as np

    h, w = ocr.shape[:2]
    s = min(1.0, max(DET_TEXT_HEIGHT / max(text_height, 1.0), 800 / max(h, w)))
    s = min(
        s, math.sqrt(MAX_DET_PIXELS / (h * w))
    )  # tiny text upscaled for reading need not be found at that size
    small = (
        cv2.resize(ocr, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
        if s < 1
        else ocr
    )
    with _engine_lock:
        out = _get_engine()(small, use_det=True, use_cls=False, use_rec=False)
    boxes = getattr(out, "boxes", None)
    if boxes is None or len(boxes) == 0:
        return [], []
    scores = list(getattr(out, "scores", None) or [1.0] * len(boxes))
    quads = [np.asarray(b, dtype=np.float32) / s for b in boxes]
    return quads, [float(v) for v in scores]


def _upside_down(ocr: Array, quads: list[Array]) -> bool:
    """Whether most of the widest text lines read as turned by 180° (a page fed in upside down)."""
    widest = sorted(quads, key=lambda q: -float(q[:, 0].max() - q[:, 0].min()))[:7]
    votes = 0
    for quad in widest:
        crop = _crop_quad(ocr, quad)
        if crop.size == 0:
            continue
        with _engine_lock:
            out = _get_engine()(crop, use_det=False, use_cls=True, use_rec=False)
        results = getattr(out, "cls_res", None) or []
        if results and results[0][0] == "180" and float(results[0][1]) >= 0.8:
            votes += 1
    return len(widest) >= 2 and votes * 3 > len(widest) * 2


def _turn_over(prep: _Prepared) -> _Prepared:
    import numpy as np

    def turn(a: Array) -> Array:
        return np.ascontiguousarray(a[::-1, ::-1])

    return _Prepared(
        turn(prep.colour),
        turn(prep.grey),
        turn(prep.bw),
        turn(prep.erased),
        turn(prep.horizontal),
        turn(prep.vertical),
        turn(prep.red),
        prep.skew,
        prep.text_height,
        prep.red_fraction,
        prep.blank,
    )


def _recognise(crop: Array, box: Box) -> OcrLine | None:
    """Recognise one line image; the character probabilities come from rapidocr's CTC decoding."""
    if crop.size == 0 or crop.shape[0] < 4 or crop.shape[1] < 4:
        return None
    with _engine_lock:
        out = _get_engine()(crop, use_det=False, use_cls=False, use_rec=True, return_word_box=True)
    txts = getattr(out, "txts", None)
    if not txts:
        return None
    text = str(txts[0]).strip()
    score = float(out.scores[0]) if getattr(out, "scores", None) else 0.0
    words = getattr(out, "word_results", None) or ()
    raw = str(txts[0])
    confs: tuple[float, ...] = tuple(float(c) for c in getattr(words[0], "confs", ()) or ()) if words else ()
    if len(confs) == len(raw):
        lead = len(raw) - len(raw.lstrip())
        confs = confs[lead : lead + len(text)]
    else:
        confs = (score,) * len(text)  # no per-character values: each character gets the line's
    if not text:
        return None
    return OcrLine(text, score, box, confs)


def _crop_quad(image: Array, quad: Array) -> Array:
    """The quadrilateral's content straightened into a rectangle (as rapidocr crops its boxes)."""
    import cv2
    import numpy as np

    points = quad.astype(np.float32)
    width = int(max(np.linalg.norm(points[0] - points[1]), np.linalg.norm(points[2] - points[3])))
    height = int(max(np.linalg.norm(points[0] - points[3]), np.linalg.norm(points[1] - points[2])))
    if width < 2 or height < 2:
        return image[0:0, 0:0]
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(points, target)
    crop = cv2.warpPerspective(
        image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC
    )
    if height >= 1.5 * width:
        crop = np.rot90(crop)
    return crop


def _quad_box(quad: Array) -> Box:
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    return int(x0), int(y0), math.ceil(x1), math.ceil(y1)


def _red_header_lines(prep: _Prepared) -> list[OcrLine]:
    """The red header's title (发文机关标志): wide bands of red text, read from the green channel.

    Seals (round) and the red rule under the header (thin) are not bands and stay unread.
    """
    import cv2
    import numpy as np

    if prep.red_fraction < 0.0005:
        return []
    th = prep.text_height
    closed = cv2.morphologyEx(
        prep.red,
        cv2.MORPH_CLOSE,
        cv2.getStructuringElement(cv2.MORPH_RECT, (int(1.2 * th) | 1, int(0.4 * th) | 1)),
    )
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    lines: list[OcrLine] = []
    for i in range(1, count):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if w < 3 * h or h < 0.8 * th or w < 4 * th:
            continue
        m = int(0.3 * h)
        x0, y0 = max(0, x - m), max(0, y - m)
        x1, y1 = min(prep.width, x + w + m), min(prep.height, y + h + m)
        green = prep.colour[y0:y1, x0:x1, 1]  # red ink is dark in the green channel
        crop = cv2.cvtColor(np.ascontiguousarray(green), cv2.COLOR_GRAY2BGR)
        line = _recognise(crop, (x0, y0, x1, y1))
        if line is not None and line.confidence >= MIN_LINE_SCORE:
            lines.append(line)
    return lines


# ---------------------------------------------------------------------------------------------------
# Layout: rows, reading order, paragraphs


def _layout(lines: list[OcrLine], page_width: int, *, paragraphs: bool = True) -> list[OcrLine]:
    """Boxes grouped into rows (top to bottom, left to right in a row), each row one line; paragraph starts set."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        if rows:
            last = rows[-1]
            top = min(ln.box[1] for ln in last)
            bottom = max(ln.box[3] for ln in last)
            overlap = min(bottom, line.box[3]) - max(top, line.box[1])
            if overlap > 0.5 * min(bottom - top, line.box[3] - line.box[1]):
                last.append(line)
                continue
        rows.append([line])
    merged: list[OcrLine] = []
    for row in rows:
        row.sort(key=lambda ln: ln.box[0])
        height = max(1, sorted(ln.box[3] - ln.box[1] for ln in row)[len(row) // 2])
        parts: list[tuple[str, tuple[float, ...]]] = []
        for k, ln in enumerate(row):
            if k and ln.box[0] - row[k - 1].box[2] > 1.5 * height:
                parts.append((" ", (1.0,)))  # a wide gap in a row (联系人…　电话…) stays a space
            parts.append((ln.text, ln.char_confidences))
        text, confs = _join(parts)
        box = (
            min(ln.box[0] for ln in row),
            min(ln.box[1] for ln in row),
            max(ln.box[2] for ln in row),
            max(ln.box[3] for ln in row),
        )
        merged.append(OcrLine(text, min(ln.confidence for ln in row), box, confs))
    if paragraphs:
        _mark_paragraphs(merged, page_width)
    return merged


def _mark_paragraphs(lines: list[OcrLine], page_width: int) -> None:
    """Set `paragraph_start`: official documents indent a paragraph's first line and end it short."""
    if not lines:
        return
    heights = sorted(ln.box[3] - ln.box[1] for ln in lines)
    char = 0.8 * heights[len(heights) // 2]  # a det box is a little taller than the characters
    lefts = sorted(ln.box[0] for ln in lines)
    rights = sorted(ln.box[2] for ln in lines)
    left = lefts[len(lefts) // 5]
    right = rights[len(rights) * 4 // 5]
    centre = (left + right) / 2
    gaps = sorted(b.box[1] - a.box[3] for a, b in itertools.pairwise(lines))
    usual_gap = gaps[len(gaps) // 2] if gaps else 0

    def centred(ln: OcrLine) -> bool:
        x0, _y0, x1, _y1 = ln.box
        return x0 - left > 2 * char and right - x1 > 2 * char and abs((x0 + x1) / 2 - centre) < 1.5 * char

    for k, ln in enumerate(lines):
        if k == 0:
            ln.paragraph_start = True
            continue
        prev = lines[k - 1]
        ln.paragraph_start = (
            ln.box[0] - left > 1.2 * char  # indented
            or prev.box[2] < right - 1.5 * char  # the previous line ended short
            or ln.box[1] - prev.box[3] > usual_gap + 0.8 * char  # a blank line between
            or centred(ln)
            or centred(prev)
            or bool(_NUMBERED.match(ln.text) and prev.text.endswith(("：", ":", "。")))
        )


def _join(parts: list[tuple[str, tuple[float, ...]]]) -> tuple[str, tuple[float, ...]]:
    """Join line texts: nothing between Chinese (a wrapped line), a space between two Latin words."""
    text = ""
    confs: tuple[float, ...] = ()
    for piece, piece_confs in parts:
        if not piece:
            continue
        if text and text[-1].isascii() and text[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
            text += " "
            confs += (1.0,)
        if piece == " " and text.endswith(" "):
            continue
        text += piece
        confs += (
            piece_confs if len(piece_confs) == len(piece) else (min(piece_confs, default=1.0),) * len(piece)
        )
    return text, confs


def _paragraphs(lines: list[OcrLine]) -> list[tuple[int, str]]:
    """(top y, text) of each paragraph."""
    out: list[tuple[int, str]] = []
    group: list[OcrLine] = []
    for ln in [*lines, None]:
        if ln is None or (ln.paragraph_start and group):
            if group:
                out.append((group[0].box[1], _join([(g.text, g.char_confidences) for g in group])[0]))
            group = []
        if ln is not None:
            group.append(ln)
    return out


# ---------------------------------------------------------------------------------------------------
# Tables across page breaks, and the document


def _is_margin_text(line: OcrLine) -> bool:
    return bool(_PAGE_NUMBER.match(line.text))


def _link_tables(pages: list[ScanPage]) -> None:
    """Mark a table that starts a page and continues the previous page's closing table (same columns)."""
    for prev, page in itertools.pairwise(pages):
        if not prev.tables or not page.tables or page.index != prev.index + 1:
            continue
        last, first = prev.tables[-1], page.tables[0]
        if any(ln.box[1] > last.box[3] and not _is_margin_text(ln) for ln in prev.lines):
            continue  # prose after the table: it ended on that page
        if any(ln.box[3] < first.box[1] and not _is_margin_text(ln) for ln in page.lines):
            continue  # prose before the table: a new table
        if first.n_cols != last.n_cols:
            continue
        wa, wb = last.box[2] - last.box[0], first.box[2] - first.box[0]
        if abs(wa / prev.width - wb / page.width) > 0.05:
            continue
        rel_a = [(x - last.box[0]) / max(1, wa) for x in last.col_edges]
        rel_b = [(x - first.box[0]) / max(1, wb) for x in first.col_edges]
        if len(rel_a) == len(rel_b) and all(abs(a - b) < 0.03 for a, b in zip(rel_a, rel_b, strict=True)):
            first.continued = True


def _is_page_number(block: Block) -> bool:
    return isinstance(block, TextBlock) and bool(_PAGE_NUMBER.match(block.text))


def _page_blocks(page: ScanPage) -> list[Block]:
    items: list[tuple[int, int, Block | OcrTable]] = []
    for y, text in _paragraphs(page.lines):
        if text.strip():
            items.append((y, 0, TextBlock(text, page.index + 1)))
    for table in page.tables:
        items.append((table.box[1], 1, table))
    blocks: list[Block] = []
    for _y, _k, item in sorted(items, key=lambda t: (t[0], t[1])):
        if isinstance(item, OcrTable):
            merged = [
                (c.row, c.col, c.row + c.row_span - 1, c.col + c.col_span - 1)
                for c in item.cells
                if c.row_span > 1 or c.col_span > 1
            ]
            blocks.append(TableBlock(item.rows(), page.index + 1, merged))
        else:
            blocks.append(item)
    return blocks


def to_document(result: ScanResult, name: str) -> SourceDocument:
    """The scan as a SourceDocument: paragraphs as TextBlocks, tables as TableBlocks (joined over page breaks)."""
    blocks: list[Block] = []
    for page in result.pages:
        page_blocks = _page_blocks(page)
        if page.tables and page.tables[0].continued and blocks:
            first_table = next((k for k, b in enumerate(page_blocks) if isinstance(b, TableBlock)), None)
            end = len(blocks)
            while end and _is_page_number(blocks[end - 1]):
                end -= 1  # the page number under the table on the previous page
            previous = blocks[end - 1] if end else None
            if first_table is not None and isinstance(previous, TableBlock):
                continuation = page_blocks[first_table]
                assert isinstance(continuation, TableBlock)
                rows = continuation.rows
                skip = 1 if rows and previous.rows and rows[0] == previous.rows[0] else 0  # a repeated header
                offset = len(previous.rows) - skip
                previous.rows.extend(rows[skip:])
                previous.merged.extend(
                    (r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in continuation.merged if r0 >= skip
                )
                # page numbers and a 续表 label around the break go with it
                del blocks[end:]
                page_blocks = page_blocks[first_table + 1 :]
        blocks.extend(page_blocks)
    notes = list(result.notes)
    if not any(isinstance(b, TableBlock) or b.text.strip() for b in blocks):
        notes.append(f"“{name}”中没有识别出文字。")
    return SourceDocument(blocks, kind="scan", name=name, notes=notes)


# ---------------------------------------------------------------------------------------------------
# Where a text came from (the import preview shows it on the page)


@dataclass
class Found:
    """Where on the scan a text was read: page (index into `ScanResult.pages`), box, and how sure."""

    page: int
    box: Box
    text: str  # the recognised text of that cell or line
    doubtful: list[str]  # characters of the searched text read with less probability than UNSURE_CHAR
    exact: bool  # the cell or line holds the text itself (not only something like it)


def _normalised(text: str, confidences: tuple[float, ...]) -> tuple[str, list[float]]:
    """The text without spaces and line breaks, and each kept character's probability (1.0 if unknown)."""
    kept: list[str] = []
    confs: list[float] = []
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "|":
            continue
        kept.append(ch)
        confs.append(confidences[i] if i < len(confidences) else 1.0)
    return "".join(kept), confs


def _pieces(result: ScanResult) -> list[tuple[int, Box, str, tuple[float, ...]]]:
    pieces: list[tuple[int, Box, str, tuple[float, ...]]] = []
    for n, page in enumerate(result.pages):
        for table in page.tables:
            pieces += [(n, c.box, c.text, c.char_confidences) for c in table.cells if c.text.strip()]
        pieces += [
            (n, line.box, line.text, line.char_confidences) for line in page.lines if line.text.strip()
        ]
    return pieces


def locate(result: ScanResult, text: str, *, fuzzy: bool = True) -> Found | None:
    """Find the cell or prose line a text was read from (see Locator.find); None if nothing is like it."""
    return Locator(result).find(text, fuzzy=fuzzy)


class Locator:
    """The pieces of a scan (cells and prose lines), normalised once, to find many texts in."""

    def __init__(self, result: ScanResult) -> None:
        self.pieces = [
            (page, box, piece, *_normalised(piece, confidences))
            for page, box, piece, confidences in _pieces(result)
        ]

    def find(self, text: str, *, fuzzy: bool = True) -> Found | None:
        """Find the cell or prose line a text (an imported field) was read from; None if nothing is like it.

        A cell or line equal to the text, or holding it, is taken first; a line that is part of a longer
        text (a name wrapped over lines) next; with `fuzzy`, the most similar one (at least 60 % alike).
        Bounded: at most MAX_PAGES × MAX_BOXES pieces, the similarity only on the first 80 characters.
        """
        import difflib

        needle, _ = _normalised(text, ())
        if not needle:
            return None
        best: tuple[float, Found] | None = None
        for page, box, piece, hay, confs in self.pieces:
            if not hay:
                continue
            start = hay.find(needle)
            if start >= 0:  # the piece holds the whole text
                score = 2.0 + len(needle) / len(hay)
                span = range(start, start + len(needle))
                exact = True
            elif len(hay) >= 4 and hay in needle:  # one line of a text wrapped over several
                score = 1.0 + len(hay) / len(needle)
                span = range(len(hay))
                exact = False
            elif fuzzy:
                matcher = difflib.SequenceMatcher(None, needle[:80], hay[:80], autojunk=False)
                if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                    continue
                score = matcher.ratio()
                if score < 0.6:
                    continue
                span = range(len(hay))
                exact = False
            else:
                continue
            if best is None or score > best[0]:
                doubtful = [hay[i] for i in span if confs[i] < UNSURE_CHAR]
                best = (score, Found(page, box, piece, doubtful, exact))
        return best[1] if best else None
