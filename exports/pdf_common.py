"""What every Taizhang PDF shares: fonts with fallbacks, numbered pages, styles, safe writing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import paragraph as _paragraph

from exports.atomic import atomic_target
from exports.fonts import fallback_fonts, fallback_markup, register, resolve_font
from exports.options import GONGWEN, PDF_SETTING_KEYS, PdfOptions, options_from_settings

# reportlab's list of characters that may not start a line lacks most Chinese closing punctuation;
# without these a line may begin with ” or ，.
OPENING_MARKS = "“‘《〈『「（【〔"
CLOSING_MARKS = _CLOSING = "”’，。、；：？！》〉』」）】…—"
if not set(_CLOSING) <= set(_paragraph.ALL_CANNOT_START):
    _paragraph.ALL_CANNOT_START += "".join(ch for ch in _CLOSING if ch not in _paragraph.ALL_CANNOT_START)


def _cjk_breaks(
    chars: list[str], widths: list[float], max_widths: list[float], forced: set[int]
) -> list[tuple[int, int, float, float, bool]]:
    """Break a run of characters into lines: (start, end, width used, room left, forced break) each.

    reportlab's rule (Latin words break at a space), without its hanging punctuation (a closing mark
    past the edge crosses a table's rule), plus one it lacks: when the next line would begin with
    closing punctuation, the characters before it move down with it until the line begins with one
    that may start a line (a line is never emptied; only then is a line wider than its room).
    `forced` holds the indexes of characters that end a line (<br/>)."""
    p = _paragraph
    cannot_start = p.ALL_CANNOT_START
    lines: list[tuple[int, int, float, float, bool]] = []
    i = start = 0
    used = 0.0
    count = len(chars)
    while i < count:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        u, w = chars[i], widths[i]
        i += 1
        used += w
        line_break = (i - 1) in forced
        if (used > max_width + p._FUZZ and used > 0) or line_break:
            extra = max_width - used
            if not line_break:
                if u and ord(u[0]) < 0x3000:  # inside Latin text: break at a space or the last CJK one
                    for j in range(i - 1, (start + i) >> 1, -1):
                        uj = chars[j]
                        if (uj and p.category(uj) == "Zs") or (uj and ord(uj[0]) >= 0x3000):
                            k = j + 1
                            if k < i:
                                j = k + 1
                                extra += sum(widths[j:i])
                                u, w = chars[k], widths[k]
                                i = j
                                break
                if u not in cannot_start and i > start + 1:
                    i -= 1  # the character that overflowed starts the next line
                    extra += w
                elif u in cannot_start:
                    # closing punctuation does not hang past the edge (in a table cell it crosses the
                    # rule): it goes down with the character before it; it hangs only when that would
                    # empty the line (a run of marks wider than the line)
                    back = i - 1
                    while back > start and chars[back] in cannot_start:
                        back -= 1
                    if back > start:
                        extra += sum(widths[back:i])
                        i = back
                while i - 1 > start + 1 and chars[i - 1] in OPENING_MARKS:
                    i -= 1  # an opening bracket or quote never ends a line: it goes down with its word
                    extra += widths[i]
                back = i
                while back < count and back - 1 > start and chars[back] in cannot_start:
                    back -= 1
                if back < i and chars[back] not in cannot_start:
                    extra += sum(widths[back:i])
                    i = back
            lines.append((start, i, used, extra, line_break))
            start = i
            used = 0.0
    if start < count:
        rest = sum(widths[start:])
        width = max_widths[min(len(lines), len(max_widths) - 1)]
        lines.append((start, count, rest, width - rest, False))
    return lines


def cjk_frag_split(frags: Any, max_widths: Any, calc_bounds: Any, encoding: str = "utf8") -> Any:
    """reportlab's CJK line breaking of a paragraph with several fonts, with `_cjk_breaks`' rules."""
    p = _paragraph
    if not isinstance(max_widths, list | tuple):
        max_widths = [max_widths]
    chars: list[Any] = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            chars.extend(p.cjkU(t, f, encoding) for t in text)
        else:
            chars.append(p.cjkU(text, f, encoding))
    widths: list[float] = []
    for u in chars:
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_widths[0]
            w = w.normalizedValue(max_widths[0])
        widths.append(float(w))
    forced = {n for n, u in enumerate(chars) if hasattr(u.frag, "lineBreak")}
    breaks = _cjk_breaks(chars, widths, list(max_widths), forced)
    lines = [
        p.makeCJKParaLine(chars[a:b], max_widths[min(k, len(max_widths) - 1)], used, extra, brk, calc_bounds)
        for k, (a, b, used, extra, brk) in enumerate(breaks)
    ]
    return p.ParaLines(kind=1, lines=lines)


def cjk_word_split(
    word: Any, max_widths: Any, font_name: str, font_size: float, encoding: str = "utf8"
) -> Any:
    """reportlab's split of a one-font CJK paragraph, with `_cjk_breaks`' rules."""
    text = word.decode(encoding) if isinstance(word, bytes) else word
    if not isinstance(max_widths, list | tuple):
        max_widths = [max_widths]
    chars = list(text)
    widths = [stringWidth(ch, font_name, font_size) for ch in chars]
    breaks = _cjk_breaks(chars, widths, list(max_widths), set())
    return [[extra, text[a:b]] for a, b, _used, extra, _brk in breaks]


_paragraph.cjkFragSplit = cjk_frag_split
_paragraph.wordSplit = cjk_word_split

__all__ = [
    "PDF_SETTING_KEYS",
    "Fonts",
    "PdfOptions",
    "PdfResult",
    "build",
    "numbered_canvas",
    "options_from_settings",
    "page_size",
    "styles",
]


@dataclass
class PdfResult:
    """What was written."""

    path: Path
    pages: int
    missing_chars: set[str]
    fonts: list[str]


class Fonts:
    """The registered fonts of one document and the markup helper that keeps every character visible."""

    def __init__(self, options: PdfOptions) -> None:
        if options.preset == "gongwen":  # the standard names the faces: the office's choice does not apply
            self.title = register(resolve_font(None, "gongwen-title"))
            self.heading = register(resolve_font(None, "gongwen-label"))
            self.body = register(resolve_font(None, "gongwen-body"))
            self.number = register(resolve_font(None, "gongwen-number"))
        else:
            self.title = register(resolve_font(options.title_font, "title"))
            self.heading = register(resolve_font(None, "heading"))
            self.body = register(resolve_font(options.body_font, "body"))
            self.number = self.body
        self.fallbacks = fallback_fonts()
        self.missing: set[str] = set()

    def markup(self, text: str, font: str | None = None) -> str:
        """Return escaped paragraph markup for `text`, with fallback fonts where needed."""
        body, missing = fallback_markup(text, font or self.body, self.fallbacks)
        self.missing |= missing
        return body

    def names(self) -> list[str]:
        """Return the fonts used."""
        return list(dict.fromkeys([self.title, self.heading, self.body]))


def page_size(options: PdfOptions) -> tuple[float, float]:
    """Return the page size in points."""
    base = A3 if options.pagesize.upper() == "A3" else A4
    width, height = landscape(base) if options.landscape else portrait(base)
    return float(width), float(height)


@dataclass(frozen=True)
class PageNumbers:
    """How page numbers are set: the text style, font and size, and where they stand."""

    style: str = "dash"  # "dash": — 1 —   "of": 第 1 页 共 N 页
    font: str = "Helvetica"
    size: float = 10.5
    baseline: float = 10 * mm  # from the bottom edge of the page
    outside: bool = False  # odd pages right, even pages left (公文), else centred
    left: float = 0.0  # the text block's edges, for outside numbers
    right: float = 0.0


def page_numbers(
    options: PdfOptions, fonts: Fonts, size: tuple[float, float], margins: tuple[float, ...]
) -> PageNumbers:
    """Return the page number setup of a document (公文: 4号宋体, 7 mm below the text, outside, one
    character in)."""
    _top, right, bottom, left = margins
    if options.preset == "gongwen":
        number = GONGWEN.number_size
        return PageNumbers(
            "dash",
            fonts.number,
            number,
            max(5 * mm, bottom - GONGWEN.number_below_mm * mm - number),
            outside=True,
            left=left + number,
            right=size[0] - right - number,
        )
    return PageNumbers(options.page_numbers, fonts.body)


def numbered_canvas(style: str | PageNumbers, font: str = "Helvetica") -> type[Canvas]:
    """Return a canvas class that draws "— n —" or "第 n 页 共 N 页" once the page count is known."""
    setup = style if isinstance(style, PageNumbers) else PageNumbers(style, font)

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._states: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._states)
            for state in self._states:
                self.__dict__.update(state)
                self._draw_number(total)
                super().showPage()
            super().save()

        def _draw_number(self, total: int) -> None:
            number = self._pageNumber
            text = f"— {number} —" if setup.style == "dash" else f"第 {number} 页 共 {total} 页"
            self.setFont(setup.font, setup.size)
            width, _height = self._pagesize
            if not setup.outside:
                self.drawCentredString(width / 2, setup.baseline, text)
            elif number % 2:
                self.drawRightString(setup.right, setup.baseline, text)
            else:
                self.drawString(setup.left, setup.baseline, text)

    return NumberedCanvas


def styles(fonts: Fonts, options: PdfOptions | None = None, scale: float = 1.0) -> dict[str, ParagraphStyle]:
    """Return the paragraph styles of a table document (公文 sizes for that preset; table text and
    headers multiplied by `scale` when the table is shrunk to fit one page wide)."""
    gongwen = options is not None and options.preset == "gongwen"
    label = GONGWEN.label_size if gongwen else 14
    title = GONGWEN.title_size if gongwen else 18
    body = (GONGWEN.body_size if gongwen else 10.5) * scale
    head = (GONGWEN.body_size if gongwen else 11) * scale
    return {
        "label": ParagraphStyle(
            "label", fontName=fonts.heading, fontSize=label, leading=label * 1.3, alignment=TA_LEFT
        ),
        "title": ParagraphStyle(
            "title",
            fontName=fonts.title,
            fontSize=title,
            leading=title * 1.45,
            alignment=TA_CENTER,
            spaceBefore=title * 0.6 if gongwen else 0,  # 公文: the title on the third line
            spaceAfter=8,
            wordWrap="CJK",
        ),
        "head": ParagraphStyle(
            "head",
            fontName=fonts.heading,
            fontSize=head,
            leading=head * 1.3,
            alignment=TA_CENTER,
            wordWrap="CJK",
        ),
        "cell": ParagraphStyle(
            "cell", fontName=fonts.body, fontSize=body, leading=body * 1.35, wordWrap="CJK"
        ),
        "centre": ParagraphStyle(
            "centre",
            fontName=fonts.body,
            fontSize=body,
            leading=body * 1.35,
            alignment=TA_CENTER,
            wordWrap="CJK",
        ),
        "note": ParagraphStyle("note", fontName=fonts.body, fontSize=11, leading=16, wordWrap="CJK"),
        "footer": ParagraphStyle(
            "footer", fontName=fonts.body, fontSize=12, leading=18, alignment=2, wordWrap="CJK"
        ),
    }


def build(
    path: str | os.PathLike[str],
    story: list[Any],
    size: tuple[float, float],
    margins: tuple[float, float, float, float],
    options: PdfOptions,
    fonts: Fonts,
    title: str,
) -> int:
    """Lay out the story into a temporary file, rename it to `path`, and return the page count."""
    top, right, bottom, left = margins
    with atomic_target(path) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=size,
            topMargin=top,
            rightMargin=right,
            bottomMargin=bottom,
            leftMargin=left,
            title=title,
            author="活动台账",
            creator="Taizhang",
        )
        numbers = page_numbers(options, fonts, size, margins)
        doc.build(story, canvasmaker=numbered_canvas(numbers))  # OSError: atomic_target
        pages = int(doc.page)
    return pages
