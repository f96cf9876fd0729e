"""Plan text → proposed plan: the two real samples, a corpus in the style of real plans, and noise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.plan_text import clean_ocr, parse_plan_text

CORPUS = Path(__file__).parent / "plan_texts"
FIELDS = ("name", "time_text", "location", "lead_units", "coop_units")


def corpus() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.txt") if p.with_suffix(".json").exists())


def score(files: list[Path]) -> dict[str, tuple[float, float]]:
    """Field-level precision and recall: a field counts when expected or proposed non-empty."""
    tallies = {f: [0, 0, 0] for f in FIELDS}  # correct, proposed, expected
    for path in files:
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        got = [p.activity for p in parse_plan_text(path.read_text(encoding="utf-8")).activities]
        for i, exp in enumerate(expected):
            g = got[i] if i < len(got) else None
            for f in FIELDS:
                value = getattr(g, f) if g is not None else ""
                tallies[f][1] += bool(value)
                tallies[f][2] += bool(exp[f])
                tallies[f][0] += bool(exp[f]) and value == exp[f]
        for extra in got[len(expected) :]:
            for f in FIELDS:
                tallies[f][1] += bool(getattr(extra, f))
    return {f: (c / p if p else 1.0, c / e if e else 1.0) for f, (c, p, e) in tallies.items()}


def test_gongqingcheng_sample_every_field() -> None:
    path = CORPUS / "sample-gongqingcheng.txt"
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    proposal = parse_plan_text(path.read_text(encoding="utf-8"))
    got = [{f: getattr(p.activity, f) for f in FIELDS} for p in proposal.activities]
    assert got == expected
    plan = proposal.plan
    assert plan.title == "共青城市市场监督管理局2024年“质量月”活动方案"
    assert plan.office == "共青城市市场监督管理局"
    assert plan.theme == "加强质量支撑 共建质量强国"
    assert plan.year == 2024 and plan.report_to == "质监股"


def test_yueyang_sample_takes_the_annex_table() -> None:
    path = CORPUS / "sample-yueyang.txt"
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    proposal = parse_plan_text(path.read_text(encoding="utf-8"))
    assert [p.activity.name for p in proposal.activities] == [e["name"] for e in expected]
    # content as the table has it (row 12's OCR also carries row 9's content, out of order)
    for p, e in list(zip(proposal.activities, expected, strict=True))[:8]:
        assert p.activity.content == e["content"]
    plan = proposal.plan
    assert plan.title == "岳阳市市场监管系统2024年“质量月”活动方案"
    assert (plan.office, plan.year, plan.period_text) == ("岳阳市市场监督管理局", 2024, "2024年9月")
    assert (plan.report_deadline, plan.report_to) == ("10月12日前", "市局质量发展科")
    assert plan.theme == "加强质量支撑 共建质量强市"
    assert plan.annex_label == "附件2"
    assert len(plan.slogans) == 10 and plan.slogans[0] == "贯彻质量强国建设纲要 推进质量强企强链强县"
    assert "附件" in proposal.messages[0]


def test_no_phone_numbers_or_email_are_kept() -> None:
    text = (
        "某局\n联系人：张三  电话：13800000000\n邮箱：someone@example.com\n（一）开展宣传活动。（质量股负责）"
    )
    proposal = parse_plan_text(text)
    assert "1380" not in proposal.plan.report_contact and "@" not in proposal.plan.report_contact


def test_corpus_precision_and_recall_at_least_95_percent() -> None:
    figures = score(corpus())
    for f, (precision, recall) in figures.items():
        assert precision >= 0.95 and recall >= 0.95, (f, precision, recall)


@pytest.mark.parametrize(
    "text", ["", "你好", "这是一段与方案无关的文字。", "1234567", "（一）", "\n\n\n", "附件"]
)
def test_unparseable_text_gives_empty_proposal_with_message(text: str) -> None:
    proposal = parse_plan_text(text)
    assert proposal.activities == []
    assert any("未找到活动条目" in m for m in proposal.messages)


def test_clean_ocr_repairs_common_noise() -> None:
    noisy = "(一 )开展质士\n“\n提升\n”\n活动\n-6-\n质 量 强 国"
    cleaned = clean_ocr(noisy)
    assert "质量“提升”活动" in cleaned
    assert "-6-" not in cleaned
    assert "质 量" not in cleaned.replace("质 量 强 国", "x") and "（一）" in cleaned


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("（一二三）1.、：:活动时间牵头部门配合单位质量月9上旬\n \t“”《》，。；负责实施附件序号名称")
        ),
        max_size=200,
    )
)
def test_parser_never_raises(text: str) -> None:
    proposal = parse_plan_text(text)
    for p in proposal.activities:
        assert p.activity.name
