"""Excel in: offices' hand-made tables in several styles, returned progress reports, bad files."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlite_utils import Database

from exports.xlsx_export import export_progress_report, export_table
from exports.xlsx_import import WorkbookError, read_workbook
from models import store as repo
from models.records import Activity, Plan
from services.importing import ImportFailed, apply_preview, import_path, preview_path


def save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def office_style_a(path: Path) -> Path:
    """附件 label, merged title, headers with spaces and line breaks, merged 牵头 cells, a continuation row."""
    wb = Workbook()
    ws = wb.active
    ws.append(["附件 1"])
    ws.append(["某县市场监管局2025年“质量月”活动安排表"])
    ws.merge_cells("A2:G2")
    ws.append(["序 号", "活动\n名称", "主要 内容", "时间\n安排", "范围", "牵头单位", "配合单位"])
    ws.append([1, "质量宣传进社区", "发放资料，现场咨询", "9月", "全县", "质量股", "各分局、办公室"])
    ws.append([2, "计量器具专项检查", "检查集贸市场电子秤", "9月上旬", "全县", "计量股", "各分局"])
    ws.append([None, None, "（重点检查农贸市场）", None, None, None, None])  # continues row 2
    ws.append([None] * 7)  # blank row
    ws.append(
        [3, "标准宣贯培训", "第一行\n第二行", dt.datetime(2025, 9, 15), "县会议中心", "标准股", "企业；协会"]
    )
    ws.merge_cells("F4:F5")  # 质量股 leads rows 1 and 2
    return save(wb, path)


def office_style_b(path: Path) -> Path:
    """Second sheet, 责任单位 beside 牵头单位, 完成时限 as time, numbering as text."""
    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "本表为工作台账"
    ws = wb.create_sheet("台账")
    ws.append(["重点任务", "具体措施", "完成时限", "牵头单位", "责任单位", "序号"])
    ws.append(["开展质量月宣传", "悬挂横幅", "9月底前", "办公室", "各所", "一"])
    ws.append(["组织质量培训", "邀请专家授课", "10月12日前", "质监股", "", "二"])
    return save(wb, path)


def test_office_style_a_is_understood(tmp_path: Path) -> None:
    t = read_workbook(office_style_a(tmp_path / "a.xlsx"))
    assert t.header_row == 3
    assert t.plan.annex_label == "附件1"
    assert t.plan.year == 2025
    assert [a.name for a in t.activities] == ["质量宣传进社区", "计量器具专项检查", "标准宣贯培训"]
    first, second, third = t.activities
    assert first.coop_units == ["各分局", "办公室"]
    assert second.lead_units == ["质量股"]  # filled from the merged cell
    assert second.content == "检查集贸市场电子秤\n（重点检查农贸市场）"
    assert third.content == "第一行\n第二行"
    assert third.time_text == "2025年9月15日"  # a date cell in the time column
    assert third.coop_units == ["企业", "协会"]
    assert t.columns["time_text"] == "时间 安排" or t.columns["time_text"].replace(" ", "") == "时间安排"


def test_office_style_b_second_sheet_and_responsible_units(tmp_path: Path) -> None:
    t = read_workbook(office_style_b(tmp_path / "b.xlsx"))
    assert t.sheet == "台账"
    assert [(a.name, a.time_text, a.lead_units, a.coop_units) for a in t.activities] == [
        ("开展质量月宣传", "9月底前", ["办公室"], ["各所"]),
        ("组织质量培训", "10月12日前", ["质监股"], []),
    ]
    assert [a.position for a in t.activities] == [1, 2]


def test_round_trip_gives_same_activities_units_and_order(tmp_path: Path, seeded_db: Database) -> None:
    for plan_id in (1, 2):
        plan = repo.get_plan(seeded_db, plan_id)
        rows = repo.list_activities(seeded_db, plan_id)
        t = read_workbook(export_table(tmp_path / f"{plan_id}.xlsx", plan, rows))
        fields = (
            "name",
            "content",
            "time_text",
            "location",
            "lead_units",
            "coop_units",
            "remarks",
            "position",
        )
        assert [tuple(getattr(a, f) for f in fields) for a in t.activities] == [
            tuple(getattr(a, f) for f in fields) for a in rows
        ]


def test_cli_style_import_creates_plan_in_one_transaction(tmp_path: Path, fresh_db: Database) -> None:
    outcome = import_path(fresh_db, office_style_a(tmp_path / "a.xlsx"))
    assert len(repo.list_activities(fresh_db, outcome.plan_id)) == 3
    assert repo.find_unit(fresh_db, "质量股") is not None


def test_returned_progress_report_updates_matching_activities(tmp_path: Path, seeded_db: Database) -> None:
    plan = repo.get_plan(seeded_db, 2)
    rows = repo.list_activities(seeded_db, 2)
    path = export_progress_report(tmp_path / "p.xlsx", plan, rows, today=dt.date(2024, 9, 1))
    wb = load_workbook(path)  # a sub-unit fills it in
    ws = wb["进展情况表"]
    headers = [c.value for c in ws[2]]
    ws.cell(row=3, column=headers.index("状态") + 1, value="已完成")
    ws.cell(row=3, column=headers.index("进度(%)") + 1, value=100)
    ws.cell(row=3, column=headers.index("完成时间") + 1, value="2024/9/20")
    ws.cell(row=3, column=headers.index("完成情况") + 1, value="发放资料2000份")
    ws.cell(row=4, column=headers.index("状态") + 1, value="进行中")
    ws.cell(row=5, column=headers.index("状态") + 1, value="差不多了")
    wb.save(path)
    preview = preview_path(seeded_db, path, detect_report=True)
    assert preview.kind == "progress" and preview.report_plan_id == 2
    changed = {(c.position, c.field): c.new for c in preview.changes}
    assert changed == {
        (1, "status"): "已完成",
        (1, "progress"): 100,
        (1, "completed_on"): dt.date(2024, 9, 20),
        (1, "completion_notes"): "发放资料2000份",
        (2, "status"): "进行中",
    }
    assert any("差不多了" in w for w in preview.warnings)
    assert repo.list_activities(seeded_db, 2)[0].status == "未开始"  # nothing written by the preview
    apply_preview(seeded_db, preview)
    first, second = repo.list_activities(seeded_db, 2)[:2]
    assert (first.status, first.progress, first.completion_notes) == ("已完成", 100, "发放资料2000份")
    assert second.status == "进行中"
    # without detection (the command line's default) the same file becomes a new plan
    assert preview_path(seeded_db, path).kind == "table"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a workbook", "不是 Excel"),
        (b"", "空文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ],
)
def test_bad_files_give_clear_messages(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match=message):
        read_workbook(path)


def test_truncated_zip_is_refused(tmp_path: Path, seeded_db: Database) -> None:
    good = export_table(tmp_path / "g.xlsx", repo.get_plan(seeded_db, 1), repo.list_activities(seeded_db, 1))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(WorkbookError, match=r"损坏|无法"):
        read_workbook(broken)


def test_workbook_without_header_is_refused(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["张三", "李四"])
    with pytest.raises(WorkbookError, match="没有找到活动表的表头"):
        read_workbook(save(wb, tmp_path / "x.xlsx"))


def test_too_many_rows_is_refused(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["序号", "活动名称"])
    for i in range(120):
        ws.append([i, f"活动{i}"])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    with pytest.raises(WorkbookError, match="超过导入上限 100 行"):
        read_workbook(path, max_rows=100)


def test_huge_cell_names_the_row(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["序号", "活动名称", "活动主要内容"])
    wb.active.append([1, "活动", "长" * 30_000])
    with pytest.raises(WorkbookError, match="第 2 行"):
        read_workbook(save(wb, tmp_path / "huge.xlsx"))


def test_formulas_give_cached_values(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "活动名称"])
    ws.append([1, '="计算"&"活动"'])
    plain = save(wb, tmp_path / "plain.xlsx")
    # Excel stores the last computed value next to the formula; put one there as Excel would.
    path = tmp_path / "f.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="B2"><f>', b'<c r="B2" t="str"><f>').replace(
                    b"<v></v>", "<v>计算活动</v>".encode()
                )
            dst.writestr(item, data)
    [activity] = read_workbook(path).activities
    assert activity.name == "计算活动"


def test_failed_import_leaves_database_unchanged(tmp_path: Path, fresh_db: Database) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    before = fresh_db.execute("SELECT COUNT(*) FROM plans").fetchone()[0]
    with pytest.raises(ImportFailed):
        import_path(fresh_db, path)
    assert fresh_db.execute("SELECT COUNT(*) FROM plans").fetchone()[0] == before


names = st.text(
    alphabet=st.sampled_from(list("质量月活动宣传=+-@ 𠈌😀\n、ABC123（）“”")), min_size=1, max_size=20
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            names,
            names,
            st.lists(st.sampled_from(["质监股", "各分局", "=办公室", "+1科"]), max_size=3, unique=True),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_round_trip_property(tmp_path: Path, rows: list[tuple[str, str, list[str]]]) -> None:
    from models.textnorm import clean_name, clean_text

    activities = [
        Activity(position=i + 1, name=clean_name(n) or "活动", content=clean_text(c), lead_units=u)
        for i, (n, c, u) in enumerate(rows)
    ]
    path = export_table(tmp_path / "r.xlsx", Plan(title="方案"), activities)
    got = read_workbook(path).activities
    assert [(a.name, a.content, a.lead_units) for a in got] == [
        (a.name, a.content, a.lead_units) for a in activities
    ]


def _fixed_bytes(path: Path) -> bytes:
    """A workbook's bytes with its time stamps (zip entries, docProps) fixed."""
    import io
    import re

    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, (2024, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_zip_version_from_the_future_is_a_damaged_file(tmp_path: Path, seeded_db: Database) -> None:
    good = export_table(tmp_path / "g.xlsx", repo.get_plan(seeded_db, 1), repo.list_activities(seeded_db, 1))
    data = bytearray(good.read_bytes())
    at = data.index(b"PK\x01\x02")  # the first central-directory entry: "version needed" = 11.0
    data[at + 6 : at + 8] = (110).to_bytes(2, "little")
    bad = tmp_path / "future.xlsx"
    bad.write_bytes(bytes(data))
    plans = len(repo.list_plans(seeded_db))
    with pytest.raises(ImportFailed, match="已损坏"):
        import_path(seeded_db, bad)
    assert len(repo.list_plans(seeded_db)) == plans


def test_mutated_workbooks_never_crash_the_importer(tmp_path: Path, seeded_db: Database) -> None:
    import random

    good = export_table(tmp_path / "g.xlsx", repo.get_plan(seeded_db, 1), repo.list_activities(seeded_db, 1))
    data = _fixed_bytes(good)  # the same bytes on every run, so the same mutations
    rng = random.Random(7)
    plans_before = len(repo.list_plans(seeded_db))
    for i in range(40):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        path = tmp_path / f"m{i}.xlsx"
        path.write_bytes(bytes(mutated))
        try:
            import_path(seeded_db, path)
        except ImportFailed:
            assert len(repo.list_plans(seeded_db)) == plans_before
        else:
            plans_before += 1
    with zipfile.ZipFile(good) as zf:
        assert "xl/workbook.xml" in zf.namelist()
