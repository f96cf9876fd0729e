"""The layering rules: models/ and exports/ never import Qt; ui/ holds no SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_models_and_exports_import_no_qt() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("models", "exports")
        for p in (ROOT / folder).rglob("*.py")
        if {"PySide6", "shiboken6", "ui"} & _imports(p)
    ]
    assert offenders == []


def test_models_do_not_import_exports() -> None:
    offenders = [str(p) for p in (ROOT / "models").rglob("*.py") if "exports" in _imports(p)]
    assert offenders == []


def test_ui_writes_no_sql() -> None:
    sql = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET)\b", re.I)
    offenders = [str(p) for p in (ROOT / "ui").rglob("*.py") if sql.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
