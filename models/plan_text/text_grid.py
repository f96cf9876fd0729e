"""A table flattened into text, read as a grid of cells by the shared table reader (models.table_reader), so
that text tables and real tables follow the same rules. Four flattenings are understood:

- one row per line, cells separated by "|", tabs or wide gaps ("序号 | 活动内容 | 活动时间 | …");
- one cell per line with lone "|" lines between cells and "| |" between rows (a web page's table copied);
- one cell per line with nothing between them (models.plan_text.stacked);
- one row per line with single spaces between the cells (models.plan_text.spaced).
"""

from __future__ import annotations

import re

from models.plan_text.proposal import ProposedActivity
from models.plan_text.spaced import spaced_grid
from models.plan_text.stacked import SECTION, unstack_plain
from models.table_reader import TableRead, read_table

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
        if len(run) > 1 and line and len(line) < 200 and not SECTION.match(line):
            run[-1][-1] = run[-1][-1] + line  # a line without separators continues the cell it follows
            continue
        consider(run)
        run = []
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
