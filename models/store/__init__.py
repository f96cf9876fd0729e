"""The store: the one place with SQL, split by table group. Callers write `from models import store`.

Every write is one transaction (nested ones become savepoints) and records its change in the history.
Values are stored as given: the rules in models.rules check and normalise them first (the use cases in
services/ do that once per edit).
"""

from __future__ import annotations

from models.errors import ValidationError
from models.store.activities import (
    ActivitySnapshot,
    count_activities,
    delete_activity,
    get_activity,
    insert_activity,
    list_activities,
    move_activity,
    plan_year_of,
    restore_activity,
    snapshot_activity,
    write_activity_values,
)
from models.store.evidence import (
    add_attachment_row,
    get_attachment,
    list_attachments,
    referenced_hashes,
    remove_attachment_row,
)
from models.store.history import current_user, list_changes
from models.store.plans import (
    PlanSnapshot,
    PlanSummary,
    counts,
    create_plan,
    create_plan_with_activities,
    delete_plan,
    get_plan,
    list_plans,
    plan_exists,
    restore_plan,
    update_plan,
)
from models.store.progress import add_progress_entry, list_progress_entries, remove_progress_entry
from models.store.settings import all_settings, get_setting, get_statuses, set_setting
from models.store.units import (
    add_unit,
    delete_unit,
    find_unit,
    get_unit,
    list_units,
    merge_units,
    swap_unit_order,
    unit_usage,
    update_unit,
)

__all__ = [
    "ActivitySnapshot",
    "PlanSnapshot",
    "PlanSummary",
    "ValidationError",
    "add_attachment_row",
    "add_progress_entry",
    "add_unit",
    "all_settings",
    "count_activities",
    "counts",
    "create_plan",
    "create_plan_with_activities",
    "current_user",
    "delete_activity",
    "delete_plan",
    "delete_unit",
    "find_unit",
    "get_activity",
    "get_attachment",
    "get_plan",
    "get_setting",
    "get_statuses",
    "get_unit",
    "insert_activity",
    "list_activities",
    "list_attachments",
    "list_changes",
    "list_plans",
    "list_progress_entries",
    "list_units",
    "merge_units",
    "move_activity",
    "plan_exists",
    "plan_year_of",
    "referenced_hashes",
    "remove_attachment_row",
    "remove_progress_entry",
    "restore_activity",
    "restore_plan",
    "set_setting",
    "snapshot_activity",
    "swap_unit_order",
    "unit_usage",
    "update_plan",
    "update_unit",
    "write_activity_values",
]
