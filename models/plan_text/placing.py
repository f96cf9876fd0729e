"""Placing a flattened row's cells under the header's columns by what they look like (dates, units,
percentages, numbers, short words): each column's kinds of cell are learned from the rows as wide as the
header, or known from the field its header names; a row with merged cells missing is placed where its
cells fit best, not always from the left."""

from __future__ import annotations

import re
from collections import Counter

from models.vocabulary import CELL_UNIT_ENDINGS, cell_field, verb_pattern

#: A line that begins a numbered list inside one cell ("1、", "2.", "（3）").
LIST_ITEM = re.compile(r"^[（(]?(\d{1,2})[、.．)）]")
_UNIT_END = re.compile(f"(?:{verb_pattern(CELL_UNIT_ENDINGS)})$")
_DATE = re.compile(r"\d{1,4}\s*[年月日号]|\d{4}\s*[-./]\s*\d{1,2}|[上中下]旬|季度|全年|年底|月底|年末")
_DATE_WORDS = re.compile(r"[\d年月日号至到起止前后底末旬上中下季度全以之内间期\-－~～—/.、， ]")

#: Not a kind: the price of a second unit line in the column's cell (配合单位 list several, 牵头 one).
JOIN = "join"
KINDS = ("empty", "num", "pct", "date", "unit", "mark", "short", "text")
#: How well a line of one kind fits a column whose cells are of another.
_LIKE = {
    frozenset(("text", "short")): 0.5,
    frozenset(("num", "pct")): 0.3,
    frozenset(("num", "date")): 0.3,
    frozenset(("unit", "text")): 0.3,
    frozenset(("unit", "short")): 0.3,
    frozenset(("mark", "short")): 0.3,
}
#: What the cells of a column that names a field look like.
_PRIORS: dict[str, dict[str, float]] = {
    "position": {"num": 1.0},
    "name": {"text": 0.8, "short": 0.2},
    "content": {"text": 0.9, "short": 0.1},
    "time_text": {"date": 0.9, "empty": 0.1},
    "completed_on": {"date": 0.7, "empty": 0.3},
    "location": {"text": 0.5, "short": 0.3, "unit": 0.2},
    "lead_units": {"unit": 0.9, "empty": 0.1, JOIN: 0.6},
    "responsible": {"unit": 0.9, "empty": 0.1, JOIN: 0.6},
    "coop_units": {"unit": 0.8, "empty": 0.2, JOIN: 0.3},
    "remarks": {"empty": 0.6, "text": 0.4},
    "progress": {"pct": 0.7, "num": 0.2, "empty": 0.1},
    "status": {"short": 0.7, "empty": 0.3},
    "completion_notes": {"text": 0.6, "empty": 0.4},
}


def kind(text: str) -> str:
    """What a cell's text looks like: empty, num, pct, date, unit, mark, short or text."""
    t = text.strip()
    if not t:
        return "empty"
    if re.fullmatch(r"\d+(?:\.\d+)?\s*[%％]", t):
        return "pct"
    if t.isdigit():
        return "date" if 5 <= len(t) <= 8 and t.startswith(("19", "20")) else "num"
    if re.fullmatch(r"[√✓✔×✗○●☆★/\\\-—]+", t):
        return "mark"
    if _DATE.search(t) and len(t) <= 24 and len(_DATE_WORDS.sub("", t)) <= 4:
        return "date"
    parts = [p for p in re.split(r"[、，,；;和及]", t.rstrip("）)")) if p]
    if (
        not LIST_ITEM.match(t)
        and not _DATE.search(t)
        and len(t) <= 60
        and parts
        and all(_UNIT_END.search(p) for p in parts)
    ):  # a unit may hold a number (“省属3家餐饮单位”), not a list mark or a date
        return "unit"
    return "short" if len(t) <= 4 else "text"


def column_profiles(header: list[str], full_rows: list[list[str]]) -> list[dict[str, float]]:
    """Each column's kinds of cell, as shares: a column that names a field looks as that field does; any
    other as the rows as wide as the header show (an empty dict when nothing is known)."""
    profiles: list[dict[str, float]] = []
    for c, cell in enumerate(header):
        prior = _PRIORS.get(cell_field(cell) or "", {})
        if prior:
            profiles.append(dict(prior))
            continue
        seen = Counter(kind(r[c]) for r in full_rows if c < len(r))
        total = sum(seen.values())
        profiles.append({k: v / total for k, v in seen.items()} if total else {})
    return profiles


def fit(text: str, profile: dict[str, float]) -> float:
    """How well a line fits a column, 0–1."""
    if not profile:
        return 0.5
    k = kind(text)
    return max(
        share * (1.0 if k == other else _LIKE.get(frozenset((k, other)), 0.0))
        for other, share in profile.items()
    )


def _skip_cost(profile: dict[str, float]) -> float:
    return 0.5 * (1.0 - profile.get("empty", 0.0)) if profile else 0.4


def _continues(previous: str, text: str, profile: dict[str, float]) -> float:
    """The price of reading `text` as a further line of the cell that ends with `previous`."""
    if not text:
        return 0.05
    item, before = LIST_ITEM.match(text), LIST_ITEM.match(previous)
    if item and before and int(item[1]) == int(before[1]) + 1:
        return 0.05  # "2、…" after "1、…": one cell's list
    if kind(text) == "unit" and kind(previous) == "unit" and profile.get("unit", 0.0) >= 0.5:
        return profile.get(JOIN, 0.5)  # a second unit in a units cell
    return 1.2


def align_row(
    cells: list[str], profiles: list[dict[str, float]], joins: bool = True, pairs_at: int | None = None
) -> list[str]:
    """A row's lines (its number first) as one cell per column: each line goes under the column it fits
    best, in order; a column may stay empty (a merged cell) and a cell may hold several lines (unless the
    lines are known to be whole cells: `joins` False). `pairs_at`: the first of two columns (units, then
    what they do) whose cells may be merged over sub-rows, the further (unit, text) pairs of which come
    after the row's last cell."""
    width = len(profiles)
    cells = [cells[0], *_lists_together(cells[1:])]
    paired = _trailing_pairs(cells, profiles, pairs_at) if pairs_at is not None else None
    if paired is not None:
        return paired
    if len(cells) == width and all(fit(t, p) >= 0.5 or not t for t, p in zip(cells, profiles, strict=True)):
        return list(cells)
    rest = cells[1:]
    n, m = len(rest), width - 1
    if n > 3 * m + 20:  # not a row but the text after the table: the surplus goes to the last cell
        return [*cells[: width - 1], "\n".join(cells[width - 1 :])]
    inf = float("inf")
    # state (i, j, f): i lines placed, j columns passed, f = line i-1 sits in column j-1
    cost: dict[tuple[int, int, int], tuple[float, tuple[int, int, int] | None, str]] = {
        (0, 0, 0): (0.0, None, "")
    }

    def relax(state: tuple[int, int, int], value: float, came: tuple[int, int, int], move: str) -> None:
        if value < cost.get(state, (inf, None, ""))[0]:
            cost[state] = (value, came, move)

    for i in range(n + 1):
        for j in range(m + 1):
            for f in (0, 1):
                here = cost.get((i, j, f))
                if here is None:
                    continue
                value = here[0]
                profile = profiles[j + 1] if j < m else {}
                if j < m:
                    relax((i, j + 1, 0), value + _skip_cost(profile), (i, j, f), "skip")
                    if i < n:
                        relax((i + 1, j + 1, 1), value + 1.0 - fit(rest[i], profile), (i, j, f), "put")
                if i < n:
                    if f and joins:
                        relax(
                            (i + 1, j, 1),
                            value + _continues(rest[i - 1], rest[i], profiles[j]),
                            (i, j, f),
                            "join",
                        )
                    if not rest[i]:
                        relax((i + 1, j, f), value + 0.3, (i, j, f), "drop")
    end = min(((cost[s][0], s) for s in ((n, m, 0), (n, m, 1)) if s in cost), default=None)
    if end is None:
        return (cells + [""] * width)[:width]
    out = [[] for _ in range(width)]  # type: list[list[str]]
    out[0].append(cells[0])
    state: tuple[int, int, int] | None = end[1]
    while state is not None:
        _, came, move = cost[state]
        if came is None:
            break
        i, j, _ = state
        if move in ("put", "join"):
            out[j].insert(0, rest[i - 1])
        state = came
    return ["\n".join(t for t in column if t) for column in _late_lines(out, profiles)]


def _trailing_pairs(cells: list[str], profiles: list[dict[str, float]], at: int | None) -> list[str] | None:
    """A row with more lines than columns that ends in (unit, text) pairs: sub-rows of the merged pair of
    columns from `at` on (the units column and the column beside it), copied after the row's last cell.
    The rest of the row is placed as any row, the units are added to its units cell and the texts to the
    cell beside it (None when the row is not so)."""
    width = len(profiles)
    lines = [i for i, t in enumerate(cells) if i and t.strip()]
    if at is None or not 0 < at < width - 1 or len(lines) < width:
        return None
    pairs = (len(lines) - width + 2) // 2  # as few as bring the row to the header's width
    tail = [cells[i] for i in lines[len(lines) - 2 * pairs :]]
    units, texts = tail[0::2], tail[1::2]
    if any(kind(u) != "unit" for u in units) or any(kind(t) not in ("text", "short") for t in texts):
        return None
    out = align_row(cells[: lines[len(lines) - 2 * pairs]], profiles, pairs_at=None)
    if kind(out[at]) != "unit":  # the row's own first pair is not where the sub-rows belong
        return None
    out[at] = "\n".join((out[at], *units))
    out[at + 1] = "\n".join(t for t in (out[at + 1], *texts) if t)
    return out


def _lists_together(lines: list[str]) -> list[str]:
    """A cell's numbered lines ("1.…" "2.…") brought together when the copy put other cells between
    them (a tall cell's later lines come after the cells beside it): a line numbered one more than the
    last numbered line seen moves up to just after it."""
    out: list[str] = []
    last: int | None = None  # index in out of the last numbered line
    for line in lines:
        item = LIST_ITEM.match(line)
        if item and last is not None:
            before = LIST_ITEM.match(out[last])
            if before and int(item[1]) == int(before[1]) + 1 and last < len(out) - 1:
                out.insert(last + 1, line)
                last += 1
                continue
        out.append(line)
        if item:
            last = len(out) - 1
    return out


def _late_lines(out: list[list[str]], profiles: list[dict[str, float]]) -> list[list[str]]:
    """Lines after the last column's cell that are nothing like it (text after a date) belong to the text
    column before it: a tall cell's last lines copied after the cells beside it."""
    last = out[-1]
    if len(last) < 2 or fit(last[0], profiles[-1]) < 0.5:
        return out
    late = [i for i in range(1, len(last)) if fit(last[i], profiles[-1]) < 0.3]
    if not late or late[0] != len(last) - len(late):
        return out
    text = max(range(1, len(profiles) - 1), key=lambda c: profiles[c].get("text", 0.0), default=None)
    if text is None or profiles[text].get("text", 0.0) < 0.5:
        return out
    out[text] += last[late[0] :]
    out[-1] = last[: late[0]]
    return out
