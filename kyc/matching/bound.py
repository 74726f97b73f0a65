"""An upper bound of the name score, much cheaper than the score itself.

Full scoring aligns the words one to one, tries merges and several readings; the bound
lets each query word choose freely among its possible fates — paired with any close
word, in conflict with any word the scorer would credit, or unpaired — with no
one-to-one rule, charges only the alias words no query word could take, and computes
the other readings only where they are possible. A pair whose bound cannot reach the
threshold is not scored at all.

The score is a ratio (matched weight over total weight), so the best free choice is
found by Dinkelbach's iteration: at ratio ``t`` each word takes the fate with the most
``matched − t × weight``; the ratio that gives rises until nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from kyc.matching.scorer import (
    JOIN_GAP,
    JOIN_TARGET_MIN,
    NEVER_JOINED,
    WHOLE_FACTOR,
    Weights,
    acronym_reading,
    joins_into,
    skeleton_tokens,
    token_weight,
    word_similarity,
)
from kyc.model import EntryKind
from kyc.names import AnalysedName, Role, Token, consonant_skeletons


def name_bound(query: AnalysedName, alias: AnalysedName, weights: Weights) -> float:
    """At least :func:`kyc.matching.scorer.name_similarity` of the two names."""
    if query.script is not None and query.script == alias.script:
        return 1.0
    if not query.tokens or not alias.tokens:
        return 0.0
    best = relaxed_alignment(query.tokens, alias.tokens, query.kind, weights)
    if len(query.tokens) == 1 or len(alias.tokens) == 1:
        whole = fuzz.ratio(query.text.replace(" ", ""), alias.text.replace(" ", "")) / 100
        best = max(best, whole * WHOLE_FACTOR)
    acronym = acronym_reading(query, alias, weights)
    if acronym is not None:
        best = max(best, acronym[0])
    if query.skeleton or alias.skeleton:
        best = max(best, weights.skeleton_factor * _skeleton_bound(query, alias, weights))
    return best


def relaxed_alignment(
    query: Sequence[Token], alias: Sequence[Token], kind: EntryKind, weights: Weights
) -> float:
    """At least the scorer's aligned reading of the two word sequences, whichever
    neighbouring words it joins (see scorer._merged)."""
    query_cost, entry_cost = weights.unmatched_costs(kind)
    query_joins = _joins(query, alias)
    alias_joins = _joins(alias, [*query, *query_joins.values()])
    alias_words = [*alias, *alias_joins.values()]
    fates: list[list[tuple[float, float]]] = []
    takeable: set[int] = set()
    for index, token in enumerate(query):
        options = [(0.0, token_weight(token, weights) * _unpaired_share(token, query_cost))]
        for word in (token, query_joins.get(index)):
            if word is not None:
                options.extend(_pairings(word, alias_words, weights, takeable))
        if index - 1 in query_joins:  # the right part of a join takes nothing of its own
            options.append((0.0, 0.0))
        fates.append(options)
    # An alias word some query word could take, or that may be part of a join, costs
    # nothing here: that is its best case.
    for index in alias_joins:
        takeable.update((index, index + 1))
    fixed = sum(
        token_weight(other, weights) * _unpaired_share(other, entry_cost)
        for index, other in enumerate(alias)
        if index not in takeable
    )
    return _best_ratio(fates, fixed)


def could_join(query: Sequence[Token], alias: Sequence[Token]) -> bool:
    """Whether the scorer may read two neighbouring words of one name as one word of the
    other. (It joins the alias's words against the query as it leaves it: unchanged
    unless some query words were joined, which already answers yes.)"""
    return bool(_joins(query, alias) or _joins(alias, query))


def _joins(tokens: Sequence[Token], other: Sequence[Token]) -> dict[int, Token]:
    """The neighbouring words the scorer may join against ``other``, by the position of
    the left one, as the word they make."""
    joins = {}
    pairs = _joinable(tuple(tokens))
    if pairs:
        lengths = {len(word.text) for word in other if len(word.text) > JOIN_TARGET_MIN}
        for index, left, right, size in pairs:
            # Lengths first: they rule out nearly every pair before the scorer's test.
            if any(abs(size - length) <= JOIN_GAP for length in lengths) and any(
                joins_into(left, right, word.text) for word in other
            ):
                joins[index] = _joined(left, right)
    return joins


@lru_cache(maxsize=200_000)
def _joinable(tokens: tuple[Token, ...]) -> tuple[tuple[int, Token, Token, int], ...]:
    """Neighbouring words the scorer may join (neither an initial nor a number), by the
    position of the left one, with their length together."""
    return tuple(
        (index, left, right, len(left.text) + len(right.text))
        for index, (left, right) in enumerate(zip(tokens, tokens[1:], strict=False))
        if left.role not in NEVER_JOINED and right.role not in NEVER_JOINED
    )


def _joined(left: Token, right: Token) -> Token:
    text = left.text + right.text
    return Token(text, Role.NAME, text, text)


def _pairings(
    token: Token, alias: Sequence[Token], weights: Weights, takeable: set[int]
) -> list[tuple[float, float]]:
    """The (matched, total) of each pairing or conflict ``token`` may have with an alias
    word; the words it may take are added to ``takeable``."""
    options = []
    weight = token_weight(token, weights)
    for index, other in enumerate(alias):
        credit = _pair_credit(token, other, weights)
        if credit is not None:
            both = weight + token_weight(other, weights)
            options.append((credit * both, both))
            takeable.add(index)
    return options


def _unpaired_share(token: Token, cost: float) -> float:
    # A number left without a partner always costs in full (see scorer._aligned_score).
    return 1.0 if token.role is Role.NUMBER else cost


@lru_cache(maxsize=1_000_000)
def _pair_credit(token: Token, other: Token, weights: Weights) -> float | None:
    """What the scorer may credit the two words with, as a pair or a conflict."""
    similarity = word_similarity(token, other, weights)
    if similarity >= weights.min_pair:
        return similarity
    floor = weights.conflict_credit_floor
    may_conflict = Role.NAME in (token.role, other.role) and Role.NUMBER not in (
        token.role,
        other.role,
    )
    if may_conflict and similarity > floor:
        return (similarity - floor) / (1 - floor) * similarity
    return None


def _best_ratio(fates: list[list[tuple[float, float]]], fixed_weight: float) -> float:
    """The highest matched/total any free choice of one option per word can reach."""
    ratio = 0.0
    for _ in range(50):  # converges in a handful of steps
        chosen = [max(options, key=lambda o: o[0] - ratio * o[1]) for options in fates]
        total = fixed_weight + sum(weight for _m, weight in chosen)
        better = sum(matched for matched, _w in chosen) / total if total else 0.0
        if better <= ratio + 1e-12:
            return ratio
        ratio = better
    return ratio


def _skeleton_bound(query: AnalysedName, alias: AnalysedName, weights: Weights) -> float:
    best = 0.0
    for left in consonant_skeletons(query.text):
        for right in consonant_skeletons(alias.text):
            if not left or not right:
                continue
            left_tokens, right_tokens = skeleton_tokens(left), skeleton_tokens(right)
            best = max(best, relaxed_alignment(left_tokens, right_tokens, query.kind, weights))
    return best
