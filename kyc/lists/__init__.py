"""Sanctions list versions: import with quality gates, activation, change sets, history."""

from kyc.lists.changes import ChangeSet, diff, load_change_set
from kyc.lists.importer import (
    ListHeld,
    ListImporter,
    ListImportResult,
    ListNotActivated,
    ListRejected,
    gates_for,
)
from kyc.lists.versions import (
    ActivationRefused,
    HistoryRow,
    activate,
    active_at,
    active_versions,
    entry_fingerprint,
    history,
    list_versions,
    load_entries,
    load_lists,
    version_identity,
    version_ref,
    versions_ref,
)

__all__ = [
    "HistoryRow",
    "ActivationRefused",
    "ChangeSet",
    "ListHeld",
    "ListImportResult",
    "ListImporter",
    "ListNotActivated",
    "ListRejected",
    "activate",
    "active_at",
    "active_versions",
    "diff",
    "entry_fingerprint",
    "gates_for",
    "history",
    "list_versions",
    "load_lists",
    "load_change_set",
    "load_entries",
    "version_identity",
    "version_ref",
    "versions_ref",
]
