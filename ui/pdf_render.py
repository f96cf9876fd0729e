"""Rendering PDF pages to QImages (pypdfium2), so that preview and paper show exactly the exported PDF."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtGui import QImage


def page_count(path: Path) -> int:
    """Return the number of pages of a PDF."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def render_page(path: Path, index: int, dpi: float) -> QImage:
    """Render one page at `dpi` as a QImage (a copy: independent of pdfium's buffer)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        bitmap = doc[index].render(scale=dpi / 72.0, force_bitmap_format=pdfium.raw.FPDFBitmap_BGRx)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32)
        return image.copy()
    finally:
        doc.close()
