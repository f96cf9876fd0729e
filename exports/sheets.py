"""Spreadsheets in, bounded: the stored cells of every sheet of an .xlsx, .xls or WPS .et, nothing more.

A workbook is untrusted. A 2 KB file can declare one merged range over a whole sheet, a single value in
column XFD, a sheet that inflates to gigabytes of empty cells, hundreds of sheets or a million rows;
reading it the ordinary way (openpyxl's full load, a dense grid) takes minutes and gigabytes. Here:

- the zip is checked before it is opened (sizes, ratio, members: `exports.inputs.check_zip`);
- each sheet is streamed row by row; only cells that hold a value are kept, and the parse stops at a
  fixed number of cell elements and of non-empty rows;
- the grid is compacted to the rows and columns that hold something (original row and column numbers
  are kept for messages), and merged ranges are clipped to that area before they are filled;
- old binary workbooks (.xls, .et) are walked record by record first, so that their extent is known
  before python-calamine builds its grid.

The result is a list of `SheetGrid`s: small, dense, merged cells repeated in every cell they cover.
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports.inputs import KIND_NAMES, ZIP_ERRORS, check_input, check_zip, sniff
from models.errors import ReadError

META_SHEET = "_taizhang"  # the hidden sheet of row keys in the progress reports Taizhang writes
MAX_SHEETS = 100
MAX_CELL_ELEMENTS = 3_000_000  # stored cell elements parsed over the whole workbook, empty ones included
MAX_VALUE_CELLS = 1_000_000  # cells holding a value, over the whole workbook
MAX_MERGED = 20_000  # merged ranges in one sheet


class SheetError(ReadError):
    """A workbook that cannot be read; the message is Chinese and says why."""


class SheetTooBig(SheetError):
    """A workbook over one of the bounds above (sheets, cells, rows, merged ranges)."""


@dataclass
class SheetGrid:
    """One sheet's used area: rows of values (merged cells filled), with their original numbers."""

    name: str
    rows: list[list[Any]]
    row_numbers: list[int]  # 1-based sheet row of each row
    column_numbers: list[int]  # 1-based sheet column of each column
    hidden: bool = False
    extent: tuple[int, int] = (0, 0)  # the furthest row and column any stored value or merged range reaches

    def excel_row(self, index: int) -> int:
        """The sheet's own row number of row `index` of the grid."""
        return self.row_numbers[index]


@dataclass
class Workbook:
    """The sheets of a workbook and Taizhang's own key sheet (progress reports), if it has one."""

    sheets: list[SheetGrid]
    kind: str  # "xlsx" | "xls"
    meta: SheetGrid | None = None
    notes: list[str] = field(default_factory=list)  # Chinese: what was skipped and why


def read_sheets(path: Path, *, max_bytes: int, max_rows: int) -> Workbook:
    """Read every sheet's stored cells, within the bounds above; raise SheetError with the reason."""
    check_input(path, max_bytes)
    kind = sniff(path)
    if kind == "encrypted":
        raise SheetError(
            f"“{path.name}”设有打开密码（文件已加密），无法读取。请在 Excel 或 WPS 中打开它，"
            "取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）并保存后再导入。"
        )
    if kind == "xlsx":
        return _read_xlsx(path, max_rows)
    if kind == "xls":
        return _read_xls(path, max_rows)
    if kind == "zip":
        check_zip(path)  # a damaged workbook is a zip that will not open: say so
    raise SheetError(
        f"“{path.name}”不是 Excel 工作簿（或 WPS 表格）文件，而是{KIND_NAMES.get(kind, KIND_NAMES['unknown'])}。"
    )


# --- .xlsx -------------------------------------------------------------------------------------------


def _read_xlsx(path: Path, max_rows: int) -> Workbook:
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    check_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except ZIP_ERRORS as exc:
        raise SheetError(f"“{path.name}”已损坏（压缩包无法打开），无法导入。") from exc
    except KeyError as exc:
        raise SheetError(f"“{path.name}”缺少工作簿内容（{exc}），可能已损坏。") from exc
    except Exception as exc:
        raise SheetError(f"“{path.name}”无法作为 Excel 工作簿读取（{type(exc).__name__}）。") from exc
    try:
        worksheets = [ws for ws in wb.worksheets if hasattr(ws, "_get_source")]  # charts sheets have none
        if len(worksheets) > MAX_SHEETS:
            raise SheetTooBig(
                f"“{path.name}”有 {len(worksheets)} 个工作表，超过上限 {MAX_SHEETS} 个。"
                "请把活动表另存为单独的工作簿后再导入。"
            )
        budget = _Budget(path.name, max_rows)
        out = Workbook([], "xlsx")
        for ws in worksheets:
            try:
                with ws._get_source() as src:
                    parser = WorkSheetParser(
                        src,
                        ws._shared_strings,
                        data_only=True,
                        epoch=wb.epoch,
                        date_formats=wb._date_formats,
                        timedelta_formats=wb._timedelta_formats,
                    )
                    cells = budget.collect(ws.title, _xlsx_cells(parser))
                    merged = [
                        _range_bounds(str(m.ref))
                        for m in (parser.merged_cells.mergeCell if parser.merged_cells else [])[
                            : MAX_MERGED + 1
                        ]
                    ]
            except SheetError:
                raise
            except Exception as exc:
                raise SheetError(
                    f"“{path.name}”的工作表“{ws.title}”已损坏，无法读取（{type(exc).__name__}）。"
                ) from exc
            if len(merged) > MAX_MERGED:
                raise SheetTooBig(
                    f"“{path.name}”的工作表“{ws.title}”合并单元格超过 {MAX_MERGED} 处，无法导入。"
                )
            grid = _compact(ws.title, cells, [m for m in merged if m], ws.sheet_state != "visible")
            if ws.title == META_SHEET:
                out.meta = grid
            else:
                out.sheets.append(grid)
        return out
    finally:
        wb.close()


def _xlsx_cells(parser: Any) -> Any:
    """(row, column, value) of every stored cell element, empty ones included (they count)."""
    for _row, cells in parser.parse():
        for cell in cells:
            yield cell["row"], cell["column"], cell["value"]


def _range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    if None in (min_col, min_row, max_col, max_row):
        return None
    return int(min_row or 0), int(min_col or 0), int(max_row or 0), int(max_col or 0)


# --- the common part -----------------------------------------------------------------------------------


class _Budget:
    """Counts what a workbook costs to read, across its sheets, and stops it when it is too much."""

    def __init__(self, name: str, max_rows: int) -> None:
        self.name = name
        self.max_rows = max_rows
        self.elements = 0
        self.values = 0

    def collect(self, sheet: str, cells: Any) -> dict[tuple[int, int], Any]:
        kept: dict[tuple[int, int], Any] = {}
        rows: set[int] = set()
        for row, column, value in cells:
            self.elements += 1
            if self.elements > MAX_CELL_ELEMENTS:
                raise SheetTooBig(
                    f"“{self.name}”的单元格超过 {MAX_CELL_ELEMENTS:,} 个（多为空白格），无法导入。"
                    "请只把活动表复制到新工作簿后再导入。"
                )
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            self.values += 1
            if self.values > MAX_VALUE_CELLS:
                raise SheetTooBig(f"“{self.name}”有内容的单元格超过 {MAX_VALUE_CELLS:,} 个，无法导入。")
            kept[(row, column)] = value
            rows.add(row)
            if len(rows) > self.max_rows + 20:  # a title and a header above the rows
                raise SheetTooBig(
                    f"工作表“{sheet}”的有内容行超过导入上限 {self.max_rows} 行。请拆分后分别导入。"
                )
        return kept


def _compact(
    name: str, cells: dict[tuple[int, int], Any], merged: list[tuple[int, int, int, int]], hidden: bool
) -> SheetGrid:
    """The dense grid of the used rows and columns, merged ranges clipped to them and filled."""
    row_numbers = sorted({r for r, _c in cells})
    column_numbers = sorted({c for _r, c in cells})
    row_index = {r: i for i, r in enumerate(row_numbers)}
    col_index = {c: i for i, c in enumerate(column_numbers)}
    rows: list[list[Any]] = [[None] * len(column_numbers) for _ in row_numbers]
    for (r, c), value in cells.items():
        rows[row_index[r]][col_index[c]] = value
    if row_numbers and column_numbers:
        import bisect

        for min_row, min_col, max_row, max_col in merged:
            value = cells.get((min_row, min_col))
            if value is None:
                continue
            r0, r1 = bisect.bisect_left(row_numbers, min_row), bisect.bisect_right(row_numbers, max_row)
            c0, c1 = bisect.bisect_left(column_numbers, min_col), bisect.bisect_right(column_numbers, max_col)
            for i in range(r0, r1):  # only used rows and columns: a merge over a whole sheet costs nothing
                for j in range(c0, c1):
                    rows[i][j] = value  # a merged area shows its first cell, whatever the others hold
    extent = (
        max([row_numbers[-1] if row_numbers else 0] + [m[2] for m in merged]),
        max([column_numbers[-1] if column_numbers else 0] + [m[3] for m in merged]),
    )
    return SheetGrid(name, rows, row_numbers, column_numbers, hidden, extent)


# --- .xls / .et ----------------------------------------------------------------------------------------

# BIFF8 cell records and where their row and column stand
_CELL_RECORDS = {
    0x0006,
    0x00FD,
    0x0203,
    0x027E,
    0x0204,
    0x0205,
    0x00D6,
}  # FORMULA LABELSST NUMBER RK LABEL BOOLERR RSTRING
_MULRK = 0x00BD
_BOF = 0x0809
_EOF = 0x000A


def _read_xls(path: Path, max_rows: int) -> Workbook:
    try:
        import olefile
        from python_calamine import CalamineWorkbook
    except ImportError as exc:  # pragma: no cover - both are declared dependencies
        raise SheetError(f"读取旧版 Excel/WPS 表格需要组件 {exc.name}，请重新安装本程序。") from exc
    try:
        with olefile.OleFileIO(str(path)) as ole:
            stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
            if stream is None:
                raise SheetError(f"“{path.name}”不是 Excel 或 WPS 表格文件（没有工作簿数据）。")
            if ole.get_size(stream) > 200 * 1024 * 1024:
                raise SheetTooBig(f"“{path.name}”的工作簿数据过大，无法导入。")
            extents = _biff_extents(ole.openstream(stream).read())
    except SheetError:
        raise
    except Exception as exc:
        raise SheetError(
            f"“{path.name}”已损坏，无法作为旧版 Excel 文件读取（{type(exc).__name__}）。"
        ) from exc
    for rows, cols in extents:
        if rows * cols > MAX_CELL_ELEMENTS:
            raise SheetError(
                f"“{path.name}”的某个工作表跨 {rows} 行 × {cols} 列，超过可导入的范围。"
                "请只把活动表复制到新工作簿后再导入。"
            )
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise SheetError(f"“{path.name}”设有打开密码（文件已加密），请取消密码后再导入。") from exc
        raise SheetError(f"“{path.name}”无法作为 Excel/WPS 表格读取（{type(exc).__name__}）。") from exc
    try:
        names = list(wb.sheet_names)
        if len(names) > MAX_SHEETS:
            raise SheetTooBig(f"“{path.name}”有 {len(names)} 个工作表，超过上限 {MAX_SHEETS} 个。")
        hidden = {
            m.name for m in getattr(wb, "sheets_metadata", []) if "visible" not in str(m.visible).lower()
        }
        budget = _Budget(path.name, max_rows)
        out = Workbook([], "xls")
        for name in names:
            try:
                sheet = wb.get_sheet_by_name(name)
                values = sheet.to_python(skip_empty_area=False)
                merged_raw = list(getattr(sheet, "merged_cell_ranges", None) or [])
            except Exception as exc:
                raise SheetError(f"“{path.name}”的工作表“{name}”无法读取（{type(exc).__name__}）。") from exc
            cells = budget.collect(
                name,
                ((r + 1, c + 1, _xls_value(v)) for r, row in enumerate(values) for c, v in enumerate(row)),
            )
            merged = [
                (int(a[0]) + 1, int(a[1]) + 1, int(b[0]) + 1, int(b[1]) + 1)
                for a, b in merged_raw[:MAX_MERGED]
            ]
            grid = _compact(name, cells, merged, name in hidden)
            if name == META_SHEET:
                out.meta = grid
            else:
                out.sheets.append(grid)
        return out
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


def _xls_value(value: Any) -> Any:
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def _biff_extents(data: bytes) -> list[tuple[int, int]]:
    """(rows, columns) spanned by the cells of each worksheet substream, from the BIFF records alone."""
    extents: list[tuple[int, int]] = []
    pos, end = 0, len(data)
    max_row = max_col = -1
    min_row = min_col = 1 << 30
    in_sheet = False
    while pos + 4 <= end:
        rtype, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if rtype == _BOF and len(body) >= 4:
            in_sheet = struct.unpack_from("<H", body, 2)[0] == 0x0010  # a worksheet substream
            max_row = max_col = -1
            min_row = min_col = 1 << 30
        elif rtype == _EOF:
            if in_sheet and max_row >= 0:
                extents.append((max_row - min_row + 1, max_col - min_col + 1))
            in_sheet = False
        elif in_sheet and len(body) >= 4 and (rtype in _CELL_RECORDS or rtype == _MULRK):
            row, col = struct.unpack_from("<HH", body, 0)
            last = col
            if rtype == _MULRK and len(body) >= 6:
                last = struct.unpack_from("<H", body, len(body) - 2)[0]
            max_row, min_row = max(max_row, row), min(min_row, row)
            max_col, min_col = max(max_col, last), min(min_col, col)
    return extents
