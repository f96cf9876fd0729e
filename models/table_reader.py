"""From a grid of cells to activities: the one table reader behind every format.

A spreadsheet's sheet, a Word/WPS/OFD table, a recognised scan table and a table flattened into text all
end as rows of cells; this module finds the header (one row, or a group header such as 责任单位 over
牵头/配合 on two rows), maps columns to fields with the shared vocabulary, and reads the rows below:
continuation rows (no 序号) join the row above, section rows (one text over the whole width, "一、宣传活动")
are skipped, a table without a name column takes the first clause of the content as the name, and a
responsibility cell that says both ("质量科牵头，标准化科配合") is split by role. Tracking columns (状态,
进度, 完成时间, 完成情况) are read as values, never trusted: a 进度 of 1E999 or "八十" is a warning.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from models.cell_units import split_units, units_by_role
from models.errors import ReadError
from models.numerals import cn_number
from models.records import STATUSES, Activity
from models.textnorm import clean_name, clean_text
from models.vocabulary import cell_field, match_header

HEADER_SCAN_ROWS = 20
NAME_LIMIT = 30  # a name cut from the content is its first clause, at most this long
TRACKING = ("status", "progress", "completed_on", "completion_notes")


@dataclass
class ProgressUpdate:
    """One row of a returned progress report (what it says about an activity)."""

    activity_id: int | None
    position: int | None
    name: str
    status: str | None
    progress: int | None
    completed_on: dt.date | None
    completion_notes: str | None


@dataclass
class TableRead:
    """What a grid holds: its activities and where they came from."""

    activities: list[Activity]
    columns: dict[str, str]  # field -> the header text it was read from
    header_index: int  # grid index of the (last) header row
    title_lines: list[str]  # texts above the header (the table's title, 附件 label)
    rows: list[int] = field(default_factory=list)  # grid index of each activity's first row
    warnings: list[str] = field(default_factory=list)
    updates: list[ProgressUpdate] = field(default_factory=list)  # when the grid has tracking columns
    name_from_content: bool = False


class CellTooLong(ReadError):
    """A cell longer than the limit (a pasted document in one cell)."""


def cell_text(value: Any) -> str:
    """A cell's value as the text a clerk sees."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
    return str(value)


def find_header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int], list[str]] | None:
    """(index of the header's last row, field → column, header text per column), or None.

    A header names an activity (名称, or 内容 when the table has no name column) and at least one other
    field. Two rows are read as one header when the upper one groups the lower (责任单位 over 牵头/配合).
    """
    best: tuple[int, int, dict[str, int], list[str]] | None = None
    limit = min(len(rows), HEADER_SCAN_ROWS)
    for r in range(limit):
        single = [cell_text(v) for v in rows[r]]
        candidates = [(r, single)]
        if r + 1 < len(rows):
            lower = [cell_text(v) for v in rows[r + 1]]
            first = next((t for t in lower if t.strip()), "")
            if any(lower) and lower != single and _position(first) is None:  # a numbered row is data
                candidates.append((r + 1, _combine(single, lower)))
        for index, texts in candidates:
            mapping = match_header([_named_in_brackets(t) for t in texts])
            if not ({"name", "content"} & set(mapping)) or len(mapping) < 2:
                continue
            score = len(mapping) + (3 if "name" in mapping else 2)
            if best is None or score > best[0]:
                best = (score, index, mapping, texts)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _named_in_brackets(text: str) -> str:
    """A header cell that names its field only in brackets (“发起方式（牵头指导科室）”): the bracket."""
    m = re.fullmatch(r"\s*([^（(]+)[（(]([^（）()]+)[)）]\s*", text)
    if m and cell_field(text) is None and cell_field(m[1]) is None and cell_field(m[2]) is not None:
        return m[2]
    return text


def _combine(upper: list[str], lower: list[str]) -> list[str]:
    """Two header rows as one: a lower cell that names a field wins; else the upper cell stands."""
    width = max(len(upper), len(lower))
    out: list[str] = []
    for c in range(width):
        top = upper[c] if c < len(upper) else ""
        low = lower[c] if c < len(lower) else ""
        if low and low != top and cell_field(low) is not None:
            out.append(low)
        elif low and top and low != top and cell_field(top + low) is not None:
            out.append(top + low)
        else:
            out.append(top or low)
    return out


def read_table(
    rows: Sequence[Sequence[Any]],
    *,
    row_numbers: Sequence[int] | None = None,
    max_cell: int = 20_000,
    row_word: str = "行",
) -> TableRead | None:
    """Read activities from a grid; None when it has no activity header.

    `row_numbers` are the rows as the clerk knows them (a sheet's own numbers), for messages. Raises
    CellTooLong (with a Chinese message) for a cell over `max_cell` characters.
    """
    found = find_header(rows)
    if found is None:
        return None
    header_index, mapping, header = found
    _leaf_content(rows, header_index, mapping, header)
    numbers = list(row_numbers) if row_numbers is not None else [i + 1 for i in range(len(rows))]
    first_header = (
        header_index - 1 if header_index > 0 and _is_upper_header(rows, header_index) else header_index
    )
    titles = list(
        dict.fromkeys(t for row in rows[:first_header] for t in (cell_text(v).strip() for v in row) if t)
    )
    result = TableRead([], {f: clean_name(header[c]) for f, c in mapping.items()}, header_index, titles)
    result.name_from_content = "name" not in mapping
    tracking = bool(set(TRACKING) & set(mapping))
    for r in range(header_index + 1, len(rows)):
        row = rows[r]
        where = f"第 {numbers[r]} {row_word}"
        values = {f: row[c] if c < len(row) else None for f, c in mapping.items()}
        texts = {f: cell_text(v) for f, v in values.items()}
        for f, t in texts.items():
            if len(t) > max_cell:
                raise CellTooLong(
                    f"{where}“{clean_name(header[mapping[f]])}”一栏超过 {max_cell} 个字符，请检查是否粘贴了多余内容。"
                )
        if not any(t.strip() for t in texts.values()):
            continue
        if _is_section_row(row, texts):
            continue
        if _repeats_header(texts, header, mapping):
            continue  # a header repeated on every printed page
        number = texts.get("position", "").strip()
        if "position" in mapping and not number and result.activities and not texts.get("status", "").strip():
            _continue_row(result.activities[-1], texts)
            continue
        activity = _activity(texts, len(result.activities) + 1)
        if activity is None:
            result.warnings.append(f"{where}没有活动名称，已跳过。")
            continue
        if tracking:
            update = _tracking(activity, values, texts, where, result.warnings)
            update.position = _position(number) or activity.position
            result.updates.append(update)
        result.activities.append(activity)
        result.rows.append(r)
    return result


def _leaf_content(
    rows: Sequence[Sequence[Any]], header_index: int, mapping: dict[str, int], header: list[str]
) -> None:
    """A table without a name column whose header names the content twice (工作内容 over 工作措施): the
    activities are the column filled in more rows — the other's cells are merged over several rows, a
    group of the activities, not one."""
    if "name" in mapping or "content" not in mapping:
        return
    columns = [
        c for c, text in enumerate(header) if cell_field(text) == "content" and c not in mapping.values()
    ]
    if not columns:
        return

    def filled(c: int) -> int:
        return sum(1 for row in rows[header_index + 1 :] if c < len(row) and cell_text(row[c]).strip())

    best = max(columns, key=filled)
    if filled(best) > filled(mapping["content"]):
        mapping["content"] = best


def _is_upper_header(rows: Sequence[Sequence[Any]], index: int) -> bool:
    upper = [cell_text(v) for v in rows[index - 1]]
    return sum(1 for t in upper if cell_field(t)) >= 2


def _is_section_row(row: Sequence[Any], texts: dict[str, str]) -> bool:
    """A row whose one text runs over the whole table ("一、宣传教育活动"): a group heading, not an activity."""
    cells = [cell_text(v).strip() for v in row]
    filled = [t for t in cells if t]
    if len(cells) < 3 or not filled:
        return False
    return len(set(filled)) == 1 and len(filled) >= max(3, len(cells) - 1)


def _repeats_header(texts: dict[str, str], header: list[str], mapping: dict[str, int]) -> bool:
    same = sum(
        1 for f, c in mapping.items() if texts.get(f, "").strip() == header[c].strip() and header[c].strip()
    )
    return same >= max(2, len(mapping) - 1)


_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}


def _position(number: str) -> int | None:
    """A 序号 as a number: "3", "3.", "（3）", "③", "三" — None when it is none of these."""
    text = unicodedata.normalize("NFKC", number).strip(" .、()（）")
    if text in _CIRCLED:
        return _CIRCLED[text]
    if text.isascii() and text.isdigit() and len(text) <= 6:
        return int(text)
    if (
        0 < len(text) <= 3
        and all(ch in "一二三四五六七八九十" for ch in text)
        and (len(text) == 1 or "十" in text)
    ):
        return cn_number(text)
    return None


def first_clause(text: str, limit: int = NAME_LIMIT) -> str:
    """The name a content cell gives: up to its first full stop or colon, else its first clause, ≤ limit."""
    text = clean_name(text.split("\n")[0], 400)
    text = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*", "", text)
    for stop in "。；;！？!?":
        if stop in text:
            text = text.split(stop)[0]
    colon = re.search(r"[：:]", text)
    if colon and colon.start() >= 2:
        text = text[: colon.start()]
    if len(text) > limit and "，" in text[: limit + 1]:
        text = text.split("，")[0]
    return text[:limit].strip(" ，,")


def _activity(texts: dict[str, str], position: int) -> Activity | None:
    content = clean_text(texts.get("content", ""))
    name = clean_name(texts.get("name", ""), 400)
    if not name:
        if not content:
            return None
        name = first_clause(content)
        if not name:
            return None
    time_text, note = time_and_note(clean_name(texts.get("time_text", "")))
    lead, coop_in_lead = units_by_role(texts.get("lead_units", ""))
    coop = split_units(texts.get("coop_units", ""))
    activity = Activity(
        position=position,
        name=name,
        content=content,
        time_text=time_text,
        location=clean_name(texts.get("location", "")),
        lead_units=lead,
        coop_units=list(dict.fromkeys([*coop_in_lead, *coop])),
        remarks="\n".join(t for t in (clean_text(texts.get("remarks", "")), note) if t),
    )
    return activity


_TIME_NOTE = re.compile(r"[（(]([^（）()]{6,})[)）]$")
_DATE_WORD = re.compile(r"\d|[一二三四五六七八九十]+月|[上中下]旬|[上下]午|星期|周[一二三四五六日末]|季度")


def time_and_note(text: str) -> tuple[str, str]:
    """A time cell's period and the note in brackets after it (“2024年3月至10月（各地分阶段开展）”): a
    bracket without a date word in it says how, not when, and goes to the remarks."""
    m = _TIME_NOTE.search(text)
    if m is None or m.start() == 0 or _DATE_WORD.search(m[1]) or not _DATE_WORD.search(text[: m.start()]):
        return text, ""
    return text[: m.start()].rstrip(" ，,"), m[1]


def _continue_row(previous: Activity, texts: dict[str, str]) -> None:
    """A row with no 序号 that only continues the text of the row above is merged into it."""
    for f in ("name", "content", "remarks", "location", "time_text"):
        extra = clean_text(texts.get(f, ""))
        current = getattr(previous, f)
        if extra and extra != current and not (f == "content" and extra == previous.name):
            joiner = "" if f in ("name", "time_text", "location") else "\n"
            setattr(previous, f, f"{current}{joiner}{extra}" if current else extra)
    lead, coop = units_by_role(texts.get("lead_units", ""))
    for key, units in (
        ("lead_units", lead),
        ("coop_units", [*coop, *split_units(texts.get("coop_units", ""))]),
    ):
        for unit in units:
            if unit not in getattr(previous, key):
                getattr(previous, key).append(unit)


def parse_progress(value: Any) -> int:
    """A 进度 cell as a whole percent 0–100 (0.8 and "80%" are 80); ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(str(value))
        number = value * 100 if 0 < value < 1 else value
        if not 0 <= number <= 100:
            raise ValueError(str(value))
        return round(number)
    text = unicodedata.normalize("NFKC", str(value)).strip().rstrip("%").strip()
    if not re.fullmatch(r"\d{1,3}(\.\d+)?", text):
        raise ValueError(text)
    number = round(float(text))
    if not 0 <= number <= 100:
        raise ValueError(text)
    return number


def parse_day(value: Any) -> dt.date | None:
    """A 完成时间 cell as a date (a date cell, "2024-09-30", "2024年9月30日"); ValueError for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not m:
        raise ValueError(text)
    return dt.date(int(m[1]), int(m[2]), int(m[3]))  # ValueError for 2月30日 too


def _tracking(
    activity: Activity, values: dict[str, Any], texts: dict[str, str], where: str, warnings: list[str]
) -> ProgressUpdate:
    update = ProgressUpdate(None, None, activity.name, None, None, None, None)
    status = clean_name(texts.get("status", ""))
    if status:
        if status in STATUSES:
            activity.status = update.status = status
        else:
            warnings.append(f"{where}的状态“{status}”无效（可选：{'、'.join(STATUSES)}），已忽略。")
    raw = values.get("progress")
    if raw not in (None, ""):
        try:
            activity.progress = update.progress = parse_progress(raw)
        except (ValueError, OverflowError):
            warnings.append(f"{where}的进度“{cell_text(raw) or raw}”不是 0–100 的数，已忽略。")
    raw = values.get("completed_on")
    if raw not in (None, ""):
        try:
            activity.completed_on = update.completed_on = parse_day(raw)
        except (ValueError, OverflowError):
            warnings.append(f"{where}的完成时间“{cell_text(raw)}”不是有效日期，已忽略。")
    if "completion_notes" in values:
        notes = clean_text(texts.get("completion_notes", ""))
        activity.completion_notes = notes
        update.completion_notes = notes or None
    return update


__all__ = ["split_units", "units_by_role"]  # read by models.cell_units
