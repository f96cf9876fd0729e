"""Reading old Word binaries (.doc, Word 97–2003) and Kingsoft WPS documents (.wps) without any Office.

The format is MS-DOC: an OLE2 compound file whose `WordDocument` stream starts with the FIB; the text
is found through the piece table (CLX) in the `0Table`/`1Table` stream, one piece per run of text that
was saved together, each either 8-bit (cp1252) or UTF-16LE. Tables are read from the paragraph
properties (PAPX in the FKP pages): a cell mark (\\x07) ends a cell, and the paragraph with the TTP flag
ends a row; the row's TDefTable gives the cell edges, which become the table's grid and its merges.
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import olefile

from models.document import Block, SourceDocument, TableBlock, TextBlock
from models.errors import ReadError

MAX_BYTES = 50 * 1024 * 1024
MAX_PIECES = 200_000  # a document saved many times has hundreds of pieces; more is a damaged table
MAX_CHARS = 5_000_000  # a 2,500-page document: far more than any notice, and bounded in time
MAX_PRC = 100_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Sprms read from paragraph properties (MS-DOC 2.6.2 / 2.6.3).
SPRM_P_IN_TABLE = 0x2416
SPRM_P_TTP = 0x2417
SPRM_P_ITAP = 0x6649
SPRM_P_INNER_CELL = 0x244B
SPRM_P_INNER_TTP = 0x244C
SPRM_P_HUGE_PAPX = 0x6646
SPRM_T_DEF_TABLE = 0xD608
SPRM_T_VERT_MERGE = 0xD62B
SPRM_P_CHG_TABS = 0xC615

# TC80 flags: old-style horizontal merges and vertical merges.
TC_FIRST_MERGED = 0x0001
TC_MERGED = 0x0002
TC_VERT_MERGE = 0x0020
TC_VERT_RESTART = 0x0040

# Characters that end a paragraph: paragraph mark, cell mark, section/page break, column break.
PARAGRAPH_ENDS = "\r\x07\x0c\x0e"
_SPECIAL = re.compile(r"[\x00-\x08\x0a-\x1f\xa0]")

# cp1252 as MS-DOC 2.4.1 maps compressed text; the five bytes cp1252 leaves undefined stay as Latin-1.
_CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}


class _Damaged(Exception):
    """Raised inside the parser; turned into one ReadError with the file's name."""


@dataclass
class _Piece:
    cp: int  # first character position
    cp_end: int
    fc: int  # byte offset in WordDocument
    compressed: bool


@dataclass
class _Props:
    """The paragraph properties the reader needs."""

    in_table: bool = False
    ttp: bool = False
    itap: int = 0
    inner_cell: bool = False
    inner_ttp: bool = False
    known: bool = False  # False when no PAPX was found for the paragraph
    bounds: list[int] | None = None  # TDefTable rgdxaCenter: cell edges in twips
    tc_flags: list[int] = field(default_factory=list)
    vert_merge: dict[int, int] = field(default_factory=dict)  # itc -> 1 continue, 3 restart


@dataclass
class _Row:
    cells: list[str]
    bounds: list[int] | None
    tc_flags: list[int]
    vert_merge: dict[int, int]


def read_word_binary(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> SourceDocument:
    """Read a .doc or .wps file into paragraphs and tables; raise ReadError with a Chinese message."""
    p = Path(path)
    kind = "wps" if p.suffix.lower() == ".wps" else "doc"
    head = _check_file(p, max_bytes)
    if not head.startswith(OLE_MAGIC):
        raise ReadError(_not_ole_message(p, head, kind))
    try:
        ole = olefile.OleFileIO(str(p))
    except Exception as exc:  # olefile raises OSError, but also IndexError/struct.error on bad sectors
        raise ReadError(f"“{p.name}”已损坏，无法作为 Word 文件打开。") from exc
    try:
        with ole:
            return _read_ole(ole, p, kind, max_bytes)
    except ReadError:
        raise
    except _Damaged as exc:
        raise ReadError(
            f"“{p.name}”已损坏（{exc}），无法读取。请在 Word 或 WPS 中打开后另存为 .docx。"
        ) from exc
    except Exception as exc:  # a sector chain olefile cannot follow is damage too, never a crash
        raise ReadError(f"“{p.name}”已损坏，无法读取（{type(exc).__name__}）。") from exc


def _check_file(p: Path, max_bytes: int) -> bytes:
    """Return the file's first bytes after checking it exists, is not empty and not too large."""
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise ReadError(f"找不到文件“{p}”。")
        if size == 0:
            raise ReadError(f"“{p.name}”是空文件。")
        if size > max_bytes:
            raise ReadError(
                f"“{p.name}”有 {size / 1024 / 1024:.0f} MB，超过导入上限 {max_bytes // 1024 // 1024} MB。"
            )
        with p.open("rb") as fh:
            return fh.read(4096)
    except FileNotFoundError as exc:
        raise ReadError(f"找不到文件“{p}”。") from exc
    except OSError as exc:
        raise ReadError(f"无法读取“{p.name}”：{exc.strerror or exc}") from exc


def _not_ole_message(p: Path, head: bytes, kind: str) -> str:
    """Say what a file that is not an OLE2 compound file really is."""
    name = p.name
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = stripped[:1024].lower()
    if stripped.startswith(b"{\\rtf"):
        return (
            f"“{name}”实际上是 RTF 文件（扩展名是 .{kind}），请在 Word 或 WPS 中打开后另存为 .docx 再导入。"
        )
    if head.startswith(b"PK\x03\x04"):
        what = _zip_kind(p)
        if what == "docx":
            return f"“{name}”实际上是 .docx 文件，请把扩展名改为 .docx 后再导入。"
        if what == "ofd":
            return f"“{name}”实际上是 OFD 文件，请把扩展名改为 .ofd 后再导入。"
        label = {
            "xlsx": "Excel（.xlsx）工作簿",
            "pptx": "PowerPoint（.pptx）演示文稿",
            "odt": "OpenDocument 文档",
        }
        return f"“{name}”实际上是{label.get(what, '压缩包（zip）')}，不是 Word 文件。"
    if head[:2] in (b"\xdb\xa5", b"\x31\xbe", b"\x32\xbe"):
        return f"“{name}”是 Word 2.0 或更早的格式，太旧，无法读取。请在 Word 或 WPS 中打开后另存为 .docx 再导入。"
    if stripped.startswith(b"%PDF"):
        return f"“{name}”实际上是 PDF 文件，请把扩展名改为 .pdf 后再导入。"
    if lower.startswith(b"mime-version") or b"multipart/related" in lower:
        return f"“{name}”实际上是单个网页文件（MHT），请在 Word 或 WPS 中打开后另存为 .docx 再导入。"
    if b"<html" in lower or lower.startswith(b"<!doctype html"):
        return f"“{name}”实际上是网页（HTML）文件，请在 Word 或 WPS 中打开后另存为 .docx 再导入。"
    if lower.startswith(b"<?xml") or b"w:worddocument" in lower:
        return f"“{name}”实际上是 XML 文件（可能是 Word 2003 XML），请在 Word 或 WPS 中打开后另存为 .docx 再导入。"
    if b"kingsoft" in head[:256].lower() or head[2:5] == b"WPS" or kind == "wps":
        # WPS 97/2000 wrote their own format ("\x82\xffWPS2000… Kingsoft"), not a Word binary.
        return (
            f"“{name}”是 WPS 2000 或更早版本的 WPS 文字格式，无法直接读取。"
            "请用 WPS 打开后另存为 .docx 再导入。"
        )
    return f"“{name}”不是 Word（.doc）文件，或已损坏。请在 Word 或 WPS 中打开后另存为 .docx 再导入。"


def _zip_kind(p: Path) -> str:
    """Name the zip-based format of a file by its member names (docx, xlsx, pptx, odt, ofd, zip)."""
    try:
        with zipfile.ZipFile(p) as zf:
            names = zf.namelist()[:10_000]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return "zip"  # a mangled zip only means we cannot say more than that
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "mimetype" in names and "content.xml" in names:
        return "odt"
    if any(n.lower() == "ofd.xml" for n in names):
        return "ofd"
    return "zip"


def _read_ole(ole: olefile.OleFileIO[str], p: Path, kind: str, max_bytes: int) -> SourceDocument:
    """Read the Word document inside an open compound file."""
    name = p.name
    if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
        raise ReadError(
            f"“{name}”已加密（设有打开密码），无法读取。请在 Word 或 WPS 中取消密码后另存再导入。"
        )
    if not ole.exists("WordDocument"):
        raise ReadError(_other_ole_message(ole, name, kind))
    wd = _stream(ole, "WordDocument", max_bytes)
    if len(wd) < 0x200:
        raise _Damaged("文件头不完整")
    w_ident, n_fib = struct.unpack_from("<HH", wd, 0)
    if w_ident not in (0xA5EC, 0xA5DC):
        raise _Damaged("文件头标识不对")
    flags = struct.unpack_from("<H", wd, 10)[0]
    if flags & 0x0100:  # fEncrypted (with fObfuscated 0x8000 it is XOR obfuscation, a password too)
        raise ReadError(
            f"“{name}”已加密（设有打开密码），无法读取。请在 Word 或 WPS 中取消密码后另存再导入。"
        )
    if 101 <= n_fib < 0xC0 or w_ident == 0xA5DC:
        raise ReadError(
            f"“{name}”是 Word 6.0/95 格式，太旧，无法读取。请在 Word 或 WPS 中打开后另存为 .docx 再导入。"
        )
    if n_fib < 0xC0:
        raise _Damaged("版本号不对")
    fib = _Fib.parse(wd)
    table_name = "1Table" if flags & 0x0200 else "0Table"
    if not ole.exists(table_name):
        raise _Damaged(f"缺少 {table_name} 数据")
    table = _stream(ole, table_name, max_bytes)
    pieces = _piece_table(table, fib, len(wd))
    text = _main_text(wd, pieces, fib.ccp_text)

    notes: list[str] = []
    data: bytes | None = None
    if ole.exists("Data"):
        data = _stream(ole, "Data", max_bytes)
    try:
        papx = _PapxIndex.parse(table, wd, fib.fc_papx, fib.lcb_papx, data)
    except _Damaged:
        papx = None
        notes.append("段落格式信息已损坏，表格按文字中的单元格标记推断，可能不准确。")
    if papx is not None and not papx.runs and "\x07" in text:
        notes.append("文件没有段落格式信息，表格按文字中的单元格标记推断，可能不准确。")
    blocks, dropped_objects = _blocks(text, pieces, papx)
    skipped = [
        label
        for label, count in (
            ("页眉页脚", fib.ccp_hdd),
            ("脚注", fib.ccp_ftn),
            ("尾注", fib.ccp_edn),
            ("批注", fib.ccp_atn),
            ("文本框", fib.ccp_txbx + fib.ccp_hdr_txbx),
        )
        if count > 0
    ]
    if skipped:
        notes.append(f"只读入了正文；{'、'.join(skipped)}中的文字未读入。")
    if dropped_objects:
        notes.append("文中的图片、图形或嵌入对象未读入。")
    if not any(isinstance(b, TableBlock) or b.text.strip() for b in blocks):
        raise ReadError(f"“{name}”中没有可读的文字（可能只有图片）。")
    return SourceDocument(blocks=blocks, kind=kind, name=name, notes=notes)


def _other_ole_message(ole: olefile.OleFileIO[str], name: str, kind: str) -> str:
    """Say what a compound file without a WordDocument stream is."""
    if ole.exists("Workbook") or ole.exists("Book"):
        return f"“{name}”实际上是 Excel（.xls）工作簿，不是 Word 文件。"
    if ole.exists("PowerPoint Document"):
        return f"“{name}”实际上是 PowerPoint（.ppt）演示文稿，不是 Word 文件。"
    if kind == "wps" and (ole.exists("CONTENTS") or ole.exists("MatOST")):
        return (
            f"“{name}”是 Microsoft Works 文字处理文件，无法读取。请在 Works 或 Word 中另存为 .docx 再导入。"
        )
    if kind == "wps":
        return f"“{name}”是较早版本的 WPS 文字格式，无法直接读取。请用 WPS 打开后另存为 .docx 再导入。"
    return f"“{name}”不是 Word 文档（文件中没有 Word 正文），请在 Word 或 WPS 中打开后另存为 .docx 再导入。"


def _stream(ole: olefile.OleFileIO[str], name: str, max_bytes: int) -> bytes:
    """Read one stream, refusing one larger than the file may be."""
    if ole.get_size(name) > max_bytes:
        raise _Damaged(f"{name} 数据大小不对")
    with ole.openstream(name) as fh:
        data: bytes = fh.read(max_bytes + 1)
    return data


@dataclass
class _Fib:
    """The FIB fields the reader uses (MS-DOC 2.5.1)."""

    ccp_text: int
    ccp_ftn: int
    ccp_hdd: int
    ccp_atn: int
    ccp_edn: int
    ccp_txbx: int
    ccp_hdr_txbx: int
    fc_clx: int
    lcb_clx: int
    fc_papx: int
    lcb_papx: int

    @classmethod
    def parse(cls, wd: bytes) -> _Fib:
        """Walk FibBase, fibRgW, fibRgLw and fibRgFcLcb by their declared counts."""
        pos = 32
        csw = struct.unpack_from("<H", wd, pos)[0]
        pos += 2 + 2 * csw
        cslw = struct.unpack_from("<H", wd, pos)[0]
        if cslw < 11:
            raise _Damaged("文件头字段不全")
        lw = struct.unpack_from("<11i", wd, pos + 2)
        pos += 2 + 4 * cslw
        cb_fc_lcb = struct.unpack_from("<H", wd, pos)[0]
        if cb_fc_lcb < 34 or pos + 2 + 8 * 34 > len(wd):
            raise _Damaged("文件头字段不全")
        fclcb = struct.unpack_from("<68I", wd, pos + 2)
        ccps = lw[3:11]
        if any(c < 0 for c in ccps):
            raise _Damaged("字数为负")
        return cls(
            ccp_text=lw[3],
            ccp_ftn=lw[4],
            ccp_hdd=lw[5],
            ccp_atn=lw[7],
            ccp_edn=lw[8],
            ccp_txbx=lw[9],
            ccp_hdr_txbx=lw[10],
            fc_papx=fclcb[2 * 13],
            lcb_papx=fclcb[2 * 13 + 1],
            fc_clx=fclcb[2 * 33],
            lcb_clx=fclcb[2 * 33 + 1],
        )


def _piece_table(table: bytes, fib: _Fib, wd_len: int) -> list[_Piece]:
    """Parse the CLX: skip the Prc property runs, then read the PlcPcd and check every piece."""
    if fib.lcb_clx == 0 or fib.fc_clx + fib.lcb_clx > len(table):
        raise _Damaged("找不到文字分段表")
    clx = table[fib.fc_clx : fib.fc_clx + fib.lcb_clx]
    pos = 0
    count = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: clxt, cbGrpprl, grpprl
        if pos + 3 > len(clx):
            raise _Damaged("文字分段表不完整")
        cb = struct.unpack_from("<h", clx, pos + 1)[0]
        count += 1
        if cb < 0 or pos + 3 + cb > len(clx) or count > MAX_PRC:
            raise _Damaged("文字分段表不完整")
        pos += 3 + cb
    if pos + 5 > len(clx) or clx[pos] != 0x02:
        raise _Damaged("文字分段表不完整")
    lcb = struct.unpack_from("<I", clx, pos + 1)[0]
    plc = clx[pos + 5 : pos + 5 + lcb]
    if len(plc) < lcb or lcb < 16 or (lcb - 4) % 12:
        raise _Damaged("文字分段表长度不对")
    n = (lcb - 4) // 12
    if n > MAX_PIECES:
        raise _Damaged(f"文字分段数 {n} 不合理")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    if cps[0] != 0 or any(a >= b for a, b in itertools.pairwise(cps)):
        raise _Damaged("文字分段表顺序不对")
    if cps[-1] < fib.ccp_text:
        raise _Damaged("文字分段表与字数不符")
    pieces: list[_Piece] = []
    for i in range(n):
        fc_raw = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)[0]
        compressed = bool(fc_raw & 0x40000000)
        fc = fc_raw & 0x3FFFFFFF
        length = cps[i + 1] - cps[i]
        start, size = (fc // 2, length) if compressed else (fc, 2 * length)
        if cps[i] < fib.ccp_text and start + size > wd_len:
            raise _Damaged("文字分段超出文件范围")
        pieces.append(_Piece(cps[i], cps[i + 1], start, compressed))
    return pieces


def _main_text(wd: bytes, pieces: list[_Piece], ccp_text: int) -> str:
    """Decode the main document text, CP 0 to ccpText, piece by piece."""
    if ccp_text > MAX_CHARS:
        raise ReadError(f"文档正文有 {ccp_text} 个字符，超过读取上限 {MAX_CHARS}。")
    parts: list[str] = []
    for piece in pieces:
        if piece.cp >= ccp_text:
            break
        count = min(piece.cp_end, ccp_text) - piece.cp
        if piece.compressed:
            raw = wd[piece.fc : piece.fc + count]
            parts.append(raw.decode("latin-1").translate(_CP1252))
        else:
            parts.append(wd[piece.fc : piece.fc + 2 * count].decode("utf-16-le", errors="replace"))
    return "".join(parts)


def _fc_of(pieces: list[_Piece], starts: list[int], cp: int) -> int | None:
    """The byte offset in WordDocument of the character at cp (paragraph marks are looked up by it)."""
    i = bisect.bisect_right(starts, cp) - 1
    if i < 0:
        return None
    piece = pieces[i]
    if cp >= piece.cp_end:
        return None
    return piece.fc + (cp - piece.cp) * (1 if piece.compressed else 2)


class _PapxIndex:
    """Paragraph properties by file offset: the runs of every PAPX FKP page, sorted."""

    def __init__(self, runs: list[tuple[int, int, bytes]], data: bytes | None) -> None:
        self.runs = runs
        self.starts = [r[0] for r in runs]
        self.data = data
        self._cache: dict[int, _Props] = {}

    @classmethod
    def parse(cls, table: bytes, wd: bytes, fc: int, lcb: int, data: bytes | None) -> _PapxIndex:
        """Read the PlcBtePapx and each 512-byte PapxFkp it points to."""
        if lcb == 0:
            return cls([], data)
        if fc + lcb > len(table) or lcb < 12 or (lcb - 4) % 8:
            raise _Damaged("段落格式表长度不对")
        n = (lcb - 4) // 8
        if n > len(wd) // 512 + 1:
            raise _Damaged("段落格式页数不合理")
        pns = struct.unpack_from(f"<{n}I", table, fc + 4 * (n + 1))
        runs: list[tuple[int, int, bytes]] = []
        for pn_raw in pns:
            pn = pn_raw & 0x3FFFFF
            page = wd[pn * 512 : pn * 512 + 512]
            if len(page) < 512:
                raise _Damaged("段落格式页超出文件范围")
            crun = page[511]
            if crun == 0 or 4 * (crun + 1) + 13 * crun > 511:
                raise _Damaged("段落格式页不完整")
            rgfc = struct.unpack_from(f"<{crun + 1}I", page, 0)
            for i in range(crun):
                b_off = page[4 * (crun + 1) + 13 * i] * 2
                grpprl = b""
                if b_off:
                    cb = page[b_off]
                    if cb:
                        start, size = b_off + 1, 2 * cb - 1
                    else:
                        start, size = b_off + 2, 2 * page[b_off + 1]
                    chunk = page[start : start + size]
                    grpprl = chunk[2:]  # after the istd
                runs.append((rgfc[i], rgfc[i + 1], grpprl))
        runs.sort(key=lambda r: r[0])
        return cls(runs, data)

    def props(self, fc: int | None) -> _Props:
        """The properties of the paragraph whose mark is at byte offset fc."""
        if fc is None:
            return _Props()
        i = bisect.bisect_right(self.starts, fc) - 1
        if i < 0 or not self.runs[i][0] <= fc < self.runs[i][1]:
            return _Props()
        cached = self._cache.get(i)
        if cached is None:
            cached = self._cache[i] = _parse_props(self.runs[i][2], self.data)
        return cached


def _sprms(grpprl: bytes) -> Iterator[tuple[int, bytes]]:
    """Each (sprm, operand) of a grpprl; the operand size follows from the sprm's spra bits."""
    pos = 0
    end = len(grpprl)
    while pos + 2 <= end:
        sprm = struct.unpack_from("<H", grpprl, pos)[0]
        pos += 2
        spra = sprm >> 13
        if spra in (0, 1):
            size = 1
        elif spra in (2, 4, 5):
            size = 2
        elif spra == 3:
            size = 4
        elif spra == 7:
            size = 3
        elif sprm == SPRM_T_DEF_TABLE:
            if pos + 2 > end:
                return
            size = struct.unpack_from("<H", grpprl, pos)[0] + 1  # cb counts the rest, plus one
        elif sprm == SPRM_P_CHG_TABS:
            if pos >= end:
                return
            size = 1 + grpprl[pos]
            if grpprl[pos] == 255:  # PChgTabsDelClose + PChgTabsAdd, each with its own count
                dels = grpprl[pos + 1] if pos + 1 < end else 0
                add_at = pos + 2 + 4 * dels
                adds = grpprl[add_at] if add_at < end else 0
                size = 2 + 4 * dels + 1 + 3 * adds
        else:
            if pos >= end:
                return
            size = 1 + grpprl[pos]
        if pos + size > end:
            return
        yield sprm, grpprl[pos : pos + size]
        pos += size


def _parse_props(grpprl: bytes, data: bytes | None, depth: int = 0) -> _Props:
    """Pick the table-related sprms out of a paragraph's grpprl."""
    props = _Props(known=True)
    for sprm, op in _sprms(grpprl):
        if sprm == SPRM_P_IN_TABLE:
            props.in_table = op[0] != 0
        elif sprm == SPRM_P_TTP:
            props.ttp = op[0] != 0
        elif sprm == SPRM_P_ITAP:
            props.itap = struct.unpack_from("<i", op)[0]
        elif sprm == SPRM_P_INNER_CELL:
            props.inner_cell = op[0] != 0
        elif sprm == SPRM_P_INNER_TTP:
            props.inner_ttp = op[0] != 0
        elif sprm == SPRM_T_DEF_TABLE:
            _def_table(op, props)
        elif sprm == SPRM_T_VERT_MERGE and len(op) >= 3:
            props.vert_merge[op[1]] = op[2]
        elif sprm == SPRM_P_HUGE_PAPX and data is not None and depth == 0:
            # Properties too large for the FKP page live in the Data stream: cb, then the grpprl.
            at = struct.unpack_from("<I", op)[0]
            if at + 2 <= len(data):
                cb = struct.unpack_from("<H", data, at)[0]
                huge = _parse_props(data[at + 2 : at + 2 + cb], None, depth + 1)
                _merge_props(props, huge)
    return props


def _merge_props(into: _Props, other: _Props) -> None:
    """Add the properties found in a huge PAPX to the ones in the FKP."""
    into.in_table = into.in_table or other.in_table
    into.ttp = into.ttp or other.ttp
    into.itap = into.itap or other.itap
    into.inner_cell = into.inner_cell or other.inner_cell
    into.inner_ttp = into.inner_ttp or other.inner_ttp
    if other.bounds is not None:
        into.bounds = other.bounds
        into.tc_flags = other.tc_flags
    into.vert_merge.update(other.vert_merge)


def _def_table(op: bytes, props: _Props) -> None:
    """Read TDefTableOperand: itcMac, the cell edges and each cell's TC80 merge flags."""
    if len(op) < 3:
        return
    itc = op[2]
    need = 3 + 2 * (itc + 1)
    if itc == 0 or itc > 63 or len(op) < need:
        return
    props.bounds = list(struct.unpack_from(f"<{itc + 1}h", op, 3))
    flags: list[int] = []
    for i in range(itc):
        at = need + 20 * i
        flags.append(struct.unpack_from("<H", op, at)[0] if at + 2 <= len(op) else 0)
    props.tc_flags = flags


def _blocks(text: str, pieces: list[_Piece], papx: _PapxIndex | None) -> tuple[list[Block], bool]:
    """Split the text into paragraphs and table rows, in reading order; say whether objects were dropped."""
    starts = [p.cp for p in pieces]
    builder = _Builder()
    buf: list[str] = []
    fields: list[bool] = []  # one per open field: True once its result part (after \x14) began
    in_instruction = 0
    dropped = False
    pos = 0
    for match in _SPECIAL.finditer(text):
        at = match.start()
        if not in_instruction and at > pos:
            buf.append(text[pos:at])
        pos = at + 1
        ch = text[at]
        if ch in PARAGRAPH_ENDS:
            props = papx.props(_fc_of(pieces, starts, at)) if papx is not None else _Props()
            builder.paragraph("".join(buf), ch, props)
            buf = []
        elif ch == "\x13":
            fields.append(False)
            in_instruction += 1
        elif ch == "\x14":
            if fields and not fields[-1]:
                fields[-1] = True
                in_instruction -= 1
        elif ch == "\x15":
            if fields and not fields.pop():
                in_instruction -= 1
        elif in_instruction:
            continue
        elif ch in "\x0b\n":
            buf.append("\n")
        elif ch == "\xa0":
            buf.append(" ")
        elif ch == "\x1e":  # non-breaking hyphen
            buf.append("-")
        elif ch in "\x01\x08":
            dropped = True
        # other control characters (footnote/comment references, optional hyphens) carry no text
    if not in_instruction and pos < len(text):
        buf.append(text[pos:])
    if buf:
        builder.paragraph("".join(buf), "\r", _Props())
    builder.flush_table()
    return builder.blocks, dropped


class _Builder:
    """Turns the paragraph stream into TextBlocks and TableBlocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.rows: list[_Row] = []
        self.cells: list[str] = []
        self.cell: list[str] = []  # paragraphs of the cell being read
        self.last_was_cell = False

    def paragraph(self, text: str, end: str, props: _Props) -> None:
        """Take one paragraph and the mark that ended it."""
        if props.itap >= 2:
            # A nested table's paragraphs: flattened into the outer cell, cells split by spaces.
            if props.inner_ttp:  # the inner row's end mark: the row's cells become one line
                if self.cell and self.cell[-1].endswith(" "):
                    self.cell[-1] = self.cell[-1][:-1] + "\n"
            else:
                self.cell.append(text + (" " if props.inner_cell else "\n"))
            self.last_was_cell = False
            return
        if end == "\x07":
            row_end = props.ttp if props.known and props.in_table else self._looks_like_row_end(text)
            if row_end:
                self.rows.append(_Row(self.cells, props.bounds, props.tc_flags, props.vert_merge))
                self.cells = []
                self.cell = []
                self.last_was_cell = False
            else:
                self.cell.append(text)
                self.cells.append(self._cell_text())
                self.cell = []
                self.last_was_cell = True
            return
        self.last_was_cell = False
        if props.in_table or (not props.known and self.cells):
            self.cell.append(text + "\n")  # a paragraph inside a cell
            return
        self.flush_table()
        if text.strip():
            self.blocks.append(TextBlock(text.strip("\n ")))

    def _looks_like_row_end(self, text: str) -> bool:
        """Without properties: a row ends with an empty cell mark right after another cell mark."""
        return not text and self.last_was_cell and not self.cell

    def _cell_text(self) -> str:
        return "".join(self.cell).strip().replace("\r", "\n")

    def flush_table(self) -> None:
        """Close the table being read, if any."""
        if self.cells:  # cells after the last row mark: a row that was never closed
            self.rows.append(_Row(self.cells, None, [], {}))
            self.cells = []
        self.cell = []
        if self.rows:
            self.blocks.append(_table(self.rows))
            self.rows = []


def _table(rows: list[_Row]) -> TableBlock:
    """Lay rows on one grid from their cell edges, so merged cells repeat their text."""
    usable = all(r.bounds is not None and len(r.bounds) == len(r.cells) + 1 for r in rows)
    if not usable:
        width = max(len(r.cells) for r in rows)
        return TableBlock(rows=[r.cells + [""] * (width - len(r.cells)) for r in rows])
    edges = _cluster(sorted({x for r in rows for x in (r.bounds or [])}))
    width = len(edges) - 1
    if width < 1:
        width = max(len(r.cells) for r in rows)
        return TableBlock(rows=[r.cells + [""] * (width - len(r.cells)) for r in rows])
    regions: list[_Region] = []
    owner: list[list[_Region | None]] = [[None] * width for _ in rows]
    for ri, row in enumerate(rows):
        bounds = row.bounds or []
        previous: _Region | None = None
        for ci, cell_text in enumerate(row.cells):
            c0 = min(_nearest(edges, bounds[ci]), width - 1)
            c1 = min(max(c0 + 1, _nearest(edges, bounds[ci + 1])) - 1, width - 1)
            flags = row.tc_flags[ci] if ci < len(row.tc_flags) else 0
            vmerge = row.vert_merge.get(
                ci, 3 if flags & TC_VERT_RESTART else (1 if flags & TC_VERT_MERGE else 0)
            )
            above = owner[ri - 1][c0] if ri > 0 else None
            if vmerge == 1 and above is not None and above.c0 == c0 and above.c1 == c1:
                region = above  # a vertically merged cell continues: its own text is normally empty
                region.r1 = ri
                region.text = f"{region.text}\n{cell_text}".strip() if cell_text else region.text
            elif flags & TC_MERGED and not flags & TC_FIRST_MERGED and previous is not None:
                region = previous  # Word 97's horizontal merge keeps the covered cells as empty cells
                region.c1 = max(region.c1, c1)
                region.text = f"{region.text} {cell_text}".strip() if cell_text else region.text
            else:
                region = _Region(ri, c0, ri, c1, cell_text)
                regions.append(region)
            for c in range(region.c0, region.c1 + 1):
                owner[ri][c] = region
            previous = region
    grid = [[o.text if o is not None else "" for o in line] for line in owner]
    merged = [(r.r0, r.c0, r.r1, r.c1) for r in regions if r.r0 != r.r1 or r.c0 != r.c1]
    return TableBlock(rows=grid, merged=merged)


@dataclass
class _Region:
    """One cell of the grid, spanning rows r0..r1 and columns c0..c1."""

    r0: int
    c0: int
    r1: int
    c1: int
    text: str


def _cluster(xs: list[int], tolerance: int = 20) -> list[int]:
    """Merge cell edges closer than a third of a millimetre (Word rounds widths row by row)."""
    out: list[int] = []
    for x in xs:
        if not out or x - out[-1] > tolerance:
            out.append(x)
    return out


def _nearest(edges: list[int], x: int) -> int:
    i = bisect.bisect_left(edges, x)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - x < x - edges[i - 1] else i - 1
