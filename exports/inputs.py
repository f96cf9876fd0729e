"""Checks every file the program reads in must pass before it is parsed: present, not empty, not too large,
what it really is (whatever its extension says), and — for zip-based formats — what it would inflate to."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from models.errors import ReadError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_TOTAL = 300 * 1024 * 1024  # everything a workbook or document would inflate to
MAX_ZIP_RATIO = 200  # a member inflating to more than this many times its stored size is a bomb
#: What the zipfile module raises on a damaged archive (a mangled version field is NotImplementedError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    ValueError,
    NotImplementedError,
    EOFError,
    RuntimeError,
)

#: What `sniff` may answer, with the words used in messages.
KIND_NAMES = {
    "docx": "Word 文档（.docx）",
    "xlsx": "Excel 工作簿（.xlsx）",
    "ofd": "OFD 版式文档",
    "zip": "压缩包",
    "doc": "旧版 Word 文档（.doc/.wps）",
    "xls": "旧版 Excel 工作簿（.xls/.et）",
    "encrypted": "加密的 Office 文件",
    "ole": "Office 二进制文件",
    "pdf": "PDF 文件",
    "image": "图片",
    "rtf": "RTF 文档",
    "html": "网页文件",
    "text": "文本文件",
    "sqlite": "数据库文件",
    "unknown": "无法识别的文件",
}


def input_problem(path: Path, max_bytes: int) -> str | None:
    """Return a Chinese message if the file is missing, empty or too large; None if it may be read."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if not _folder_exists(path.parent):
            return f"文件夹“{path.parent}”不存在，找不到文件“{path.name}”。"
        return f"找不到文件“{path}”。"
    except PermissionError:
        return f"没有权限读取“{path}”：当前用户不能打开这个文件或它所在的文件夹。"
    except OSError as exc:
        return f"无法读取“{path}”：{exc.strerror or exc}。"
    if stat.S_ISDIR(info.st_mode):
        return f"“{path}”是一个文件夹，不是文件。"
    if not stat.S_ISREG(info.st_mode):
        return f"找不到文件“{path}”。"
    if not os.access(path, os.R_OK):
        return f"没有权限读取“{path}”：当前用户不能打开这个文件。"
    size = info.st_size
    if size == 0:
        return f"“{path.name}”是空文件。"
    if size > max_bytes:
        return f"“{path.name}”有 {size / 1024 / 1024:.0f} MB，超过导入上限 {max_bytes // 1024 // 1024} MB。"
    return None


def _folder_exists(folder: Path) -> bool:
    try:
        return folder.is_dir()
    except OSError:  # exists, but may not be looked into
        return True


def check_input(path: Path, max_bytes: int) -> None:
    """Raise ReadError unless the file may be read (see input_problem)."""
    problem = input_problem(path, max_bytes)
    if problem:
        raise ReadError(problem)


def sniff(path: Path) -> str:
    """Tell what a file really is from its content (a renamed file is still recognised)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist()[:MAX_ZIP_MEMBERS])
        except ZIP_ERRORS:
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
            return "ofd"
        return "zip"
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path)
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")):
        return "image"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    lowered = head.lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered[:512]:
        return "html"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "unknown"
    return "text"


def _ole_kind(path: Path) -> str:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir()}
    except Exception:  # noqa: BLE001 - olefile raises many kinds on damaged files: it is simply not readable
        return "ole"
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        return "encrypted"  # a password-protected .docx/.xlsx (Office and WPS wrap them this way)
    if "worddocument" in streams:
        return "doc"
    if "workbook" in streams or "book" in streams:
        return "xls"
    return "ole"


def check_zip(path: Path, *, max_total: int = MAX_ZIP_TOTAL, max_members: int = MAX_ZIP_MEMBERS) -> None:
    """Refuse a zip-based file (.docx, .xlsx) that would inflate beyond the limits, before it is opened."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except ZIP_ERRORS as exc:
        raise ReadError(f"“{path.name}”已损坏（压缩包无法打开），无法读取。") from exc
    if len(members) > max_members:
        raise ReadError(
            f"“{path.name}”包含 {len(members)} 个部件，超过上限 {max_members} 个，不像一份正常的文件。"
        )
    total = sum(m.file_size for m in members)
    if total > max_total:
        raise ReadError(
            f"“{path.name}”解压后有 {total / 1024**2:.0f} MB，超过上限 {max_total // 1024**2} MB"
            "（可能是恶意构造的文件），未读取。"
        )
    for m in members:
        if m.file_size > 10 * 1024 * 1024 and m.file_size > MAX_ZIP_RATIO * max(1, m.compress_size):
            raise ReadError(f"“{path.name}”中的“{m.filename}”压缩比异常（可能是恶意构造的文件），未读取。")
