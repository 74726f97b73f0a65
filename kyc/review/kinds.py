"""What a reviewer may decide about a hit, and where a decision stands (a module of its
own: the command line reads it to offer the choices, without loading the review's
database code)."""

from enum import StrEnum


class DecisionKind(StrEnum):
    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"
    ESCALATE = "escalate"


# Decisions a second person, an approver, must approve before they take effect.
NEEDS_APPROVAL = frozenset({DecisionKind.TRUE_MATCH, DecisionKind.FALSE_POSITIVE})


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"  # waiting for an approver
    APPROVED = "approved"  # in effect, by a second person
    REJECTED = "rejected"  # turned down by an approver, with a reason
    WITHDRAWN = "withdrawn"  # the pair changed before anybody approved it
    EFFECTIVE = "effective"  # in effect at once (escalate), or decided before four eyes
