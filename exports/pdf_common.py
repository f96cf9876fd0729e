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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import paragraph as _paragraph

from exports.atomic import atomic_target
from exports.fonts import fallback_fonts, fallback_markup, register, resolve_font
from exports.options import PDF_SETTING_KEYS, PdfOptions, options_from_settings

# reportlab hangs characters that may not start a line in the margin, but its list lacks most Chinese
# closing punctuation; without these a line may begin with ” or ，.
_CLOSING = "”’，；：？！》〉』」）】…"
if not set(_CLOSING) <= set(_paragraph.ALL_CANNOT_START):
    _paragraph.ALL_CANNOT_START += "".join(ch for ch in _CLOSING if ch not in _paragraph.ALL_CANNOT_START)

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
        self.title = register(resolve_font(options.title_font, "title"))
        self.heading = register(resolve_font(None, "heading"))
        self.body = register(resolve_font(options.body_font, "body"))
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


def numbered_canvas(style: str, font: str) -> type[Canvas]:
    """Return a canvas class that draws "— n —" or "第 n 页 共 N 页" once the page count is known."""

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
            text = f"— {number} —" if style == "dash" else f"第 {number} 页 共 {total} 页"
            self.setFont(font, 10.5)
            width, _height = self._pagesize
            self.drawCentredString(width / 2, 10 * mm, text)

    return NumberedCanvas


def styles(fonts: Fonts) -> dict[str, ParagraphStyle]:
    """Return the paragraph styles of a table document."""
    return {
        "label": ParagraphStyle("label", fontName=fonts.heading, fontSize=14, leading=18, alignment=TA_LEFT),
        "title": ParagraphStyle(
            "title",
            fontName=fonts.title,
            fontSize=18,
            leading=26,
            alignment=TA_CENTER,
            spaceAfter=8,
            wordWrap="CJK",
        ),
        "head": ParagraphStyle(
            "head", fontName=fonts.heading, fontSize=11, leading=14, alignment=TA_CENTER, wordWrap="CJK"
        ),
        "cell": ParagraphStyle("cell", fontName=fonts.body, fontSize=10.5, leading=14, wordWrap="CJK"),
        "centre": ParagraphStyle(
            "centre", fontName=fonts.body, fontSize=10.5, leading=14, alignment=TA_CENTER, wordWrap="CJK"
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
        doc.build(
            story, canvasmaker=numbered_canvas(options.page_numbers, fonts.body)
        )  # OSError: atomic_target
        pages = int(doc.page)
    return pages
