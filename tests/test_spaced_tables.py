"""Tables flattened with single spaces between the cells (models.plan_text.spaced), in wordings of our own."""

from models.plan_text import parse_plan_text
from models.plan_text.spaced import spaced_grid

TABLE = """某县市场监管局2025年联合抽查计划
序号 抽查项目 抽查内容 抽查比例
及频次 牵头部门 配合部门 时间
1 电梯安全抽查 住宅小区在用电梯维保情况的检查 5%；1次/年 特种设备股 住建局、
应急局 6月
2 校园食品抽查 学校食堂进货查验情况的检查 10% 食品股 教育局 9月
学校周边小卖部经营情况的检查 5% 食品股 教育局 9月
3 加油站计量检查 加油机计量准确情况的检查
"""


def test_rows_cells_and_wrapped_cells_are_read() -> None:
    proposal = parse_plan_text(TABLE)
    got = [
        (a.activity.name, a.activity.time_text, a.activity.lead_units, a.activity.coop_units)
        for a in proposal.activities
    ]
    assert got == [
        ("电梯安全抽查", "6月", ["特种设备股"], ["住建局", "应急局"]),
        ("校园食品抽查", "9月", ["食品股"], ["教育局"]),
        ("加油站计量检查", "", [], []),
    ]
    assert proposal.plan.table_title == "某县市场监管局2025年联合抽查计划"


def test_lines_under_a_complete_row_join_its_content_and_are_reported() -> None:
    found = spaced_grid(TABLE.splitlines())
    assert found is not None
    grid, notes = found
    assert grid[1] == ["序号", "抽查项目", "抽查内容", "抽查比例及频次", "牵头部门", "配合部门", "时间"]
    assert grid[3][2] == "学校食堂进货查验情况的检查\n学校周边小卖部经营情况的检查 5% 食品股 教育局 9月"
    assert notes == ["第 2 项下另有 1 行未编号，已并入该项的内容，请核对。"]
    proposal = parse_plan_text(TABLE)
    assert "学校周边小卖部" in proposal.activities[1].activity.content


def test_prose_with_spaces_is_no_table() -> None:
    text = "序号 名称 时间 不是表头而是一句话的开头，后面跟着很长的正文内容说明工作要求\n1 这也不是表格"
    assert spaced_grid(text.splitlines()) is None
    assert spaced_grid(["活动 时间 地点", "1 宣传 9月 广场"]) is None  # no 序号: rows cannot be told apart


def test_a_cell_ending_in_a_bracket_stays_apart_from_the_next() -> None:
    text = (
        "序号 抽查项目 活动范围 牵头部门 配合部门\n"
        "1 游乐园（场）安全抽查 游乐园（场） 特种设备股 文旅局\n"
        "2 农贸市场计量抽查 农贸市场（集贸市场） 计量股 商务局\n"
    )
    got = [
        (a.activity.name, a.activity.location, a.activity.lead_units)
        for a in parse_plan_text(text).activities
    ]
    assert got == [
        ("游乐园（场）安全抽查", "游乐园（场）", ["特种设备股"]),
        ("农贸市场计量抽查", "农贸市场（集贸市场）", ["计量股"]),
    ]


def test_the_preview_says_which_rows_were_merged() -> None:
    messages = parse_plan_text(TABLE).messages
    assert "第 2 项下另有 1 行未编号，已并入该项的内容，请核对。" in messages


GLUED = (
    "某区市场监管局2024年度检查计划序号检查项目实施单位检查内容检查比例完成时间1电梯维保单位检查区局、各市场监管所"
    "维保记录、故障处置的检查5%以上2024年5月至8月2加油站计量检查区局、各镇街加油机准确度的检查10%2024年9月"
    "3校园周边食品检查区局、各市场监管所食品进货查验的"
)


def test_a_table_run_into_one_line_is_cut_at_its_row_numbers() -> None:
    """No separators at all: the header words after 序号, rows cut at 1 2 3 glued to words (not the 5 of 5%, the
    2 of 2024), the units' 、 list after the name, the period closing the row; the last row cut short."""
    got = [
        (a.activity.name, a.activity.time_text, a.activity.lead_units)
        for a in parse_plan_text("检查计划\n" + GLUED).activities
    ]
    assert got == [
        ("电梯维保单位检查", "2024年5月至8月", ["区局", "各市场监管所"]),
        ("加油站计量检查", "2024年9月", ["区局", "各镇街"]),
        ("校园周边食品检查", "", ["区局", "各市场监管所"]),
    ]


def test_a_line_of_prose_after_序号_is_no_table() -> None:
    text = (
        "一、工作安排\n（一）编排序号管理台账1份，开展抽查工作。（区局负责）\n（二）举办培训。（区局负责）\n"
    )
    names = [a.activity.name for a in parse_plan_text(text).activities]
    assert names == ["编排序号管理台账1份，开展抽查工作", "举办培训"]
