"""The period parser: every supported form, leap years, month ends, and text that names no period."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.timeframe import Timeframe, format_timeframe, parse_timeframe

D = dt.date

CASES: list[tuple[str, int, D | None, D | None]] = [
    # whole months, the samples' forms
    ("9月", 2024, D(2024, 9, 1), D(2024, 9, 30)),
    ("9月份", 2024, D(2024, 9, 1), D(2024, 9, 30)),
    ("2月", 2024, D(2024, 2, 1), D(2024, 2, 29)),
    ("2月", 2023, D(2023, 2, 1), D(2023, 2, 28)),
    ("5-12月", 2024, D(2024, 5, 1), D(2024, 12, 31)),
    ("5月-12月", 2024, D(2024, 5, 1), D(2024, 12, 31)),
    ("5至12月", 2024, D(2024, 5, 1), D(2024, 12, 31)),
    ("5月至12月", 2024, D(2024, 5, 1), D(2024, 12, 31)),
    ("５－１２月", 2024, D(2024, 5, 1), D(2024, 12, 31)),
    ("5～12月", 2024, D(2024, 5, 1), D(2024, 12, 31)),
    ("5—12月", 2024, D(2024, 5, 1), D(2024, 12, 31)),
    # 旬
    ("8月下旬", 2024, D(2024, 8, 21), D(2024, 8, 31)),
    ("9月上旬", 2024, D(2024, 9, 1), D(2024, 9, 10)),
    ("9月中旬", 2024, D(2024, 9, 11), D(2024, 9, 20)),
    ("9月下旬", 2024, D(2024, 9, 21), D(2024, 9, 30)),
    ("2月下旬", 2024, D(2024, 2, 21), D(2024, 2, 29)),
    ("2月下旬", 2023, D(2023, 2, 21), D(2023, 2, 28)),
    ("9月上中旬", 2024, D(2024, 9, 1), D(2024, 9, 20)),
    ("9月中下旬", 2024, D(2024, 9, 11), D(2024, 9, 30)),
    ("8月下旬至9月上旬", 2024, D(2024, 8, 21), D(2024, 9, 10)),
    ("9月上旬至下旬", 2024, D(2024, 9, 1), D(2024, 9, 30)),
    ("九月上旬", 2024, D(2024, 9, 1), D(2024, 9, 10)),
    # day ranges and single days
    ("9月1日-15日", 2024, D(2024, 9, 1), D(2024, 9, 15)),
    ("9月1日至9月15日", 2024, D(2024, 9, 1), D(2024, 9, 15)),
    ("9月1日~15日", 2024, D(2024, 9, 1), D(2024, 9, 15)),
    ("9月1日～15日", 2024, D(2024, 9, 1), D(2024, 9, 15)),
    ("9月1—15日", 2024, D(2024, 9, 1), D(2024, 9, 15)),
    ("9月28日-10月5日", 2024, D(2024, 9, 28), D(2024, 10, 5)),
    ("9月28日至10月5日", 2024, D(2024, 9, 28), D(2024, 10, 5)),
    ("9月10日", 2024, D(2024, 9, 10), D(2024, 9, 10)),
    ("9月10号", 2024, D(2024, 9, 10), D(2024, 9, 10)),
    ("2月29日", 2024, D(2024, 2, 29), D(2024, 2, 29)),
    ("十月十二日", 2024, D(2024, 10, 12), D(2024, 10, 12)),
    ("九月二十一日", 2024, D(2024, 9, 21), D(2024, 9, 21)),
    # deadlines
    ("10月12日前", 2024, None, D(2024, 10, 12)),
    ("10月12日之前", 2024, None, D(2024, 10, 12)),
    ("10月12日以前", 2024, None, D(2024, 10, 12)),
    ("10月底前", 2024, None, D(2024, 10, 31)),
    ("9月前", 2024, None, D(2024, 9, 30)),
    ("2月底前", 2024, None, D(2024, 2, 29)),
    ("年底前", 2024, None, D(2024, 12, 31)),
    ("截至10月", 2024, None, D(2024, 10, 31)),
    ("截至10月20日", 2024, None, D(2024, 10, 20)),
    ("即日起至10月底", 2024, None, D(2024, 10, 31)),
    ("2025年3月前", 2024, None, D(2025, 3, 31)),
    ("完成时限:10月底前", 2024, None, D(2024, 10, 31)),
    # month and year ends
    ("9月底", 2024, D(2024, 9, 30), D(2024, 9, 30)),
    ("2月底", 2024, D(2024, 2, 29), D(2024, 2, 29)),
    ("2月底", 2023, D(2023, 2, 28), D(2023, 2, 28)),
    ("2月末", 2100, D(2100, 2, 28), D(2100, 2, 28)),
    ("年底", 2024, D(2024, 12, 31), D(2024, 12, 31)),
    ("9月至年底", 2024, D(2024, 9, 1), D(2024, 12, 31)),
    # quarters and half-years, whole years
    ("第一季度", 2024, D(2024, 1, 1), D(2024, 3, 31)),
    ("一季度", 2024, D(2024, 1, 1), D(2024, 3, 31)),
    ("三季度", 2024, D(2024, 7, 1), D(2024, 9, 30)),
    ("第四季度", 2024, D(2024, 10, 1), D(2024, 12, 31)),
    ("Q3", 2024, D(2024, 7, 1), D(2024, 9, 30)),
    ("第三、四季度", 2024, D(2024, 7, 1), D(2024, 12, 31)),
    ("第二季度至第三季度", 2024, D(2024, 4, 1), D(2024, 9, 30)),
    ("2025年第一季度", 2024, D(2025, 1, 1), D(2025, 3, 31)),
    ("三季度末前", 2024, None, D(2024, 9, 30)),
    ("上半年", 2024, D(2024, 1, 1), D(2024, 6, 30)),
    ("下半年", 2024, D(2024, 7, 1), D(2024, 12, 31)),
    ("全年", 2024, D(2024, 1, 1), D(2024, 12, 31)),
    ("全年度", 2024, D(2024, 1, 1), D(2024, 12, 31)),
    ("年内", 2024, D(2024, 1, 1), D(2024, 12, 31)),
    # explicit years, Chinese numerals
    ("2024年9月", 2023, D(2024, 9, 1), D(2024, 9, 30)),
    ("2024年9月-2025年3月", 2024, D(2024, 9, 1), D(2025, 3, 31)),
    ("二〇二四年九月", 2020, D(2024, 9, 1), D(2024, 9, 30)),
    ("九月", 2024, D(2024, 9, 1), D(2024, 9, 30)),
    ("十二月", 2024, D(2024, 12, 1), D(2024, 12, 31)),
    # dots, slashes, ISO
    ("2024.9.1", 2024, D(2024, 9, 1), D(2024, 9, 1)),
    ("2024.09.01-2024.09.30", 2020, D(2024, 9, 1), D(2024, 9, 30)),
    ("9.1-9.15", 2024, D(2024, 9, 1), D(2024, 9, 15)),
    ("2024/9/1", 2024, D(2024, 9, 1), D(2024, 9, 1)),
    ("2024-09-01", 2024, D(2024, 9, 1), D(2024, 9, 1)),
    # open starts and the turn of the year
    ("9月1日起", 2024, D(2024, 9, 1), None),
    ("9月起", 2024, D(2024, 9, 1), None),
    ("自9月15日开始", 2024, D(2024, 9, 15), None),
    ("11月-次年2月", 2024, D(2024, 11, 1), D(2025, 2, 28)),
    ("11月-次年2月", 2023, D(2023, 11, 1), D(2024, 2, 29)),
    ("11月-2月", 2024, D(2024, 11, 1), D(2025, 2, 28)),
    # labels and spaces around the period
    ("活动时间：9月", 2024, D(2024, 9, 1), D(2024, 9, 30)),
    (" 9 月 下 旬 ", 2024, D(2024, 9, 21), D(2024, 9, 30)),
]


@pytest.mark.parametrize(("text", "year", "start", "end"), CASES)
def test_parse_timeframe(text: str, year: int, start: D | None, end: D | None) -> None:
    assert parse_timeframe(text, year) == Timeframe(start, end)


@pytest.mark.parametrize(
    "text",
    [
        "长期坚持",
        "待定",
        "常态化",
        "",
        "   ",
        "随时",
        "另行通知",
        "2月30日",
        "13月",
        "9月31日",
        "0月",
        "2023年2月29日",
        "9月32日",
        "廿",
        "第五季度",
        "12月-11月下旬x",
        "abc",
        "9月上上旬",
    ],
)
def test_text_naming_no_period_or_an_impossible_date_gives_none(text: str) -> None:
    assert parse_timeframe(text, 2024) is None


@pytest.mark.parametrize(
    ("tf", "shown"),
    [
        (Timeframe(D(2024, 9, 1), D(2024, 9, 30)), "2024-09-01 ～ 2024-09-30"),
        (Timeframe(None, D(2024, 10, 12)), "～ 2024-10-12"),
        (Timeframe(D(2024, 9, 1), None), "2024-09-01 起"),
        (Timeframe(D(2024, 9, 10), D(2024, 9, 10)), "2024-09-10"),
        (None, "未识别"),
    ],
)
def test_format_timeframe(tf: Timeframe | None, shown: str) -> None:
    assert format_timeframe(tf) == shown


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789年月日旬上中下前后至到-~—.起底初末季度全半第一二三四五六七八九十廿〇 次Q之以截即")
        ),
        max_size=16,
    ),
    st.integers(min_value=1990, max_value=2100),
)
def test_parser_never_raises_and_orders_dates(text: str, year: int) -> None:
    tf = parse_timeframe(text, year)
    if tf is not None:
        assert tf.start is not None or tf.end is not None
        if tf.start and tf.end:
            assert tf.start <= tf.end


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31)))
def test_any_real_date_written_in_chinese_parses_to_itself(day: D) -> None:
    assert parse_timeframe(f"{day.year}年{day.month}月{day.day}日", 2000) == Timeframe(day, day)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("国庆节前", None, (9, 30)),
        ("国庆期间", (10, 1), (10, 7)),
        ("春节前", None, (2, 9)),  # 2024's Spring Festival is 10 February
        ("端午节期间", (6, 10), (6, 12)),
        ("中秋节前后", (9, 14), (9, 22)),
        ("清明节前", None, (4, 3)),
        ("“质量月”期间", (9, 1), (9, 30)),
        ("全国“质量月”期间", (9, 1), (9, 30)),
        ("3·15期间", (3, 15), (3, 15)),
        ("6月17日上午", (6, 17), (6, 17)),
        ("10月20日（星期五）", (10, 20), (10, 20)),
        ("2024年9月20日（周五）下午2点", (9, 20), (9, 20)),
        ("9月1日上午9:00-11:30", (9, 1), (9, 1)),
        ("3月15日当天", (3, 15), (3, 15)),
        ("10月10日前（逢节假日顺延）", None, (10, 10)),
        ("每月25日前", (1, 1), (12, 25)),
    ],
)
def test_named_days_hours_weekdays_and_notes(
    text: str, start: tuple[int, int] | None, end: tuple[int, int] | None
) -> None:
    tf = parse_timeframe(text, 2024)
    assert tf is not None, text
    assert tf.start == (dt.date(2024, *start) if start else None)
    assert tf.end == (dt.date(2024, *end) if end else None)


def test_lunar_festivals_follow_the_year() -> None:
    from models.holidays import festival

    assert festival("春节", 2025) == (dt.date(2025, 1, 29), dt.date(2025, 2, 4))
    assert festival("中秋节", 2026)[0] == dt.date(2026, 9, 25)  # type: ignore[index]
    assert festival("端午", 2099) is None  # outside the table: not guessed
