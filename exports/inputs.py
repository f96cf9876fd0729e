"""Checks every file the program reads in (workbooks, plan texts) must pass before it is parsed."""

from __future__ import annotations

from pathlib import Path


def input_problem(path: Path, max_bytes: int) -> str | None:
    """Return a Chinese message if the file is missing, empty or too large; None if it may be read."""
    if not path.is_file():
        return f"找不到文件“{path}”。"
    size = path.stat().st_size
    if size == 0:
        return f"“{path.name}”是空文件。"
    if size > max_bytes:
        return f"“{path.name}”有 {size / 1024 / 1024:.0f} MB，超过导入上限 {max_bytes // 1024 // 1024} MB。"
    return None
