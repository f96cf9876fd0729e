"""The one table reader behind every format (models.table_reader): header finding."""

from models.table_reader import find_header, read_table, split_units, units_by_role


def test_a_numbered_row_is_never_read_as_a_second_header_row() -> None:
    # "抽查" + the row's "事项落实情况" would make a header word (抽查事项…): a row number says it is data
    rows = [
        ["序号", "任务名称", "抽查", "牵头部门"],
        ["1", "电梯维保抽查", "事项落实情况", "特种设备股"],
        ["2", "加油机检定", "计量器具检定情况", "计量股"],
    ]
    found = find_header(rows)
    assert found is not None and found[0] == 0
    read = read_table(rows)
    assert read is not None
    assert [a.name for a in read.activities] == ["电梯维保抽查", "加油机检定"]
    assert read.activities[0].lead_units == ["特种设备股"]


def test_a_group_header_over_two_rows_is_still_one_header() -> None:
    rows = [
        ["序号", "活动名称", "责任单位", ""],
        ["", "", "牵头", "配合"],
        ["1", "质量宣传", "质量股", "各所"],
    ]
    read = read_table(rows)
    assert read is not None and read.header_index == 1
    assert (read.activities[0].lead_units, read.activities[0].coop_units) == (["质量股"], ["各所"])


def test_a_content_column_merged_over_rows_is_a_group_and_the_finer_column_holds_the_activities() -> None:
    rows = [
        ["工作内容", "工作措施", "责任单位", "完成时限"],
        ["（一）守住源头", "1.排查养殖场用药记录。", "县农业局", "6月底前"],
        ["", "2.抽检蔬菜农残。", "县农业局", "7月底前"],
        ["（二）管好校园", "3.检查学校食堂进货台账。", "县教育局", "9月底前"],
    ]
    read = read_table(rows)
    assert read is not None
    assert [a.name for a in read.activities] == ["排查养殖场用药记录", "抽检蔬菜农残", "检查学校食堂进货台账"]


def test_units_that_act_in_their_own_remit_co_operate_beside_a_leader_and_lead_alone() -> None:
    assert units_by_role("县市场监管局牵头，各乡镇按照职责分工负责") == (["县市场监管局"], ["各乡镇"])
    assert units_by_role("县教育局、县卫健局按职责分工负责") == (["县教育局", "县卫健局"], [])


def test_bar_rows_with_merged_cells_missing_at_the_left_and_filler_at_the_right_are_moved_right() -> None:
    from models.plan_text import parse_plan_text

    text = "\n".join(
        [
            "某县2025年市场监管重点任务清单",
            "| 工作目标 | 工作内容 | 工作措施 | 责任单位 | 完成时限 |",
            "| 一、守牢食品安全 | （一）抓好源头 | 1.排查养殖场用药记录，建立问题台账。 | 县农业局 | 2025年6月底前 |",
            "| 2.抽检蔬菜农药残留。 | 县农业局 | 2025年7月底前 | ||",
            "| （二）管好校园 | 3.检查学校食堂进货台账。 | 县教育局 | 2025年9月底前 | |",
            "| 4.开展校园周边小餐饮排查，重点查看无证经营",
        ]
    )
    proposal = parse_plan_text(text)
    got = [(p.activity.name, p.activity.time_text, p.activity.lead_units) for p in proposal.activities]
    assert got == [
        ("排查养殖场用药记录，建立问题台账", "2025年6月底前", ["县农业局"]),
        ("抽检蔬菜农药残留", "2025年7月底前", ["县农业局"]),
        ("检查学校食堂进货台账", "2025年9月底前", ["县教育局"]),
        ("开展校园周边小餐饮排查", "", []),  # the copy stops inside this row: its whole clause only
    ]
    assert any("截断" in m for m in proposal.messages)


def test_a_units_cell_is_not_split_inside_brackets_and_places_before_a_unit_of_each_share_it() -> None:
    assert split_units("各县（区、市）市场监管局、县农业局") == ["各县（区、市）市场监管局", "县农业局"]
    assert split_units("东城、南岭、各乡镇卫生院") == ["东城、南岭、各乡镇卫生院"]
    assert split_units("企业、行业协会") == ["企业", "行业协会"]  # no 各…: two entries


def test_a_header_naming_its_field_in_brackets_and_a_cell_naming_its_units_in_brackets() -> None:
    rows = [
        ["序号", "任务名称", "组织方式（牵头科室）", "检查时段"],
        [
            "1",
            "电梯维保抽查",
            "县局统一组织（特种设备股、质量股按职责分工指导）",
            "2025年4月至9月（各所分批开展，与日常巡查结合）",
        ],
        ["2", "加油机计量检查", "计量股", "2025年6月（上旬）"],
    ]
    read = read_table(rows)
    assert read is not None
    first, second = read.activities
    assert first.lead_units == ["特种设备股", "质量股"]
    assert first.time_text == "2025年4月至9月"  # the bracket says how, not when: it goes to the remarks
    assert "各所分批开展" in first.remarks
    assert second.time_text == "2025年6月（上旬）"
