"""What a word of each role weighs and costs, from the numbers of :class:`Weights`."""

from __future__ import annotations

from collections.abc import Sequence

from kyc.model import EntryKind
from kyc.names import Role, Token
from kyc.weights import Weights

__all__ = [
    "DEFAULT_WEIGHTS",
    "Weights",
    "cheapest_unmatched",
    "role_weight",
    "token_weight",
    "unmatched_shares",
]

DEFAULT_WEIGHTS = Weights()


def token_weight(token: Token, weights: Weights) -> float:
    return role_weight(token.role, weights)


def role_weight(role: Role, weights: Weights) -> float:
    if role is Role.PARTICLE:
        return weights.particle
    if role is Role.GENERIC or role is Role.FORM:
        return weights.generic
    if role is Role.INITIAL:
        return weights.initial
    return 1.0


def unmatched_shares(weights: Weights, role: Role, kind: EntryKind) -> tuple[float, float]:
    """The share of its weight a word of this role costs without counterpart, in the
    query and in the entry (a number always in full)."""
    if role is Role.NUMBER:
        return 1.0, 1.0
    if role is Role.GENERIC and kind is EntryKind.ORGANIZATION:
        return weights.unmatched_generic, weights.unmatched_generic
    if role is Role.FORM:
        return 0.0, 0.0  # the form is compared apart
    return weights.unmatched_costs(kind)


def cheapest_unmatched(
    weights: Weights, roles: Sequence[Role], kind: EntryKind
) -> tuple[float, float]:
    """The least a word of one of these roles costs without counterpart (its weight
    times its share), in the query and in the entry."""
    charges = [
        [role_weight(role, weights) * share for share in unmatched_shares(weights, role, kind)]
        for role in roles
    ]
    return min(c[0] for c in charges), min(c[1] for c in charges)
