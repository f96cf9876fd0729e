"""Issue 15 checked point by point as a clerk meets it: the activity's history names each return, a file
that does not tell its office is answered with --office (never guessed), a same-named plan's table is told
apart, groups without members are pointed out, 市场监管所 report, and the printed forms read well."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from main import main
from models import store
from models.db import open_database
from models.store import offices as ostore
from models.store.history import list_changes
from services import rollup
from tests.test_rollup import _fill, _plan, branch_group_plan, city_file


@pytest.fixture
def city(tmp_path: Path) -> Path:
    return city_file(tmp_path / "city.db")


def _rollout(city: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> list[Path]:
    assert main(["rollout", "--db", str(city), "--plan", "1", "--out", str(out)]) == 0
    return [Path(p) for p in capsys.readouterr().out.splitlines()]


def test_activity_history_names_every_return_and_keeps_the_first(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yueyang = _rollout(city, tmp_path / "下发", capsys)[0]
    first = _fill(yueyang, {"企业质量提升": ("进行中", 60, "走访20家")}, tmp_path / "第一次.xlsx")
    second = _fill(yueyang, {"企业质量提升": ("已完成", 100, "走访50家")}, tmp_path / "第二次.xlsx")
    assert main(["collect", "--db", str(city), "--plan", "1", str(first)]) == 0
    assert main(["collect", "--db", str(city), "--plan", "1", str(second)]) == 0
    db = open_database(city)
    activity = next(a for a in store.list_activities(db, 1) if a.name == "企业质量提升")
    files = [c.new for c in list_changes(db, activity_id=activity.id) if c.field == "报送文件"]
    assert files == [
        "岳阳县局：第二次.xlsx（第 6 行，按行键对应）：已完成 100%，完成情况：走访50家",
        "岳阳县局：第一次.xlsx（第 6 行，按行键对应）：进行中 60%，完成情况：走访20家",
    ]
    returns = ostore.list_returns(db, 1)
    assert [(r.file_name, r.replaced_by) for r in returns] == [
        ("第一次.xlsx", returns[1].id),
        ("第二次.xlsx", None),
    ]
    db.close()


def _ordinary(path: Path, office: str | None) -> Path:
    wb = Workbook()
    ws = wb.active
    if office is not None:
        ws.append(["填报单位：", office])
    ws.append(["序号", "活动名称", "状态", "进度", "完成情况"])
    ws.append([2, "企业质量提升", "进行中", 30, "开展中"])
    wb.save(path)
    return path


def test_an_office_the_file_does_not_tell_is_asked_with_office_never_guessed(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(city)
    before = ostore.office_values(db, 1)
    db.close()
    unknown = _ordinary(tmp_path / "临湘.xlsx", "临湘市局")
    bare = _ordinary(tmp_path / "进展.xlsx", None)
    assert main(["collect", "--db", str(city), "--plan", "1", str(unknown), str(bare)]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "临湘.xlsx\t拒收\t填报单位“临湘市局”不是本方案的报送单位；未指定单位，未回收。",
        "进展.xlsx\t拒收\t无法确定填报单位；未指定单位，未回收。",
    ]
    assert "--office" in captured.err
    db = open_database(city)
    assert ostore.office_values(db, 1) == before  # nothing half-written
    db.close()
    code = main(["collect", "--db", str(city), "--plan", "1", "--office", "临湘县局", str(bare)])
    assert code == 2 and "不是本方案的报送单位。可选：岳阳县局、华容县局" in capsys.readouterr().err
    assert main(["collect", "--db", str(city), "--plan", "1", "--office", "岳阳县局", str(bare)]) == 0
    assert capsys.readouterr().out == "进展.xlsx\t岳阳县局\t匹配 1 行\t变化 3 处\n"


def test_office_never_overrides_the_office_a_template_names(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huarong = _rollout(city, tmp_path / "下发", capsys)[1]
    filled = _fill(huarong, {"质量宣传进社区": ("已完成", 100, "三次")}, tmp_path / "华容.xlsx")
    assert main(["collect", "--db", str(city), "--plan", "1", "--office", "岳阳县局", str(filled)]) == 0
    assert capsys.readouterr().out.startswith("华容.xlsx\t华容县局\t")


def test_a_same_named_plan_from_another_database_is_refused_by_what_it_is(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.db"
    db = open_database(other)
    _plan(db)
    db.close()
    foreign = _rollout(other, tmp_path / "别处", capsys)[0]
    _rollout(city, tmp_path / "下发", capsys)
    assert main(["collect", "--db", str(city), "--plan", "1", str(foreign)]) == 2
    line = capsys.readouterr().out
    assert "另一份同名方案《2024年“质量月”活动方案》（岳阳市市场监督管理局）下发的" in line


def test_rollout_points_out_a_group_without_members(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(city)
    plan = branch_group_plan(db)
    assert "还没有设置成员" in rollup.empty_groups(db, int(plan.id or 0))[0]
    db.close()
    assert main(["rollout", "--db", str(city), "--plan", str(plan.id), "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert (
        "“各分局”还没有设置成员（单位名录 → 组合成员），它承担的 1 项活动（[1]）不会下发给任何单位。" in err
    )


def test_market_supervision_stations_report_and_are_suggested_for_their_group() -> None:
    db = open_database(None)
    station = store.add_unit(db, "城关市场监管所")
    lab = store.add_unit(db, "计量检定所")
    group = store.add_unit(db, "各市场监管所")
    assert station.id in ostore.office_ids(db) and lab.id not in ostore.office_ids(db)
    assert [u.name for u in rollup.suggest_members(db, group)] == ["城关市场监管所"]
    db.close()


def test_template_title_and_form_fields_read_well_and_stats_print(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(city)
    store.update_plan(db, 1, table_title="2024年“质量月”活动安排表")
    db.close()
    path = _rollout(city, tmp_path / "下发", capsys)[0]
    ws = load_workbook(path)["进展情况表"]
    assert ws["A1"].value == "2024年“质量月”活动进展情况表（岳阳县局，请于9月25日前报送）"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"H2:J2", "H3:J3"} <= merged  # room for a name and a date beside the narrow 进度 column
    filled = _fill(path, {"企业质量提升": ("已完成", 100, "完成")}, tmp_path / "回.xlsx")
    assert main(["collect", "--db", str(city), "--plan", "1", str(filled)]) == 0
    db = open_database(city)
    last = ostore.list_returns(db, 1)[-1]
    assert (last.filled_by, last.phone) == ("张三", "0730-1234567")
    db.close()
    out = tmp_path / "汇总.xlsx"
    assert main(["export", "--db", str(city), "--plan", "1", "--report", "offices", "--out", str(out)]) == 0
    stats = load_workbook(out)["各单位统计"]
    assert stats["A1"].value == "2024年“质量月”各单位报送和完成情况统计"
    assert stats["A3"].value == "岳阳县局" and stats.page_setup.orientation == "landscape"
    assert stats.page_setup.fitToWidth == 1 and stats.print_title_rows == "$2:$2"


def test_photos_and_files_beside_a_return_become_evidence_of_its_office_and_activity(tmp_path: Path) -> None:
    db = open_database(None)
    plan_id = _plan(db)
    _a1, a2, a3, _a4 = (int(a.id or 0) for a in store.list_activities(db, plan_id))
    sent = rollup.rollout(db, plan_id, tmp_path)
    folder = tmp_path / "收件"
    for name, f in (("岳阳县局", sent[0].path), ("华容县局", sent[1].path)):
        (folder / name).mkdir(parents=True)
        _fill(f, {}, folder / name / f.name)
    (folder / "岳阳县局" / "第2项-企业走访.jpg").write_bytes(b"\xff\xd8\xff\xe0jpeg")
    (folder / "华容县局" / "质量宣传进社区现场.png").write_bytes(b"\x89PNG\r\n\x1a\npng")
    (folder / "华容县局" / "会议通知.pdf").write_bytes(b"%PDF-1.4 notice")
    preview = rollup.preview_returns(db, plan_id, [folder])
    by_office = {i.office: i for i in preview.items}
    yueyang, huarong = by_office["岳阳县局"], by_office["华容县局"]
    assert [(a, f.name) for a, f in yueyang.files] == [(a2, "第2项-企业走访.jpg")]
    assert [(a, f.name) for a, f in huarong.files] == [(a3, "质量宣传进社区现场.png")]
    assert any("会议通知.pdf" in w and "未能对应到活动" in w for w in huarong.warnings)
    outcomes = rollup.apply_returns(db, preview, tmp_path / "evidence")
    assert not any(o.refused for o in outcomes)
    [photo] = store.list_attachments(db, activity_id=a2)
    offices = ostore.attachment_offices(db, plan_id)
    assert offices[int(photo.id or 0)] == int(store.find_unit(db, "岳阳县局").id or 0)  # type: ignore[union-attr]
    [scene] = store.list_attachments(db, activity_id=a3)
    assert offices[int(scene.id or 0)] == int(store.find_unit(db, "华容县局").id or 0)  # type: ignore[union-attr]
    db.close()
