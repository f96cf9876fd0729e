"""Tables flattened one cell per line (a web page's table copied, a PDF's text extracted): wrapped header
cells, cells ended by " |", numbered lines inside one cell, row numbers that skip, merged cells missing."""

from __future__ import annotations

from models.plan_text import parse_plan_text
from models.plan_text.stacked import align_row, bar_cells, column_profiles, header_cells, kind, unstack_plain


def _fields(text: str) -> list[tuple[str, str, list[str], list[str]]]:
    return [
        (p.activity.name, p.activity.time_text, p.activity.lead_units, p.activity.coop_units)
        for p in parse_plan_text(text).activities
    ]


def test_wrapped_header_cells_are_joined_to_the_width_the_rows_show() -> None:
    head = ["序号", "活动名称", "检查", "方式", "抽查", "户数", "完成时限", "牵头单位", "配合单位"]
    assert header_cells(head, 7) == [
        "序号",
        "活动名称",
        "检查方式",
        "抽查户数",
        "完成时限",
        "牵头单位",
        "配合单位",
    ]
    assert header_cells(head, 9) == head  # the rows are as wide as the lines: nothing wrapped
    # a bracket continues the line before; 备注 stands alone
    assert header_cells(["序号", "名称", "实施主体", "（层级）", "备注"], 4) == [
        "序号",
        "名称",
        "实施主体（层级）",
        "备注",
    ]


def test_a_row_with_a_merged_cell_missing_is_placed_by_what_its_cells_look_like() -> None:
    text = "\n".join(
        [
            "2024年食品检查安排表",
            *("序号", "活动名称", "检查", "方式", "抽查", "户数", "完成时限", "牵头单位", "配合单位"),
            *("1", "食品摊贩专项检查", "现场检查", "12", "2024年5月底前", "食品股", "执法大队"),
            *("2", "校园周边食品检查", "8", "2024年6月底前", "食品股", "县教育局"),  # no 检查方式 cell
        ]
    )
    assert _fields(text) == [
        ("食品摊贩专项检查", "2024年5月底前", ["食品股"], ["执法大队"]),
        ("校园周边食品检查", "2024年6月底前", ["食品股"], ["县教育局"]),
    ]


def test_numbered_lines_inside_one_cell_are_that_row_not_new_rows() -> None:
    text = "\n".join(
        [
            *("序号", "活动名称", "检查内容", "责任单位", "完成时间"),
            *("1", "冷链食品检查", "1、进货查验", "2、温度记录", "3、索证索票", "市场股", "2024年7月"),
            *("2", "餐饮油烟检查", "1、设施运行", "餐饮股", "2024年8月"),
        ]
    )
    proposal = parse_plan_text(text)
    assert [(a.activity.name, a.activity.lead_units, a.activity.time_text) for a in proposal.activities] == [
        ("冷链食品检查", ["市场股"], "2024年7月"),
        ("餐饮油烟检查", ["餐饮股"], "2024年8月"),
    ]
    assert "3、索证索票" in proposal.activities[0].activity.content


def test_a_second_unit_line_belongs_to_the_co_operating_units() -> None:
    profiles = column_profiles(["序号", "活动名称", "完成时限", "牵头单位", "配合单位", "备注"], [])
    row = align_row(["1", "加油站检查", "2024年9月", "计量股", "县应急局", "县消防救援大队"], profiles)
    assert row == ["1", "加油站检查", "2024年9月", "计量股", "县应急局\n县消防救援大队", ""]


def test_cells_ended_by_bars_a_group_header_and_a_row_number_that_skips() -> None:
    lines = [
        *("序号 |", "活动名称 |", "责任单位 |", "检查事项 |", "完成时间 |", "|", "常规事项 |", "专项事项 |"),
        "||||||",
        *("1 |", "农贸市场计量检查 |", "计量股 |", "√ |", "|", "2024年9月前 |"),
        *("2 |", "加油站计量检查", "|", "|", "√ |", "2024年10月前 |", "|||"),  # no 责任单位: merged
        *("4 |", "眼镜店计量检查 |", "计量股 |", "√ |", "|", "2024年11月前 |"),  # no row 3
    ]
    assert bar_cells(lines)[:9] == [
        "序号",
        "活动名称",
        "责任单位",
        "检查事项",
        "完成时间",
        "",
        "常规事项",
        "专项事项",
        "1",
    ]
    grid = unstack_plain(lines)
    assert grid is not None
    assert grid[0] == ["序号", "活动名称", "责任单位", "常规事项", "专项事项", "完成时间"]
    rows = [r for r in grid[1:] if any(r)]
    assert [r[0] for r in rows] == ["1", "2", "4"]
    assert [(r[1], r[2], r[5]) for r in rows] == [
        ("农贸市场计量检查", "计量股", "2024年9月前"),
        ("加油站计量检查", "", "2024年10月前"),
        ("眼镜店计量检查", "计量股", "2024年11月前"),
    ]


def test_a_number_in_a_cell_does_not_start_a_row_before_the_row_is_complete() -> None:
    lines = [
        *("序号", "活动名称", "抽查户数", "完成时限", "牵头单位"),
        *("1", "电梯维保检查", "3", "2024年4月", "特设股"),
        *("2", "气瓶充装检查", "4", "2024年5月", "特设股"),  # "4" is a count, not row 4
        *("3", "锅炉能效检查", "2", "2024年6月", "特设股"),
    ]
    grid = unstack_plain(lines)
    assert grid is not None
    assert [r[1] for r in grid[1:] if any(r)] == ["电梯维保检查", "气瓶充装检查", "锅炉能效检查"]


def test_a_note_under_the_table_is_no_cell() -> None:
    text = "\n".join(
        [
            *("序号", "活动名称", "实施", "时限", "牵头单位", "备注"),
            *("1", "计量器具检定宣传", "2024年5月20日", "计量股"),
            "备注：本表所列活动由各股室按职责组织实施，实施时间可根据工作需要适当调整。",
        ]
    )
    activities = parse_plan_text(text).activities
    assert [(a.activity.name, a.activity.time_text, a.activity.lead_units) for a in activities] == [
        ("计量器具检定宣传", "2024年5月20日", ["计量股"])
    ]
    assert "备注" not in activities[0].activity.remarks


def test_what_cells_look_like() -> None:
    assert [kind(t) for t in ("", "12", "20%", "202211", "2024年6-12月", "10月15日前", "市场股")] == [
        "empty",
        "num",
        "pct",
        "date",
        "date",
        "date",
        "unit",
    ]
    assert kind("某县2024年广告行为检查") == "text" and kind("√") == "mark" and kind("县") == "short"
    assert kind("县市场监管局、县教育局") == "unit"


def test_a_tall_cells_later_lines_copied_after_the_cells_beside_it_go_back_to_it() -> None:
    text = "\n".join(
        [
            *("序号", "项目", "内容", "责任部门", "实施时间"),
            *("1", "印发活动通知", "明确宣传重点", "县局办公室", "5月10日前"),
            *("2", "开展电视宣传", "1.介绍抽检结果", "县局宣传科", "5月20日"),
            *("2.介绍示范店创建情况", "3.解读新规", "3", "组织座谈", "邀请企业代表座谈"),
            *("县局食品科、县卫生监督所3家协作单位", "5月25日", "讨论经营难点，听取", "企业的意见建议"),
        ]
    )
    rows = unstack_plain(text.split("\n"))
    assert rows is not None
    assert rows[2] == [
        "2",
        "开展电视宣传",
        "1.介绍抽检结果\n2.介绍示范店创建情况\n3.解读新规",
        "县局宣传科",
        "5月20日",
    ]
    assert rows[3][2:] == [
        "邀请企业代表座谈\n讨论经营难点，听取\n企业的意见建议",
        "县局食品科、县卫生监督所3家协作单位",
        "5月25日",
    ]
    assert _fields(text)[2][2] == ["县局食品科", "县卫生监督所3家协作单位"]


def test_rows_opened_by_a_bar_start_where_the_bar_opens_whatever_numbers_them() -> None:
    # a tender site's copy: each cell a line ended by " |", each row's first cell opened by "| "; the rows
    # carry plan codes, not 1, 2, 3; the first row lacks its 检查类型 cell and is followed by a lone bar;
    # the last row is cut inside a cell
    text = "\n".join(
        [
            "某区部门联合抽查计划表",
            *("| 计划编号 |", "任务 名称 |", "检查类型 |", "检查对象 |", "发起 部门 |"),
            *("参与 部门 |", "比例 |", "起止时间 |"),
            *("| QA-01 |", "农贸市场计量器具检查 |", "农贸市场管理处 |", "区市场监管局 |"),
            *("区商务局 |", "5% |", "2025年3月-2025年10月 |", "|"),
            *("| QA-02 |", "加油站油品质量检查 |", "定向抽查 |", "全区加油站 |", "区商务局 |"),
            *("区市场监管局、区应急局 |", "10% |", "2025年4月—9月 |"),
            *("| QA-03 |", "药店经营行为检查 |", "定向抽查 |", "全区药店 |", "区市场监管局 |"),
            *("区医保局 |", "8% |", "2025年5月-2025年11月 |"),
            *("| QA-04 |", "电梯维保单位检查 |", "定向抽查 |", "电梯维保"),
        ]
    )
    assert _fields(text) == [
        ("农贸市场计量器具检查", "2025年3月-2025年10月", ["区市场监管局"], ["区商务局"]),
        ("加油站油品质量检查", "2025年4月—9月", ["区商务局"], ["区市场监管局", "区应急局"]),
        ("药店经营行为检查", "2025年5月-2025年11月", ["区市场监管局"], ["区医保局"]),
        ("电梯维保单位检查", "", [], []),
    ]


def test_sub_rows_of_a_merged_units_column_copied_after_the_row_go_back_to_it() -> None:
    # the 联查部门/抽查事项 pair is merged over sub-rows: the row's first pair comes in its place, the
    # further (unit, text) pairs after the row's last cell; blank lines between the cells, 备注 empty
    header = ("序号", "行业", "牵头部门", "任务名称", "联查部门", "抽查事项", "检查对象", "时间安排", "备注")
    text = "\n\n".join(
        [
            "某市2025年部门联合抽查计划",
            *header,
            *("1", "成品油零售", "县商务局", "加油站部门联合抽查", "县商务局", "经营资质检查。"),
            *("辖区加油站", "2025年5月至8月", " "),
            *("县市场监管局", "油品质量抽检；计量器具检查。", "县应急管理局", "安全生产检查"),
            *("2", "电动自行车", "县市场监管局", "电动自行车销售联合抽查", "县市场监管局", "产品质量检查。"),
            *("销售门店", "2025年9月", " "),
        ]
    )
    rows = unstack_plain([line.strip() for line in text.splitlines()])
    assert rows is not None and len(rows) == 3
    assert rows[1][4:6] == [
        "县商务局\n县市场监管局\n县应急管理局",
        "经营资质检查。\n油品质量抽检；计量器具检查。\n安全生产检查",
    ]
    assert rows[1][7:] == ["2025年5月至8月", ""]
    assert [(name, time, lead) for name, time, lead, _ in _fields(text)] == [
        ("加油站部门联合抽查", "2025年5月至8月", ["县商务局"]),
        ("电动自行车销售联合抽查", "2025年9月", ["县市场监管局"]),
    ]
