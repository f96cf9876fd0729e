"""The OFD reader on generated packages: reading order, ruled tables across pages, scans, hostile files."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from exports import ofd
from exports.ofd import ScannedDocument, ofd_page_images, read_ofd
from models.document import TableBlock, TextBlock
from models.errors import ReadError
from tests.ofd_writer import Image, Line, Page, Text, paragraph, ruled_table, write_ofd

LEFT, WIDTH = 28.0, 155.0  # the GB/T 9704 text column of an official document, mm
WIDTHS = [12.0, 50.0, 40.0, 28.0, 25.0]
HEADER = {(0, 0): "序号", (0, 1): "活动内容", (0, 2): "时间", (0, 3): "责任单位", (0, 4): "备注"}
BODY = "为切实保障群众饮食安全，经研究，决定在全县范围内开展春季食品安全专项整治行动，现将有关事项通知如下，请认真贯彻落实。"


def notice_pages() -> list[Page]:
    """Two pages of a notice with an annex table whose merged cell is split by the page break."""
    p1: list[Text | Line | Image] = [Text(72.0, 40.0, "关于开展食品安全专项整治的通知", 7.0)]
    p1.append(Text(LEFT, 60.0, "各市场监管所：", 4.2))
    p1 += paragraph(LEFT, 68.0, WIDTH, BODY)  # three wrapped lines, first indented
    p1.append(Text(LEFT, 100.0, "附件：活动安排表", 4.2))
    cells = dict(HEADER)
    cells |= {
        (1, 0): "1",
        (1, 1): "校园周边食品检查",
        (1, 2): "3月1日至15日",
        (1, 3): "城关所",
        (1, 4): "重点",
    }
    cells |= {(2, 0): "2", (2, 1): "农村集体聚餐指导", (2, 2): "3月16日至31日"}
    p1 += ruled_table(LEFT, 250.0, WIDTHS, [8.0, 8.0, 8.0], cells, merges=[(1, 3, 2, 3)])
    p1.append(Text(100.0, 285.0, "— 1 —", 4.2))  # the page number, dropped
    # Page 2 repeats the header row; the merged 责任单位 cell continues empty in its first row.
    cells2 = dict(HEADER)
    cells2 |= {(1, 0): "3", (1, 1): "餐饮单位督查", (1, 2): "4月1日至10日"}
    cells2 |= {(2, 0): "4", (2, 1): "总结上报", (2, 2): "4月15日前", (2, 3): "办公室"}
    p2: list[Text | Line | Image] = list(ruled_table(LEFT, 25.0, WIDTHS, [8.0, 8.0, 8.0], cells2))
    p2 += paragraph(LEFT, 65.0, WIDTH, "请各所于4月20日前报送总结。")
    # DeltaX in the "g" repetition syntax with one explicit gap, and a CTM-scaled run.
    p2.append(Text(LEFT, 80.0, "联系人张三电话", 4.2, delta_x="g 2 4.2 10.5 g 3 4.2"))
    p2.append(Text(60.0, 95.0, "特此通知", 3.0, ctm="2 0 0 2 0 0"))
    p2.append(Text(100.0, 285.0, "— 2 —", 4.2))
    return [Page(p1), Page(p2)]


def test_reads_paragraphs_in_order_and_joins_the_split_table(tmp_path: Path) -> None:
    doc = read_ofd(write_ofd(tmp_path / "通知.ofd", notice_pages()))
    texts = [b.text for b in doc.blocks if isinstance(b, TextBlock)]
    assert texts[:4] == ["关于开展食品安全专项整治的通知", "各市场监管所：", BODY, "附件：活动安排表"]
    assert "请各所于4月20日前报送总结。" in texts
    assert "联系人 张三电话" in texts  # the wide DeltaX gap is a space
    assert "特此通知" in texts
    assert not any("—" in t for t in texts)
    assert doc.kind == "ofd" and doc.name == "通知.ofd"
    [table] = doc.tables()
    assert table.page == 1
    assert table.rows[0] == ["序号", "活动内容", "时间", "责任单位", "备注"]
    assert len(table.rows) == 5  # the repeated header row is dropped
    assert [r[3] for r in table.rows[1:]] == ["城关所", "城关所", "城关所", "办公室"]
    assert (1, 3, 3, 3) in table.merged
    assert table.rows[3][:3] == ["3", "餐饮单位督查", "4月1日至10日"]
    # Blocks keep reading order: the table sits between the annex line and the page-2 paragraph.
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds.index("TableBlock") == 4


def test_text_block_pages(tmp_path: Path) -> None:
    doc = read_ofd(write_ofd(tmp_path / "a.ofd", notice_pages()))
    pages = {b.text: b.page for b in doc.blocks if isinstance(b, TextBlock)}
    assert pages["各市场监管所："] == 1
    assert pages["特此通知"] == 2


def test_paragraph_continues_across_the_page_break(tmp_path: Path) -> None:
    long = BODY * 2
    lines = paragraph(LEFT, 200.0, WIDTH, long)
    first, rest = lines[:-2], lines[-2:]
    for i, t in enumerate(rest):
        t.y = 30.0 + i * 7.56
    pages = [Page(list(first)), Page([*rest, Text(LEFT + 8.4, 60.0, "下一段。")])]
    doc = read_ofd(write_ofd(tmp_path / "p.ofd", pages))
    assert [b.text for b in doc.blocks if isinstance(b, TextBlock)] == [long, "下一段。"]
    assert len(doc.blocks) == 2


def test_namespace_variants(tmp_path: Path) -> None:
    expected = read_ofd(write_ofd(tmp_path / "std.ofd", notice_pages())).text()
    for name, kwargs in {
        "none.ofd": {"namespace": False, "prefix": ""},
        "undeclared.ofd": {"namespace": False, "prefix": "ofd"},
        "other-prefix.ofd": {"prefix": "o"},
        "default-ns.ofd": {"prefix": ""},
    }.items():
        assert read_ofd(write_ofd(tmp_path / name, notice_pages(), **kwargs)).text() == expected, name  # type: ignore[arg-type]


def test_template_content_is_read(tmp_path: Path) -> None:
    tpl: list[Text | Line | Image] = [Text(LEFT, 20.0, "某某县市场监督管理局文件", 6.0)]
    path = write_ofd(
        tmp_path / "t.ofd", [Page([Text(LEFT, 60.0, "正文。")], use_template=True)], template=tpl
    )
    blocks = read_ofd(path).blocks
    assert [b.text for b in blocks if isinstance(b, TextBlock)] == ["某某县市场监督管理局文件", "正文。"]


def test_signature_and_image_only_page_are_noted(tmp_path: Path) -> None:
    pages = [*notice_pages(), Page([Image(0, 0, 210, 297, b"\xff\xd8\xff\xe0scan-page-3")])]
    path = write_ofd(tmp_path / "s.ofd", pages, signature=True)
    doc = read_ofd(path)
    assert any("电子签章" in n for n in doc.notes)
    assert any("第 3 页只有图片" in n for n in doc.notes)
    assert ofd_page_images(path) == [(2, b"\xff\xd8\xff\xe0scan-page-3")]


def test_all_image_pages_are_a_scan(tmp_path: Path) -> None:
    big, small = b"\xff\xd8big-scan", b"\x89PNGlogo"
    pages = [
        Page([Image(0, 0, 210, 297, big), Image(10, 10, 20, 20, small)]),
        Page([Image(0, 0, 210, 297, big)]),
    ]
    path = write_ofd(tmp_path / "scan.ofd", pages)
    with pytest.raises(ScannedDocument, match="扫描版 OFD"):
        read_ofd(path)
    assert isinstance(ScannedDocument("x"), ReadError)
    assert ofd_page_images(path) == [(0, big), (1, big)]
    assert ofd_page_images(path, scans_only=True) == [(0, big), (1, big)]


def test_table_without_outer_border_and_cell_wrapping(tmp_path: Path) -> None:
    objs: list[Text | Line | Image] = [Line(30, 50, 130, 50), Line(30, 60, 130, 60), Line(30, 80, 130, 80)]
    objs += [Line(80, 50, 80, 80)]  # only the middle rule: open left and right sides
    objs += [Text(31, 55, "项目"), Text(81, 55, "内容")]
    objs += [Text(31, 66, "检查范围"), Text(81, 66, "学校食堂及"), Text(81, 72, "周边商店")]
    doc = read_ofd(write_ofd(tmp_path / "open.ofd", [Page(objs)]))
    [table] = doc.tables()
    assert table.rows == [["项目", "内容"], ["检查范围", "学校食堂及周边商店"]]


def test_horizontal_merge_within_a_page(tmp_path: Path) -> None:
    cells = {(0, 0): "合计", (0, 2): "3", (1, 0): "a", (1, 1): "b", (1, 2): "c"}
    objs = ruled_table(30, 40, [20, 20, 20], [8, 8], cells, merges=[(0, 0, 0, 1)])
    [table] = read_ofd(write_ofd(tmp_path / "h.ofd", [Page(list(objs))])).tables()
    assert table.rows == [["合计", "合计", "3"], ["a", "b", "c"]]
    assert table.merged == [(0, 0, 0, 1)]


# ------------------------------------------------------------------ refusals and hostile files


def test_not_an_ofd(tmp_path: Path) -> None:
    (tmp_path / "a.ofd").write_bytes(b"%PDF-1.7\n")
    with pytest.raises(ReadError, match="PDF"):
        read_ofd(tmp_path / "a.ofd")
    with zipfile.ZipFile(tmp_path / "b.ofd", "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    with pytest.raises(ReadError, match=r"\.docx"):
        read_ofd(tmp_path / "b.ofd")
    (tmp_path / "c.ofd").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ReadError, match="已损坏"):
        read_ofd(tmp_path / "c.ofd")
    (tmp_path / "d.ofd").write_bytes(b"")
    with pytest.raises(ReadError, match="空文件"):
        read_ofd(tmp_path / "d.ofd")
    with pytest.raises(ReadError, match="找不到"):
        read_ofd(tmp_path / "missing.ofd")


def test_too_large_file(tmp_path: Path) -> None:
    path = write_ofd(tmp_path / "a.ofd", notice_pages())
    with pytest.raises(ReadError, match="超过导入上限"):
        read_ofd(path, max_bytes=100)


def test_missing_document_xml(tmp_path: Path) -> None:
    path = write_ofd(tmp_path / "a.ofd", notice_pages(), omit=("Doc_0/Document.xml",))
    with pytest.raises(ReadError, match=r"缺少 Document\.xml"):
        read_ofd(path)


def test_missing_page_is_noted(tmp_path: Path) -> None:
    path = write_ofd(tmp_path / "a.ofd", notice_pages(), omit=("Doc_0/Pages/Page_1/Content.xml",))
    doc = read_ofd(path)
    assert any("第 2 页已损坏或缺失" in n for n in doc.notes)
    assert doc.blocks[0].text == "关于开展食品安全专项整治的通知"  # type: ignore[union-attr]


def test_too_many_pages(tmp_path: Path) -> None:
    path = write_ofd(tmp_path / "a.ofd", notice_pages(), declared_pages=10_000)
    with pytest.raises(ReadError, match="10000 页"):
        read_ofd(path)


def test_entity_bomb_is_refused(tmp_path: Path) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE OFD [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<OFD><DocBody><DocRoot>&c;</DocRoot></DocBody></OFD>"
    )
    path = write_ofd(tmp_path / "a.ofd", notice_pages(), replace={"OFD.xml": bomb})
    with pytest.raises(ReadError, match="不安全"):
        read_ofd(path)
    external = b'<?xml version="1.0"?><!DOCTYPE OFD SYSTEM "file:///etc/passwd"><OFD/>'
    path = write_ofd(tmp_path / "b.ofd", notice_pages(), replace={"OFD.xml": external})
    with pytest.raises(ReadError, match="不安全"):
        read_ofd(path)


def test_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    big = b"<Page>" + b" " * (40 * 1024 * 1024) + b"</Page>"
    path = write_ofd(tmp_path / "a.ofd", notice_pages(), replace={"Doc_0/Pages/Page_0/Content.xml": big})
    assert path.stat().st_size < 1024 * 1024  # 40 MB of XML in well under 1 MB
    with pytest.raises(ReadError, match="解压后过大"):
        read_ofd(path)


def test_lying_member_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member whose header declares a small size cannot inflate past it."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        src = write_ofd(tmp_path / "src.ofd", notice_pages())
        with zipfile.ZipFile(src) as original:
            for info in original.infolist():
                if info.filename != "Doc_0/Pages/Page_1/Content.xml":
                    zf.writestr(info.filename, original.read(info.filename))
        zf.writestr("Doc_0/Pages/Page_1/Content.xml", b"<Page>" + b" " * (8 * 1024 * 1024) + b"</Page>")
    data = bytearray(buf.getvalue())
    # Patch the declared uncompressed size (local header and central directory) to 100 bytes.
    name = b"Doc_0/Pages/Page_1/Content.xml"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.rfind(sig + b"", 0, len(data))
        while at != -1:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, at + size_at, 100)
            at = data.rfind(sig, 0, at)
    path = tmp_path / "lying.ofd"
    path.write_bytes(bytes(data))
    monkeypatch.setattr(ofd, "MAX_XML_BYTES", 1024 * 1024)
    doc = read_ofd(path)
    assert any("第 2 页已损坏" in n for n in doc.notes)


def test_total_uncompressed_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ofd, "MAX_TOTAL_BYTES", 3000)
    with pytest.raises(ReadError, match="解压后过大"):
        read_ofd(write_ofd(tmp_path / "a.ofd", notice_pages()))


def test_encrypted_member(tmp_path: Path) -> None:
    path = write_ofd(tmp_path / "a.ofd", notice_pages())
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:  # set the "encrypted" flag bit on every member
        data[at + 8] |= 1
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(ReadError, match="已加密"):
        read_ofd(path)


def test_garbage_pages_never_crash(tmp_path: Path) -> None:
    """Malformed numbers, paths and nesting are damage to report, never exceptions of other kinds."""
    bad = (
        b'<Page><Content><Layer><TextObject Boundary="a b c d" Size="x"><TextCode X="nan" DeltaX="g 99999999999 1">'
        b'abc</TextCode></TextObject><TextObject Boundary="1 1 1 1" Size="3"><TextCode X="0" Y="3" '
        b'DeltaX="g g 1 q">xyz</TextCode></TextObject><PathObject Boundary="0 0 10 10"><AbbreviatedData>'
        b"M 0 0 L 1e400 2 Q 1 B C L</AbbreviatedData></PathObject>"
        + b"<PageBlock>" * 40
        + b"</PageBlock>" * 40
        + b"</Layer></Content></Page>"
    )
    path = write_ofd(tmp_path / "a.ofd", notice_pages(), replace={"Doc_0/Pages/Page_1/Content.xml": bad})
    doc = read_ofd(path)
    assert any("第 2 页" in n for n in doc.notes)
    assert isinstance(doc.blocks[-1], TableBlock)
