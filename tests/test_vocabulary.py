"""One vocabulary: every reader understands every wording, and a new wording is one line in models.vocabulary."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook

from exports.columns import COLUMNS
from exports.xlsx_import import read_workbook
from models import labels, vocabulary
from models.plan_text import parse_plan_text

ALL_FOUND = {
    "xlsx": ["各县市区局"],
    "text table": ["各县市区局"],
    "labelled line": ["各县市区局"],
    "outline sub-item": ["各县市区局"],
    "docx table": ["各县市区局"],
}


def _workbook(path: Path, header: list[str], row: list[str]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["某局2024年质量月活动安排表"])
    ws.append(header)
    ws.append(row)
    wb.save(path)
    return path


def _readers(tmp_path: Path, coop_word: str) -> dict[str, list[str]]:
    """The co-operating units each reader finds when a document calls them `coop_word`."""
    header = ["序号", "活动名称", "活动时间", "牵头单位", coop_word]
    row = ["1", "质量月启动仪式", "9月上旬", "质量发展科", "各县市区局"]
    sheet = read_workbook(_workbook(tmp_path / f"{coop_word}.xlsx", header, row)).activities[0]
    text_table = parse_plan_text(
        "\n".join(["附件", "活动安排表", "\t".join(header), "\t".join(row)])
    ).activities
    labelled = parse_plan_text(
        "某局质量月活动方案\n二、活动内容\n（一）举办质量月启动仪式。在广场举办。\n"
        f"活动时间：9月上旬\n牵头单位：质量发展科\n{coop_word}：各县市区局\n"
    ).activities
    outline = parse_plan_text(
        "某局2024年质量月活动方案\n一、活动内容\n（一）举办质量月启动仪式\n1.活动时间：9月上旬\n"
        f"2.牵头单位：质量发展科\n3.{coop_word}：各县市区局\n（二）开展质量知识竞赛\n1.活动时间：9月下旬\n"
    ).activities
    return {
        "xlsx": sheet.coop_units,
        "text table": text_table[0].activity.coop_units if text_table else [],
        "labelled line": labelled[0].activity.coop_units if labelled else [],
        "outline sub-item": outline[0].activity.coop_units if outline else [],
        "docx table": _docx_coop(tmp_path / f"{coop_word}.docx", header, row),
    }


def _docx_coop(path: Path, header: list[str], row: list[str]) -> list[str]:
    from docx import Document

    from models.db import open_database
    from services.importing import preview_path

    document = Document()
    document.add_paragraph("某局2024年质量月活动方案")
    document.add_paragraph("附件：活动安排表")
    table = document.add_table(rows=3, cols=len(header))
    for r, values in enumerate((header, row, ["2", "质量知识竞赛", "9月下旬", "标准化科", ""])):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.save(str(path))
    db = open_database(None)
    try:
        activities = preview_path(db, path).activities
    finally:
        db.close()
    return activities[0].coop_units if activities else []


@pytest.mark.parametrize(
    "note",
    [
        "质量发展科主办，各县市区局协同",
        "质量发展科牵头，各县市区局配合",
        "由质量发展科负责组织实施，各县市区局参与",
    ],
)
def test_responsibility_verbs_are_read_alike_by_every_reader(tmp_path: Path, note: str) -> None:
    """One list of lead and co-operating verbs (models.vocabulary): a table cell, a bracket and a sentence."""
    wb_path = _workbook(
        tmp_path / "r.xlsx",
        ["序号", "活动名称", "活动时间", "责任单位"],
        ["1", "质量月启动仪式", "9月上旬", note],
    )
    cell = read_workbook(wb_path).activities[0]
    bracket = (
        parse_plan_text(
            f"某局2024年质量月活动方案\n二、活动内容\n（一）举办质量月启动仪式（{note}）。在广场举办。\n"
            "（二）开展质量知识竞赛。\n"
        )
        .activities[0]
        .activity
    )
    sentence = (
        parse_plan_text(
            f"某局2024年质量月活动方案\n二、活动内容\n（一）举办质量月启动仪式。在广场举办，{note}。\n"
            "（二）开展质量知识竞赛。\n"
        )
        .activities[0]
        .activity
    )
    for reader in (cell, bracket, sentence):
        assert (reader.lead_units, reader.coop_units) == (["质量发展科"], ["各县市区局"])


def test_a_header_every_reader_understands(tmp_path: Path) -> None:
    """协助部门 (a real annex table's header) is understood by the spreadsheet, text-table and item readers."""
    assert _readers(tmp_path, "协助部门") == ALL_FOUND


def test_adding_a_wording_is_one_line_and_every_reader_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = "共建单位"
    assert _readers(tmp_path, new) != ALL_FOUND
    coop = vocabulary.FIELDS["coop_units"]
    monkeypatch.setitem(
        vocabulary.FIELDS, "coop_units", replace(coop, words=(*coop.words, new))
    )  # the one line
    assert _readers(tmp_path, new) == ALL_FOUND


def test_writers_and_the_table_use_the_vocabulary_labels() -> None:
    from ui.activity_model import COLUMNS as SCREEN

    for key, column in COLUMNS.items():
        assert column.header == labels.label(key)
    for column in SCREEN:
        assert column.header == labels.label(column.key)
    assert labels.label("title") == "标题" and labels.label("unknown_key") == "unknown_key"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            ["序号", "活动名称", "牵头单位", "责任单位"],
            {"position": 0, "name": 1, "lead_units": 2, "coop_units": 3},
        ),
        (["序号", "工作任务", "责任单位"], {"position": 0, "name": 1, "lead_units": 2}),
        (["序号", "活动名称", "完成时间"], {"position": 0, "name": 1, "time_text": 2}),
        (
            ["序号", "活动名称", "状态", "完成时间"],
            {"position": 0, "name": 1, "status": 2, "completed_on": 3},
        ),
        (["序 号", "活动名称（项目）", "配合部门："], {"position": 0, "name": 1, "coop_units": 2}),
    ],
)
def test_header_rules(cells: list[str], expected: dict[str, int]) -> None:
    """责任单位 is lead alone and co-operating beside 牵头; 完成时间 is the period unless tracking columns are there."""
    assert vocabulary.match_header(list(cells)) == expected


def test_of_two_cells_naming_one_field_the_better_word_counts() -> None:
    from models.vocabulary import match_header

    # 计划名称 groups the rows, 任务名称 names each activity: the more specific word wins, wherever it stands.
    assert match_header(["序号", "计划名称", "任务名称", "完成时间"])["name"] == 2
    assert match_header(["序号", "完成时限", "活动时间", "牵头单位"])["time_text"] == 2
    # Two cells with the same word: the first counts.
    assert match_header(["序号", "活动名称", "活动名称", "牵头单位"])["name"] == 1


def test_inspection_plan_headers() -> None:
    from models.vocabulary import match_header

    # 检查对象 (whom the inspection visits) is no 地点/范围: it stays unread
    found = match_header(
        ["序号", "抽查领域", "抽查事项", "检查对象", "主责部门", "参与部门", "抽查检查起止时间"]
    )
    assert found == {"position": 0, "name": 1, "content": 2, "lead_units": 4, "coop_units": 5, "time_text": 6}
