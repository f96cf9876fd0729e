"""Periods as Chinese plans write them ("9月", "5-12月", "8月下旬", "10月12日前", "第三季度"…) → dates."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from models.numerals import CN_DIGITS, cn_number


@dataclass(frozen=True)
class Timeframe:
    """A planned period; either end may be open (a deadline has only an end)."""

    start: dt.date | None
    end: dt.date | None


_CN_RUN = re.compile(r"[〇零○一二两三四五六七八九十廿]+(?=[年月日号季旬])")
_PREFIX = re.compile(r"^(?:活动时间|完成时间|完成时限|时间安排|时间|时限|办结时限|截止时间)\s*[:：]?\s*")


_WEEKDAY = re.compile(r"[（(]?(?:星期|周|礼拜)[一二三四五六日天][）)]?")
_CLOCK = re.compile(
    r"(?:上午|下午|中午|晚上|早上|傍晚|晚|夜间|全天)?(?:\d{1,2}[:：]\d{2}|\d{1,2}(?:点|时)(?:\d{1,2}分|半|整)?)?"
    r"(?:[-至](?:上午|下午|晚上)?(?:\d{1,2}[:：]\d{2}|\d{1,2}(?:点|时)(?:\d{1,2}分|半|整)?))?"
)
_NOTE = re.compile(r"[（(][^（）()]*[）)]")


def _strip_details(text: str) -> str:
    """What does not change the period: the weekday, the hour, "当天", notes in brackets ("（逢节假日顺延）")."""
    text = _WEEKDAY.sub("", text)
    text = re.sub(r"(?<=[日旬底初])" + _CLOCK.pattern, "", text)
    text = re.sub(r"^(?:于|在|定于|拟于|计划于|预计)", "", text)
    text = re.sub(r"(?:当天|当日|全天|举行|举办|召开|开展)$", "", text)
    return _NOTE.sub(lambda m: m[0] if re.search(r"\d月|\d日|年", m[0]) else "", text)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    text = _PREFIX.sub("", text)
    text = _strip_details(text)
    text = text.replace("份", "").replace("号", "日").replace("——", "-").replace("—", "-").replace("–", "-")
    text = re.sub(r"[~～〜]", "-", text)
    text = text.replace("到", "至")
    # Chinese numerals before a unit (二〇二四年, 九月, 十二日) become digits.
    text = _CN_RUN.sub(
        lambda m: str(cn_number(m.group(0))) if cn_number(m.group(0)) is not None else m.group(0), text
    )
    # Dots and slashes: 2024.9.1 / 9.1 / 2024/9/1 / 2024-09-01 → 2024年9月1日
    text = re.sub(r"(?<!\d)(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?!\d)", r"\1年\2月\3日", text)
    text = re.sub(r"(?<![\d年])(\d{1,2})[./](\d{1,2})(?![\d月])", r"\1月\2日", text)
    text = re.sub(r"(?<!\d)(\d{4})[./](\d{1,2})(?![\d./])", r"\1年\2月", text)
    # "9月1-15日": the left day borrows 日 from the right.
    text = re.sub(r"(\d{1,2}月\d{1,2})(?=-\d{1,2}日)", r"\1日", text)
    return text


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_XUN = {"上": (1, 10), "中": (11, 20), "下": (21, 31)}


@dataclass
class _Point:
    """One side of a period as written: 2024年9月上旬, 9月12日, 10月底…"""

    year: int | None
    month: int | None
    day: int | None = None
    xun: str = ""  # 上/中/下 or a run such as 上中
    edge: str = ""  # 初 / 底 / 中

    def start(self, year: int) -> dt.date | None:
        y = self.year or year
        if self.month is None:
            return None
        if self.day is not None:
            return _date(y, self.month, self.day)
        if self.xun:
            return _date(y, self.month, _XUN[self.xun[0]][0])
        if self.edge == "底":
            return _date(y, self.month, _last_day(y, self.month))
        if self.edge == "中":
            return _date(y, self.month, 11)
        return _date(y, self.month, 1)

    def end(self, year: int) -> dt.date | None:
        y = self.year or year
        if self.month is None:
            return None
        if self.day is not None:
            return _date(y, self.month, self.day)
        if self.xun:
            last = _XUN[self.xun[-1]][1]
            return _date(y, self.month, min(last, _last_day(y, self.month)))
        if self.edge == "初":
            return _date(y, self.month, 10)
        if self.edge == "中":
            return _date(y, self.month, 20)
        return _date(y, self.month, _last_day(y, self.month))


_POINT = re.compile(
    r"^(?:(?P<year>\d{4})年)?(?:(?P<next>次年|明年|下年))?(?:(?P<month>\d{1,2})月)?"
    r"(?:(?P<day>\d{1,2})日|(?P<xun>[上中下]{1,2})旬|(?P<edge>初|底|末|中))?$"
)


def _point(text: str) -> tuple[_Point, bool] | None:
    m = _POINT.match(text)
    if not m or not text:
        return None
    month = int(m["month"]) if m["month"] else None
    year = int(m["year"]) if m["year"] else None
    if month is None and (m["day"] or m["xun"]):
        return None
    if month is not None and not 1 <= month <= 12:
        raise ValueError("month")
    if m["xun"] and m["xun"][0] == m["xun"][-1] and len(m["xun"]) == 2:
        return None
    edge = "底" if m["edge"] == "末" else (m["edge"] or "")
    if year is None and month is None:
        return None
    return _Point(year, month, int(m["day"]) if m["day"] else None, m["xun"] or "", edge), bool(m["next"])


_QUARTERS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def _whole_year(text: str) -> bool:
    return text in {
        "全年",
        "全年度",
        "全年持续",
        "年内",
        "全年内",
        "本年度",
        "年度内",
        "全年开展",
        "常年",
        "全年度持续",
    }


def _named_day(text: str, year: int) -> Timeframe | None:
    """Festivals, campaign days and months: "国庆节前", "春节期间", "中秋节前后", "“质量月”期间", "3·15"."""
    from models.holidays import NAMES, festival

    names = "|".join(re.escape(n) for n in NAMES)
    m = re.fullmatch(
        rf"(?:(\d{{4}})年)?(?:全国|全省|全市)?[“\"]?({names})[”\"]?(?:活动)?(前|之前|以前|期间|前后|后|之后|以后|当天)?",
        text,
    )
    if not m:
        return None
    days = festival(m[2].replace(".", "·"), int(m[1]) if m[1] else year)
    if days is None:
        return None
    first, last = days
    edge = m[3] or ""
    if edge in ("前", "之前", "以前"):
        return Timeframe(None, first - dt.timedelta(days=1))
    if edge == "前后":
        return Timeframe(first - dt.timedelta(days=3), last + dt.timedelta(days=3))
    if edge in ("后", "之后", "以后"):
        return Timeframe(last + dt.timedelta(days=1), None)
    return Timeframe(first, last)


def _recurring(text: str, year: int) -> Timeframe | None:
    """A report due every month ("每月25日前"): the plan's year, up to the last of its monthly dates."""
    m = re.fullmatch(r"(?:每月|每个月|按月)(\d{1,2})日(?:前|之前|以前)?(?:报送|上报)?", text)
    if m and 1 <= int(m[1]) <= 31:
        return Timeframe(dt.date(year, 1, 1), dt.date(year, 12, min(int(m[1]), 31)))
    return None


def _special(text: str, year: int) -> Timeframe | None:
    """Quarters, half-years, whole years and 年底."""
    m = re.fullmatch(
        r"(?:(\d{4})年)?(全年|全年度|年内|年底|年末|年初|年中|上半年|下半年)(?:前|之前|内)?", text
    )
    if m:
        y = int(m[1]) if m[1] else year
        word = m[2]
        deadline = text.endswith(("前", "之前"))
        ranges = {
            "全年": (1, 12),
            "全年度": (1, 12),
            "年内": (1, 12),
            "上半年": (1, 6),
            "下半年": (7, 12),
            "年底": (12, 12),
            "年末": (12, 12),
            "年初": (1, 1),
            "年中": (6, 7),
        }
        first, last = ranges[word]
        start = dt.date(y, first, 1)
        end = dt.date(y, last, _last_day(y, last))
        if word in ("年底", "年末"):
            start = end
        if deadline:
            return Timeframe(None, end if word not in ("上半年",) else dt.date(y, 6, 30))
        return Timeframe(start, end)
    if "季" in text:
        text = "".join(str(CN_DIGITS[ch]) if ch in CN_DIGITS else ch for ch in text)
        text = re.sub(r"(\d)季度(?=[至-]第?\d季度)", r"\1", text)
    m = re.fullmatch(
        r"(?:(\d{4})年)?(?:第)?(\d)(?:[、,和及至-](?:第)?(\d))?季度(?:末|底)?(?:前)?|Q(\d)", text
    )
    if m:
        y = int(m[1]) if m[1] else year
        q1 = int(m[2] or m[4])
        q2 = int(m[3]) if m[3] else q1
        if not (1 <= q1 <= 4 and 1 <= q2 <= 4) or q2 < q1:
            return None
        start = dt.date(y, _QUARTERS[q1][0], 1)
        last = _QUARTERS[q2][1]
        end = dt.date(y, last, _last_day(y, last))
        if text.endswith("前"):
            return Timeframe(None, end)
        return Timeframe(start, end)
    return None


@functools.lru_cache(maxsize=4096)
def parse_timeframe(text: str, year: int) -> Timeframe | None:
    """Return the period named by `text` (the plan's `year` when none is written), or None; never raises.

    Cached: the same few time texts ("9月", "全年") repeat across a plan, and the table asks for
    them on every repaint. The result is immutable, so sharing it is safe.
    """
    try:
        return _parse(text, year)
    except (ValueError, OverflowError, IndexError):
        return None


def _parse(text: str, year: int) -> Timeframe | None:
    if not text or not text.strip():
        return None
    s = _normalise(text)
    s = s.strip("，,。.;；")
    if _whole_year(s):
        return Timeframe(dt.date(year, 1, 1), dt.date(year, 12, 31))
    special = _special(s, year) or _named_day(s, year) or _recurring(s, year)
    if special is not None:
        return special
    # Deadlines with no start: "10月12日前", "9月前", "截至10月", "即日起至10月底".
    for pattern in (
        r"(?:即日起|即日|从即日起|自即日起|现在起)?(?:至|截至|截止|截止到|到)?(.+?)"
        r"(?:前|之前|以前|止|为止|前完成|之前完成)",
        r"(?:即日起|自即日起|从即日起)?(?:至|截至|截止|截止到|到)(.+)",
    ):
        m = re.fullmatch(pattern, s)
        point = _point(m[1]) if m and not re.search(r"[至-]", m[1]) else None
        if point is not None:
            end = point[0].end(year + point[1])
            return Timeframe(None, end) if end else None
    # "9月1日起" / "自9月起" / "9月开始"
    m = re.fullmatch(r"(?:自|从)?(.+?)(?:起|开始|以后|之后)", s)
    if m and not re.search(r"[至-]", m[1]):
        point = _point(m[1])
        if point is not None:
            start = point[0].start(year + point[1])
            return Timeframe(start, None) if start else None
    # Ranges: A-B / A至B, where B may omit what it shares with A ("5-12月", "9月1-15日", "9月上旬至下旬").
    parts = re.split(r"至|-", s)
    if len(parts) == 2 and parts[0] and parts[1]:
        return _range(parts[0], parts[1], year)
    if len(parts) != 1:
        return None
    point = _point(s)
    if point is None:
        return None
    p, nxt = point
    start, end = p.start(year + nxt), p.end(year + nxt)
    if start is None or end is None:
        return None
    if p.edge == "底":
        return Timeframe(end, end)
    return Timeframe(start, end)


def _range(left: str, right: str, year: int) -> Timeframe | None:
    a = _point(left)
    if a is None:
        # "5-12月": the left side is a bare month; "1-15日" after a month is handled below.
        if re.fullmatch(r"\d{1,2}", left):
            b = _point(right)
            if b is None:
                return None
            bp = b[0]
            if (
                bp.day is not None and bp.month is not None
            ):  # "9.1-15" is rare; "1-15日" has no month on the left
                return None
            if bp.month is None:
                return None
            ap = _Point(bp.year, int(left))
            if not 1 <= int(left) <= 12:
                return None
            return _finish(ap, False, bp, b[1], year)
        return None
    ap, anext = a
    b = _point(right)
    if b is None:
        # The right side borrows the left's month or year: "9月1-15日", "9月上旬至下旬", "2024年9月-12月".
        if re.fullmatch(r"\d{1,2}日", right) and ap.month is not None:
            bp = _Point(ap.year, ap.month, int(right[:-1]))
        elif re.fullmatch(r"\d{1,2}", right) and ap.day is not None:
            bp = _Point(ap.year, ap.month, int(right))
        elif re.fullmatch(r"[上中下]旬", right) and ap.month is not None:
            bp = _Point(ap.year, ap.month, xun=right[0])
        elif re.fullmatch(r"(?:底|月底|末|月末)", right) and ap.month is not None:
            bp = _Point(ap.year, ap.month, edge="底")
        elif right in ("年底", "年末", "今年底"):
            bp = _Point(ap.year, 12, edge="底")
        else:
            return None
        return _finish(ap, anext, bp, False, year)
    bp, bnext = b
    if bp.year is None and ap.year is not None:
        bp.year = ap.year
    return _finish(ap, anext, bp, bnext, year)


def _finish(ap: _Point, anext: bool, bp: _Point, bnext: bool, year: int) -> Timeframe | None:
    if ap.month is None and ap.year is not None and bp.month is not None:
        ap.month = 1
    start = ap.start(year + anext)
    end_year = year + (1 if bnext else 0)
    end = bp.end(end_year)
    if start is None or end is None:
        return None
    if end < start and bp.year is None and not bnext:
        # "11月-2月": the end is in the following year.
        end = bp.end((ap.year or year) + 1)
        if end is None:
            return None
    if end < start:
        return None
    return Timeframe(start, end)


def format_timeframe(tf: Timeframe | None) -> str:
    """Show a period briefly: "2024-09-01 ～ 2024-09-30", "～ 2024-10-12", "2024-09-01 起", or 未识别."""
    if tf is None or (tf.start is None and tf.end is None):
        return "未识别"
    if tf.start and tf.end:
        if tf.start == tf.end:
            return tf.start.isoformat()
        return f"{tf.start.isoformat()} ～ {tf.end.isoformat()}"
    if tf.end:
        return f"～ {tf.end.isoformat()}"
    return f"{tf.start.isoformat()} 起" if tf.start else "未识别"
