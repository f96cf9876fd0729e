"""Reading OFD (GB/T 33190) documents into paragraphs and tables, without any OFD viewer installed.

An OFD is a zip: OFD.xml names the document (DocBody/DocRoot), Document.xml lists the pages, and each
page's Content.xml holds layers of positioned text (TextObject/TextCode), ruling lines (PathObject) and
images (ImageObject). The text has no reading order of its own: every glyph is placed on the page, lines
are formed by baseline and joined into paragraphs by indent and spacing, and ruled grids become tables.
"""

from __future__ import annotations

import bisect
import itertools
import math
import os
import posixpath
import re
import statistics
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from models.document import Block, SourceDocument, TableBlock, TextBlock
from models.errors import MissingFeature, ReadError

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 500
MAX_MEMBERS = 20_000
MAX_XML_BYTES = 32 * 1024 * 1024  # one page's XML; a real page is well under 1 MB
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one image
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # all members read, uncompressed: bounds the time a zip bomb costs
MAX_GLYPHS = 400_000  # in the whole document: a 400-page dense text, about 150 MB while being laid out
MAX_SEGMENTS = 20_000  # ruling lines on one page
MAX_NESTING = 32  # PageBlock inside PageBlock
TOL = 0.8  # mm: lines this close are one line; renderers round to a tenth of a millimetre

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·•_]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－·•_]*$"
)
_PREFIX = re.compile(rb"</?([A-Za-z_][\w.\-]*):[A-Za-z_]")


class ScannedDocument(MissingFeature):
    """An OFD whose pages are only images: its text needs recognition (OCR); see ofd_page_images."""


class _Damaged(Exception):
    """A part of the package that is missing or malformed; the caller says which file."""


@dataclass(slots=True)
class _Glyph:
    x: float  # left edge, mm from the page's left
    y: float  # baseline, mm from the page's top
    w: float
    size: float
    ch: str
    space_before: bool = False  # a space character preceded it in its TextCode

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y - self.size * 0.35


@dataclass
class _Line:
    glyphs: list[_Glyph]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    y: float = 0.0
    size: float = 0.0
    page: int = 0

    @property
    def top(self) -> float:
        return self.y - self.size


@dataclass
class _Seg:
    a: float  # y of a horizontal, x of a vertical
    lo: float
    hi: float


@dataclass
class _Grid:
    xs: list[float]
    ys: list[float]
    owner: list[list[int]]  # region index of each grid cell
    regions: list[tuple[int, int, int, int]]  # (r0, c0, r1, c1)
    cells: list[list[_Glyph]] = field(default_factory=list)

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] - 0.5 <= x <= self.xs[-1] + 0.5 and self.ys[0] - 0.5 <= y <= self.ys[-1] + 0.5


@dataclass
class _Table:
    """A table read from one page, kept open until the next page shows whether it continues."""

    rows: list[list[str]]
    merged: list[tuple[int, int, int, int]]
    xs: list[float]
    page: int  # 0-based page where the table starts
    last_page: int  # and where it ends


@dataclass
class _Page:
    glyphs: list[_Glyph] = field(default_factory=list)
    hsegs: list[_Seg] = field(default_factory=list)
    vsegs: list[_Seg] = field(default_factory=list)
    images: list[tuple[float, str, str]] = field(default_factory=list)  # (area, resource id, res scope)
    width: float = 210.0
    height: float = 297.0


def read_ofd(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> SourceDocument:
    """Read an .ofd file into paragraphs and tables in reading order; raise ReadError if it cannot be read."""
    p = Path(path)
    with _Package.open(p, max_bytes) as pkg:
        doc = _Document.load(pkg)
        pages: list[_Page] = []
        notes = list(doc.notes)
        broken: list[int] = []
        glyphs = 0
        for index, loc in enumerate(doc.page_locs):
            try:
                pages.append(doc.page(index, loc))
            except _Damaged:
                broken.append(index + 1)
                pages.append(_Page())
            glyphs += len(pages[-1].glyphs)
            if glyphs > MAX_GLYPHS:
                raise ReadError(f"“{p.name}”中的文字过多（超过 {MAX_GLYPHS} 个字符），不像正常的 OFD 文件。")
    if broken:
        notes.append(f"第 {_page_list(broken)} 页已损坏或缺失，未读入。")
    if len(broken) == len(pages):
        raise ReadError(f"“{p.name}”已损坏（页面内容都读不出），无法读取。")
    scans = [i + 1 for i, pg in enumerate(pages) if pg.images and not pg.glyphs]
    if scans and len(scans) == sum(1 for pg in pages if pg.glyphs or pg.images):
        raise ScannedDocument(
            f"“{p.name}”是扫描版 OFD（每页都只有图片，没有文字层），需要先进行文字识别（OCR）才能读取。"
        )
    if scans:
        notes.append(f"第 {_page_list(scans)} 页只有图片（可能是扫描件），其中的文字未读入。")
    blocks = _layout(pages, notes)
    if not blocks:
        raise ReadError(f"“{p.name}”中没有可读的文字。")
    return SourceDocument(blocks=blocks, kind="ofd", name=p.name, notes=notes)


def ofd_page_images(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES, scans_only: bool = False
) -> list[tuple[int, bytes]]:
    """Return (0-based page index, bytes of the page's largest image) for pages with images, for OCR."""
    p = Path(path)
    out: list[tuple[int, bytes]] = []
    with _Package.open(p, max_bytes) as pkg:
        doc = _Document.load(pkg)
        for index, loc in enumerate(doc.page_locs):
            try:
                page = doc.page(index, loc)
            except _Damaged:
                continue
            if not page.images or (scans_only and page.glyphs):
                continue
            for _area, res_id, scope in sorted(page.images, key=lambda im: -im[0]):
                member = doc.media(res_id, scope)
                if member is None:
                    continue
                try:
                    out.append((index, pkg.read(member, MAX_MEMBER_BYTES)))
                except _Damaged:
                    continue
                break
    return out


def _page_list(pages: list[int]) -> str:
    shown = "、".join(str(n) for n in pages[:20])
    return shown + ("等" if len(pages) > 20 else "")


# ---------------------------------------------------------------- the zip package


class _Package:
    """The zip, read member by member with every size checked while reading."""

    def __init__(self, zf: zipfile.ZipFile, name: str) -> None:
        self.zf = zf
        self.name = name
        self.total = 0
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.folded: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            # Some producers write Windows separators; names are matched case-insensitively as a fallback.
            key = posixpath.normpath(info.filename.replace("\\", "/").lstrip("/"))
            self.members.setdefault(key, info)
            self.folded.setdefault(key.lower(), info)

    @classmethod
    def open(cls, p: Path, max_bytes: int) -> _Package:
        """Open the file as an OFD package or raise ReadError saying what it is."""
        try:
            size = p.stat().st_size
            if not p.is_file():
                raise ReadError(f"找不到文件“{p}”。")
            with p.open("rb") as fh:
                head = fh.read(8)
        except FileNotFoundError as exc:
            raise ReadError(f"找不到文件“{p}”。") from exc
        except OSError as exc:
            raise ReadError(f"无法读取“{p.name}”：{exc.strerror or exc}") from exc
        if size == 0:
            raise ReadError(f"“{p.name}”是空文件。")
        if size > max_bytes:
            raise ReadError(
                f"“{p.name}”有 {size / 1024 / 1024:.0f} MB，超过导入上限 {max_bytes // 1024 // 1024} MB。"
            )
        if head.startswith(b"%PDF"):
            raise ReadError(f"“{p.name}”实际上是 PDF 文件，请把扩展名改为 .pdf 后再导入。")
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ReadError(f"“{p.name}”实际上是 Word/WPS 或 Excel 的旧格式文件，不是 OFD 文件。")
        if not head.startswith(b"PK"):
            raise ReadError(f"“{p.name}”不是 OFD 文件，或已损坏。")
        try:
            zf = zipfile.ZipFile(p)
        except Exception as exc:  # BadZipFile, but also NotImplementedError and others on a mangled directory
            raise ReadError(f"“{p.name}”已损坏（不是完整的 OFD 压缩包），无法读取。") from exc
        if len(zf.infolist()) > MAX_MEMBERS:
            zf.close()
            raise ReadError(f"“{p.name}”包含的文件过多（超过 {MAX_MEMBERS} 个），不像正常的 OFD 文件。")
        pkg = cls(zf, p.name)
        if pkg.find("OFD.xml") is None:
            names = list(pkg.members)
            zf.close()
            if any(n.startswith("word/") for n in names):
                raise ReadError(f"“{p.name}”实际上是 .docx 文件，请把扩展名改为 .docx 后再导入。")
            raise ReadError(f"“{p.name}”不是 OFD 文件（缺少 OFD.xml），或已损坏。")
        return pkg

    def __enter__(self) -> _Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zf.close()

    def find(self, name: str) -> str | None:
        """The member name for a package path, tolerating case and separator differences."""
        key = posixpath.normpath(name.replace("\\", "/").lstrip("/"))
        if key in self.members:
            return key
        info = self.folded.get(key.lower())
        if info is None:
            return None
        return posixpath.normpath(info.filename.replace("\\", "/").lstrip("/"))

    def has_part(self, folder: str) -> bool:
        """Whether any member lies in a folder of this name, at any depth."""
        low = folder.lower()
        return any(low in k.lower().split("/")[:-1] for k in self.members)

    def read(self, name: str, limit: int) -> bytes:
        """Read one member: its declared size, the bytes actually inflated and the running total are capped."""
        info = self.members.get(name) or self.folded.get(name.lower())
        if info is None:
            raise _Damaged(f"缺少 {name}")
        if info.flag_bits & 0x1:
            raise ReadError(f"“{self.name}”已加密，无法读取。")
        if info.file_size > limit or self.total + info.file_size > MAX_TOTAL_BYTES:
            raise ReadError(f"“{self.name}”中的 {name} 解压后过大，不像正常的 OFD 文件（可能是压缩炸弹）。")
        chunks: list[bytes] = []
        got = 0
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > limit or self.total + got > MAX_TOTAL_BYTES:
                        raise ReadError(
                            f"“{self.name}”中的 {name} 解压后过大，不像正常的 OFD 文件（可能是压缩炸弹）。"
                        )
                    chunks.append(chunk)
        except ReadError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise _Damaged(f"{name} 无法解压") from exc
        except Exception as exc:  # zlib.error and friends from a corrupt stream are damage, not bugs
            raise _Damaged(f"{name} 无法解压") from exc
        self.total += got
        return b"".join(chunks)

    def xml(self, name: str) -> Element:
        """Parse a member as XML with entities and DTDs refused."""
        data = self.read(name, MAX_XML_BYTES)
        try:
            return _parse_xml(data)
        except DefusedXmlException as exc:
            raise ReadError(f"“{self.name}”含有不安全的 XML 内容（{name}），已拒绝读取。") from exc
        except (ParseError, ValueError, LookupError) as exc:  # LookupError: an unknown declared encoding
            raise _Damaged(f"{name} 不是有效的 XML") from exc


def _parse_xml(data: bytes) -> Element:
    """Parse untrusted XML; a prefix used without its namespace declaration is declared, not fatal."""
    try:
        root: Element = SafeET.fromstring(data, forbid_dtd=True)
        return root
    except ParseError as exc:
        if "unbound prefix" not in str(exc):
            raise
    prefixes = sorted({m.group(1) for m in _PREFIX.finditer(data)} - {b"xml", b"xmlns"})
    decl = b"".join(b" xmlns:" + pfx + b'="urn:ofd-undeclared:' + pfx + b'"' for pfx in prefixes)
    start = re.search(rb"<([A-Za-z_][\w.\-:]*)", data)
    if start is None:
        raise ParseError("no root element")
    fixed = data[: start.end()] + decl + data[start.end() :]
    root = SafeET.fromstring(fixed, forbid_dtd=True)
    return root


def _local(tag: object) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _children(el: Element, name: str) -> Iterator[Element]:
    for child in el:
        if _local(child.tag) == name:
            yield child


def _child(el: Element | None, *path: str) -> Element | None:
    for name in path:
        if el is None:
            return None
        el = next(_children(el, name), None)
    return el


def _text(el: Element | None, *path: str) -> str:
    found = _child(el, *path) if path else el
    return (found.text or "").strip() if found is not None else ""


def _attr(el: Element, name: str) -> str | None:
    value = el.get(name)
    if value is not None:
        return value
    for key, val in el.attrib.items():
        if _local(key) == name:
            return val
    return None


def _floats(value: str | None) -> list[float]:
    if not value:
        return []
    out: list[float] = []
    for tok in value.replace(",", " ").split():
        try:
            number = float(tok)
        except ValueError:
            return []
        if not math.isfinite(number):
            return []
        out.append(number)
    return out


def _resolve(base_dir: str, loc: str) -> str:
    """A BaseLoc: absolute from the package root when it starts with '/', else relative to its file."""
    loc = loc.strip().replace("\\", "/")
    joined = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc)
    return posixpath.normpath(joined)


# ---------------------------------------------------------------- document structure


class _Document:
    """OFD.xml and Document.xml: the page list, templates and resources."""

    def __init__(self, pkg: _Package) -> None:
        self.pkg = pkg
        self.notes: list[str] = []
        self.page_locs: list[str] = []
        self.templates: dict[str, str] = {}
        self.box = (210.0, 297.0)
        self.doc_dir = ""
        self.res_files: list[str] = []
        self._template_cache: dict[str, _Page] = {}
        self._media: dict[str, dict[str, str]] | None = None
        self._page_res: dict[str, list[str]] = {}

    def find(self, base_dir: str, loc: str) -> str | None:
        """Find a referenced member; producers disagree whether paths are relative, so try both."""
        for candidate in (_resolve(base_dir, loc), _resolve("", loc), _resolve(self.doc_dir, loc)):
            if candidate.startswith("../"):
                continue
            found = self.pkg.find(candidate)
            if found is not None:
                return found
        return None

    @classmethod
    def load(cls, pkg: _Package) -> _Document:
        """Read OFD.xml and the first document's Document.xml."""
        doc = cls(pkg)
        name = pkg.name
        entry = pkg.find("OFD.xml") or "OFD.xml"
        try:
            root = pkg.xml(entry)
        except _Damaged as exc:
            raise ReadError(f"“{name}”已损坏（OFD.xml 无法读取），无法读取。") from exc
        bodies = list(_children(root, "DocBody"))
        if not bodies:
            raise ReadError(f"“{name}”已损坏（OFD.xml 中没有文档），无法读取。")
        if len(bodies) > 1:
            doc.notes.append(f"文件包含 {len(bodies)} 个文档，只读入了第一个。")
        body = bodies[0]
        if _child(body, "Signatures") is not None or pkg.has_part("Signs"):
            doc.notes.append("文件带有电子签章；签章未校验，签章中的内容也未读入。")
        if _child(body, "Encryptions") is not None or pkg.find("Encryptions.xml") is not None:
            raise ReadError(f"“{name}”已加密，无法读取。")
        root_loc = _text(body, "DocRoot")
        member = doc.find("", root_loc) if root_loc else None
        if member is None:
            raise ReadError(f"“{name}”已损坏（缺少 Document.xml），无法读取。")
        doc.doc_dir = posixpath.dirname(member)
        try:
            document = pkg.xml(member)
        except _Damaged as exc:
            raise ReadError(f"“{name}”已损坏（Document.xml 无法读取），无法读取。") from exc
        common = _child(document, "CommonData")
        box = _floats(_text(common, "PageArea", "PhysicalBox"))
        if len(box) == 4 and box[2] > 0 and box[3] > 0:
            doc.box = (box[2], box[3])
        if common is not None:
            for tpl in _children(common, "TemplatePage"):
                tid, loc = _attr(tpl, "ID"), _attr(tpl, "BaseLoc")
                if tid and loc:
                    doc.templates[tid] = loc
            for kind in ("PublicRes", "DocumentRes"):
                for res in _children(common, kind):
                    found = (
                        doc.find(doc.doc_dir, (res.text or "").strip()) if (res.text or "").strip() else None
                    )
                    if found:
                        doc.res_files.append(found)
        pages_el = _child(document, "Pages")
        pages = list(_children(pages_el, "Page")) if pages_el is not None else []
        if len(pages) > MAX_PAGES:
            raise ReadError(f"“{name}”有 {len(pages)} 页，超过读取上限 {MAX_PAGES} 页。请拆分后再导入。")
        if not pages:
            raise ReadError(f"“{name}”中没有页面，无法读取。")
        doc.page_locs = [_attr(pg, "BaseLoc") or "" for pg in pages]
        if _child(document, "Annotations") is not None:
            doc.notes.append("文件中的注释（批注、手写标注等）未读入。")
        if _child(document, "Attachments") is not None:
            doc.notes.append("文件带有附件（嵌入的文件），附件未读入。")
        return doc

    def page(self, index: int, loc: str) -> _Page:
        """Read one page: its templates first, then its own layers."""
        member = self.find(self.doc_dir, loc) if loc else None
        if member is None:
            raise _Damaged(f"第 {index + 1} 页缺失")
        root = self.pkg.xml(member)
        page = _Page(width=self.box[0], height=self.box[1])
        box = _floats(_text(root, "Area", "PhysicalBox"))
        if len(box) == 4 and box[2] > 0 and box[3] > 0:
            page.width, page.height = box[2], box[3]
        self._page_res[member] = [
            found
            for res in _children(root, "PageRes")
            if (found := self.find(posixpath.dirname(member), (res.text or "").strip())) is not None
        ]
        for tpl in _children(root, "Template"):
            tpl_page = self._template(_attr(tpl, "TemplateID") or "")
            if tpl_page is not None:
                _extend(page, tpl_page)
        content = _child(root, "Content")
        if content is not None:
            for layer in _children(content, "Layer"):
                _walk(layer, page, member, 0)
        return page

    def _template(self, tid: str) -> _Page | None:
        if tid in self._template_cache:
            return self._template_cache[tid]
        loc = self.templates.get(tid)
        member = self.find(self.doc_dir, loc) if loc else None
        result: _Page | None = None
        if member is not None:
            try:
                root = self.pkg.xml(member)
            except _Damaged:
                root = None
            if root is not None:
                result = _Page()
                content = _child(root, "Content")
                for layer in _children(content, "Layer") if content is not None else iter(()):
                    _walk(layer, result, member, 0)
        if result is not None:
            self._template_cache[tid] = result
        return result

    def media(self, res_id: str, scope: str) -> str | None:
        """The member holding the image with this resource ID (page resources first)."""
        if self._media is None:
            self._media = {}
        files = self._page_res.get(scope, []) + self.res_files
        for res_file in files:
            table = self._media.get(res_file)
            if table is None:
                table = self._media[res_file] = self._read_res(res_file)
            if res_id in table:
                return table[res_id]
        return None

    def _read_res(self, res_file: str) -> dict[str, str]:
        try:
            root = self.pkg.xml(res_file)
        except _Damaged:
            return {}
        base = _resolve(posixpath.dirname(res_file), _attr(root, "BaseLoc") or "")
        out: dict[str, str] = {}
        for group in _children(root, "MultiMedias"):
            for media in _children(group, "MultiMedia"):
                mid = _attr(media, "ID")
                loc = _text(media, "MediaFile")
                if mid and loc:
                    found = self.find(base, loc) or self.find(posixpath.dirname(res_file), loc)
                    if found:
                        out[mid] = found
        return out


def _extend(page: _Page, other: _Page) -> None:
    page.glyphs.extend(other.glyphs)
    page.hsegs.extend(other.hsegs)
    page.vsegs.extend(other.vsegs)
    page.images.extend(other.images)


# ---------------------------------------------------------------- page objects


def _walk(container: Element, page: _Page, scope: str, depth: int) -> None:
    """Collect glyphs, ruling lines and images from a layer or page block."""
    if depth > MAX_NESTING:
        raise _Damaged("页面对象嵌套过深")
    for obj in container:
        kind = _local(obj.tag)
        if (_attr(obj, "Visible") or "true").lower() == "false":
            continue
        if kind == "TextObject":
            _text_object(obj, page)
            if len(page.glyphs) > MAX_GLYPHS:
                raise ReadError(f"文件中的文字过多（超过 {MAX_GLYPHS} 个字符），不像正常的 OFD 文件。")
        elif kind == "PathObject":
            _path_object(obj, page)
        elif kind == "ImageObject":
            box = _floats(_attr(obj, "Boundary"))
            res_id = _attr(obj, "ResourceID")
            if len(box) == 4 and res_id:
                page.images.append((abs(box[2] * box[3]), res_id, scope))
        elif kind == "PageBlock":
            _walk(obj, page, scope, depth + 1)


def _ctm(obj: Element) -> tuple[float, float, float, float, float, float]:
    m = _floats(_attr(obj, "CTM"))
    if len(m) == 6:
        return (m[0], m[1], m[2], m[3], m[4], m[5])
    return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _deltas(value: str | None, need: int) -> list[float]:
    """DeltaX/DeltaY: numbers, where "g N v" stands for N copies of v (capped at what the text needs)."""
    if not value or need <= 0:
        return []
    toks = value.split()
    out: list[float] = []
    i = 0
    try:
        while i < len(toks) and len(out) < need:
            if toks[i] == "g" and i + 2 < len(toks):
                count = int(float(toks[i + 1]))
                out.extend([float(toks[i + 2])] * max(0, min(count, need - len(out))))
                i += 3
            else:
                out.append(float(toks[i]))
                i += 1
    except (ValueError, OverflowError):
        return out
    return [d if math.isfinite(d) else 0.0 for d in out]


def _advance(ch: str, size: float) -> float:
    """An estimated advance when DeltaX gives none: full width for CJK, half for Latin."""
    return size if unicodedata.east_asian_width(ch) in "WF" else size * 0.5


def _text_object(obj: Element, page: _Page) -> None:
    box = _floats(_attr(obj, "Boundary"))
    if len(box) != 4:
        return
    bx, by = box[0], box[1]
    a, b, c, d, e, f = _ctm(obj)
    sizes = _floats(_attr(obj, "Size"))
    size = sizes[0] if sizes and sizes[0] > 0 else 3.5
    x_scale = math.hypot(a, b) or 1.0
    y_scale = math.hypot(c, d) or 1.0
    cur_x = cur_y = 0.0
    for code in _children(obj, "TextCode"):
        text = code.text or ""
        xs, ys = _floats(_attr(code, "X")), _floats(_attr(code, "Y"))
        x = xs[0] if xs else cur_x
        y = ys[0] if ys else cur_y
        space = False
        dx = _deltas(_attr(code, "DeltaX"), len(text) - 1)
        dy = _deltas(_attr(code, "DeltaY"), len(text) - 1)
        for i, ch in enumerate(text):
            step = dx[i] if i < len(dx) else _advance(ch, size)
            if unicodedata.east_asian_width(ch) in "WF":
                # A Chinese advance includes the letter spacing of justified lines; the glyph is one em.
                width = min(step, size) if step > 0 else size
            else:
                width = step if 0 < step < 3 * size else _advance(ch, size)  # proportional Latin
            if ch.isspace():
                space = True  # not a glyph, but the word break is kept
            elif ch.isprintable():
                gx = a * x + c * y + e + bx
                gy = b * x + d * y + f + by
                page.glyphs.append(_Glyph(gx, gy, width * x_scale, size * y_scale, ch, space))
                space = False
            x += step
            y += dy[i] if i < len(dy) else 0.0
        cur_x, cur_y = x, y


_PATH_ARGS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}


def _path_object(obj: Element, page: _Page) -> None:
    """Straight horizontal and vertical pieces of a path are ruling lines; so are thin filled bars."""
    box = _floats(_attr(obj, "Boundary"))
    data = _text(obj, "AbbreviatedData")
    if len(box) != 4 or not data:
        return
    a, b, c, d, e, f = _ctm(obj)

    def to_page(x: float, y: float) -> tuple[float, float]:
        return a * x + c * y + e + box[0], b * x + d * y + f + box[1]

    toks = data.replace(",", " ").split()
    points: list[tuple[float, float]] = []  # the current subpath
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    i = 0
    try:
        while i < len(toks):
            cmd = toks[i]
            n = _PATH_ARGS.get(cmd)
            if n is None:
                i += 1
                continue
            args = [float(t) for t in toks[i + 1 : i + 1 + n]]
            i += 1 + n
            if len(args) < n:
                break
            if cmd in "SM":
                points = [to_page(args[0], args[1])]
            elif cmd == "C":
                if len(points) > 1:
                    segments.append((points[-1], points[0]))
                    points.append(points[0])
            else:
                end = to_page(args[-2], args[-1])
                if cmd == "L" and points:
                    segments.append((points[-1], end))
                points.append(end)
            if len(segments) > MAX_SEGMENTS:
                break
    except ValueError:
        pass
    xs = [pt[0] for seg in segments for pt in seg]
    ys = [pt[1] for seg in segments for pt in seg]
    if xs and len(page.hsegs) + len(page.vsegs) < MAX_SEGMENTS:
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if 0 < min(w, h) <= 1.2 and max(w, h) > 2:
            # A thin bar (a rule drawn as a filled rectangle) is one line along its length.
            if w > h:
                page.hsegs.append(_Seg((min(ys) + max(ys)) / 2, min(xs), max(xs)))
            else:
                page.vsegs.append(_Seg((min(xs) + max(xs)) / 2, min(ys), max(ys)))
            return
    for (x0, y0), (x1, y1) in segments:
        if abs(y1 - y0) <= 0.3 and abs(x1 - x0) >= 1.0:
            page.hsegs.append(_Seg((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 0.3 and abs(y1 - y0) >= 1.0:
            page.vsegs.append(_Seg((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


# ---------------------------------------------------------------- tables from ruling lines


def _cluster(values: list[float], tol: float = TOL) -> list[float]:
    out: list[float] = []
    group: list[float] = []
    for v in sorted(values):
        if group and v - group[-1] > tol:
            out.append(sum(group) / len(group))
            group = []
        group.append(v)
    if group:
        out.append(sum(group) / len(group))
    return out


def _merge_segments(segs: list[_Seg]) -> list[_Seg]:
    """Join collinear pieces that touch or overlap (renderers draw each cell's border separately)."""
    out: list[_Seg] = []
    for s in sorted(segs, key=lambda s: (round(s.a / TOL), s.lo)):
        last = out[-1] if out else None
        if last is not None and abs(last.a - s.a) <= TOL and s.lo <= last.hi + TOL:
            last.hi = max(last.hi, s.hi)
        else:
            out.append(_Seg(s.a, s.lo, s.hi))
    return out


def _grids(page: _Page) -> list[_Grid]:
    """Find ruled grids: connected sets of horizontal and vertical lines with at least two cells."""
    hs, vs = _merge_segments(page.hsegs), _merge_segments(page.vsegs)
    if not hs or not vs or len(hs) * len(vs) > 1_000_000:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.lo - TOL <= v.a <= h.hi + TOL and v.lo - TOL <= h.a <= v.hi + TOL:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    grids: list[_Grid] = []
    for gh, gv in groups.values():
        if (len(gh) < 2 and len(gv) < 2) or not gh or not gv:
            continue
        grid = _grid(gh, gv)
        if grid is not None:
            grids.append(grid)
    return grids


def _nearest(values: list[float], x: float) -> int:
    i = bisect.bisect_left(values, x)
    if i == 0:
        return 0
    if i == len(values):
        return len(values) - 1
    return i if values[i] - x < x - values[i - 1] else i - 1


def _grid(hs: list[_Seg], vs: list[_Seg]) -> _Grid | None:
    xs = _cluster([v.a for v in vs] + [min(h.lo for h in hs), max(h.hi for h in hs)])
    ys = _cluster([h.a for h in hs] + [min(v.lo for v in vs), max(v.hi for v in vs)])
    rows, cols = len(ys) - 1, len(xs) - 1
    if rows < 1 or cols < 1 or rows * cols < 2 or rows * cols > 20_000:
        return None

    # The lines on each grid edge, so that asking whether a cell has a wall looks at that edge only.
    on_x: dict[int, list[_Seg]] = {}
    for v in vs:
        k = _nearest(xs, v.a)
        if abs(xs[k] - v.a) <= TOL:
            on_x.setdefault(k, []).append(v)
    on_y: dict[int, list[_Seg]] = {}
    for h in hs:
        k = _nearest(ys, h.a)
        if abs(ys[k] - h.a) <= TOL:
            on_y.setdefault(k, []).append(h)

    def vwall(r: int, k: int) -> bool:
        mid = (ys[r] + ys[r + 1]) / 2
        return any(v.lo - TOL <= mid <= v.hi + TOL for v in on_x.get(k, ()))

    def hwall(k: int, c: int) -> bool:
        mid = (xs[c] + xs[c + 1]) / 2
        return any(h.lo - TOL <= mid <= h.hi + TOL for h in on_y.get(k, ()))

    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not vwall(r, c + 1):
                parent[find(r * cols + c)] = find(r * cols + c + 1)
            if r + 1 < rows and not hwall(r + 1, c):
                parent[find(r * cols + c)] = find((r + 1) * cols + c)
    spans: dict[int, list[int]] = {}
    for r in range(rows):
        for c in range(cols):
            box = spans.setdefault(find(r * cols + c), [r, c, r, c, 0])
            box[0], box[1] = min(box[0], r), min(box[1], c)
            box[2], box[3] = max(box[2], r), max(box[3], c)
            box[4] += 1
    rectangular = all((b[2] - b[0] + 1) * (b[3] - b[1] + 1) == b[4] for b in spans.values())
    owner = [[0] * cols for _ in range(rows)]
    regions: list[tuple[int, int, int, int]] = []
    if rectangular:
        index: dict[int, int] = {}
        for r in range(rows):
            for c in range(cols):
                root = find(r * cols + c)
                if root not in index:
                    index[root] = len(regions)
                    b = spans[root]
                    regions.append((b[0], b[1], b[2], b[3]))
                owner[r][c] = index[root]
    else:  # missing lines that do not make rectangles: read every grid cell on its own
        for r in range(rows):
            for c in range(cols):
                owner[r][c] = len(regions)
                regions.append((r, c, r, c))
    if len(regions) < 2:
        return None
    return _Grid(xs, ys, owner, regions, [[] for _ in regions])


# ---------------------------------------------------------------- lines, paragraphs, layout


def _lines(glyphs: list[_Glyph]) -> list[_Line]:
    """Group glyphs into lines by baseline, each line's glyphs left to right."""
    seen: set[tuple[str, int, int]] = set()
    unique: list[_Glyph] = []
    for g in glyphs:  # a glyph drawn twice (fake bold, fill + stroke) is read once
        key = (g.ch, round(g.x * 5), round(g.y * 5))
        if key not in seen:
            seen.add(key)
            unique.append(g)
    unique.sort(key=lambda g: (g.y, g.x))
    lines: list[_Line] = []
    current: list[_Glyph] = []
    base = 0.0
    for g in unique:
        if current and abs(g.y - base) > 0.45 * max(g.size, current[0].size):
            lines.append(_make_line(current))
            current = []
        if not current:
            base = g.y
        current.append(g)
    if current:
        lines.append(_make_line(current))
    return lines


def _make_line(glyphs: list[_Glyph]) -> _Line:
    glyphs.sort(key=lambda g: g.x)
    parts: list[str] = []
    prev: _Glyph | None = None
    for g in glyphs:
        if prev is not None:
            gap = g.x - (prev.x + prev.w)
            latin = prev.ch.isascii() and prev.ch.isalnum() and g.ch.isascii() and g.ch.isalnum()
            if (g.space_before and gap > -0.1 * g.size) or gap > (0.3 if latin else 1.0) * max(
                g.size, prev.size
            ):
                parts.append(" ")
        parts.append(g.ch)
        prev = g
    sizes = [g.size for g in glyphs]
    return _Line(
        glyphs=glyphs,
        text="".join(parts),
        x0=glyphs[0].x,
        x1=max(g.x + g.w for g in glyphs),
        y=statistics.median(g.y for g in glyphs),
        size=statistics.median(sizes),
    )


def _join(a: str, b: str) -> str:
    """Join two wrapped lines: nothing between Chinese text, a space between Latin words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


Margins = dict[int, tuple[float, float]]


def _breaks(prev: _Line, line: _Line, margins: Margins, pitch: float) -> bool:
    """Whether line starts a new paragraph after prev (nothing else between them)."""
    size = max(prev.size, line.size)
    if abs(line.size - prev.size) > 0.2 * prev.size:
        return True
    left, right = margins[line.page]
    if prev.page != line.page:
        # Across a page break only the shape tells: a full last line and an unindented first line.
        return prev.x1 < margins[prev.page][1] - 1.5 * size or line.x0 > left + 1.2 * line.size
    gap = line.y - prev.y
    if gap > (max(pitch * 1.5, size * 1.9) if pitch else size * 2.2) or gap < 0:
        return True
    centered_prev = abs((prev.x0 - left) - (right - prev.x1)) < size and prev.x0 > left + size
    centered = abs((line.x0 - left) - (right - line.x1)) < size and line.x0 > left + size
    if centered_prev and centered:
        return False  # a title of two centred lines
    if line.x0 > left + 1.2 * line.size:
        return True  # the first line of a paragraph is indented (two characters in Chinese documents)
    return prev.x1 < right - 1.5 * size  # the last line of a paragraph stops short


def _paragraphs(lines: list[_Line], margins: Margins) -> list[tuple[str, int]]:
    """Join lines (in reading order, nothing between them) into paragraphs: (text, page index)."""
    if not lines:
        return []
    gaps = [
        b.y - a.y for a, b in itertools.pairwise(lines) if a.page == b.page and 0 < b.y - a.y < 3 * a.size
    ]
    pitch = statistics.median(gaps) if gaps else 0.0
    out = [(lines[0].text, lines[0].page)]
    for prev, line in itertools.pairwise(lines):
        if _breaks(prev, line, margins, pitch):
            out.append((line.text, line.page))
        else:
            out[-1] = (_join(out[-1][0], line.text), out[-1][1])
    return out


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """The text column: most lines start at its left edge and full lines reach its right edge."""
    if not lines:
        return 0.0, 0.0
    x0s = sorted(line.x0 for line in lines)
    x1s = sorted(line.x1 for line in lines)
    return x0s[len(x0s) // 10], x1s[len(x1s) - 1 - len(x1s) // 10]


def _is_furniture(line: _Line, page: _Page) -> bool:
    """A page number in the top or bottom margin."""
    in_margin = line.y < page.height * 0.1 or line.top > page.height * 0.85
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


def _running_lines(pages: list[_Page], per_page: list[list[_Line]]) -> set[tuple[int, int]]:
    """Running headers and footers: the same text at the same height in the margins of several pages."""
    seen: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for pi, (page, lines) in enumerate(zip(pages, per_page, strict=True)):
        for li, line in enumerate(lines):
            if line.y < page.height * 0.1 or line.top > page.height * 0.88:
                key = (re.sub(r"\d+", "#", line.text), round(line.y / 2))
                seen.setdefault(key, []).append((pi, li))
    drop: set[tuple[int, int]] = set()
    if len(pages) < 2:
        return drop
    for where in seen.values():
        if len({pi for pi, _ in where}) >= max(2, len(pages) // 2):
            drop.update(where)
    return drop


def _cell_text(glyphs: list[_Glyph]) -> str:
    """A cell's text: wrapped lines joined, a line that stops short taken as a line break."""
    lines = _lines(glyphs)
    if not lines:
        return ""
    margins = {0: (min(ln.x0 for ln in lines), max(ln.x1 for ln in lines))}
    return "\n".join(text.strip() for text, _ in _paragraphs(lines, margins) if text.strip())


def _grid_table(grid: _Grid, page: int) -> _Table:
    texts = [_cell_text(cell) for cell in grid.cells]
    rows = [[texts[o] for o in line] for line in grid.owner]
    merged = [r for r in grid.regions if r[0] != r[2] or r[1] != r[3]]
    return _Table(rows, merged, grid.xs, page, page)


def _layout(pages: list[_Page], notes: list[str]) -> list[Block]:
    """Place tables and paragraphs of every page in reading order, joining tables across page breaks."""
    per_page_lines: list[list[_Line]] = []
    grids_per_page: list[list[_Grid]] = []
    for pi, pg in enumerate(pages):
        grids = _grids(pg)
        free: list[_Glyph] = []
        for g in pg.glyphs:
            for grid in grids:
                if grid.contains(g.cx, g.cy):
                    c = min(max(bisect.bisect_right(grid.xs, g.cx) - 1, 0), len(grid.xs) - 2)
                    r = min(max(bisect.bisect_right(grid.ys, g.cy) - 1, 0), len(grid.ys) - 2)
                    grid.cells[grid.owner[r][c]].append(g)
                    break
            else:
                free.append(g)
        grids_per_page.append([g for g in grids if any(g.cells)])
        lines = _lines(free)
        for line in lines:
            line.page = pi
        per_page_lines.append(lines)
    running = _running_lines(pages, per_page_lines)
    if running:
        notes.append("每页重复的页眉、页脚已略去。")
    per_page_items: list[list[tuple[float, _Line | _Table]]] = []
    margins: Margins = {}
    for pi, (pg, lines) in enumerate(zip(pages, per_page_lines, strict=True)):
        kept = [ln for li, ln in enumerate(lines) if (pi, li) not in running and not _is_furniture(ln, pg)]
        margins[pi] = _margins(kept)
        items: list[tuple[float, _Line | _Table]] = [(ln.top, ln) for ln in kept]
        items += [(grid.ys[0], _grid_table(grid, pi)) for grid in grids_per_page[pi]]
        items.sort(key=lambda item: item[0])
        per_page_items.append(items)

    blocks: list[Block] = []
    run: list[_Line] = []  # lines since the last table, possibly across pages
    table: _Table | None = None
    for items in per_page_items:
        for position, (_top, item) in enumerate(items):
            if isinstance(item, _Table):
                if run:
                    blocks.extend(
                        TextBlock(t.strip(), page=pg + 1) for t, pg in _paragraphs(run, margins) if t.strip()
                    )
                    run = []
                if position == 0 and table is not None and _continues(table, item):
                    _append_rows(table, item)
                    continue
                if table is not None:
                    blocks.append(TableBlock(table.rows, page=table.page + 1, merged=table.merged))
                table = item
            else:
                if table is not None:
                    blocks.append(TableBlock(table.rows, page=table.page + 1, merged=table.merged))
                    table = None
                run.append(item)
    if run:
        blocks.extend(TextBlock(t.strip(), page=pg + 1) for t, pg in _paragraphs(run, margins) if t.strip())
    if table is not None:
        blocks.append(TableBlock(table.rows, page=table.page + 1, merged=table.merged))
    return blocks


def _continues(prev: _Table, nxt: _Table) -> bool:
    """A table at the top of the next page continues the one that ended the page if its columns line up."""
    if len(prev.xs) != len(nxt.xs) or nxt.page != prev.last_page + 1:
        return False
    return all(abs(a - b) <= 1.5 for a, b in zip(prev.xs, nxt.xs, strict=True))


def _append_rows(prev: _Table, nxt: _Table) -> None:
    """Join the next page's part: drop a repeated header row and carry a merged cell split by the break."""
    rows, merged = nxt.rows, list(nxt.merged)
    offset = len(prev.rows)
    if len(rows) > 1 and prev.rows and rows[0] == prev.rows[0]:
        rows = rows[1:]
        merged = [(r0 - 1, c0, r1 - 1, c1) for r0, c0, r1, c1 in merged if r0 > 0]
    if rows:
        first = rows[0]
        for i, (r0, c0, r1, c1) in enumerate(prev.merged):
            # A vertically merged cell reaching the page's end, above empty cells of the same columns
            # while the rest of that row has text: the page break split the merged cell.
            if r1 != offset - 1 or r0 == r1:
                continue
            if any(first[c] for c in range(c0, c1 + 1)):
                continue
            if not any(text for c, text in enumerate(first) if c < c0 or c > c1):
                continue
            covers = [m for m in merged if m[0] == 0 and m[1] == c0 and m[3] == c1]
            extra = covers[0][2] if covers else 0
            if covers:
                merged.remove(covers[0])
            prev.merged[i] = (r0, c0, offset + extra, c1)
            for r in range(extra + 1):
                for c in range(c0, c1 + 1):
                    rows[r][c] = prev.rows[r0][c0]
    prev.rows.extend(rows)
    prev.merged.extend((r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in merged)
    prev.xs = nxt.xs
    prev.last_page = nxt.page
