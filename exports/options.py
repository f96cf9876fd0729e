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


#: The office settings (stored in the database) that shape every PDF.
PDF_SETTING_KEYS = ("pdf_title_font", "pdf_body_font", "pdf_page_numbers")


def options_from_settings(settings: dict[str, str], **overrides: Any) -> PdfOptions:
    """Return PDF options from the office's settings, with the clerk's choices for this export on top."""
    options = PdfOptions(
        title_font=settings.get("pdf_title_font") or None,
        body_font=settings.get("pdf_body_font") or None,
        page_numbers=settings.get("pdf_page_numbers") or "dash",
    )
    for key, value in overrides.items():
        setattr(options, key, value)
    return options
