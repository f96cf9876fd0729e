"""A table flattened with single spaces between its cells (a web page's or a PDF's table copied as text):

    序号 抽查领域 抽查事项 检查对象 发起部门 配合部门
    1 食品抽检 餐饮环节抽检 餐饮单位 市场监管部门 卫生健康部门、
    教育部门

Cells hold no spaces, so a line's words are its cells. The header starts with 序号 and names at least three
fields; header cells that wrap onto the next lines ("抽查比例" / "及频次", "抽查检查" / "起止时间") are
joined back. Each row starts with its number; the lines after it fill the row's cells that are still
missing (a cell that ends in "、" or "或" goes on in the next line). Lines under a row that is already
complete are the rows of a cell merged over several rows (several 抽查事项 of one 抽查领域): they are kept
in the row's content, never read as activities of their own.
"""

from __future__ import annotations

import re

from models.vocabulary import cell_field, match_header

MAX_HEADER_CELL = 16
_NUMBER = re.compile(r"\d{1,4}")
_GLUED_NUMBER = re.compile(r"(\d{1,4})([“《（【〔\"].+)")
#: A cell that goes on in the next line: it ends with a list mark or a joining word.
_OPEN_END = re.compile(r"[、，,；;（(或和及与]$")
#: A header line that only continues the cell above: it starts with a joining word or a bracket.
_CONTINUES = re.compile(r"^[及和与或、（(/]")


def _words(line: str) -> list[str]:
    """A line's cells; a row number glued to a cell that opens with a quote or a bracket (the cleaning drops
    the space before “ and 《) is a cell of its own."""
    words = line.split()
    glued = _GLUED_NUMBER.match(words[0]) if words else None
    if glued:
        words[0:1] = [glued[1], glued[2]]
    return words


def _header(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """The header that starts at `start` (its cells, the index of its first data line), or None."""
    cells = _words(lines[start])
    if (
        len(cells) < 3
        or cell_field(cells[0]) != "position"
        or any(len(c) > MAX_HEADER_CELL for c in cells)
        or sum(1 for c in cells if cell_field(c)) < 3
    ):
        return None
    k = start + 1
    while k < len(lines) and not _NUMBER.fullmatch(_words(lines[k])[0] if lines[k].split() else ""):
        words = _words(lines[k])
        if not words or any(len(w) > MAX_HEADER_CELL for w in words) or len(lines[k]) > 60:
            return None
        for i, word in enumerate(words):
            if i == 0 and _joins(cells[-1], word):
                cells[-1] += word
            else:
                cells.append(word)
        k += 1
    mapping = match_header(list(cells))
    if not {"name", "content"} & set(mapping) or k >= len(lines):
        return None
    return cells, k


def _joins(cell: str, word: str) -> bool:
    """Whether a header line's first word continues the header cell above it (a wrapped cell)."""
    if _CONTINUES.match(word) or len(word) <= 2:
        return True
    field = cell_field(word)
    return cell_field(cell) is None and field is not None and cell_field(cell + word) == field


def spaced_grid(lines: list[str]) -> tuple[list[list[str]], list[str]] | None:
    """The grid of the first space-separated table in the text (the title lines above it, the header, the
    rows) and what the reader should be told about it, or None when there is none."""
    for start in range(len(lines)):
        found = _header(lines, start)
        if found is None:
            continue
        header, k = found
        rows = _rows(lines[k:], len(header), match_header(list(header)))
        if rows is not None:
            grid, notes = rows
            above = [[line] for line in lines[max(0, start - 2) : start] if len(line) <= 60]  # the title
            return [*above, header, *grid], notes
    return None


def _rows(lines: list[str], width: int, mapping: dict[str, int]) -> tuple[list[list[str]], list[str]] | None:
    rows: list[list[str]] = []
    extra: list[list[str]] = []  # per row: lines of a merged cell's further rows
    last = 0
    for line in lines:
        words = _words(line)
        if not words:
            continue
        number = int(words[0]) if _NUMBER.fullmatch(words[0]) else None
        if number is not None and last < number <= last + 2 and len(words) >= 2:
            rows.append(words)
            extra.append([])
            last = number
            continue
        if not rows:
            return None
        row = rows[-1]
        if len(row) >= width:
            extra[-1].append(line)
            continue
        for i, word in enumerate(words):
            if i == 0 and _OPEN_END.search(row[-1]):
                row[-1] += word
            else:
                row.append(word)
    if not rows:
        return None
    notes: list[str] = []
    content = mapping.get("content", mapping.get("name", 1))
    grid: list[list[str]] = []
    for row, more in zip(rows, extra, strict=True):
        if len(row) > width:  # a cell that holds a space: the surplus joins the content
            surplus = len(row) - width
            row = [
                *row[:content],
                " ".join(row[content : content + surplus + 1]),
                *row[content + surplus + 1 :],
            ]
        row = row + [""] * (width - len(row))
        if more:
            row[content] = "\n".join([row[content], *more]) if row[content] else "\n".join(more)
            notes.append(f"第 {row[0]} 项下另有 {len(more)} 行未编号，已并入该项的内容，请核对。")
        grid.append(row)
    return grid, notes
