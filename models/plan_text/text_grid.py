"""A table flattened into text, read as a grid of cells by the shared table reader (models.table_reader), so
that text tables and real tables follow the same rules. Four flattenings are understood:

- one row per line, cells separated by "|", tabs or wide gaps ("序号 | 活动内容 | 活动时间 | …");
- one cell per line with lone "|" lines between cells and "| |" between rows (a web page's table copied);
- one cell per line with nothing between them (models.plan_text.stacked);
- one row per line with single spaces between the cells (models.plan_text.spaced).
"""

from __future__ import annotations

import re
from collections import Counter

from models.plan_text.placing import column_profiles, fit
from models.plan_text.proposal import ProposedActivity
from models.plan_text.spaced import spaced_grid
from models.plan_text.stacked import SECTION, unstack_plain
from models.table_reader import TableRead, find_header, read_table

_SEPARATOR = re.compile(r"\s*[|｜\t]\s*")


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith(("|", "｜")):
        line = line[1:]
    if line.endswith(("|", "｜")):
        line = line[:-1]
    return [c.strip() for c in _SEPARATOR.split(line)]


def _unstack_bars(lines: list[str]) -> list[str]:
    """Cells one per line with "|" lines between them (two between rows) become one row per line."""
    if sum(1 for line in lines if line.strip() in ("|", "｜")) < 4:
        return lines
    out: list[str] = []
    row: list[str] | None = None
    bars = 0

    def flush() -> None:
        if row:
            out.append(" | ".join(row) if len(row) >= 2 else row[0])

    for line in lines:
        text = line.strip()
        if text in ("|", "｜"):
            if row is None:  # the table starts: at the line before the bar, unless that is a heading
                keep = out and len(out[-1]) <= 20 and not SECTION.match(out[-1])
                row = [out.pop()] if keep else []
            bars += 1
            continue
        if row is not None and bars >= 2:
            flush()
            row = [text]
        elif row is not None and bars == 1:
            row.append(text)
        else:
            flush()
            row = None
            out.append(text)
        bars = 0
    flush()
    return out


#: The numbering of one level of a table's cells ("一、", "（一）", "1.", "（1）"): a cell numbered as a
#: column's cells are belongs to that column.
_MARKERS = (
    re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^[（(][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d{1,2}[、.．](?!\d)"),
    re.compile(r"^[（(]\d{1,2}[)）]"),
)
#: How much better a row must fit its columns moved right than where it stands.
_SHIFT_MARGIN = 0.5


def _marker(text: str) -> int | None:
    return next((i for i, m in enumerate(_MARKERS) if m.match(text.strip())), None)


def place_short_rows(grid: list[list[str]]) -> list[list[str]]:
    """Rows that end in empty cells (vertically merged cells are missing at the left, and the row ends in
    filler, "||", or stops short) moved right as far as their cells fit the columns better: by what the
    cells look like (dates, units, text) and by their numbering ("2." under the column numbered "1.")."""
    found = find_header(grid)
    if found is None:
        return grid
    h, _, header = found
    width = len(header)
    body = grid[h + 1 :]
    full = [r for r in body if all(c.strip() for c in r)]
    if not full:
        return grid
    profiles = column_profiles(header, full)
    styles = [Counter(m for r in full if (m := _marker(r[c])) is not None) for c in range(width)]

    def score(text: str, c: int) -> float:
        value = fit(text, profiles[c])
        mark = _marker(text)
        if mark is not None and styles[c]:
            value += 0.5 if styles[c].most_common(1)[0][0] == mark else -0.5
        return value

    out = grid[: h + 1]
    for row in body:
        filled = len(row)
        while filled and not row[filled - 1].strip():
            filled -= 1
        cells = row[:filled]
        if not cells or filled == width:
            out.append(row)
            continue
        best, shift = sum(score(t, c) for c, t in enumerate(cells)), 0
        for s in range(1, width - filled + 1):
            value = sum(score(t, c + s) for c, t in enumerate(cells))
            if value >= best + _SHIFT_MARGIN:
                best, shift = value, s
        out.append([""] * shift + cells + [""] * (width - filled - shift))
    return out


def _cut_last_row(run: list[list[str]], closed: list[bool]) -> list[str]:
    """A table whose rows end with a bar but whose last row stops without one was cut off there (a page of a
    repost): that row's last cell is kept up to its last whole clause, and the clerk is told."""
    if len(run) < 3 or closed[-1] or sum(closed[:-1]) < len(closed[:-1]) / 2:
        return []
    row = run[-1]
    last = max((i for i, c in enumerate(row) if c.strip()), default=None)
    if last is None:
        return []
    cut = max(row[last].rfind(stop) for stop in "，。；;,")
    if cut > 0:
        row[last] = row[last][:cut]
    return [f"表格的最后一行（“{row[last][:12]}…”）在文字中途截断，只读到其前面完整的部分，请核对原文。"]


def text_grid(lines: list[str]) -> tuple[TableRead, list[list[str]]] | None:
    """The best table found in the text; None when there is none."""
    best: tuple[TableRead, list[list[str]]] | None = None

    def consider(grid: list[list[str]], notes: list[str] | None = None) -> None:
        nonlocal best
        if len(grid) < 2:
            return
        width = max(len(r) for r in grid)
        grid = place_short_rows([r + [""] * (width - len(r)) for r in grid])
        read = read_table(grid)
        if (
            read is not None
            and read.activities
            and (best is None or len(read.activities) > len(best[0].activities))
        ):
            best = (read, grid)
            read.warnings[:0] = notes or []

    run: list[list[str]] = []
    closed: list[bool] = []  # per row of the run: its last line ends with a bar
    for line in [*_unstack_bars(lines), ""]:
        cells = _cells(line) if ("|" in line or "｜" in line or "\t" in line) else []
        ends = line.rstrip().endswith(("|", "｜"))
        if cells and run and line.lstrip().startswith(("|", "｜")) and len(run[-1]) < len(run[0]):
            run[-1].extend(c for c in cells if c or len(run[-1]) + 1 < len(run[0]))  # a row broken over lines
            closed[-1] = ends
            continue
        if len(cells) >= 2 or (cells and cells[0] and run and line.lstrip().startswith(("|", "｜"))):
            run.append(cells)  # a row; one cut short after its first cell is a row too
            closed.append(ends)
            continue
        if len(run) > 1 and line and len(line) < 200 and not SECTION.match(line):
            run[-1][-1] = run[-1][-1] + line  # a line without separators continues the cell it follows
            closed[-1] = ends
            continue
        consider(run, _cut_last_row(run, closed))
        run, closed = [], []
    if best is None:
        stacked = unstack_plain(lines)
        if stacked:
            consider(stacked)
    if best is None:
        spaced = spaced_grid(lines)
        if spaced:
            grid, notes = spaced
            consider(grid)
            if best is not None:
                best[0].warnings[:0] = notes
    return best


def grid_proposals(read: TableRead, grid: list[list[str]]) -> list[ProposedActivity]:
    """The activities of a text table, each with its row as the source shown in the preview."""
    out = []
    for activity, row in zip(read.activities, read.rows, strict=True):
        unsure = set() if activity.lead_units else {"lead_units"}
        out.append(ProposedActivity(activity, " | ".join(c for c in grid[row] if c), unsure))
    return out
