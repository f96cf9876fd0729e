"""The schema of a Taizhang file: numbered migrations, each applied in a transaction, and the file's marker."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

APP_ID = 0x545A4847  # "TZHG": marks a Taizhang file (PRAGMA application_id)

migrations = Migrations("taizhang")


@migrations()
def m0001_initial(db: Database) -> None:
    """Plans, activities, the unit directory and their links."""
    db.executescript(
        """
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            office TEXT NOT NULL DEFAULT '',
            doc_number TEXT NOT NULL DEFAULT '',
            theme TEXT NOT NULL DEFAULT '',
            year INTEGER,
            period_text TEXT NOT NULL DEFAULT '',
            report_deadline TEXT NOT NULL DEFAULT '',
            report_to TEXT NOT NULL DEFAULT '',
            report_contact TEXT NOT NULL DEFAULT '',
            slogans TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            annex_label TEXT NOT NULL DEFAULT '',
            table_title TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            content TEXT NOT NULL DEFAULT '',
            time_text TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '',
            remarks TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX activities_plan ON activities(plan_id, position);
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT '科室',
            sort_order INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE activity_units (
            activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            role TEXT NOT NULL CHECK (role IN ('lead', 'coop')),
            position INTEGER NOT NULL,
            PRIMARY KEY (activity_id, role, unit_id)
        );
        CREATE INDEX activity_units_unit ON activity_units(unit_id);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )


@migrations()
def m0002_tracking(db: Database) -> None:
    """Completion tracking: status, progress, dates, progress log and evidence."""
    db.executescript(
        """
        ALTER TABLE activities ADD COLUMN status TEXT NOT NULL DEFAULT '未开始';
        ALTER TABLE activities ADD COLUMN progress INTEGER NOT NULL DEFAULT 0
            CHECK (progress BETWEEN 0 AND 100);
        ALTER TABLE activities ADD COLUMN completed_on TEXT;
        ALTER TABLE activities ADD COLUMN completion_notes TEXT NOT NULL DEFAULT '';
        ALTER TABLE activities ADD COLUMN planned_start TEXT;
        ALTER TABLE activities ADD COLUMN planned_end TEXT;
        CREATE TABLE progress_entries (
            id INTEGER PRIMARY KEY,
            activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
            entry_date TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX progress_entries_activity ON progress_entries(activity_id);
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            activity_id INTEGER REFERENCES activities(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL,
            original_name TEXT NOT NULL,
            mime TEXT NOT NULL DEFAULT '',
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX attachments_activity ON attachments(activity_id);
        CREATE INDEX attachments_plan ON attachments(plan_id);
        """
    )


@migrations()
def m0003_changes(db: Database) -> None:
    """The change history (留痕); no foreign keys so that history outlives what it describes."""
    db.executescript(
        """
        CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER,
            plan_id INTEGER,
            activity_id INTEGER,
            action TEXT NOT NULL,
            field TEXT NOT NULL DEFAULT '',
            old TEXT NOT NULL DEFAULT '',
            new TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX changes_plan ON changes(plan_id, id);
        CREATE INDEX changes_activity ON changes(activity_id, id);
        """
    )


#: Titles of the sample plans a new database is seeded with (resources/samples): files made before plans
#: had a state get their untouched samples archived, so that they no longer greet the clerk in red.
_SAMPLE_TITLES = (
    "岳阳市市场监管系统2024年“质量月”活动方案",
    "共青城市市场监督管理局2024年“质量月”活动方案",
)


@migrations()
def m0004_plan_state(db: Database) -> None:
    """A plan's state: active (进行中, lit and counted) or archived (已归档: no lights, listed apart)."""
    db.execute(
        "ALTER TABLE plans ADD COLUMN state TEXT NOT NULL DEFAULT 'active'"
        " CHECK (state IN ('active', 'archived'))"
    )
    marks = ", ".join("?" for _ in _SAMPLE_TITLES)
    db.execute(
        f"UPDATE plans SET state = 'archived' WHERE title IN ({marks}) AND NOT EXISTS"
        " (SELECT 1 FROM activities a WHERE a.plan_id = plans.id AND (a.status != '未开始' OR a.progress > 0))",
        list(_SAMPLE_TITLES),
    )


@migrations()
def m0005_offices(db: Database) -> None:
    """Roll-up: which units report, group members, per-office status, rollouts, returns, upper templates."""
    db.executescript(
        """
        CREATE TABLE offices (
            unit_id INTEGER PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE unit_groups (
            group_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            member_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (group_id, member_id)
        );
        CREATE TABLE rollup_plans (
            plan_id INTEGER PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
            uid TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL DEFAULT 0,
            fingerprint TEXT NOT NULL DEFAULT '',
            deadline TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE rollouts (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            office_id INTEGER NOT NULL REFERENCES units(id),
            version INTEGER NOT NULL,
            sent_at TEXT NOT NULL,
            deadline TEXT NOT NULL DEFAULT '',
            file_name TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX rollouts_plan ON rollouts(plan_id, office_id);
        CREATE TABLE office_returns (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            office_id INTEGER NOT NULL REFERENCES units(id),
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            received_at TEXT NOT NULL,
            version INTEGER,
            filled_by TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            filled_on TEXT NOT NULL DEFAULT '',
            rows_json TEXT NOT NULL DEFAULT '[]',
            replaced_by INTEGER
        );
        CREATE INDEX office_returns_plan ON office_returns(plan_id, office_id);
        CREATE TABLE office_status (
            activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
            office_id INTEGER NOT NULL REFERENCES units(id),
            status TEXT NOT NULL DEFAULT '未开始',
            progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
            completed_on TEXT,
            completion_notes TEXT NOT NULL DEFAULT '',
            return_id INTEGER REFERENCES office_returns(id) ON DELETE SET NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (activity_id, office_id)
        );
        CREATE INDEX office_status_office ON office_status(office_id);
        CREATE TABLE return_attachments (
            attachment_id INTEGER PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE,
            return_id INTEGER NOT NULL REFERENCES office_returns(id) ON DELETE CASCADE,
            office_id INTEGER NOT NULL REFERENCES units(id)
        );
        CREATE TABLE upstream_plans (
            plan_id INTEGER PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
            template BLOB NOT NULL,
            file_name TEXT NOT NULL,
            office TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL
        );
        CREATE TABLE upstream_rows (
            activity_id INTEGER PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            row_key TEXT NOT NULL
        );
        INSERT INTO offices (unit_id, created_at)
            SELECT id, datetime('now') FROM units WHERE kind IN ('县市区局', '分局');
        """
    )


KNOWN_MIGRATIONS: tuple[str, ...] = tuple(m.name for m in migrations._migrations)
SCHEMA_VERSION = len(KNOWN_MIGRATIONS)
