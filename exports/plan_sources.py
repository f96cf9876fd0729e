"""Reading a notice from a file into paragraphs and tables: .txt, .docx, .doc/.wps, .pdf (text layer or
scanned), .ofd and photos — decided by what the file really is, whatever its extension says.

Scans go through OCR (exports.scan) when it is installed; otherwise the clerk is told what the file is
and how to enable reading scans. Every part a reader skips is said in the document's notes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from exports.inputs import KIND_NAMES, ZIP_ERRORS, check_input, check_zip, sniff
from models.document import Block, SourceDocument, TableBlock, TextBlock
from models.errors import MissingFeature, ReadError

Progress = Callable[[int, int], None]
MAX_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 1000
MAX_PDF_STREAM = 64 * 1024 * 1024  # one page's drawing instructions, inflated (a notice's are kilobytes)
MAX_PDF_INFLATED = 400 * 1024 * 1024  # every compressed stream of the file together, images included
MAX_TEXT_CHARS = 2_000_000  # far more than any notice (a long plan is 30,000); bounds the parser's time
SPREADSHEETS = ("xlsx", "xls")
__all__ = ["SourceError", "decode_text", "read_document", "read_plan_source"]


class SourceError(ReadError):
    """A file whose text cannot be read; the message is Chinese and says what to do."""


def read_plan_source(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> str:
    """Return the text of a plan file (paragraphs as lines, table rows as tab-separated lines)."""
    return read_document(path, max_bytes=max_bytes).text()


def read_document(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
    ocr: bool = True,
) -> SourceDocument:
    """Read a notice into paragraphs and tables; raise ReadError (or MissingFeature) with a clear message."""
    p = Path(path)
    try:
        check_input(p, max_bytes)
        kind = sniff(p)
    except ReadError as exc:
        raise SourceError(str(exc)) from exc
    except OSError as exc:
        raise SourceError(f"无法读取“{p.name}”：{exc.strerror or exc}") from exc
    claimed = _claimed_kind(p)
    if claimed and claimed != "text" and kind in ("text", "zip", "unknown", "ole"):
        name = KIND_NAMES[claimed]
        raise SourceError(f"“{p.name}”不是有效的{' ' if name[0].isascii() else ''}{name}，或已损坏。")
    document = _read(p, kind, progress, ocr)
    document.name = p.name
    if claimed and claimed != kind and not (claimed == "doc" and kind == "doc"):
        document.notes.insert(
            0, f"“{p.name}”的扩展名是 {p.suffix}，实际是{KIND_NAMES[kind]}，已按实际格式读取。"
        )
    if sum(len(b.text) for b in document.blocks if isinstance(b, TextBlock)) > MAX_TEXT_CHARS:
        raise SourceError(
            f"“{p.name}”的文字超过 {MAX_TEXT_CHARS // 10_000} 万字，不像一份通知或方案，未读取。"
        )
    return document


def _claimed_kind(p: Path) -> str:
    return {
        ".txt": "text",
        ".docx": "docx",
        ".doc": "doc",
        ".wps": "doc",
        ".pdf": "pdf",
        ".ofd": "ofd",
        ".jpg": "image",
        ".jpeg": "image",
        ".png": "image",
        ".tif": "image",
        ".tiff": "image",
    }.get(p.suffix.lower(), "")


def _read(p: Path, kind: str, progress: Progress | None, ocr: bool) -> SourceDocument:
    try:
        if kind == "text":
            return _text_document(decode_text(p.read_bytes()), "txt")
        if kind == "docx":
            check_zip(p)
            return _docx(p)
        if kind == "doc":
            from exports.word_binary import read_word_binary

            return read_word_binary(p)
        if kind == "pdf":
            return _pdf(p, progress, ocr)
        if kind == "ofd":
            return _ofd(p, progress, ocr)
        if kind == "image":
            return _scan(p, progress, ocr, None, "图片")
    except ReadError:
        raise
    except OSError as exc:
        raise SourceError(f"无法读取“{p.name}”：{exc.strerror or exc}") from exc
    if kind in SPREADSHEETS:
        raise SourceError(f"“{p.name}”是{KIND_NAMES[kind]}，请按表格导入。")
    if kind == "encrypted":
        raise SourceError(
            f"“{p.name}”设置了打开密码（已加密），无法读取。请在 Word、Excel 或 WPS 中取消密码后另存，再导入。"
        )
    if kind == "rtf":
        raise SourceError(
            f"“{p.name}”是 RTF 文档，请在 Word 或 WPS 中另存为 .docx 后导入，或复制全文后用“粘贴通知文本”。"
        )
    if kind == "html":
        raise SourceError(f"“{p.name}”是网页文件。请在浏览器中打开，复制通知全文后用“粘贴通知文本”导入。")
    raise SourceError(
        f"“{p.name}”是{KIND_NAMES.get(kind, '无法识别的文件')}，不能作为方案导入。"
        "可导入 .txt、.docx、.doc、.wps、.pdf、.ofd、扫描图片和表格（.xlsx、.xls、.et）。"
    )


def _text_document(text: str, kind: str) -> SourceDocument:
    return SourceDocument(
        [TextBlock(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")], kind=kind
    )


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


def _docx(path: Path) -> SourceDocument:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(str(path))
    except (*ZIP_ERRORS, KeyError, PackageNotFoundError) as exc:
        raise SourceError(f"“{path.name}”不是有效的 Word（.docx）文件，或已损坏。") from exc
    except Exception as exc:  # lxml and python-docx raise many kinds on damaged parts
        raise SourceError(f"“{path.name}”无法作为 Word 文件读取（已损坏）。") from exc
    blocks: list[Block] = []
    body: Any = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(TextBlock(Paragraph(child, document).text))
        elif tag == "tbl":
            rows = [[_cell_text(cell) for cell in row.cells] for row in Table(child, document).rows]
            width = max((len(r) for r in rows), default=0)
            blocks.append(TableBlock([r + [""] * (width - len(r)) for r in rows]))
    return SourceDocument(blocks, kind="docx")


def _cell_text(cell: Any) -> str:
    return "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def _check_pdf_streams(path: Path) -> None:
    """Inflate every FlateDecode stream once, counting its bytes and keeping none, before PDFium reads
    the file: PDFium would hold a bombed page's whole content in memory (300 MB of blanks took 700 MB).
    Linear in the file and bounded in memory; a stream the scan cannot inflate is left to PDFium."""
    import re
    import zlib

    data = path.read_bytes()  # at most MAX_BYTES (checked before)
    total = 0
    for match in re.finditer(rb"stream\r?\n", data):
        start = match.end()
        head = data[max(0, match.start() - 1024) : match.start()]
        head = head[head.rfind(b"obj") + 1 :] if b"obj" in head else head
        if b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl]" not in head:
            continue
        image = b"/Image" in head
        inflater = zlib.decompressobj()
        size = 0
        position = start
        try:
            while position < len(data):
                piece = data[position : position + 65536]
                position += len(piece)
                chunk = inflater.decompress(piece, 1 << 20)
                while True:
                    size += len(chunk)
                    if (not image and size > MAX_PDF_STREAM) or total + size > MAX_PDF_INFLATED:
                        limit = MAX_PDF_STREAM if not image and size > MAX_PDF_STREAM else MAX_PDF_INFLATED
                        raise SourceError(
                            f"“{path.name}”中的压缩内容解压后超过 {limit // 1024 // 1024} MB"
                            "（可能是恶意构造的文件），未读取。"
                        )
                    if not inflater.unconsumed_tail:
                        break
                    chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
                if inflater.eof:
                    break
        except zlib.error:
            pass  # damaged or not really Flate: PDFium decides
        total += size


def _pdf(path: Path, progress: Progress | None, ocr: bool) -> SourceDocument:
    import pypdfium2 as pdfium

    _check_pdf_streams(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise SourceError(f"“{path.name}”已加密（需要密码才能打开），无法读取文字。") from exc
        raise SourceError(f"“{path.name}”不是有效的 PDF 文件，或已损坏。") from exc
    try:
        count = len(pdf)
        if count > MAX_PDF_PAGES:
            raise SourceError(
                f"“{path.name}”有 {count} 页，超过上限 {MAX_PDF_PAGES} 页，不像一份通知，未读取。"
            )
        pages: list[list[Block]] = []
        scans: list[int] = []
        for index in range(count):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
                if len("".join(text.split())) < 10 and any(True for _ in page.get_objects(max_depth=2)):
                    scans.append(
                        index
                    )  # no text layer but something drawn: an image, or text drawn as shapes
                pages.append(
                    [
                        TextBlock(line, page=index + 1)
                        for line in text.replace("\r\n", "\n").split("\n")
                        if line.strip()
                    ]
                )
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise SourceError(f"“{path.name}”已损坏，无法读取其中的文字。") from exc
    finally:
        pdf.close()
    notes: list[str] = []
    scanned = SourceDocument([])
    if scans:
        scanned = _scan(path, progress, ocr, scans, "扫描的 PDF", all_pages=len(scans) == count)
        notes += scanned.notes
        by_page: dict[int, list[Block]] = {}
        for block in scanned.blocks:
            by_page.setdefault((block.page or 1) - 1, []).append(block)
        for index in scans:
            pages[index] = by_page.get(index, pages[index])
    blocks = [b for page_blocks in pages for b in page_blocks]
    if not blocks:
        what = "是扫描件，文字识别没有找到文字（可能是空白页或图片不清晰）" if scans else "中没有可读的文字"
        raise SourceError(f"“{path.name}”{what}。" + ("".join(notes[:3])))
    return SourceDocument(
        blocks, kind="pdf" if not scans else "scan", notes=notes, scan=scanned.scan if scans else None
    )


def _ofd(path: Path, progress: Progress | None, ocr: bool) -> SourceDocument:
    from exports.ofd import ScannedDocument, ofd_page_images, read_ofd

    try:
        return read_ofd(path)
    except ScannedDocument:
        images = ofd_page_images(path, scans_only=True)
    from models import leftovers
    from models.paths import data_dir

    folder = data_dir() / "临时文件"
    folder.mkdir(parents=True, exist_ok=True)
    blocks: list[Block] = []
    notes: list[str] = []
    for n, (index, data) in enumerate(images):
        with leftovers.temporary(leftovers.new_file(folder, "ofd-page-", ".png")) as tmp:
            tmp.write_bytes(data)
            page = _scan(tmp, None, ocr, None, "扫描的 OFD", all_pages=True, shown=path.name)
        for block in page.blocks:
            block.page = index + 1
        blocks += page.blocks
        notes += page.notes
        if progress is not None:
            progress(n + 1, len(images))
    return SourceDocument(blocks, kind="scan", notes=notes)


def _scan(
    path: Path,
    progress: Progress | None,
    ocr: bool,
    pages: list[int] | None,
    what: str,
    *,
    all_pages: bool = True,
    shown: str | None = None,
) -> SourceDocument:
    from exports.scan import ocr_missing, read_scan, to_document

    name = shown or path.name
    missing = ocr_missing() if ocr else "未启用文字识别。"
    if missing:
        if not all_pages:
            return SourceDocument(
                [],
                notes=[
                    f"“{name}”第 {'、'.join(str(i + 1) for i in pages or [])} 页是扫描图像，"
                    f"未识别文字：{missing}"
                ],
            )
        raise MissingFeature(
            f"“{name}”是{what}（只有图像，没有文字层），需要文字识别（OCR）才能读取。{missing}"
        )
    result = read_scan(path, pages=pages, progress=progress)
    document = to_document(result, name)
    document.scan = result  # the pages, for the preview beside the recognised text
    return document
