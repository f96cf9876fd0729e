"""A table flattened into text, read as a grid of cells by the shared table reader (models.table_reader), so
that text tables and real tables follow the same rules. Three flattenings are understood:

- one row per line, cells separated by "|", tabs or wide gaps ("序号 | 活动内容 | 活动时间 | …");
- one cell per line with lone "|" lines between cells and "| |" between rows (a web page's table copied);
- one cell per line with nothing between them: the header is a run of field words (序号, 活动名称, …),
  and each row starts at the next row number.
"""

from __future__ import annotations

import re

from models.plan_text.proposal import ProposedActivity
from models.table_reader import TableRead, read_table
from models.vocabulary import cell_field

_SEPARATOR = re.compile(r"\s*[|｜\t]\s*")
_SECTION = re.compile(r"^[（(]?[一二三四五六七八九十]+[、）)]")


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
                keep = out and len(out[-1]) <= 20 and not _SECTION.match(out[-1])
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


def _unstack_plain(lines: list[str]) -> list[list[str]] | None:
    """Cells one per line with nothing between them: a header of field words, then numbered rows."""
    for h, line in enumerate(lines):
        if len(line) > 4 or cell_field(line) != "position":
            continue
        header = [line]
        k = h + 1
        while k < len(lines) and len(lines[k]) <= 12 and not re.fullmatch(r"\d{1,3}", lines[k]):
            if cell_field(lines[k]) is None and header and cell_field(header[-1] + lines[k]) is not None:
                header[-1] += lines[k]  # a header cell wrapped over two lines ("检查对" / "象")
            else:
                header.append(lines[k])
            k += 1
        if len(header) < 3 or sum(1 for c in header if cell_field(c)) < 2:
            continue
        rows: list[list[str]] = [header]
        expected = 1
        current: list[str] | None = None
        for text in lines[k:]:
            if re.fullmatch(r"\d{1,3}", text) and int(text) == expected:
                if current is not None:
                    rows.append(_fit(current, len(header)))
                current = [text]
                expected += 1
            elif current is not None:
                if _SECTION.match(text) and len(current) >= len(header):
                    break
                current.append(text)
        if current is not None:
            rows.append(_fit(current, len(header)))
        if len(rows) >= 2:
            return rows
    return None


def _fit(cells: list[str], width: int) -> list[str]:
    """A stacked row's lines as `width` cells: missing cells are empty, surplus lines join the longest."""
    if len(cells) <= width:
        return cells + [""] * (width - len(cells))
    out = cells[: width - 1]
    out.append("".join(cells[width - 1 :]))
    return out


def text_grid(lines: list[str]) -> tuple[TableRead, list[list[str]]] | None:
    """The best table found in the text; None when there is none."""
    best: tuple[TableRead, list[list[str]]] | None = None

    def consider(grid: list[list[str]]) -> None:
        nonlocal best
        if len(grid) < 2:
            return
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        read = read_table(grid)
        if (
            read is not None
            and read.activities
            and (best is None or len(read.activities) > len(best[0].activities))
        ):
            best = (read, grid)

    run: list[list[str]] = []
    for line in [*_unstack_bars(lines), ""]:
        cells = _cells(line) if ("|" in line or "｜" in line or "\t" in line) else []
        if cells and run and line.lstrip().startswith(("|", "｜")) and len(run[-1]) < len(run[0]):
            run[-1].extend(c for c in cells if c or len(run[-1]) + 1 < len(run[0]))  # a row broken over lines
            continue
        if len(cells) >= 2:
            run.append(cells)
            continue
        if len(run) > 1 and line and len(line) < 200 and not _SECTION.match(line):
            run[-1][-1] = run[-1][-1] + line  # a line without separators continues the cell it follows
            continue
        consider(run)
        run = []
    if best is None:
        stacked = _unstack_plain(lines)
        if stacked:
            consider(stacked)
    return best


def grid_proposals(read: TableRead, grid: list[list[str]]) -> list[ProposedActivity]:
    """The activities of a text table, each with its row as the source shown in the preview."""
    out = []
    for activity, row in zip(read.activities, read.rows, strict=True):
        unsure = set() if activity.lead_units else {"lead_units"}
        out.append(ProposedActivity(activity, " | ".join(c for c in grid[row] if c), unsure))
    return out
