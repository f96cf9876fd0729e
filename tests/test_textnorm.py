"""Unit lists and names: split the ways offices write them; property-based checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.textnorm import clean_name, clean_text, join_units, split_units


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("食药股、市场秩序股、知识产权股、各分局", ["食药股", "市场秩序股", "知识产权股", "各分局"]),
        ("质监股,办公室；各分局;执法局", ["质监股", "办公室", "各分局", "执法局"]),
        ("质监股，\n办公室\r\n各分局", ["质监股", "办公室", "各分局"]),
        ("质 监 股、质监股", ["质监股"]),
        ("　各县（市）局 ", ["各县（市）局"]),
        ("", []),
        ("、、，", []),
    ],
)
def test_split_units(text: str, units: list[str]) -> None:
    assert split_units(text) == units


unit = (
    st.text(alphabet=st.sampled_from(list("质量监督管理局科股所分各县市区（）ABC1")), min_size=1, max_size=8)
    .map(lambda s: clean_name(s, join_cjk=True))
    .filter(bool)
)


@given(st.lists(unit, max_size=8, unique=True))
def test_join_then_split_gives_the_units_back(units: list[str]) -> None:
    assert split_units(join_units(units)) == units


@given(st.text(max_size=200))
def test_cleaning_never_raises_and_removes_control_characters(text: str) -> None:
    for cleaned in (clean_name(text), clean_text(text), *split_units(text)):
        assert "\x00" not in cleaned and "\t" not in cleaned
        assert cleaned == cleaned.strip() or cleaned == ""


def test_names_keep_meaningful_spaces_but_join_wrapped_lines() -> None:
    assert clean_name("加强质量支撑 共建质量强国") == "加强质量支撑 共建质量强国"
    assert clean_name("开展质量\n提升行动") == "开展质量提升行动"
    assert clean_name("Quality\nMonth") == "Quality Month"
