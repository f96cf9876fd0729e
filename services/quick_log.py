"""Quick progress entry: one typed line becomes a dated log entry and, when it says so, a status and progress.

"9月12日 召开动员会" adds a log line dated 12 September; "完成80%" (or "完成八成") also sets the progress to
80 % (and 进行中 if the activity had not started); "已完成，共发放资料3000份" marks it 已完成 with 100 %
and the line's date as 完成时间; "已启动" moves 未开始 to 进行中. When an activity becomes 已完成 and its
完成情况 is empty, 完成情况 is written from its log lines (the clerk edits it afterwards). A line that
says "未完成" / "尚未完成" never marks anything done. Cancelling is never read from a line ("取消了现场
环节" is not a cancelled activity): 已取消 is set by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlite_utils import Database

from models import clock, store
from models.errors import ValidationError
from models.records import STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED, Activity, ProgressEntry
from services import editing

# full-width digits and signs read as ASCII, one character for one so the clerk's own text is kept
_WIDE = str.maketrans("０１２３４５６７８９％．／－　", "0123456789%./- ")
_CN_TENTHS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NEGATED = re.compile(r"(未|没有|没|尚未|还未|暂未|不能|无法)(全部|全面|如期|按期)?完成")
_DONE = re.compile(
    r"(已经?|全部|均已|已全部|圆满|顺利|基本)完成(?![\d一二两三四五六七八九]|率|情况)|已办结|已结束|^完成[。！!]?$"
)
_PERCENT = re.compile(r"(\d{1,3})\s*%")
_TENTHS = re.compile(r"([一二两三四五六七八九])成")
_STARTED = re.compile(r"已(经)?(启动|开始|开展|部署)|正在|推进中|进行中|开展中")
_DATE_PREFIX = re.compile(
    r"^\s*(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*[,，:：、\s]*"
)
_RELATIVE = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2}
# words that only say the status; they are left out of the 完成情况 written from the log
_STATUS_ONLY = re.compile(
    r"^(?:(?:已经?|全部|均已|圆满|顺利|基本)?完成(?:了)?\s*(?:\d{1,3}\s*%|[一二两三四五六七八九]成)?|已办结|已结束"
    r"|已(?:经)?(?:启动|开始)|进度\s*\d{1,3}\s*%|\d{1,3}\s*%)[，,。；;、\s]*"
)


@dataclass(frozen=True)
class QuickEntry:
    """What one typed line means: its date, the text to log, and what it says about the activity."""

    day: dt.date
    text: str
    done: bool = False
    progress: int | None = None
    started: bool = False

    def describe(self) -> str:
        """Say in a few words what the line will do besides logging (for the box's hint)."""
        if self.done:
            return "标记为已完成（进度 100%）"
        if self.progress is not None:
            return f"进度设为 {self.progress}%"
        if self.started:
            return "状态设为进行中"
        return ""


def parse_quick_entry(text: str, today: dt.date) -> QuickEntry:
    """Read a typed line: an optional date first (9月12日 / 2024-09-12 / 昨天), then what was done."""
    raw = text.translate(_WIDE).strip()
    day = today
    for word, offset in _RELATIVE.items():
        if raw.startswith(word):
            day = today + dt.timedelta(days=offset)
            raw = raw[len(word) :].lstrip(" ,，:：、")
            break
    else:
        m = _DATE_PREFIX.match(raw)
        if m and (m[1] or re.match(r"\s*\d{1,2}\s*[月.]", raw)):
            year = int(m[1]) if m[1] else today.year
            try:
                found = dt.date(year, int(m[2]), int(m[3]))
            except ValueError as exc:
                raise ValidationError(f"“{m[0].strip()}”不是存在的日期。") from exc
            if not m[1] and found > today + dt.timedelta(days=31):
                found = found.replace(year=year - 1)  # "12月28日" typed in January is last year's
            day, raw = found, raw[m.end() :]
    if not raw.strip():
        raise ValidationError("请写下做了什么，例如“召开动员会”“完成80%”“已完成”。")
    negated = bool(_NEGATED.search(raw))
    progress = None
    percent = _PERCENT.search(raw)
    if percent:
        progress = int(percent[1])
        if progress > 100:
            raise ValidationError(f"进度“{percent[0]}”超过 100%。")
    elif tenths := _TENTHS.search(raw):
        progress = _CN_TENTHS[tenths[1]] * 10
    done = not negated and (bool(_DONE.search(raw)) or progress == 100)
    if done:
        progress = 100
    started = bool(_STARTED.search(raw)) or (progress is not None and progress > 0)
    return QuickEntry(day, raw.strip(), done, progress, started)


def completion_from_log(entries: list[ProgressEntry]) -> str:
    """Write 完成情况 from log lines: one line per entry, "9月3日，召开动员会。", status-only words left out."""
    lines = []
    for entry in sorted(entries, key=lambda e: (e.entry_date or dt.date.min, e.id or 0)):
        text = entry.text.strip()
        text = _STATUS_ONLY.sub("", text).strip(" ，,。；;、")
        if not text:
            continue
        day = entry.entry_date
        prefix = f"{day.month}月{day.day}日，" if day else ""
        lines.append(f"{prefix}{text}" + ("" if text.endswith(("。", "！", "？", "…")) else "。"))
    return "\n".join(lines)


def prefill_notes(
    activity: Activity, values: dict[str, object], entries: list[ProgressEntry]
) -> dict[str, object]:
    """Add 完成情况 from the log to `values` when they mark the activity 已完成 and it has none yet."""
    becomes_done = values.get("status") == STATUS_DONE and activity.status != STATUS_DONE
    if not becomes_done or activity.completion_notes.strip() or "completion_notes" in values:
        return values
    notes = completion_from_log(entries)
    return {**values, "completion_notes": notes} if notes else values


def entry_values(activity: Activity, entry: QuickEntry) -> dict[str, object]:
    """Return the field values a quick entry implies for an activity (before the status rule)."""
    values: dict[str, object] = {}
    if entry.done:
        if activity.status != STATUS_DONE:
            values["status"] = STATUS_DONE
        values["progress"] = 100
        if activity.completed_on is None or activity.status != STATUS_DONE:
            values["completed_on"] = entry.day
        return values
    if entry.progress is not None:
        values["progress"] = entry.progress
        if activity.status == STATUS_DONE:  # "完成80%" on a done activity: it is not done after all
            values["status"], values["completed_on"] = STATUS_IN_PROGRESS, None
    if entry.started and activity.status == STATUS_NOT_STARTED:
        values["status"] = STATUS_IN_PROGRESS
    return values


@dataclass
class QuickChange:
    """A prepared quick entry: the log line and the normalised field changes; `olds` after writing."""

    activity_id: int
    entry: QuickEntry
    changes: dict[str, object]
    entry_id: int | None = None
    olds: dict[str, object] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the status bar."""
        extra = self.entry.describe() if self.changes else ""
        filled = "，已根据进展记录填写完成情况（可修改）" if "completion_notes" in self.changes else ""
        return f"已记录进展（{self.entry.day.isoformat()}）" + (f"，{extra}" if extra else "") + filled


def prepare_quick_entry(
    db: Database, activity_id: int, text: str, today: dt.date | None = None
) -> QuickChange:
    """Read a typed line for an activity and work out what it changes; ValidationError for a bad line."""
    day = today or clock.today()
    activity = store.get_activity(db, activity_id)
    entry = parse_quick_entry(text, day)
    values = entry_values(activity, entry)
    entries = [
        *store.list_progress_entries(db, activity_id),
        ProgressEntry(None, activity_id, entry.day, entry.text),
    ]
    values = prefill_notes(activity, values, entries)
    changes = editing.prepare_edit(
        db, activity, values, plan_year=store.plan_year_of(db, activity_id), today=entry.day
    )
    return QuickChange(activity_id, entry, changes)


def apply_quick_change(db: Database, change: QuickChange) -> QuickChange:
    """Add the log line and write the changes in one transaction (again with the same entry id on redo)."""
    with db.atomic():
        added = store.add_progress_entry(
            db, change.activity_id, change.entry.text, change.entry.day, entry_id=change.entry_id
        )
        change.entry_id = added.id
        change.olds = editing.write(db, change.activity_id, change.changes) if change.changes else {}
    return change


def revert_quick_change(db: Database, change: QuickChange) -> None:
    """Take the log line out and put the old values back, in one transaction (undo)."""
    with db.atomic():
        if change.entry_id is not None:
            store.remove_progress_entry(db, change.entry_id)
        if change.olds:
            editing.write(db, change.activity_id, change.olds)


def add_quick_entry(db: Database, activity_id: int, text: str, today: dt.date | None = None) -> QuickChange:
    """Prepare and apply a quick entry in one go (no undo: the command line and tests)."""
    return apply_quick_change(db, prepare_quick_entry(db, activity_id, text, today))


__all__ = [
    "QuickChange",
    "QuickEntry",
    "add_quick_entry",
    "apply_quick_change",
    "completion_from_log",
    "entry_values",
    "parse_quick_entry",
    "prefill_notes",
    "prepare_quick_entry",
    "revert_quick_change",
]
