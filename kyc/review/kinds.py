"""What an analyst may decide about a hit (a module of its own: the command line reads
it to offer the choices, without loading the review's database code)."""

from enum import StrEnum


class DecisionKind(StrEnum):
    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"
