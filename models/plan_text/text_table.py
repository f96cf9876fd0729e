"""An annex activity table given as text (tab- or space-separated cells, or cells stacked one per line)."""

from __future__ import annotations

import re

from models import vocabulary
from models.plan_text.cleaning import CJK, squash
from models.plan_text.proposal import ProposedActivity
from models.records import Activity
from models.textnorm import clean_name, split_units

_CONTENT_START = (
    "开展",
    "积极",
    "对",
    "到",
    "深入",
    "制定",
    "组织",
    "展板",
    "围绕",
    "针对",
    "加强",
    "推进",
    "通过",
    "按照",
    "结合",
    "发布",
    "举办",
    "持续",
    "全面",
    "督促",
    "指导",
    "做好",
    "落实",
    "邀请",
    "利用",
)


def _table_header(line: str) -> list[str] | None:
    cells = [c for c in re.split(r"\s+", line.strip()) if c]
    if len(cells) < 2 or vocabulary.exact_field(cells[0]) != "position":
        return None
    keys = vocabulary.exact_header(cells)
    return keys if keys is not None and "name" in keys else None


def _row_number(token: str) -> int | None:
    token = token.strip()
    token = token.replace("l", "1").replace("I", "1").replace("O", "0").replace("o", "0")
    return int(token) if token.isdigit() and len(token) <= 3 else None


def text_table(lines: list[str]) -> tuple[list[ProposedActivity], str] | None:
    """Find an annex activity table written as text; return its rows and the table's title."""
    for h, line in enumerate(lines):
        keys = _table_header(line)
        if keys is None:
            continue
        title = next((lines[i] for i in range(h - 1, max(-1, h - 4), -1) if "表" in lines[i]), "")
        body = lines[h + 1 :]
        end = next(
            (i for i, x in enumerate(body) if re.match(r"^(附\s*件|相关解读|相关文件|扫一扫)", x)), len(body)
        )
        body = body[:end]
        rows = _rows(body)
        if not rows:
            continue
        proposals = [
            _tabbed_row(n, r, keys) if _is_tabbed(r, keys) else _stacked_row(n, r, keys) for n, r in rows
        ]
        return [p for p in proposals if p is not None], title
    return None


def _is_tabbed(lines: list[str], keys: list[str]) -> bool:
    """A row whose cells are separated by tabs, or one line of single-space-separated cells, one per column."""
    joined = " ".join(lines)
    return "\t" in joined or (len(lines) == 1 and len(keys) > 2 and len(joined.split()) == len(keys) - 1)


def _rows(body: list[str]) -> list[tuple[int, list[str]]]:
    """Split the lines after a table header into rows at sequential row numbers (1, 2, 3 …)."""
    rows: list[tuple[int, list[str]]] = []
    expected = 1
    for line in body:
        first, _, rest = line.replace("\t", " ").partition(" ")
        number = _row_number(line) if _row_number(line) is not None else _row_number(first)
        if "\t" in line:
            number = _row_number(line.split("\t")[0])
            rest = line.split("\t", 1)[1] if "\t" in line else rest
        if number is not None and number in (expected, expected + 1):
            if number == expected + 1 and rows:
                _split_missing_row(rows, expected)
            rows.append((number, [rest.strip()] if _row_number(line) is None and rest.strip() else []))
            expected = number + 1
            continue
        if rows:
            rows[-1][1].append(line)
    return rows


def _split_missing_row(rows: list[tuple[int, list[str]]], missing: int) -> None:
    """OCR dropped a row number: split the previous row where a sentence ends and a short title follows."""
    number, lines = rows[-1]
    for i in range(1, len(lines) - 1):
        if lines[i - 1].endswith("。") and not re.search(r"[，。；、]", lines[i]) and len(lines[i]) <= 24:
            rows[-1] = (number, lines[:i])
            rows.append((missing, lines[i:]))
            return


def _tabbed_row(number: int, lines: list[str], keys: list[str]) -> ProposedActivity | None:
    joined = "\t".join(lines)
    cells = [c.strip() for c in (joined.split("\t") if "\t" in joined else joined.split())]
    values = dict(zip(keys[1:], cells, strict=False))
    name = squash(values.get("name", ""))
    if not name:
        return None
    activity = Activity(
        name=name,
        content=squash(values.get("content", "")),
        time_text=clean_name(values.get("time_text", "")),
        location=clean_name(values.get("location", "")),
        lead_units=split_units(values.get("lead_units", "")),
        coop_units=split_units(values.get("coop_units", "")),
        remarks=squash(values.get("remarks", "")),
    )
    return ProposedActivity(activity, f"{number}\t" + "\n".join(lines))


def _stacked_row(number: int, lines: list[str], keys: list[str]) -> ProposedActivity | None:
    """A row whose cells were flattened one after another (OCR, or copying a table from a PDF)."""
    parts: list[str] = []
    for line in lines:
        gap = re.split(r"\s+", line.strip(), maxsplit=1)
        if len(gap) == 2 and re.search(r"[" + CJK + r"]$", gap[0]) and len(gap[0]) >= 4 and "name" in keys:
            parts += gap
        else:
            parts.append(line.strip())
    name_parts: list[str] = []
    rest: list[str] = []
    depth = 0
    for part in parts:
        if not name_parts:
            name_parts.append(part)
        elif rest:
            rest.append(part)
        else:
            previous = "".join(name_parts)
            depth = previous.count("《") - previous.count("》") + previous.count("“") - previous.count("”")
            starts_content = part.startswith(_CONTENT_START) or bool(re.search(r"[。；]", part))
            continues = (
                depth > 0
                or previous.endswith(("，", "、", "和", "与", "及"))
                or part.startswith(("“", "”", "》"))
                or (len(part) <= 12 and not starts_content and not re.search(r"[，]", part))
            )
            (
                name_parts
                if continues and not (starts_content and depth == 0 and not previous.endswith(("，", "、")))
                else rest
            ).append(part)
    name = squash("\n".join(name_parts)).strip("，")
    if not name:
        return None
    content = squash("\n".join(rest))
    unsure = {"name", "content"} if len(name) > 40 or (rest and len(content) < 4) else set()
    return ProposedActivity(Activity(name=name, content=content), f"{number}\n" + "\n".join(lines), unsure)
