"""Reading plan files: encodings, Word paragraphs and tables in order, PDFs with and without text."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.plan_sources import SourceError, read_plan_source
from models import store as repo
from services.importing import ImportFailed, import_path

SAMPLE = (Path(__file__).parent / "plan_texts" / "sample-gongqingcheng.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_files_in_common_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(SAMPLE.encode(encoding))
    assert read_plan_source(path) == SAMPLE


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("某县2025年“质量月”活动方案")
    doc.add_paragraph("附件2")
    table = doc.add_table(rows=3, cols=4)
    for r, row in enumerate(
        [
            ("序号", "活动名称", "活动时间", "牵头部门"),
            ("1", "质量宣传", "9月", "质量股"),
            ("2", "计量检查", "9月上旬", "计量股"),
        ]
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.add_paragraph("表后的一段文字")
    path = tmp_path / "plan.docx"
    doc.save(str(path))
    text = read_plan_source(path)
    lines = text.split("\n")
    assert lines[0] == "某县2025年“质量月”活动方案"
    assert "1\t质量宣传\t9月\t质量股" in lines
    assert lines.index("1\t质量宣传\t9月\t质量股") < lines.index("表后的一段文字")


def test_docx_import_end_to_end(tmp_path: Path, fresh_db: object) -> None:
    from docx import Document

    doc = Document()
    for line in SAMPLE.split("\n"):
        doc.add_paragraph(line)
    path = tmp_path / "共青城.docx"
    doc.save(str(path))
    outcome = import_path(fresh_db, path)  # type: ignore[arg-type]
    rows = repo.list_activities(fresh_db, outcome.plan_id)  # type: ignore[arg-type]
    assert len(rows) == 12 and rows[2].time_text == "5-12月"


def _pdf(path: Path, text: str | None) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    if text is None:
        canvas.rect(100, 100, 200, 200, fill=1)  # a picture only, like a scan
    else:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        canvas.setFont("STSong-Light", 12)
        for i, line in enumerate(text.split("\n")[:40]):
            canvas.drawString(40, 800 - 18 * i, line)
    canvas.save()
    return path


def test_pdf_with_text_layer(tmp_path: Path) -> None:
    text = read_plan_source(
        _pdf(tmp_path / "p.pdf", "（一）开展质量宣传活动。\n活动时间：9月\n牵头部门：质量股")
    )
    assert "开展质量宣传活动" in text and "质量股" in text


def test_image_only_pdf_gets_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exports import scan
    from models.errors import MissingFeature

    scan_pdf = _pdf(tmp_path / "scan.pdf", None)
    monkeypatch.setattr(scan, "ocr_missing", lambda: '文字识别组件未安装（pip install -e ".[ocr]"）。')
    with pytest.raises(MissingFeature, match=r"没有文字层.*文字识别组件未安装"):
        read_plan_source(scan_pdf)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.docx", b"not a zip", "不是有效的 Word"),
        ("x.pdf", b"%PDF-1.4 broken", "不是有效的 PDF|没有文字层"),
        ("x.doc", b"\xd0\xcf\x11\xe0", "不是有效的旧版 Word"),
        ("x.rtf", b"{\\rtf1}", "RTF 文档，请在 Word 或 WPS 中另存为 .docx"),
        ("x.txt", b"", "空文件"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        read_plan_source(path)


def test_missing_and_too_large(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="找不到"):
        read_plan_source(tmp_path / "none.txt")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(SourceError, match="超过导入上限"):
        read_plan_source(big, max_bytes=1024)


def test_text_import_of_unrelated_text_writes_nothing(tmp_path: Path, fresh_db: object) -> None:
    path = tmp_path / "note.txt"
    path.write_text("明天下午开会，请准时参加。", encoding="utf-8")
    with pytest.raises(ImportFailed, match="没有找到任何活动"):
        import_path(fresh_db, path)  # type: ignore[arg-type]
    assert repo.list_plans(fresh_db) == []  # type: ignore[arg-type]
