"""Shared fixtures: an in-memory database, a database file, a seeded database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from models.db import open_database
from models.samples import seed_database


@pytest.fixture
def fresh_db() -> Iterator[Database]:
    """An empty, migrated in-memory database."""
    db = open_database(None)
    yield db
    db.close()


@pytest.fixture
def seeded_db() -> Iterator[Database]:
    """An in-memory database with the two sample plans."""
    db = open_database(None)
    seed_database(db)
    yield db
    db.close()


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A database file with the sample plans, closed again."""
    path = tmp_path / "taizhang.db"
    db = open_database(path)
    seed_database(db)
    db.close()
    return path


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real per-user data folder or Qt settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TAIZHANG_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
