"""Undoable edits: each command's redo/undo calls the repository and tells the session what changed."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from models import store
from models.records import Activity, Attachment
from models.rules import PLAN_ACTIVE, PLAN_ARCHIVED
from models.store.plans import set_plan_state
from services import editing, plans
from ui.session import Session


class EditActivityFields(QUndoCommand):
    """Change one or more fields of an activity."""

    def __init__(self, session: Session, activity_id: int, values: dict[str, Any], text: str) -> None:
        super().__init__(text)
        self.session = session
        self.activity_id = activity_id
        self.values = values
        self.olds: dict[str, Any] = {}

    def redo(self) -> None:
        """Apply the new values (all or none)."""
        self.olds = editing.write(self.session.db, self.activity_id, self.values)
        self._notify()

    def undo(self) -> None:
        """Put the old values back."""
        editing.write(self.session.db, self.activity_id, self.olds)
        self._notify()

    def _notify(self) -> None:
        if {"lead_units", "coop_units"} & set(self.values):
            self.session.unitsChanged.emit()
        self.session.activityChanged.emit(self.activity_id)


class InsertActivity(QUndoCommand):
    """Add an activity at a position."""

    def __init__(self, session: Session, plan_id: int, activity: Activity, position: int | None) -> None:
        super().__init__(f"添加活动“{activity.name}”")
        self.session = session
        self.plan_id = plan_id
        self.activity = activity
        self.position = position
        self.snapshot: store.ActivitySnapshot | None = None

    def redo(self) -> None:
        """Insert (again, with the same id on redo)."""
        if self.snapshot is None:
            created = store.insert_activity(self.session.db, self.plan_id, self.activity, self.position)
            self.activity_id = int(created.id or 0)
        else:
            store.restore_activity(self.session.db, self.snapshot)
        self.session.activitiesReset.emit(self.plan_id)

    def undo(self) -> None:
        """Remove the inserted activity, keeping it for redo."""
        self.snapshot = store.delete_activity(self.session.db, self.activity_id)
        self.session.activitiesReset.emit(self.plan_id)


class DeleteActivities(QUndoCommand):
    """Delete one or more activities; undo restores them with their log and evidence."""

    def __init__(self, session: Session, plan_id: int, activity_ids: list[int]) -> None:
        super().__init__(f"删除 {len(activity_ids)} 项活动")
        self.session = session
        self.plan_id = plan_id
        self.activity_ids = activity_ids
        self.snapshots: list[store.ActivitySnapshot] = []

    def redo(self) -> None:
        """Delete the activities in one transaction."""
        with self.session.db.atomic():
            self.snapshots = [store.delete_activity(self.session.db, i) for i in self.activity_ids]
        self.session.activitiesReset.emit(self.plan_id)

    def undo(self) -> None:
        """Restore them in reverse order so positions come back as they were."""
        with self.session.db.atomic():
            for snapshot in reversed(self.snapshots):
                store.restore_activity(self.session.db, snapshot)
        self.session.activitiesReset.emit(self.plan_id)


class MoveActivity(QUndoCommand):
    """Move an activity to another position (序号 renumbered)."""

    def __init__(self, session: Session, plan_id: int, activity_id: int, old: int, new: int) -> None:
        super().__init__("上移活动" if new < old else "下移活动")
        self.session = session
        self.plan_id = plan_id
        self.activity_id = activity_id
        self.old = old
        self.new = new

    def redo(self) -> None:
        """Move to the new position."""
        store.move_activity(self.session.db, self.activity_id, self.new)
        self.session.activitiesReset.emit(self.plan_id)

    def undo(self) -> None:
        """Move back."""
        store.move_activity(self.session.db, self.activity_id, self.old)
        self.session.activitiesReset.emit(self.plan_id)


class EditPlan(QUndoCommand):
    """Change plan properties."""

    def __init__(self, session: Session, plan_id: int, values: dict[str, Any]) -> None:
        super().__init__("修改方案属性")
        self.session = session
        self.plan_id = plan_id
        self.values = values
        old = store.get_plan(session.db, plan_id)
        self.olds = {k: getattr(old, k) for k in values}

    def redo(self) -> None:
        """Apply the new properties."""
        store.update_plan(self.session.db, self.plan_id, **self.values)
        self.session.plansChanged.emit()

    def undo(self) -> None:
        """Put the old properties back."""
        store.update_plan(self.session.db, self.plan_id, **self.olds)
        self.session.plansChanged.emit()


class DeletePlan(QUndoCommand):
    """Delete a whole plan; undo restores it with everything in it."""

    def __init__(self, session: Session, plan_id: int, title: str) -> None:
        super().__init__(f"删除方案“{title}”")
        self.session = session
        self.plan_id = plan_id
        self.snapshot: store.PlanSnapshot | None = None
        self.backed_up = False

    def redo(self) -> None:
        """Delete the plan; the first time, the use case backs up first (a failed backup is told in the
        status bar and the deletion goes on: undo restores the plan anyway)."""
        if self.backed_up:
            self.snapshot = store.delete_plan(self.session.db, self.plan_id)
        else:
            self.snapshot = plans.delete_plan(
                self.session.db,
                self.plan_id,
                backup_of=self.session.path,
                on_backup_failure=self.session.tell_and_go_on,
            )
            self.backed_up = True
        self.session.plansChanged.emit()

    def undo(self) -> None:
        """Restore the plan."""
        if self.snapshot is not None:
            store.restore_plan(self.session.db, self.snapshot)
        self.session.plansChanged.emit()


class AddProgressEntry(QUndoCommand):
    """Append a dated entry to an activity's progress log."""

    def __init__(self, session: Session, activity_id: int, text: str, day: Any) -> None:
        super().__init__("添加进展记录")
        self.session = session
        self.activity_id = activity_id
        self.text_ = text
        self.day = day
        self.entry_id: int | None = None

    def redo(self) -> None:
        """Add the entry (with the same id on redo)."""
        entry = store.add_progress_entry(
            self.session.db, self.activity_id, self.text_, self.day, entry_id=self.entry_id
        )
        self.entry_id = entry.id
        self.session.activityChanged.emit(self.activity_id)

    def undo(self) -> None:
        """Take the entry out again (the change history keeps it)."""
        if self.entry_id is not None:
            store.remove_progress_entry(self.session.db, self.entry_id)
        self.session.activityChanged.emit(self.activity_id)


class AddAttachment(QUndoCommand):
    """Record an evidence file (already copied into the evidence folder) for an activity or the plan."""

    def __init__(self, session: Session, attachment: Attachment) -> None:
        super().__init__(f"添加附件“{attachment.original_name}”")
        self.session = session
        self.attachment = attachment

    def redo(self) -> None:
        """Record the file again (first time: it was recorded when copied)."""
        present = {a.id for a in store.list_attachments(self.session.db, plan_id=self.attachment.plan_id)}
        if self.attachment.id not in present:
            store.add_attachment_row(self.session.db, self.attachment)
        self._notify()

    def undo(self) -> None:
        """Remove the record (the stored file stays for redo and backups)."""
        store.remove_attachment_row(self.session.db, self.attachment.id or 0)
        self._notify()

    def _notify(self) -> None:
        # Only the owner is told (its row, the detail panel, the overview's materials): the plan list and
        # the table are not reloaded, so the current activity stays current.
        if self.attachment.activity_id is not None:
            self.session.activityChanged.emit(self.attachment.activity_id)
        self.session.evidenceChanged.emit(int(self.attachment.plan_id or 0))


class RemoveAttachment(AddAttachment):
    """Remove an evidence record; undo puts it back."""

    def __init__(self, session: Session, attachment: Attachment) -> None:
        super().__init__(session, attachment)
        self.setText(f"移除附件“{attachment.original_name}”")

    def redo(self) -> None:
        """Remove the record."""
        AddAttachment.undo(self)

    def undo(self) -> None:
        """Put the record back with the same id."""
        AddAttachment.redo(self)


class CreatePlan(QUndoCommand):
    """Create a plan (new, copied to next year, or imported); undo deletes it, redo puts it back."""

    def __init__(self, session: Session, create: Any, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.create = create  # a function returning the new plan's id, run once
        self.plan_id: int | None = None
        self.snapshot: store.PlanSnapshot | None = None

    def redo(self) -> None:
        """Create the plan the first time; restore it with the same ids afterwards."""
        if self.snapshot is None:
            self.plan_id = int(self.create())
        else:
            store.restore_plan(self.session.db, self.snapshot)
        self.session.plansChanged.emit()

    def undo(self) -> None:
        """Delete the plan, keeping everything for redo."""
        if self.plan_id is not None:
            self.snapshot = store.delete_plan(self.session.db, self.plan_id)
        self.session.plansChanged.emit()


class SetPlanState(QUndoCommand):
    """Archive a plan (no lights, listed apart) or put it back in progress."""

    def __init__(self, session: Session, plan_id: int, state: str, title: str) -> None:
        super().__init__(f"{'归档' if state == PLAN_ARCHIVED else '恢复'}方案“{title}”")
        self.session = session
        self.plan_id = plan_id
        self.state = state
        self.old = PLAN_ACTIVE

    def redo(self) -> None:
        """Set the new state."""
        self.old = set_plan_state(self.session.db, self.plan_id, self.state)
        self._notify()

    def undo(self) -> None:
        """Put the old state back."""
        set_plan_state(self.session.db, self.plan_id, self.old)
        self._notify()

    def _notify(self) -> None:
        self.session.plansChanged.emit()
        self.session.activitiesReset.emit(self.plan_id)  # lights on or off
