"""One table of display labels: a label changed in models.labels is what every writer shows.

Each test changes one label in the table (and nowhere else) and looks for the new wording in every
place that shows it: the Excel 按单位统计 sheet, the PDF summary, the offices' report, the on-screen
table's header, the overview, the board and the forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from exports.offices_report import OfficesReport, ReportRow, export_offices_pdf, export_offices_xlsx
from exports.pdf import export_table_pdf
from exports.pdf_summary import export_summary_pdf
from exports.xlsx_export import export_progress_report
from models import clock, labels, store, vocabulary
from models.tracking import compute_overview

TODAY = dt.date(2024, 9, 20)


@pytest.fixture
def fixed_today() -> Iterator[None]:
    """The program's clock on TODAY (the session's today)."""
    with clock.use(clock.FixedClock(TODAY)):
        yield


def _pdf_text(path: Path) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(path).pages).replace("\n", "")


def _sheet_text(path: Path, sheet: str) -> list[str]:
    ws = load_workbook(path)[sheet]
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def _report() -> OfficesReport:
    return OfficesReport(
        "2024年“质量月”",
        TODAY,
        "9月25日前",
        ["岳阳县局"],
        [ReportRow(1, "质量月启动仪式", "质量发展科", ["已完成 100%"], "岳阳县局：已办")],
        [("岳阳县局", "已报送", "2024-09-19 10:00", "张三", "0730-1234567", 1, 1, 0, 1.0)],
    )


def _summary(db: Database, tmp_path: Path) -> str:
    plan = store.get_plan(db, 1)
    acts = store.list_activities(db, 1)
    overview = compute_overview(plan, acts, TODAY)
    return _pdf_text(export_summary_pdf(tmp_path / "s.pdf", plan, acts, overview, {}, []).path)


def _progress_xlsx(db: Database, tmp_path: Path) -> Path:
    plan = store.get_plan(db, 1)
    return export_progress_report(tmp_path / "p.xlsx", plan, store.list_activities(db, 1), today=TODAY)


def test_label_keys_are_unique_across_the_tables() -> None:
    tables = [
        set(vocabulary.FIELDS),
        set(labels.OTHER_LABELS),
        set(labels.STAT_LABELS),
        set(labels.ROLLUP_LABELS),
    ]
    for i, one in enumerate(tables):
        for other in tables[i + 1 :]:
            assert not one & other


def test_a_statistic_label_changed_in_the_table_is_what_every_export_shows(
    seeded_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(labels.STAT_LABELS, "lead_unit", "主责单位")
    monkeypatch.setitem(labels.STAT_LABELS, "completion_rate", "办结率")
    monkeypatch.setitem(labels.STAT_LABELS, "as_of", "截至日期")

    units = load_workbook(_progress_xlsx(seeded_db, tmp_path))["按单位统计"]
    assert units["A1"].value == "主责单位" and units["G1"].value == "办结率"
    assert "截至日期：2024-09-20" in _sheet_text(_progress_xlsx(seeded_db, tmp_path), "按单位统计")

    summary = _summary(seeded_db, tmp_path)
    assert "二、各主责单位完成情况" in summary and "办结率" in summary and "截至日期：2024-09-20" in summary
    assert "牵头单位" not in summary and "完成率" not in summary and "统计日期" not in summary

    report = _report()
    cells = _sheet_text(export_offices_xlsx(tmp_path / "o.xlsx", report), "各单位统计")
    assert "办结率" in cells and "完成率" not in cells
    offices_pdf = _pdf_text(export_offices_pdf(tmp_path / "o.pdf", report).path)
    assert "办结率" in offices_pdf and "截至日期" in offices_pdf and "完成率" not in offices_pdf


def test_a_field_label_changed_in_the_table_is_what_every_export_shows(
    seeded_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = dict(vocabulary.FIELDS)
    fields["lead_units"] = replace(fields["lead_units"], label="主办科室")
    fields["completion_notes"] = replace(fields["completion_notes"], label="落实成效")
    monkeypatch.setattr(vocabulary, "FIELDS", fields)
    monkeypatch.setitem(labels.OTHER_LABELS, "lead_short", "主办")

    path = _progress_xlsx(seeded_db, tmp_path)
    header = [c.value for c in load_workbook(path)["进展情况表"][2]]
    assert "主办科室" in header and "落实成效" in header and "牵头部门" not in header

    plan = store.get_plan(seeded_db, 1)
    table = _pdf_text(export_table_pdf(tmp_path / "t.pdf", plan, store.list_activities(seeded_db, 1)).path)
    assert "主办科室" in table and "牵头部门" not in table

    summary = _summary(seeded_db, tmp_path)
    assert "主办：" in summary and "落实成效：" in summary and "牵头：" not in summary

    report = _report()
    head = [
        str(c.value) for c in load_workbook(export_offices_xlsx(tmp_path / "o.xlsx", report))["汇总表"][3]
    ]
    assert head[2] == "主办科室"


@pytest.mark.usefixtures("fixed_today")
def test_the_screen_shows_the_table_s_labels(
    qtbot: QtBot, seeded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The on-screen table, the overview, the detail form, the plan form and the board."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

    from services.rollup import Board
    from ui.activity_model import COLUMN_INDEX, ActivityTableModel
    from ui.board_panel import MatrixModel, OfficeTableModel
    from ui.detail_panel import ActivityDetailPanel
    from ui.overview_panel import OverviewPanel
    from ui.plan_dialog import PlanDialog
    from ui.session import Session

    fields = dict(vocabulary.FIELDS)
    fields["lead_units"] = replace(fields["lead_units"], label="主办科室")
    fields["completion_notes"] = replace(fields["completion_notes"], label="落实成效")
    monkeypatch.setattr(vocabulary, "FIELDS", fields)
    monkeypatch.setitem(labels.STAT_LABELS, "lead_unit", "主责单位")
    monkeypatch.setitem(labels.STAT_LABELS, "completion_rate", "办结率")
    monkeypatch.setitem(labels.ROLLUP_LABELS, "combined_notes", "成效（汇总）")
    monkeypatch.setitem(labels.OTHER_LABELS, "plan_title", "活动方案名称")

    def form_labels(widget: QWidget) -> list[str]:
        form = widget.findChild(QFormLayout)
        assert form is not None
        items = [form.itemAt(r, QFormLayout.ItemRole.LabelRole) for r in range(form.rowCount())]
        return [w.text() for item in items if item is not None and isinstance(w := item.widget(), QLabel)]

    session = Session(seeded_db, None)
    model = ActivityTableModel(session)
    horizontal = Qt.Orientation.Horizontal
    assert model.headerData(COLUMN_INDEX["lead_units"], horizontal) == "主办科室"
    assert model.headerData(COLUMN_INDEX["completion_notes"], horizontal) == "落实成效"

    overview = OverviewPanel(session)
    qtbot.addWidget(overview)
    overview.set_plan(1)
    overview.refresh()
    heads = [overview.units.model().headerData(i, horizontal) for i in range(overview.units.columnCount())]
    assert heads[0] == "主责单位" and heads[-1] == "办结率"
    assert "办结率" in overview.summary.text()

    detail = ActivityDetailPanel(session)
    qtbot.addWidget(detail)
    assert "落实成效" in form_labels(detail)
    dialog = PlanDialog(store.get_plan(seeded_db, 1))
    qtbot.addWidget(dialog)
    assert form_labels(dialog)[0] == "活动方案名称*"

    board = Board(store.get_plan(seeded_db, 1), TODAY, "", None, [], [], {}, {})
    offices, matrix = OfficeTableModel(), MatrixModel()
    offices.set_board(board)
    matrix.set_board(board)
    assert "办结率" in [offices.headerData(i, horizontal) for i in range(offices.columnCount())]
    assert matrix.headerData(1, horizontal) == "成效（汇总）"
