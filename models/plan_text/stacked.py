"""A table flattened one cell per line with nothing between the cells: the header is a run of field words
(序号, 活动名称, …), and each row starts at the next row number."""

from __future__ import annotations

import re

from models.vocabulary import cell_field

#: A section heading ("一、宣传活动", "（二）") between rows of a flattened table.
SECTION = re.compile(r"^[（(]?[一二三四五六七八九十]+[、）)]")


def unstack_plain(lines: list[str]) -> list[list[str]] | None:
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
                    rows.append(fit_cells(current, len(header)))
                current = [text]
                expected += 1
            elif current is not None:
                if SECTION.match(text) and len(current) >= len(header):
                    break
                current.append(text)
        if current is not None:
            rows.append(fit_cells(current, len(header)))
        if len(rows) >= 2:
            return rows
    return None


def fit_cells(cells: list[str], width: int) -> list[str]:
    """A stacked row's lines as `width` cells: missing cells are empty, surplus lines join the longest."""
    if len(cells) <= width:
        return cells + [""] * (width - len(cells))
    out = cells[: width - 1]
    out.append("".join(cells[width - 1 :]))
    return out
