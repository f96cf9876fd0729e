"""Every file of the hostile corpus (tests/hostile_inputs.py) imported from the command line: a refused one
gets its Chinese message and exit code 2, never a traceback, and the database is left as it was; the odd
but valid ones are imported."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from main import main
from tests.hostile_inputs import CASES, Case


def _plans(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("select count(*) from plans").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / case.name
    case.make(path)
    before = _plans(db_file)
    code = main(["import", "--db", str(db_file), str(path)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "意外错误" not in out.err, out.err
    if case.refused:
        assert code == 2, out.err
        assert re.search(case.words, out.err), out.err
        assert _plans(db_file) == before
    else:
        assert code == 0, out.err
        assert _plans(db_file) == before + 1


def test_a_return_with_a_merge_over_the_whole_sheet_is_refused_before_the_full_read(tmp_path: Path) -> None:
    from exports.returns_reader import ReturnReadError, has_meta_sheet, read_return
    from tests.hostile_inputs import merge_bomb

    path = tmp_path / "回报.xlsx"
    merge_bomb(path)
    assert not has_meta_sheet(path)  # the command line's import does not take it for an upper template
    with pytest.raises(ReturnReadError, match="合并单元格"):
        read_return(path)
