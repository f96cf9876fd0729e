"""Reading a plan's text from a file: .txt (UTF-8, UTF-16, GBK/GB18030), .docx and .pdf with a text layer."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

from exports.inputs import input_problem
from models.errors import ReadError


class SourceError(ReadError):
    """A file whose text cannot be read; the message is Chinese and says what to do."""


def read_plan_source(path: str | os.PathLike[str], max_bytes: int = 20 * 1024 * 1024) -> str:
    """Return the text of a plan file; raise SourceError with a clear message otherwise."""
    p = Path(path)
    problem = input_problem(p, max_bytes)
    if problem:
        raise SourceError(problem)
    suffix = p.suffix.lower()
    try:
        if suffix == ".txt":
            return decode_text(p.read_bytes())
        if suffix == ".docx":
            return _docx(p)
        if suffix == ".pdf":
            return _pdf(p)
    except SourceError:
        raise
    except OSError as exc:
        raise SourceError(f"无法读取“{p.name}”：{exc.strerror or exc}") from exc
    if suffix == ".doc":
        raise SourceError(
            "不支持旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx，或复制全文后用“粘贴通知文本”。"
        )
    raise SourceError(f"不支持的文件类型“{suffix or '无扩展名'}”。可读取 .txt、.docx、.pdf。")


def decode_text(data: bytes) -> str:
    """Decode a text file written in UTF-8 (with or without BOM), UTF-16 (BOM) or GBK/GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SourceError("无法识别文本文件的编码（不是 UTF-8 或 GBK），请另存为 UTF-8 后再导入。") from exc


def _docx(path: Path) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise SourceError(f"“{path.name}”不是有效的 Word（.docx）文件，或已损坏。") from exc
    except Exception as exc:
        raise SourceError(f"“{path.name}”无法作为 Word 文件读取（{type(exc).__name__}）。") from exc
    lines: list[str] = []
    body: Any = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    if not cells or cells[-1] != text or text == "":  # merged cells repeat: keep one
                        cells.append(text)
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise SourceError(f"“{path.name}”已加密，无法读取文字。")
        pages = [page.extract_text() or "" for page in reader.pages]
    except SourceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"“{path.name}”不是有效的 PDF 文件，或已损坏。") from exc
    text = "\n".join(pages)
    if len("".join(text.split())) < 10:
        raise SourceError(
            f"“{path.name}”没有文字层（可能是扫描件），请先进行文字识别，或复制文字后用“粘贴通知文本”。"
        )
    return text
