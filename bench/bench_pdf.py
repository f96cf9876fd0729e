"""PDF benchmark: a 1,000-activity table vs a bare reportlab table of the same cells."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data import make_activities  # noqa: E402
from exports.columns import COLUMNS, DEFAULT_TABLE_COLUMNS  # noqa: E402
from exports.fonts import register, resolve_font  # noqa: E402
from exports.pdf import export_table_pdf  # noqa: E402
from models.records import Plan  # noqa: E402


def bare(path: Path, activities: list) -> None:  # type: ignore[type-arg]
    """The same cells as wrapped CJK paragraphs in a plain reportlab table (no fallback fonts, no layout work)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    font = register(resolve_font(None, "body"))
    style = ParagraphStyle("c", fontName=font, fontSize=10.5, leading=14, wordWrap="CJK")
    data = [[Paragraph(COLUMNS[k].header, style) for k in DEFAULT_TABLE_COLUMNS]]
    data += [[Paragraph(COLUMNS[k].text(a), style) for k in DEFAULT_TABLE_COLUMNS] for a in activities]
    widths = [40, 110, 250, 55, 55, 70, 80, 60]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([Table(data, colWidths=widths, repeatRows=1)])


def run() -> list[tuple[str, float, float | None]]:
    """Return (name, seconds, bare-reportlab seconds)."""
    activities = make_activities(1_000)
    plan = Plan(title="基准方案", year=2024, annex_label="附件2")
    with tempfile.TemporaryDirectory() as tmp:
        export_table_pdf(Path(tmp) / "warm.pdf", plan, activities[:5])  # font registration is one-off
        t0 = time.perf_counter()
        result = export_table_pdf(Path(tmp) / "t.pdf", plan, activities)
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        bare(Path(tmp) / "b.pdf", activities)
        base = time.perf_counter() - t0
    return [(f"PDF table, 1,000 activities, {result.pages} pages (s)", ours, base)]


if __name__ == "__main__":
    for name, value, base in run():
        print(f"{name:45s} {value:8.3f} {'' if base is None else f'{base:8.3f}  {value / base:.2f}×'}")
