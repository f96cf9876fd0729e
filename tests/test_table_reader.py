"""The one table reader behind every format (models.table_reader): header finding."""

from models.table_reader import find_header, read_table


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
