"""Who may do what: the roles of the review app and the CLI, enforced on the server."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ANALYST = "analyst"
    APPROVER = "approver"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Action(StrEnum):
    READ = "read"  # the queue, hits, cases, the dashboard
    EXPORT = "export"  # decisions of a period as CSV
    ASSIGN = "assign"  # take a hit
    PROPOSE = "propose"  # a decision (one that needs approval is only proposed)
    APPROVE = "approve"  # approve or reject somebody else's proposal
    MANAGE_USERS = "manage_users"


# An analyst proposes, an approver approves (and may propose, never approve their own),
# an auditor reads everything and changes nothing, an admin manages accounts.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ANALYST: frozenset({Action.READ, Action.ASSIGN, Action.PROPOSE}),
    Role.APPROVER: frozenset({Action.READ, Action.ASSIGN, Action.PROPOSE, Action.APPROVE}),
    Role.AUDITOR: frozenset({Action.READ, Action.EXPORT}),
    Role.ADMIN: frozenset({Action.READ, Action.MANAGE_USERS}),
}


def may(role: str, action: Action) -> bool:
    try:
        return action in PERMISSIONS[Role(role)]
    except ValueError:
        return False


class NotAllowed(PermissionError):
    """A user tried what their role does not allow; the message says who and what."""

    def __init__(self, user: str, role: str, action: Action) -> None:
        super().__init__(f"{user} ({role}) may not {action.value.replace('_', ' ')}")
        self.user, self.role, self.action = user, role, action
