"""Chinese numerals: the one converter that periods and outline numbering both use."""

import pytest

from models.numerals import cn_number
from models.plan_text.outline import marker


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十一", 21),
        ("廿三", 23),
        ("三十一", 31),
        ("二〇二四", 2024),
        ("二○二四", 2024),
        ("两", 2),
        ("15", 15),
        ("", None),
        ("十百", None),
        ("甲", None),
    ],
)
def test_cn_number(text: str, value: int | None) -> None:
    assert cn_number(text) == value


def test_outline_numbers_use_the_same_converter() -> None:
    assert marker("十二、宣传活动") == ("cn", 12, "宣传活动")
    assert marker("（二十）开展抽查") == ("paren_cn", 20, "开展抽查")


def test_table_row_numbers_use_the_same_converter() -> None:
    from models.table_reader import _position

    assert [_position(x) for x in ("三", "十二", "二十一", "（3）", "③", "二三", "十二三")] == [
        3,
        12,
        21,
        3,
        3,
        None,
        None,
    ]
