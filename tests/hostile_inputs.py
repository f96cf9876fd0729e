"""A reproducible corpus of broken, hostile and odd files to import: each made at test time, small on
disk (the big ones inflate only if a reader lets them).

`python tests/hostile_inputs.py DIR` writes them all to DIR (to try by hand: `python main.py import F`).
Each case says whether the import must be refused (with words its message must hold) or must succeed.
"""

from __future__ import annotations

import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.cfb_writer import write_cfb


@dataclass(frozen=True)
class Case:
    name: str  # the file name (its extension is what the clerk would see)
    make: Callable[[Path], None]
    refused: bool
    words: str  # a regular expression the message must match


def _workbook(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)


def _patched(path: Path, rows: list[list[object]], member: str, edit: Callable[[bytes], bytes]) -> None:
    plain = path.with_suffix(".plain" + path.suffix)
    _workbook(plain, rows)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, edit(data) if item.filename == member else data)
    plain.unlink()


TABLE = [["序号", "活动名称", "牵头部门"], [1, "质量宣传", "质量股"]]
SHEET = "xl/worksheets/sheet1.xml"


def merge_bomb(path: Path) -> None:
    _patched(
        path,
        TABLE,
        SHEET,
        lambda d: d.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        ),
    )


def far_column(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in TABLE:
        ws.append(row)
    ws.cell(row=2, column=16384, value="XFD")
    wb.save(path)


def blank_inflation(path: Path) -> None:
    _patched(
        path,
        TABLE,
        SHEET,
        lambda d: d.replace(b"</sheetData>", b"<row>" + b"<c/>" * 4_000_000 + b"</row></sheetData>"),
    )


def many_sheets(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for i in range(300):
        ws = wb.create_sheet(f"表{i}")
        for j in range(50):
            ws.append([j, f"活动{j}"])
    wb.save(path)


def many_rows(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["序号", "活动名称"])
    for i in range(25_000):
        ws.append([i + 1, "活动"])
    wb.save(path)


def circled_numbers(path: Path) -> None:
    _workbook(path, [["序号", "活动名称", "进度"], ["①", "宣传", "50%"], ["②", "检查", 1e999]])


def password_workbook(path: Path) -> None:
    path.write_bytes(
        write_cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 60, "EncryptedPackage": b"\x00" * 64})
    )


def truncated_workbook(path: Path) -> None:
    _workbook(path, TABLE)
    path.write_bytes(path.read_bytes()[:700])


def docx_bomb(path: Path) -> None:
    body = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(
            "word/document.xml", "w", force_zip64=True
        ) as member:  # written in chunks: little memory
            member.write(body)
            chunk = b" " * (1 << 20)
            for _ in range(400):
                member.write(chunk)
            member.write(b"</w:body></w:document>")


def _write_pdf(path: Path, objects: list[bytes]) -> None:
    """A minimal PDF of numbered objects (1 is the catalogue) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def pdf_flate_bomb(path: Path) -> None:
    packer = zlib.compressobj(9)
    parts = [packer.compress(b"BT /F1 12 Tf (x) Tj ET\n")]
    chunk = b" " * (1 << 20)
    parts += [packer.compress(chunk) for _ in range(300)]
    stream = b"".join(parts) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + stream
        + b"\nendstream",
    ]
    _write_pdf(path, objects)


def pdf_many_pages(path: Path) -> None:
    count = 100_000
    kids = b" ".join(b"3 0 R" for _ in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(count).encode() + b" >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    _write_pdf(path, objects)


def huge_text(path: Path) -> None:
    path.write_text("（一）开展质量宣传活动。\n" * 250_000, encoding="utf-8")


def binary_text(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 100)


def html_page(path: Path) -> None:
    path.write_text("<!DOCTYPE html><html><body>（一）开展宣传</body></html>", encoding="utf-8")


def sqlite_file(path: Path) -> None:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("create table t(x)")
    con.commit()
    con.close()


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


def renamed_text_workbook(path: Path) -> None:
    path.write_text("序号\t活动名称\n1\t宣传\n", encoding="utf-8")


def glued_headers(path: Path) -> None:
    path.write_text(
        "序号|活动内容|活动时间|牵头部门|协助部门\n1|开展质量宣传|9月|质量股|各所\n2|开展计量检查|10月|计量股|\n",
        encoding="utf-8",
    )


CASES: tuple[Case, ...] = (
    Case("合并炸弹.xlsx", merge_bomb, True, "表头"),  # every cell shows A1 (序号): the table is gone
    Case("XFD列.xlsx", far_column, False, ""),
    Case("空白膨胀.xlsx", blank_inflation, True, "压缩比异常|超过"),
    Case("三百表.xlsx", many_sheets, True, "300 个工作表"),
    Case("两万五千行.xlsx", many_rows, True, "超过导入上限"),
    Case("圈号与1E999.xlsx", circled_numbers, False, ""),
    Case("加密.xlsx", password_workbook, True, "密码"),
    Case("截断.xlsx", truncated_workbook, True, "损坏"),
    Case("膨胀.docx", docx_bomb, True, "压缩比异常|超过"),
    Case("膨胀.pdf", pdf_flate_bomb, True, "没有|无法|超过|损坏|文字"),
    Case("十万页.pdf", pdf_many_pages, True, "页"),
    Case("超长.txt", huge_text, True, "万字"),
    Case("二进制.txt", binary_text, True, "不是|无法|编码|识别"),
    Case("网页.txt", html_page, True, "网页"),
    Case("数据库.xlsx", sqlite_file, True, "数据库|不是"),
    Case("空文件.xlsx", empty_file, True, "空文件"),
    Case("文本冒充.xlsx", renamed_text_workbook, True, "不是 Excel"),
    Case("竖线表.txt", glued_headers, False, ""),
)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    target.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        case.make(target / case.name)
        print(target / case.name)
