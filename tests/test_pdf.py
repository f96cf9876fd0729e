"""PDF: page size, page count, header on every page, page numbers, embedded fonts, names, summary numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlite_utils import Database

from exports import fonts as fontmod
from exports.pdf import PdfOptions, export_table_pdf
from exports.pdf_summary import export_summary_pdf
from models import store as repo
from models.records import Activity, Plan
from models.tracking import compute_overview
from services import editing


def text_of(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def many(n: int) -> list[Activity]:
    return [
        Activity(
            id=i + 1,
            position=i + 1,
            name=f"第{i + 1}项质量宣传活动",
            content="组织开展质量宣传、咨询、服务活动。" * 3,
            time_text="9月",
            location="全市",
            lead_units=["质监股"],
            coop_units=["各分局"],
        )
        for i in range(n)
    ]


def test_table_is_a4_landscape_with_all_names(tmp_path: Path, seeded_db: Database) -> None:
    rows = repo.list_activities(seeded_db, 1)
    result = export_table_pdf(tmp_path / "t.pdf", repo.get_plan(seeded_db, 1), rows)
    reader = PdfReader(result.path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = "".join(text_of(result.path)).replace("\n", "")
    assert "附件2" in text and "岳阳市市场监管系统“质量月”主要活动安排表" in text
    for a in rows:
        assert a.name.replace("\n", "") in text
    assert result.missing_chars == set()


def test_long_plan_repeats_header_and_numbers_pages(tmp_path: Path) -> None:
    plan = Plan(title="长方案", year=2024)
    result = export_table_pdf(tmp_path / "l.pdf", plan, many(200), PdfOptions(page_numbers="of"))
    pages = text_of(result.path)
    assert result.pages == len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert "活动名称" in page and "活动主要内容" in page
        assert f"第 {number} 页 共 {len(pages)} 页" in page


def test_dash_page_numbers(tmp_path: Path) -> None:
    result = export_table_pdf(tmp_path / "d.pdf", Plan(title="方案"), many(60))
    pages = text_of(result.path)
    assert "— 2 —" in pages[1]


def test_truetype_fonts_are_embedded(tmp_path: Path) -> None:
    if not any(f.key != "dejavu" for f in fontmod.available_fonts()):
        pytest.skip("no TrueType CJK font on this machine")
    result = export_table_pdf(tmp_path / "e.pdf", Plan(title="方案"), many(3))
    reader = PdfReader(result.path)
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            parts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for part in parts:
                if "/FontDescriptor" in part:  # the standard 14 fonts have none and need none
                    embedded.append("/FontFile2" in part["/FontDescriptor"].get_object())
    assert embedded and all(embedded)


def test_empty_plan_gives_header_and_note(tmp_path: Path) -> None:
    result = export_table_pdf(tmp_path / "empty.pdf", Plan(title="空方案"), [])
    text = text_of(result.path)[0]
    assert result.pages == 1 and "序号" in text and "本方案暂无活动" in text


def test_huge_cell_and_row_taller_than_a_page(tmp_path: Path) -> None:
    huge = Activity(position=1, name="超长内容", content="质量月活动内容。" * 625)  # 5,000 characters
    tall = Activity(position=2, name="很多行", content="\n".join(f"第{i}行" for i in range(120)))
    result = export_table_pdf(tmp_path / "huge.pdf", Plan(title="方案"), [huge, tall, *many(3)[2:]])
    text = "".join(text_of(result.path)).replace("\n", "").replace(" ", "")
    assert result.pages >= 3
    assert "第119行" in text and "第3项质量宣传活动" in text


def test_rare_characters_fall_back_or_are_reported(tmp_path: Path) -> None:
    plan = Plan(title="方案")
    rows = [Activity(position=1, name="𠈌姓人员走访😀", content="普通内容")]
    result = export_table_pdf(tmp_path / "rare.pdf", plan, rows)
    covered = set("𠈌😀") - result.missing_chars
    for ch in covered:  # what is not reported was set in a font that has it
        assert any(fontmod.covers(f, ch) for f in fontmod.fallback_fonts())
    assert result.missing_chars <= set("𠈌😀")


def test_font_chain_with_fonts_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fontmod, "font_dirs", lambda extra=None: [tmp_path])
    info = fontmod.resolve_font("simsun", "body")
    assert info.key == fontmod.CID_FALLBACK and not info.embedded
    result = export_table_pdf(tmp_path / "cid.pdf", Plan(title="方案"), many(2))
    assert "第1项质量宣传活动" in "".join(text_of(result.path))


def test_unreadable_font_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "simsun.ttc"
    bad.write_bytes(b"ttcf" + b"\x00" * 8 + b"\x00\x00\x00\x10" + b"\x00\x01\x00\x00" + b"garbage" * 10)
    monkeypatch.setattr(fontmod, "font_dirs", lambda extra=None: [tmp_path])
    fontmod._index.cache_clear()
    info = fontmod.resolve_font("simsun", "body")
    assert info.key == fontmod.CID_FALLBACK
    fontmod._index.cache_clear()


def test_otf_fonts_are_not_offered(tmp_path: Path) -> None:
    otf = tmp_path / "simhei.ttf"
    otf.write_bytes(b"OTTO" + b"\x00" * 100)
    assert not fontmod.is_truetype(otf)


def test_summary_numbers_and_photos(tmp_path: Path, seeded_db: Database) -> None:
    plan = repo.get_plan(seeded_db, 2)
    acts = repo.list_activities(seeded_db, 2)
    for a in acts[:3]:
        editing.set_activity_fields(
            seeded_db,
            a.id or 0,
            {
                "status": "已完成",
                "progress": 100,
                "completed_on": dt.date(2024, 9, 20),
                "completion_notes": "已办结",
            },
        )
    acts = repo.list_activities(seeded_db, 2)
    overview = compute_overview(plan, acts, dt.date(2024, 9, 25))
    photo = tmp_path / "p.png"
    _png(photo)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image")
    result = export_summary_pdf(
        tmp_path / "s.pdf", plan, acts, overview, {acts[0].id or 0: [photo, broken]}, []
    )
    text = "".join(text_of(result.path)).replace("\n", "")
    assert "完成情况总结" in text
    assert "共 12 项活动" in text and "已完成 3 项" in text and "完成率 25.0%" in text
    assert "质监股" in text and "已办结" in text
    assert "broken.jpg" in text
    images = sum(len(page.images) for page in PdfReader(result.path).pages)
    assert images >= 1


def _png(path: Path) -> None:
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\x30\x78\xe7" * 8 for _ in range(6))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
