"""The .doc/.wps reader on hand-built Word 97 binaries and on files LibreOffice wrote.

Hand-built files: `build_word` lays out a real MS-DOC WordDocument stream (FIB, text pieces stored out of
order as a fast save leaves them, PAPX FKP pages) and its 1Table stream (PlcBtePapx, CLX with a Prc and
the piece table), and tests/cfb_writer.py wraps the streams in an OLE2 compound file.

Fixtures in tests/fixtures/ (content written for these tests): `make_fixtures()` below builds each .docx
with python-docx and converts it with LibreOffice 7.x, `soffice --headless --convert-to doc`:
  - activity_lo.doc: Chinese paragraphs and a 5-column activity table, one cell merged down two rows and
    one merged across two columns;
  - nested_lo.doc: a page header, a HYPERLINK field, a picture, a soft line break, a cell of two
    paragraphs, empty cells and a table nested in a cell.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

from exports.word_binary import read_word_binary
from models.document import TableBlock, TextBlock
from models.errors import ReadError
from tests.cfb_writer import write_cfb

FIXTURES = Path(__file__).parent / "fixtures"

IN_TABLE = struct.pack("<HB", 0x2416, 1)
TTP = struct.pack("<HB", 0x2417, 1)
VMERGE, VRESTART = 0x0020, 0x0040


def tdef(bounds: list[int], flags: list[int] | None = None) -> bytes:
    """sprmTDefTable: itcMac, the cell edges in twips, one TC80 (flags + 18 zero bytes) per cell."""
    itc = len(bounds) - 1
    flags = flags or [0] * itc
    rest = bytes([itc]) + struct.pack(f"<{itc + 1}h", *bounds)
    rest += b"".join(struct.pack("<H", f) + b"\x00" * 18 for f in flags)
    return struct.pack("<HH", 0xD608, len(rest) + 1) + rest


def row_end(bounds: list[int], flags: list[int] | None = None) -> bytes:
    return IN_TABLE + TTP + tdef(bounds, flags)


def _fkp(runs: list[tuple[int, int, bytes | None]]) -> bytes:
    """One 512-byte PapxFkp: rgfc, rgbx (13 bytes each) and the PapxInFkp blobs packed from the end."""
    page = bytearray(512)
    crun = len(runs)
    rgfc = [r[0] for r in runs] + [runs[-1][1]]
    struct.pack_into(f"<{crun + 1}I", page, 0, *rgfc)
    top = 511
    for i, (_start, _end, grpprl) in enumerate(runs):
        if grpprl is None:
            continue  # bOffset 0: no properties
        data = b"\x00\x00" + grpprl  # istd 0, then the sprms
        blob = (
            bytes([(len(data) + 1) // 2]) + data
            if len(data) % 2
            else b"\x00" + bytes([len(data) // 2]) + data
        )
        pos = (top - len(blob)) & ~1
        assert pos > 4 * (crun + 1) + 13 * crun, "FKP overflow"
        page[pos : pos + len(blob)] = blob
        page[4 * (crun + 1) + 13 * i] = pos // 2
        top = pos
    page[511] = crun
    return bytes(page)


def build_word(
    pieces: list[tuple[str, bool]],
    *,
    props: dict[int, bytes] | None = None,
    ccp_text: int | None = None,
    ccp_ftn: int = 0,
    flags: int = 0x0200 | 0x0004,
    n_fib: int = 0xC1,
    papx: bool = True,
    table_name: str = "1Table",
    mangle_clx: bytes | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A Word 97 binary: each (text, compressed) piece stored in reverse order, as a fast save leaves them."""
    props = props or {}
    text = "".join(t for t, _ in pieces)
    wd = bytearray(1024)
    fcs: list[int] = [0] * len(pieces)
    for i in reversed(range(len(pieces))):
        chunk, compressed = pieces[i]
        if len(wd) % 2:
            wd += b"\x00"
        fcs[i] = len(wd)
        wd += chunk.encode("cp1252") if compressed else chunk.encode("utf-16-le")
    cps = [0]
    for chunk, _ in pieces:
        cps.append(cps[-1] + len(chunk))

    table = bytearray()
    fc_papx = lcb_papx = 0
    if papx:
        marks: list[tuple[int, int, bytes | None]] = []
        for pi, (chunk, compressed) in enumerate(pieces):
            bpc = 1 if compressed else 2
            for j, ch in enumerate(chunk):
                if ch in "\r\x07":
                    fc = fcs[pi] + j * bpc
                    marks.append((fc, fc + bpc, props.get(cps[pi] + j, b"")))
        marks.sort()
        runs: list[tuple[int, int, bytes | None]] = []
        for start, end, grpprl in marks:
            if runs and runs[-1][1] < start:
                runs.append((runs[-1][1], start, None))  # text between paragraph marks of other pieces
            runs.append((start, end, grpprl))
        groups = [runs[i : i + 6] for i in range(0, len(runs), 6)]
        while len(wd) % 512:
            wd += b"\x00"
        pns = []
        for group in groups:
            pns.append(len(wd) // 512)
            wd += _fkp(group)
        fc_papx = 0
        table += struct.pack(f"<{len(groups) + 1}I", *([g[0][0] for g in groups] + [groups[-1][-1][1]]))
        table += struct.pack(f"<{len(groups)}I", *pns)
        lcb_papx = len(table)

    plc = struct.pack(f"<{len(cps)}I", *cps)
    for (_chunk, compressed), fc in zip(pieces, fcs, strict=True):
        fc_raw = (fc * 2) | 0x40000000 if compressed else fc
        plc += struct.pack("<HIH", 0, fc_raw, 0)
    prc = b"\x01" + struct.pack("<h", 3) + struct.pack("<HB", 0x0835, 1)  # one Prc (bold) to skip
    clx = prc + b"\x02" + struct.pack("<I", len(plc)) + plc
    if mangle_clx is not None:
        clx = mangle_clx
    fc_clx = len(table)
    table += clx

    ccp = len(text) if ccp_text is None else ccp_text
    fib = bytearray(1024)
    struct.pack_into("<HHHHHH", fib, 0, 0xA5EC, n_fib, 0, 0x0804, 0, flags)
    struct.pack_into("<H", fib, 32, 14)
    struct.pack_into("<H", fib, 62, 22)
    struct.pack_into("<iiiiii", fib, 64, len(wd), 0, 0, ccp, ccp_ftn, 0)
    struct.pack_into("<H", fib, 152, 93)
    struct.pack_into("<II", fib, 154 + 8 * 13, fc_papx, lcb_papx)
    struct.pack_into("<II", fib, 154 + 8 * 33, fc_clx, len(clx))
    wd[:1024] = fib
    streams = {"WordDocument": bytes(wd), table_name: bytes(table)}
    streams.update(extra or {})
    return write_cfb(streams)


ROW3 = [0, 1000, 3000, 5000]


def table_text(rows: list[list[str]]) -> tuple[str, list[int], list[int]]:
    """Cells each end in \\x07 and every row in one more \\x07: the text, cell-mark and row-mark offsets."""
    text = ""
    cells: list[int] = []
    ends: list[int] = []
    for row in rows:
        for value in row:
            text += value
            cells.append(len(text))
            text += "\x07"
        ends.append(len(text))
        text += "\x07"
    return text, cells, ends


def notice_pieces() -> tuple[list[tuple[str, bool]], dict[int, bytes], int]:
    """Pieces mixing UTF-16 and cp1252, a field, a picture, a table with merges, then a footnote."""
    head = [
        ("关于开展食品安全检查的通知\r", False),
        ("Caf\xe9 ", True),  # one paragraph over two pieces of different encodings
        ("\u201cfood\u201d 2024\r", True),
        ('详见\x13 HYPERLINK "http://x.cn" \x14市局网站\x15。\x01\r附件：活动安排表\r', False),
    ]
    # Row 2's last cell continues the vertical merge (and is empty); row 3 has a cell two columns wide.
    rows = [["序号", "活动内容", "责任单位"], ["1", "检查", "城关所"], ["2", "指导", ""], ["3", "总结上报"]]
    row_props = [
        row_end(ROW3),
        row_end(ROW3, [0, 0, VMERGE | VRESTART]),
        row_end(ROW3, [0, 0, VMERGE]),
        row_end([0, 1000, 5000]),
    ]
    text, cells, ends = table_text(rows)
    split = ends[1] + 1  # the table over two pieces
    pieces = [
        *head,
        (text[:split], False),
        (text[split:], False),
        ("End of text.\r", True),
        ("脚注内容\r\r", False),
    ]
    base = sum(len(t) for t, _ in head)
    props = {base + at: IN_TABLE for at in cells}
    props |= {base + at: grpprl for at, grpprl in zip(ends, row_props, strict=True)}
    full = "".join(t for t, _ in pieces)
    return pieces, props, full.index("脚注内容")


def write_notice(path: Path, **kwargs: object) -> Path:
    pieces, props, ccp = notice_pieces()
    path.write_bytes(build_word(pieces, props=props, ccp_text=ccp, ccp_ftn=5, **kwargs))  # type: ignore[arg-type]
    return path


EXPECTED_ROWS = [
    ["序号", "活动内容", "责任单位"],
    ["1", "检查", "城关所"],
    ["2", "指导", "城关所"],
    ["3", "总结上报", "总结上报"],
]


def test_reads_pieces_fields_and_table(tmp_path: Path) -> None:
    doc = read_word_binary(write_notice(tmp_path / "通知.doc"))
    assert doc.kind == "doc" and doc.name == "通知.doc"
    texts = [b.text for b in doc.blocks if isinstance(b, TextBlock)]
    assert texts == [
        "关于开展食品安全检查的通知",
        "Café “food” 2024",
        "详见市局网站。",
        "附件：活动安排表",
        "End of text.",
    ]
    [table] = doc.tables()
    assert table.rows == EXPECTED_ROWS
    assert table.merged == [(1, 2, 2, 2), (3, 1, 3, 2)]
    assert isinstance(doc.blocks[4], TableBlock)  # between the annex line and the last paragraph
    assert "脚注内容" not in doc.text()
    assert any("脚注" in n for n in doc.notes)
    assert any("图片" in n for n in doc.notes)


def test_wps_variant(tmp_path: Path) -> None:
    extra = {"WpsCustomData": b"\x01\x00KSO", "KSKS": b"kingsoft"}
    doc = read_word_binary(write_notice(tmp_path / "通知.wps", extra=extra))
    assert doc.kind == "wps"
    assert doc.tables()[0].rows == EXPECTED_ROWS


def test_table_stream_zero(tmp_path: Path) -> None:
    doc = read_word_binary(write_notice(tmp_path / "a.doc", flags=0x0004, table_name="0Table"))
    assert doc.tables()[0].rows == EXPECTED_ROWS


def test_without_paragraph_properties_cells_are_inferred(tmp_path: Path) -> None:
    pieces = [("标题\r甲\x07乙\x07\x07丙\x07丁\x07\x07后文\r", False)]
    doc = read_word_binary(_write(tmp_path / "a.doc", build_word(pieces, papx=False)))
    assert [type(b).__name__ for b in doc.blocks] == ["TextBlock", "TableBlock", "TextBlock"]
    assert doc.tables()[0].rows == [["甲", "乙"], ["丙", "丁"]]
    assert any("推断" in n for n in doc.notes)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------ refusals


def test_encrypted(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="已加密"):
        read_word_binary(write_notice(tmp_path / "a.doc", flags=0x0200 | 0x0004 | 0x0100))
    with pytest.raises(ReadError, match="已加密"):
        read_word_binary(write_notice(tmp_path / "b.doc", extra={"EncryptionInfo": b"\x04\x00\x04\x00"}))


@pytest.mark.parametrize(
    "clx",
    [
        b"\x02" + struct.pack("<I", 1000) + b"\x00" * 16,  # PlcPcd longer than the CLX
        b"\x02" + struct.pack("<I", 17) + b"\x00" * 17,  # a length that is not 4 + 12n
        b"\x07garbage",  # neither Prc nor Pcdt
        b"\x01" + struct.pack("<h", 500) + b"\x00" * 4,  # a Prc running past the end
        b"\x02" + struct.pack("<I", 16) + struct.pack("<IIHIH", 5, 10, 0, 0, 0),  # first CP not 0
        b"\x02" + struct.pack("<I", 16) + struct.pack("<IIHIH", 0, 10, 0, 0x3FFFFF00, 0),  # piece outside
        b"\x02" + struct.pack("<I", 16) + struct.pack("<IIHIH", 0, 2, 0, 1024, 0),  # fewer chars than ccpText
    ],
)
def test_damaged_piece_table(tmp_path: Path, clx: bytes) -> None:
    with pytest.raises(ReadError, match="已损坏"):
        read_word_binary(write_notice(tmp_path / "a.doc", mangle_clx=clx))


def test_absurd_piece_count(tmp_path: Path) -> None:
    n = 300_000
    clx = b"\x02" + struct.pack("<I", 4 + 12 * n) + b"\x00" * 16
    with pytest.raises(ReadError, match="已损坏"):
        read_word_binary(write_notice(tmp_path / "a.doc", mangle_clx=clx))


def test_missing_table_stream(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="已损坏"):
        read_word_binary(write_notice(tmp_path / "a.doc", table_name="0Table"))  # the FIB names 1Table


def test_word95(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"Word 6\.0/95"):
        read_word_binary(write_notice(tmp_path / "a.doc", n_fib=104))


def test_other_formats_renamed(tmp_path: Path) -> None:
    cases = {
        "xls.doc": (write_cfb({"Workbook": b"\x09\x08\x10\x00"}), "Excel"),
        "ppt.doc": (write_cfb({"PowerPoint Document": b"\x00"}), "PowerPoint"),
        "works.wps": (write_cfb({"CONTENTS": b"\x00"}), "Works"),
        "rtf.doc": (b"{\\rtf1\\ansi\\ansicpg936 \\f0 \\'b9\\'d8\\'d3\\'da}", "RTF"),
        "html.doc": (
            b"\xef\xbb\xbf<html xmlns:w='urn:schemas-microsoft-com:office:word'><body>x</body></html>",
            "HTML",
        ),
        "mht.doc": (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n", "MHT"),
        "pdf.doc": (b"%PDF-1.4\n", "PDF"),
        "wps2000.wps": (b"\x82\xffWPS2000\xae for WindowsKingsoft\xa9 1999" + b"\x00" * 200, "WPS 2000"),
        "word2.doc": (b"\xdb\xa5\x2d\x00" + b"\x00" * 200, "Word 2.0"),
        "noise.doc": (b"just some text\n", "不是 Word"),
    }
    for name, (data, message) in cases.items():
        with pytest.raises(ReadError, match=message):
            read_word_binary(_write(tmp_path / name, data))
    with zipfile.ZipFile(tmp_path / "docx.doc", "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ReadError, match=r"\.docx 文件"):
        read_word_binary(tmp_path / "docx.doc")


def test_size_empty_missing(tmp_path: Path) -> None:
    path = write_notice(tmp_path / "a.doc")
    with pytest.raises(ReadError, match="超过导入上限"):
        read_word_binary(path, max_bytes=1000)
    with pytest.raises(ReadError, match="空文件"):
        read_word_binary(_write(tmp_path / "e.doc", b""))
    with pytest.raises(ReadError, match="找不到"):
        read_word_binary(tmp_path / "missing.doc")
    with pytest.raises(ReadError, match="已损坏"):
        read_word_binary(_write(tmp_path / "cut.doc", path.read_bytes()[:3000]))


def test_mutated_files_fail_cleanly(tmp_path: Path) -> None:
    """Random byte damage anywhere gives text or a ReadError, never another exception."""
    original = write_notice(tmp_path / "a.doc").read_bytes()
    rng = random.Random(20240301)
    path = tmp_path / "m.doc"
    for _ in range(300):
        data = bytearray(original)
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(512, len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        with contextlib.suppress(ReadError):
            read_word_binary(path)


# ------------------------------------------------------------------ files LibreOffice wrote


def test_libreoffice_activity_table() -> None:
    doc = read_word_binary(FIXTURES / "activity_lo.doc")
    texts = [b.text for b in doc.blocks if isinstance(b, TextBlock)]
    assert texts[:2] == ["关于开展2024年春季食品安全专项整治行动的通知", "各市场监管所："]
    assert texts[-1] == "联系人：张三，电话：0571-12345678"
    [table] = doc.tables()
    assert table.rows == [
        ["序号", "活动内容", "时间", "责任单位", "备注"],
        ["1", "校园周边食品检查", "3月1日至3月15日", "城关所", "重点"],
        ["2", "农村集体聚餐指导", "3月16日至3月31日", "城关所", ""],
        ["3", "总结上报", "4月5日前", "办公室", "办公室"],
    ]
    assert table.merged == [(1, 3, 2, 3), (3, 3, 3, 4)]
    assert doc.notes == []


def test_libreoffice_nested_field_header() -> None:
    doc = read_word_binary(FIXTURES / "nested_lo.doc")
    texts = [b.text for b in doc.blocks if isinstance(b, TextBlock)]
    assert texts == ["第一段。", "详见网站：市局官网。", "第二页第一段\n软换行之后。", "表后段落"]
    [table] = doc.tables()
    assert table.rows == [["甲", "", ""], ["第一段\n第二段", "乙", "内1 内2\n内3 内4"]]
    assert any("页眉页脚" in n for n in doc.notes)
    assert any("图片" in n for n in doc.notes)


def make_fixtures(out: Path = FIXTURES) -> None:
    """Rebuild the LibreOffice fixtures (needs soffice); run from the project root:

    .venv/bin/python -c 'from tests.test_word_binary import make_fixtures; make_fixtures()'
    """
    import tempfile
    import zlib

    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed to rebuild the fixtures"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        d = Document()
        for line in (
            "关于开展2024年春季食品安全专项整治行动的通知",
            "各市场监管所：",
            "为切实保障群众“舌尖上的安全”，局决定开展专项整治行动。现将有关事项通知如下。",
            "附件：活动安排表",
        ):
            d.add_paragraph(line)
        t = d.add_table(rows=4, cols=5)
        t.style = "Table Grid"
        rows = [
            ["序号", "活动内容", "时间", "责任单位", "备注"],
            ["1", "校园周边食品检查", "3月1日至3月15日", "城关所", "重点"],
            ["2", "农村集体聚餐指导", "3月16日至3月31日", "", ""],
            ["3", "总结上报", "4月5日前", "办公室", ""],
        ]
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value:
                    t.cell(r, c).text = value
        t.cell(1, 3).merge(t.cell(2, 3)).text = "城关所"
        t.cell(3, 3).merge(t.cell(3, 4)).text = "办公室"
        d.add_paragraph("联系人：张三，电话：0571-12345678")
        d.save(str(tmp / "activity_lo.docx"))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        raw = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
        (tmp / "red.png").write_bytes(png)
        d = Document()
        d.sections[0].header.paragraphs[0].text = "市场监督管理局（页眉）"
        d.add_paragraph("第一段。")
        p = d.add_paragraph("详见网站：")
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), 'HYPERLINK "http://example.com/"')
        run, text = OxmlElement("w:r"), OxmlElement("w:t")
        text.text = "市局官网"
        run.append(text)
        fld.append(run)
        p._p.append(fld)
        p.add_run("。")
        d.add_picture(str(tmp / "red.png"), width=Cm(1))
        d.add_page_break()  # type: ignore[no-untyped-call]
        d.add_paragraph("第二页第一段\n软换行之后。")
        t = d.add_table(rows=2, cols=3)
        t.style = "Table Grid"
        t.cell(0, 0).text = "甲"
        cell = t.cell(1, 0)
        cell.text = "第一段"
        cell.add_paragraph("第二段")
        t.cell(1, 1).text = "乙"
        inner = t.cell(1, 2).add_table(rows=2, cols=2)
        for (r, c), value in {(0, 0): "内1", (0, 1): "内2", (1, 0): "内3", (1, 1): "内4"}.items():
            inner.cell(r, c).text = value
        d.add_paragraph("表后段落")
        d.save(str(tmp / "nested_lo.docx"))
        for name in ("activity_lo", "nested_lo"):
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--convert-to",
                    "doc",
                    "--outdir",
                    str(out),
                    str(tmp / f"{name}.docx"),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
