"""The clerk's choices for an export, light enough to import anywhere (no openpyxl, no reportlab)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exports.columns import DEFAULT_TABLE_COLUMNS


@dataclass
class XlsxOptions:
    """What the clerk chose: columns in order, the label above the table, the title."""

    columns: list[str] = field(default_factory=lambda: list(DEFAULT_TABLE_COLUMNS))
    annex_label: str | None = None  # None → the plan's; "" → none
    title: str | None = None  # None → the plan's table title


@dataclass
class PdfOptions:
    """Page setup and content choices of a PDF."""

    columns: list[str] = field(default_factory=lambda: list(DEFAULT_TABLE_COLUMNS))
    annex_label: str | None = None  # None → the plan's
    title: str | None = None  # None → the plan's table title
    page_numbers: str = "dash"  # "dash": — 1 —   "of": 第 1 页 共 N 页
    footer_line: str = ""  # issuer and date under the table
    title_font: str | None = None
    body_font: str | None = None
    pagesize: str = "A4"
    landscape: bool = True
    margins_mm: tuple[float, float, float, float] = (20, 15, 20, 15)  # top, right, bottom, left
    fit_width: bool = False  # shrink the text so that every column fits one page wide
    preset: str = "plain"  # "plain", or "gongwen": GB/T 9704-2012 (see GONGWEN)


@dataclass(frozen=True)
class GongwenLayout:
    """The page of GB/T 9704-2012: margins, fonts by role and sizes (号 → points), page number place."""

    margins_mm: tuple[float, float, float, float] = (37, 26, 35, 28)  # top, right, bottom, left
    label_size: float = 16  # 3号黑体 “附件2”, flush left on the first line
    title_size: float = 22  # 2号小标宋, centred
    body_size: float = 12  # table text in 仿宋 (3号 is for running text; a table cell uses 小四)
    number_size: float = 14  # 4号宋体 “— 1 —”
    number_below_mm: float = 7  # below the text block; odd pages right, even pages left, one character in


GONGWEN = GongwenLayout()
PRESETS: dict[str, str] = {"plain": "常规", "gongwen": "公文（GB/T 9704-2012）"}


def apply_preset(options: PdfOptions, preset: str) -> PdfOptions:
    """Set a preset's page setup on the options (公文: A4, its margins and — 1 — page numbers)."""
    options.preset = preset if preset in PRESETS else "plain"
    if options.preset == "gongwen":
        options.pagesize = "A4"
        options.margins_mm = GONGWEN.margins_mm
        options.page_numbers = "dash"
    return options


#: The office settings (stored in the database) that shape every PDF.
PDF_SETTING_KEYS = ("pdf_title_font", "pdf_body_font", "pdf_page_numbers")


def options_from_settings(settings: dict[str, str], **overrides: Any) -> PdfOptions:
    """Return PDF options from the office's settings, with the clerk's choices for this export on top."""
    options = PdfOptions(
        title_font=settings.get("pdf_title_font") or None,
        body_font=settings.get("pdf_body_font") or None,
        page_numbers=settings.get("pdf_page_numbers") or "dash",
    )
    preset = str(overrides.pop("preset", "plain") or "plain")
    apply_preset(options, preset)
    for key, value in overrides.items():
        if key == "margins_mm" and value is not None:
            value = tuple(float(v) for v in value)
        setattr(options, key, value)
    return options
