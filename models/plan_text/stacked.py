"""A table flattened one cell per line (a web page's table copied, a PDF's text extracted): the header is a
run of short lines from 序号 on, and each row starts at its row number on a line of its own.

What such a flattening loses, and how it is put back:

- header cells wrapped over lines ("抽查" / "户数"): the fragments are joined until the header is as wide
  as the rows show (`header_cells`); a second header row under a group cell ("检查事项" over "一般事项",
  "重点事项") takes the group cell's place;
- cells ended by " |" (each cell a line of its own with its separator): the bars mark the cells, a lone
  "|" is an empty cell, a run of bars is filler (`bar_cells`);
- a row number missing from the sequence ("1, 2, 4"): the next larger number starts a row when the row
  before it is complete;
- vertically merged cells, which are simply missing, so later rows are shorter; and cells holding several
  lines ("1、…" "2、…", two unit names): the lines are placed under the header columns by what they look
  like (dates, units, percentages, numbers, short words), learned from the rows as wide as the header
  (`align_row`), not always from the left.
"""

from __future__ import annotations

import re

from models.plan_text.placing import align_row, column_profiles, kind
from models.vocabulary import cell_field, exact_field, header_key

#: A section heading ("一、宣传活动", "（二）") between rows of a flattened table.
SECTION = re.compile(r"^[（(]?[一二三四五六七八九十]+[、）)]")
#: A note under the table ("备注：抽查事项应当……"): the table ends there.
NOTE = re.compile(r"^(?:备注|注|说明)\s*\d*\s*[：:]")

ROW_NUMBER = re.compile(r"\d{1,4}")  # rows follow on in order, so a year on its own line is no row
MAX_HEADER_LINES = 60
MAX_ROW_LINES = 200
TOO_MANY_CELLS = 1.0  # the price of a header cell more than the rows show

_BARS = "|｜"
#: A row's first cell, opened and ended by a bar ("| 编号 |"), on a line of its own.
_OPENED = re.compile(r"[|｜] *[^|｜\s][^|｜]* *[|｜]")


def unstack_plain(lines: list[str]) -> list[list[str]] | None:
    """Cells one per line: a header of field words from 序号 on, then numbered rows (None when there is no
    such table)."""
    opened = unstack_opened(lines)
    if opened:
        return opened
    lines = bar_cells(lines)
    for h, line in enumerate(lines):
        if len(line) > 4 or cell_field(line) != "position":
            continue
        k = h + 1
        while k < len(lines) and len(lines[k]) <= 12 and not ROW_NUMBER.fullmatch(lines[k]):
            k += 1
        head = [c for c in lines[h:k] if c]
        if len(head) < 3 or len(head) > MAX_HEADER_LINES or sum(1 for c in head if cell_field(c)) < 2:
            continue
        body = lines[k:]
        first = split_rows(body, min(len(head), _widest(split_rows(body, 0))))
        if not first:
            continue
        width = _widest(first)
        header = header_cells(head, width)
        rows = [header]
        full = [r for r in first if len(r) == len(header) and r[-1]]  # a row as wide as the header, really
        profiles = column_profiles(header, full)
        pairs_at = next((c for c, cell in enumerate(header) if cell_field(cell) == "coop_units"), None)
        for cells in first:
            rows.append(align_row(cells, profiles, pairs_at=pairs_at))
        return rows
    return None


def unstack_opened(lines: list[str]) -> list[list[str]] | None:
    """Cells one per line, each ended by " |", and each row's first cell opened by "| " as well: the
    opening bars start the rows, the first of them is the header (whatever its first cell is called, and
    whatever the rows are numbered with); each row's lines are placed under the header's columns."""
    starts = [i for i, line in enumerate(lines) if _OPENED.fullmatch(line.strip())]
    if len(starts) < 3:
        return None
    groups = [_opened_cells(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    head = groups[0]
    if len(head) < 3 or sum(1 for c in head if cell_field(c)) < 2 or cell_field(head[0]) != "position":
        return None
    width = max(len(g) for g in groups[1:])
    header = header_cells(head, min(len(head), width))
    full = [g for g in groups[1:] if len(g) == len(header) and g[-1]]
    if not full:
        return None
    profiles = column_profiles(header, full)
    return [header, *(align_row(g, profiles, joins=False) for g in groups[1:])]


def _opened_cells(lines: list[str]) -> list[str]:
    """One row's lines as cells: a line ended by a bar ends its cell, a line without one is continued by
    the lines that follow it up to the next bar, a bar alone is filler."""
    cells: list[str] = []
    open_cell = False
    for line in lines:
        s = line.strip()
        if not s or s in _BARS:
            continue
        ended = s.endswith(tuple(_BARS))
        text = s.strip(_BARS + " ")
        if open_cell:
            cells[-1] = f"{cells[-1]}\n{text}"
        else:
            cells.append(text)
        open_cell = not ended
    return cells


def bar_cells(lines: list[str]) -> list[str]:
    """Lines that end in " |" (a cell and its separator) as cells; other texts as they are."""
    ended = [s for s in (line.strip() for line in lines) if s.endswith(tuple(_BARS)) and s.strip(_BARS)]
    if len(ended) < 4 or sum(1 for s in ended if any(b in s.strip(_BARS) for b in _BARS)) > len(ended) // 5:
        return lines
    out: list[str] = []
    open_cell = False  # the line before had no bar: a bar alone ends it
    for line in lines:
        s = line.strip()
        if not s.endswith(tuple(_BARS)):
            out.append(s)
            open_cell = True
            continue
        body = s.rstrip(_BARS + " ").strip()
        if body:
            out.extend(c.strip() for c in re.split(r"\s*[|｜]\s*", body.lstrip(_BARS)))
        elif s in _BARS and not open_cell:
            out.append("")  # an empty cell
        open_cell = False  # a run of bars is filler
    return out


def split_rows(body: list[str], width: int) -> list[list[str]]:
    """The lines after the header as rows, each from its row number on.

    With the table's `width` known (0 on a first pass), a number larger than the next one expected starts a
    row too when the row before is as wide as the table, less two cells, and a note under the table ends it.
    """
    rows: list[list[str]] = []
    expected = 1
    current: list[str] | None = None
    for text in body:
        number = int(text) if ROW_NUMBER.fullmatch(text) else 0
        complete = current is not None and width > 0 and len(current) >= max(3, width - 2)
        if number and (number == expected or (complete and expected < number <= expected + 2)):
            if current is not None:
                rows.append(current)
            current = [text]
            expected = number + 1
        elif current is not None:
            if (SECTION.match(text) or (NOTE.match(text) and len(text) > 20)) and (
                len(current) >= width > 0 or complete
            ):
                break
            if len(current) < MAX_ROW_LINES:
                current.append(text)
            else:
                current[-1] = f"{current[-1]}\n{text}"
    if current is not None:
        rows.append(current)
    return rows


def _widest(rows: list[list[str]]) -> int:
    return max((len(r) for r in rows), default=0)


def header_cells(head: list[str], width: int) -> list[str]:
    """The header's lines as cells: a second header row under a group cell takes that cell's place, and
    fragments of wrapped cells are joined, as far as needed for the header to be as wide as the rows."""
    if len(head) <= width or width < 3:
        return head
    head = _group_row(head)
    if len(head) <= width:
        return head
    return _join_wrapped(head, width)


def _group_row(head: list[str]) -> list[str]:
    """A second header row ("一般事项", "重点事项") at the end of the header run, under the group cell it
    shares its last words with ("检查事项"): the sub-cells take the group cell's place."""
    keys = [header_key(c) for c in head]
    for size in range(min(6, len(head) - 3), 1, -1):
        tail = keys[-size:]
        suffix = _common_suffix(tail)
        if len(suffix) < 2 or any(t == suffix for t in tail):
            continue
        group = [i for i in range(1, len(head) - size) if keys[i] == suffix or keys[i].endswith(suffix)]
        if group:
            g = group[-1]
            return head[:g] + head[-size:] + head[g + 1 : -size]
    return head


def _common_suffix(texts: list[str]) -> str:
    first = texts[0]
    n = 0
    while n < len(first) and all(len(t) > n and t[-1 - n] == first[-1 - n] for t in texts):
        n += 1
    return first[len(first) - n :]


def _join_cost(a: str, b: str) -> float:
    """The price of reading line `b` as the wrapped end of header cell `a`: a bracket goes on the line
    before; short fragments join cheaply, into a cell that names a field the more so; 备注 and 序号
    stand alone."""
    if b[:1] in "（(":
        return 0.0
    if cell_field(b) in ("position", "remarks") and exact_field(b):
        return 3.0
    if (exact_field(a) and len(a) >= 3) or (cell_field(a) and cell_field(b)):
        return 3.0  # a field's whole word, or two fields
    if len(b) <= 3 and len(a) <= 4:
        cost = 0.2
    elif len(a) <= 3 and len(b) <= 5:
        cost = 0.3
    else:
        return 3.0  # two whole cells
    if cell_field(a + b) is None:
        cost += 0.3 if len(a + b) > 6 else 0.0
    elif cell_field(a) is None:
        cost -= 0.1  # the end makes a field of what was none
    return cost


def _alone_cost(line: str) -> float:
    return 0.3 if len(header_key(line)) <= 2 and cell_field(line) is None else 0.0


def _join_wrapped(head: list[str], width: int) -> list[str]:
    """Header lines joined into cells (at most two lines each, 序号 alone), the number of cells chosen for
    the least price: joins of fragments are cheap, joins of whole cells dear, and each cell more than the
    `width` the rows show costs TOO_MANY_CELLS."""
    n = len(head)
    inf = float("inf")
    # best[i][c]: the least price of the first i lines as c cells, with the split that reached it
    best: list[dict[int, tuple[float, int]]] = [{} for _ in range(n + 1)]
    best[1][1] = (0.0, 1)
    for i in range(2, n + 1):
        for c in range(2, i + 1):
            one = best[i - 1].get(c - 1)
            two = best[i - 2].get(c - 1) if i >= 3 else None
            options = []
            if one is not None:
                options.append((one[0] + _alone_cost(head[i - 1]), 1))
            if two is not None:
                options.append((two[0] + _join_cost(head[i - 2], head[i - 1]), 2))
            if options:
                best[i][c] = min(options)
    chosen = (
        min((cost + TOO_MANY_CELLS * (c - width), c) for c, (cost, _) in best[n].items() if c >= width)[1]
        if any(c >= width for c in best[n])
        else n
    )
    cells: list[str] = []
    i, c = n, chosen
    while i > 0:
        take = best[i].get(c, (inf, 1))[1]
        cells.append("".join(head[i - take : i]))
        i, c = i - take, c - 1
    return cells[::-1]


__all__ = ["align_row", "column_profiles", "kind"]  # placed by models.plan_text.placing
