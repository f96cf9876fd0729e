"""Roll-up without Qt: offices and groups, 下发 templates, 回收 returns (moved rows and columns, bad input),
the board with 催报, the consolidated export, and the office's own reply."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlite_utils import Database

from exports.rollout_xlsx import KEY_HEADER, META_SHEET
from models import store
from models.db import open_database
from models.records import Activity, Plan
from models.store import offices as ostore
from services import rollup

TODAY = dt.date(2024, 9, 20)


def _plan(db: Database, deadline: str = "9月25日前") -> int:
    for name, kind in (
        ("质量发展科", "科室"),
        ("岳阳县局", "县市区局"),
        ("华容县局", "县市区局"),
        ("各县市区局", "组合"),
    ):
        store.add_unit(db, name, kind)
    group = store.find_unit(db, "各县市区局")
    assert group is not None
    ostore.set_group_members(db, int(group.id or 0), [u.id or 0 for u in rollup.suggest_members(db, group)])
    plan = store.create_plan_with_activities(
        db,
        Plan(
            title="2024年“质量月”活动方案",
            office="岳阳市市场监督管理局",
            year=2024,
            report_deadline=deadline,
            report_to="市局质量发展科",
            report_contact="质量发展科 0730-0000000",
        ),
        [
            Activity(
                name="质量月启动仪式",
                time_text="9月上旬",
                lead_units=["质量发展科"],
                coop_units=["各县市区局"],
            ),
            Activity(name="企业质量提升", content="帮扶企业", time_text="9月", lead_units=["岳阳县局"]),
            Activity(
                name="质量宣传进社区", time_text="9月下旬", lead_units=["华容县局"], coop_units=["质量发展科"]
            ),
            Activity(name="内部培训", lead_units=["质量发展科"]),
        ],
    )
    return int(plan.id or 0)


@pytest.fixture
def db() -> Database:
    database = open_database(None)
    yield database
    database.close()


def _ids(db: Database, plan_id: int) -> list[int]:
    return [int(a.id or 0) for a in store.list_activities(db, plan_id)]


def _office(db: Database, name: str) -> int:
    unit = store.find_unit(db, name)
    assert unit is not None
    return int(unit.id or 0)


def city_file(path: Path) -> Path:
    """A city bureau's database at `path` with the sample roll-up plan (deadline 9月25日前)."""
    db = open_database(path)
    _plan(db, deadline="9月25日前")
    db.close()
    return path


def branch_group_plan(db: Database) -> Plan:
    """A plan with one activity given to the group 各分局 (which has no members yet) and one to a county."""
    store.add_unit(db, "各分局", "组合")
    return store.create_plan_with_activities(
        db,
        Plan(title="分局方案", year=2024),
        [
            Activity(name="分局检查", lead_units=["各分局"]),
            Activity(name="县局检查", lead_units=["岳阳县局"]),
        ],
    )


def _fill(path: Path, values: dict[str, tuple[str, int, str]], out: Path | None = None) -> Path:
    """Fill a template as an office would: status, progress, 完成情况 by activity name."""
    wb = load_workbook(path)
    ws = wb["进展情况表"]
    header = [c.value for c in ws[4]]
    col = {name: header.index(name) + 1 for name in ("活动名称", "状态", "进度(%)", "完成情况")}
    for row in range(5, ws.max_row + 1):
        name = ws.cell(row=row, column=col["活动名称"]).value
        if name in values:
            status, progress, notes = values[name]
            ws.cell(row=row, column=col["状态"]).value = status
            ws.cell(row=row, column=col["进度(%)"]).value = progress
            ws.cell(row=row, column=col["完成情况"]).value = notes
    ws["H2"] = "张三"
    ws["C3"] = "0730-1234567"
    target = out or path
    wb.save(target)
    return target


def test_group_members_carry_out_the_group_activity(db: Database) -> None:
    plan_id = _plan(db)
    a1, a2, a3, a4 = _ids(db, plan_id)
    yy, hr = _office(db, "岳阳县局"), _office(db, "华容县局")
    assert rollup.activity_offices(db, plan_id) == {a1: [yy, hr], a2: [yy], a3: [hr], a4: []}
    assert [u.name for u in rollup.plan_offices(db, plan_id)] == ["岳阳县局", "华容县局"]


def test_rollout_writes_one_protected_template_per_office(db: Database, tmp_path: Path) -> None:
    plan_id = _plan(db)
    files = rollup.rollout(db, plan_id, tmp_path)
    assert [(f.office, f.path.name, f.rows) for f in files] == [
        ("岳阳县局", "岳阳县局-2024年“质量月”活动方案-进展情况表.xlsx", 2),
        ("华容县局", "华容县局-2024年“质量月”活动方案-进展情况表.xlsx", 2),
    ]
    wb = load_workbook(files[0].path)
    ws = wb["进展情况表"]
    assert "岳阳县局" in ws["A1"].value and "请于9月25日前报送" in ws["A1"].value
    assert [ws.cell(row=r, column=2).value for r in (5, 6)] == ["质量月启动仪式", "企业质量提升"]
    assert ws.cell(row=4, column=11).value == KEY_HEADER and ws.column_dimensions["K"].hidden
    assert ws.protection.sheet and ws.cell(row=5, column=2).protection.locked
    assert not ws.cell(row=5, column=7).protection.locked  # 状态 is filled in
    assert wb[META_SHEET].sheet_state == "veryHidden"
    status_dv = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert status_dv.showErrorMessage and "未开始" in (status_dv.formula1 or "")
    assert {c.value for c in ws[2]} >= {"填报单位：", "岳阳县局", "填报人："}
    assert ws.print_title_rows == "$4:$4" and ws.page_setup.orientation == "landscape"


def test_collect_matches_by_hidden_keys_after_rows_and_columns_moved(db: Database, tmp_path: Path) -> None:
    plan_id = _plan(db)
    a1, a2, _a3, _a4 = _ids(db, plan_id)
    files = rollup.rollout(db, plan_id, tmp_path)
    path = _fill(
        files[0].path,
        {"质量月启动仪式": ("已完成", 100, "启动了"), "企业质量提升": ("进行中", 60, "帮扶3家")},
    )
    wb = load_workbook(path)
    ws = wb["进展情况表"]
    ws.protection.sheet = False
    ws.move_range("A6:K6", rows=2)  # reorder: row 6 goes below
    ws.insert_rows(5)  # an inserted blank row
    ws.insert_cols(1)  # a column inserted before everything
    ws.cell(row=4, column=1).value = "备注"
    ws.cell(row=4, column=3).value = "活动项目"  # retyped header
    wb.save(path)
    preview = rollup.preview_returns(db, plan_id, [path])
    item = preview.items[0]
    assert item.ok and item.office == "岳阳县局" and item.office_from == "标识页"
    assert sorted((m.activity_id, m.how) for m in item.matches) == [(a1, "行键"), (a2, "行键")]
    assert ostore.office_values(db, plan_id) == {}  # nothing written before 确定
    outcomes = rollup.apply_returns(db, preview, None)
    assert outcomes[0].line() == f"{path.name}\t岳阳县局\t匹配 2 行\t变化 6 处"
    values = ostore.office_values(db, plan_id)
    yy = _office(db, "岳阳县局")
    assert (values[(a1, yy)].status, values[(a1, yy)].progress) == ("已完成", 100)
    assert values[(a2, yy)].completion_notes == "帮扶3家"
    # a1 is shared with 华容县局 (not returned yet): in progress; a2 belongs to 岳阳县局 alone
    assert store.get_activity(db, a1).status == "进行中"
    assert (store.get_activity(db, a2).status, store.get_activity(db, a2).progress) == ("进行中", 60)
    history = store.list_changes(db, activity_id=a2)
    assert any(c.entity == "报送" and c.new == "岳阳县局：帮扶3家" for c in history)


def test_second_return_replaces_values_keeps_the_first_and_leaves_other_offices_alone(
    db: Database, tmp_path: Path
) -> None:
    plan_id = _plan(db)
    a1, *_ = _ids(db, plan_id)
    files = rollup.rollout(db, plan_id, tmp_path)
    yy, hr = _office(db, "岳阳县局"), _office(db, "华容县局")
    first = _fill(files[0].path, {"质量月启动仪式": ("进行中", 50, "筹备")}, tmp_path / "一.xlsx")
    other = _fill(files[1].path, {"质量月启动仪式": ("已完成", 100, "华容完成")}, tmp_path / "华.xlsx")
    rollup.collect(db, plan_id, [first, other], None)
    second = _fill(files[0].path, {"质量月启动仪式": ("已完成", 100, "岳阳完成")}, tmp_path / "二.xlsx")
    [outcome] = rollup.collect(db, plan_id, [second], None)
    assert not outcome.refused
    values = ostore.office_values(db, plan_id)
    assert values[(a1, yy)].completion_notes == "岳阳完成" and values[(a1, hr)].completion_notes == "华容完成"
    returns = ostore.list_returns(db, plan_id)
    assert [(r.file_name, r.replaced_by is None) for r in returns] == [
        ("一.xlsx", False),
        ("华.xlsx", True),
        ("二.xlsx", True),
    ]
    assert returns[0].rows[0]["completion_notes"] == "筹备"  # the first is kept with what it brought
    assert store.get_activity(db, a1).status == "已完成"  # every office done → the activity is done
    assert rollup.board(db, plan_id, TODAY).combined_notes(a1) == "岳阳县局：岳阳完成\n华容县局：华容完成"


def test_bad_returns_are_refused_one_by_one_and_the_others_collected(db: Database, tmp_path: Path) -> None:
    plan_id = _plan(db)
    other_plan = store.create_plan_with_activities(
        db, Plan(title="另一方案"), [Activity(name="x", lead_units=["岳阳县局"])]
    )
    out = tmp_path / "out"
    out.mkdir()
    files = rollup.rollout(db, plan_id, out)
    foreign = rollup.rollout(db, int(other_plan.id or 0), tmp_path)[0].path
    good = _fill(files[1].path, {"质量宣传进社区": ("进行中", 30, "")}, tmp_path / "good.xlsx")
    bad_status = _fill(files[0].path, {"企业质量提升": ("差不多", 30, "")}, tmp_path / "bad_status.xlsx")
    tampered = _fill(files[0].path, {}, tmp_path / "tampered.xlsx")
    wb = load_workbook(tampered)
    wb[META_SHEET]["B7"] = 999  # office_id changed by hand
    wb.save(tampered)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(good.read_bytes()[:500])
    encrypted = tmp_path / "locked.xlsx"
    shutil.copy(Path(__file__).parent / "fixtures" / "merged-two-row-header.xls", encrypted)
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    twice = tmp_path / "again.xlsx"
    shutil.copy(good, twice)
    outcomes = rollup.collect(db, plan_id, [good, twice, bad_status, tampered, damaged, foreign], None)
    by_name = {o.path.name: o for o in outcomes}
    assert not by_name["good.xlsx"].refused
    assert "内容完全相同" in by_name["again.xlsx"].refused
    assert (
        "差不多" in by_name["bad_status.xlsx"].refused
        and "整份文件未回收" in by_name["bad_status.xlsx"].refused
    )
    assert "隐藏的标识页已被改动" in by_name["tampered.xlsx"].refused
    assert "损坏" in by_name["damaged.xlsx"].refused
    assert "另一方案" in by_name[foreign.name].refused
    yy = _office(db, "岳阳县局")
    assert not [k for k in ostore.office_values(db, plan_id) if k[1] == yy]  # nothing half-written
    [again] = rollup.collect(db, plan_id, [good], None)
    assert "已经回收过" in again.refused


def test_older_version_is_refused_once_the_plan_was_sent_again(db: Database, tmp_path: Path) -> None:
    plan_id = _plan(db)
    old = rollup.rollout(db, plan_id, tmp_path, offices=["岳阳县局"])[0].path
    kept = tmp_path / "v1.xlsx"
    shutil.copy(old, kept)
    store.insert_activity(db, plan_id, Activity(name="新增活动", lead_units=["岳阳县局"]))
    rollup.rollout(db, plan_id, tmp_path, offices=["岳阳县局"])
    [outcome] = rollup.collect(db, plan_id, [_fill(kept, {"企业质量提升": ("进行中", 10, "")})], None)
    assert "第 1 版" in outcome.refused and "第 2 版" in outcome.refused


def test_an_ordinary_table_is_matched_by_number_and_name_and_an_unknown_office_is_asked(
    db: Database, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    plan_id = _plan(db)
    _a1, a2, *_ = _ids(db, plan_id)
    wb = Workbook()
    ws = wb.active
    ws.append(["某某单位进展情况"])
    ws.append(["填报单位：不认识的局"])
    ws.append(["序号", "活动名称", "完成状态", "完成进度", "工作进展"])
    ws.append([2, "企业质量提升", "已完成", "100%", "全部完成"])
    path = tmp_path / "自制表.xlsx"
    wb.save(path)
    item = rollup.preview_returns(db, plan_id, [path]).items[0]
    assert item.needs_office and "不认识的局" in item.warnings[0]
    [outcome] = rollup.apply_returns(db, rollup.CollectPreview(plan_id, [item]), None)
    assert outcome.refused  # never guessed
    chosen = rollup.choose_office(db, plan_id, item, _office(db, "岳阳县局"))
    assert chosen.ok and [(m.activity_id, m.how) for m in chosen.matches] == [(a2, "序号和名称")]
    rollup.apply_returns(db, rollup.CollectPreview(plan_id, [chosen]), None)
    assert store.get_activity(db, a2).status == "已完成"


def test_board_tells_returned_missing_and_late_with_a_reminder(db: Database, tmp_path: Path) -> None:
    plan_id = _plan(db)
    files = rollup.rollout(db, plan_id, tmp_path)
    rollup.collect(db, plan_id, [_fill(files[0].path, {"企业质量提升": ("已完成", 100, "好")})], None)
    before = rollup.board(db, plan_id, dt.date(2024, 9, 20))
    assert rollup.status_lines(before) == ["岳阳县局\treturned\t1/2", "华容县局\tmissing\t0/2"]
    after = rollup.board(db, plan_id, dt.date(2024, 9, 26))
    assert rollup.status_lines(after)[1] == "华容县局\tlate\t0/2"
    text = rollup.reminder_text(after)
    assert text.startswith("关于报送《2024年“质量月”活动方案》进展情况的催报通知")
    assert "华容县局：" in text and "岳阳县局" not in text.split("\n")[2] and "2024年9月25日前" in text
    assert "已超过报送时限" in text and "市局质量发展科" in text
    a1 = _ids(db, plan_id)[0]
    assert after.cell_text(a1, _office(db, "岳阳县局")) == "未开始 0%"
    assert after.cell_text(a1, _office(db, "华容县局")) == "未报送"
    assert after.cell_text(_ids(db, plan_id)[3], _office(db, "华容县局")) == ""


@pytest.mark.parametrize(
    ("today", "received", "state"),
    [
        (dt.date(2024, 10, 20), [dt.date(2024, 10, 1)], "returned"),  # after the 25 Sept deadline
        (dt.date(2024, 10, 20), [dt.date(2024, 9, 20)], "missing"),  # on time last month, not yet this one
        (dt.date(2024, 10, 20), [], "late"),  # nothing for 25 Sept
        (dt.date(2024, 9, 20), [], "missing"),  # sent on 1 Sept: the first deadline is still to come
    ],
)
def test_monthly_deadline_states(today: dt.date, received: list[dt.date], state: str) -> None:
    assert rollup.office_state("每月25日前", 2024, today, received, dt.date(2024, 9, 1))[0] == state


def test_calamine_reads_an_xls_return(db: Database, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    plan_id = _plan(db)
    files = rollup.rollout(db, plan_id, tmp_path)
    filled = _fill(files[1].path, {"质量宣传进社区": ("已完成", 100, "已进社区")}, tmp_path / "华容.xlsx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path / "xls"), str(filled)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    xls = tmp_path / "xls" / "华容.xls"
    et = xls.with_suffix(".et")
    xls.rename(et)  # WPS's .et saved as BIFF reads the same
    item = rollup.preview_returns(db, plan_id, [tmp_path / "xls"]).items[0]
    assert item.ok and item.office == "华容县局" and {m.how for m in item.matches} == {"行键"}
    assert any(c.new == "已进社区" for c in item.changes)


def test_the_office_imports_the_template_and_replies_in_it_round_trip(db: Database, tmp_path: Path) -> None:
    plan_id = _plan(db)
    a1, a2, *_ = _ids(db, plan_id)
    template = rollup.rollout(db, plan_id, tmp_path)[0].path
    county = open_database(None)
    try:
        assert rollup.is_upper_template(template)
        county_plan = rollup.import_upper(county, template)
        rows = store.list_activities(county, county_plan)
        assert [a.name for a in rows] == ["质量月启动仪式", "企业质量提升"]
        assert store.get_plan(county, county_plan).report_deadline == "9月25日前"
        from services.editing import set_activity_fields

        set_activity_fields(
            county,
            int(rows[0].id or 0),
            {
                "status": "已完成",
                "progress": 100,
                "completion_notes": "县里启动",
                "completed_on": dt.date(2024, 9, 5),
            },
        )
        set_activity_fields(county, int(rows[1].id or 0), {"status": "进行中", "progress": 40})
        out, filled = rollup.reply(county, county_plan, tmp_path / "回复.xlsx", filled_by="李四", phone="123")
        assert filled == 2
    finally:
        county.close()
    [outcome] = rollup.collect(db, plan_id, [out], None)
    assert not outcome.refused and outcome.matched == 2
    yy = _office(db, "岳阳县局")
    values = ostore.office_values(db, plan_id)
    assert (values[(a1, yy)].status, values[(a1, yy)].completion_notes, values[(a1, yy)].completed_on) == (
        "已完成",
        "县里启动",
        dt.date(2024, 9, 5),
    )
    assert (values[(a2, yy)].status, values[(a2, yy)].progress) == ("进行中", 40)
    assert ostore.list_returns(db, plan_id)[0].filled_by == "李四"


def test_embedded_photos_become_evidence_of_the_row_and_office(db: Database, tmp_path: Path) -> None:
    from openpyxl.drawing.image import Image as XlImage
    from PIL import Image

    plan_id = _plan(db)
    _a1, a2, *_ = _ids(db, plan_id)
    path = _fill(rollup.rollout(db, plan_id, tmp_path)[0].path, {"企业质量提升": ("进行中", 50, "见照片")})
    Image.new("RGB", (40, 30), "red").save(tmp_path / "p.png")
    wb = load_workbook(path)
    wb["进展情况表"].add_image(XlImage(str(tmp_path / "p.png")), "J6")
    wb.save(path)
    evidence = tmp_path / "evidence"
    [outcome] = rollup.collect(db, plan_id, [path], evidence)
    assert not outcome.refused
    [att] = store.list_attachments(db, activity_id=a2)
    assert att.original_name.startswith("岳阳县局-第2项")
    assert ostore.attachment_offices(db, plan_id) == {int(att.id or 0): _office(db, "岳阳县局")}
