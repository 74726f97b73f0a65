"""An upper bound of the name score, much cheaper than the score itself.

Full scoring aligns the words one to one, tries merges and several readings; the bound
lets each query word take its best partner in the other name (no one-to-one rule, no
conflicts), charges the alias words nobody took at their cost, and computes the other
readings only where they are possible. A pair whose bound cannot reach the threshold
is not scored at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from kyc.matching.scorer import (
    Weights,
    acronym_reading,
    skeleton_tokens,
    token_weight,
    word_similarity,
)
from kyc.model import EntryKind
from kyc.names import AnalysedName, Role, Token, consonant_skeletons

# The whole-strings reading of a one-word name (see scorer.name_similarity).
WHOLE_FACTOR = 0.95


def name_bound(query: AnalysedName, alias: AnalysedName, weights: Weights) -> float:
    """At least :func:`kyc.matching.scorer.name_similarity` of the two names."""
    if query.script is not None and query.script == alias.script:
        return 1.0
    if not query.tokens or not alias.tokens:
        return 0.0
    if could_join(query.tokens, alias.tokens):
        return 1.0
    best = relaxed_alignment(query.tokens, alias.tokens, query.kind, weights)
    if len(query.tokens) == 1 or len(alias.tokens) == 1:
        whole = fuzz.ratio(query.text.replace(" ", ""), alias.text.replace(" ", "")) / 100
        best = max(best, whole * WHOLE_FACTOR)
    if query.kind is EntryKind.ORGANIZATION and acronym_reading(query, alias):
        best = max(best, weights.acronym)
    if query.skeleton or alias.skeleton:
        best = max(best, weights.skeleton_factor * _skeleton_bound(query, alias, weights))
    return best


def relaxed_alignment(
    query: Sequence[Token], alias: Sequence[Token], kind: EntryKind, weights: Weights
) -> float:
    query_cost, entry_cost = weights.unmatched_costs(kind)
    matched = total = 0.0
    taken: set[int] = set()
    for token in query:
        similarity, partner = max(
            (word_similarity(token, other, weights), index) for index, other in enumerate(alias)
        )
        weight = token_weight(token, weights)
        if similarity >= weights.min_pair:
            both = weight + token_weight(alias[partner], weights)
            matched += similarity * both
            total += both
            taken.add(partner)
        else:
            total += weight * (1.0 if token.role is Role.NUMBER else query_cost)
    total += sum(
        token_weight(other, weights) * (1.0 if other.role is Role.NUMBER else entry_cost)
        for index, other in enumerate(alias)
        if index not in taken
    )
    return matched / total if total else 0.0


def _skeleton_bound(query: AnalysedName, alias: AnalysedName, weights: Weights) -> float:
    best = 0.0
    for left in consonant_skeletons(query.text):
        for right in consonant_skeletons(alias.text):
            if left and right:
                best = max(
                    best,
                    relaxed_alignment(
                        skeleton_tokens(left), skeleton_tokens(right), query.kind, weights
                    ),
                )
    return best


def could_join(query: Sequence[Token], alias: Sequence[Token]) -> bool:
    """Whether two neighbouring words of one name may be one word of the other."""
    for one, other in ((query, alias), (alias, query)):
        lengths = {len(t.text) for t in other}
        for left, right in zip(one, one[1:], strict=False):
            size = len(left.text) + len(right.text)
            if not any(abs(size - length) <= 2 for length in lengths):
                continue
            joined = left.text + right.text
            if any(fuzz.ratio(joined, t.text) >= 90 for t in other):
                return True
    return False
