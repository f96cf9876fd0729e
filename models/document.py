"""What every document reader hands to the plan readers: paragraphs and tables in reading order.

A reader (.txt, .docx, .doc/.wps, .pdf, .ofd, a scan) turns its format into a `SourceDocument`; the
plan readers in models/ never see the format. Tables keep their cells (merged cells repeated in every
cell they cover) so that annex tables are read as tables, not as flattened text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TextBlock:
    """One paragraph (a line break inside it is a soft break the document had)."""

    text: str
    page: int | None = None  # 1-based page, where the format has pages


@dataclass
class TableBlock:
    """A table: rows of cell texts; a merged cell's text stands in every cell it covers."""

    rows: list[list[str]]
    page: int | None = None  # the page the table starts on
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # (row0, col0, row1, col1) inclusive


Block = TextBlock | TableBlock


@dataclass
class SourceDocument:
    """A document's content and what the reader could not read (said to the clerk, never silently)."""

    blocks: list[Block]
    kind: str = ""  # "txt", "docx", "doc", "wps", "pdf", "ofd", "scan", "paste"
    name: str = ""  # the file name, for messages
    notes: list[str] = field(default_factory=list)  # Chinese: parts skipped and why
    scan: object | None = (
        None  # the OCR result (exports.scan.ScanResult) when text was recognised from images
    )

    def text(self) -> str:
        """The whole document as plain text: paragraphs as lines, table rows as tab-separated lines."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, TextBlock):
                lines.append(block.text)
            else:
                lines.extend("\t".join(cell.replace("\n", " ") for cell in row) for row in block.rows)
        return "\n".join(lines)

    def tables(self) -> list[TableBlock]:
        """The document's tables in order."""
        return [b for b in self.blocks if isinstance(b, TableBlock)]
