"""A scanned annex table end to end: the command line's import reads it into a plan; the window's import
preview shows the page beside the table, frames where a clicked cell was read and marks doubtful
characters. Real OCR on a page the test renders (the optional `ocr` extra; skipped without it)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("rapidocr")
pytest.importorskip("onnxruntime")
pytest.importorskip("cv2")

from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from exports import scan
from main import main
from models import store
from models.db import open_database
from services.importing import preview_document, preview_path
from tests.test_scan import HEADER, ROWS, table_page
from ui.import_dialog import ImportPreviewDialog
from ui.session import Session


@pytest.fixture(scope="module")
def table_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    image, _want = table_page([HEADER, *ROWS], pt=11)
    path = tmp_path_factory.mktemp("scan") / "活动安排表.png"
    image.save(path)
    return path


def test_cli_import_reads_a_scanned_table(
    table_png: Path, db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", "--db", str(db_file), str(table_png)])
    out = capsys.readouterr()
    assert code == 0, out.err
    con = sqlite3.connect(db_file)
    try:
        plan_id = con.execute("select max(id) from plans").fetchone()[0]
        names = [
            r[0]
            for r in con.execute("select name from activities where plan_id=? order by position", [plan_id])
        ]
        times = [
            r[0]
            for r in con.execute(
                "select time_text from activities where plan_id=? order by position", [plan_id]
            )
        ]
    finally:
        con.close()
    assert names == [r[1] for r in ROWS]
    assert times == [r[2] for r in ROWS]


def test_preview_shows_the_page_and_frames_the_clicked_cell(
    qtbot: QtBot, table_png: Path, db_file: Path
) -> None:
    session = Session(open_database(db_file), db_file)
    preview = preview_path(session.db, table_png)
    result = getattr(preview.document, "scan", None)
    assert isinstance(result, scan.ScanResult) and result.pages
    dialog = ImportPreviewDialog(session, preview, table_png.name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    panel = dialog.scan_panel
    assert panel is not None and not panel.view.pixmap.pixmap().isNull()  # the page image is shown
    assert dialog.table.rowCount() == len(ROWS)
    assert len(store.list_plans(session.db)) == 2  # nothing written before 确定

    # clicking the 活动时间 cell of row 2 frames “3月至4月” on the page, inside the table's area
    dialog.table.setCurrentCell(1, 2)
    assert panel.view.frame.isVisible()
    frame = panel.view.frame.rect()
    page = result.pages[0]
    table = page.tables[0]
    s = panel.view.pixmap.pixmap().width() / page.width
    cell = next(c for c in table.cells if c.text.replace(" ", "") == "3月至4月")
    x0, y0, x1, y1 = (v * s for v in cell.box)
    assert (
        frame.left() <= x0 + 1
        and frame.right() >= x1 - 1
        and frame.top() <= y0 + 1
        and frame.bottom() >= y1 - 1
    )
    assert "第 1 页" in panel.where.text() and "3月至4月" in panel.where.text()
    # a text that is not on the page is said to be so, and no frame is left standing
    dialog.table.item(0, 0).setText("完全不同的文字内容")
    dialog.table.setCurrentCell(0, 1)
    dialog.table.setCurrentCell(0, 0)
    assert not panel.view.frame.isVisible() and "没有找到" in panel.where.text()
    # the recognised text of the page is there to compare with the image
    assert "食品安全宣传周" in panel.text.toPlainText()

    # the clerk drops a row and accepts: only then is the plan written
    dialog.table.selectionModel().select(
        dialog.table.model().index(4, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    from PySide6.QtCore import Qt

    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    dialog.apply()
    assert dialog.created_plan_id is not None
    assert len(store.list_activities(session.db, dialog.created_plan_id)) == len(ROWS) - 1
    session.db.close()


def test_doubtful_characters_mark_their_fields(qtbot: QtBot, db_file: Path) -> None:
    """A field read with characters of low probability is yellow, and its tooltip names those characters."""
    cells = [
        scan.OcrCell(0, c, 1, 1, text, 0.99, (100 * c, 0, 100 * c + 90, 30), tuple(1.0 for _ in text))
        for c, text in enumerate(HEADER)
    ]
    row = ["1", "食品安全宣传周", "3月", "食品安全协调科", "全市联动"]
    for c, text in enumerate(row):
        confidences = tuple(0.3 if (c == 1 and i == 2) else 1.0 for i in range(len(text)))  # “安” unsure
        cells.append(
            scan.OcrCell(1, c, 1, 1, text, min(confidences), (100 * c, 30, 100 * c + 90, 60), confidences)
        )
    table = scan.OcrTable(2, 5, cells, (0, 0, 500, 60))
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (250, 40), "white").save(buffer, "PNG")
    page = scan.ScanPage(0, 500, 80, buffer.getvalue(), 0.0, [], [table])
    result = scan.ScanResult([page])
    document = scan.to_document(result, "x.png")
    document.scan = result
    session = Session(open_database(db_file), db_file)
    preview = preview_document(session.db, document, name="x.png")
    assert preview.doubtful[0] == {"name": ["安"]}
    dialog = ImportPreviewDialog(session, preview, "x.png")
    qtbot.addWidget(dialog)
    item = dialog.table.item(0, 0)
    assert "安" in item.toolTip() and item.background().color().name() == "#fff3cd"
    dialog.table.setCurrentCell(0, 0)
    assert dialog.scan_panel is not None and "把握不大的字：安" in dialog.scan_panel.where.text()
    frame = dialog.scan_panel.view.frame.rect()  # drawn at the preview's scale (250 / 500)
    assert abs(frame.center().x() - 145 * 0.5) < 2 and abs(frame.center().y() - 45 * 0.5) < 2
    session.db.close()
