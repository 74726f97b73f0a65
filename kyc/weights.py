"""Every number the matcher's scorer uses, configurable (``KYC_MATCH_WEIGHTS``).

Only numbers, below the settings that read them: what a word of each role weighs and
costs is worked out from them in :mod:`kyc.matching.weights`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from kyc.model import EntryKind


@dataclass(frozen=True)
class Weights:
    """Every number the scorer uses; configurable (``KYC_MATCH_WEIGHTS``)."""

    particle: float = 0.3
    generic: float = 0.35
    initial: float = 0.5
    # What a word without any counterpart costs, as a share of its weight: less in the
    # list entry (middle names, titles) than in the query. A word that stands where the
    # other name has a different word is a conflict and costs in full on both sides.
    unmatched_query_person: float = 0.4
    unmatched_entry_person: float = 0.25
    unmatched_query_organization: float = 1.0
    unmatched_entry_organization: float = 0.8
    # A generic word of an organisation's name (Trading, Group, Holding) added or dropped
    # costs little; two different ones left over on both sides cost in full.
    unmatched_generic: float = 0.15
    conflict_credit_floor: float = 0.5
    variant: float = 0.95
    acronym: float = 0.9
    # Three letters are the initials of many companies by chance (a few hundred listed
    # three-letter aliases would flag a few percent of all three-word company names):
    # alone, such a reading stays below the threshold.
    acronym_short: float = 0.75
    min_pair: float = 0.72
    # What two neighbouring letters swapped cost, as a share of one letter substituted
    # (a word of n letters: 1 − transposition / n).
    transposition: float = 0.5
    phonetic_floor: float = 0.85
    phonetic_min_spelling: float = 0.7
    initial_similarity: float = 0.85
    skeleton_factor: float = 0.88
    weak_alias: float = 0.05
    legal_form_conflict: float = 0.04
    birth_exact: float = 0.04
    birth_swapped: float = 0.02
    birth_year: float = 0.01
    birth_conflict: float = 0.15
    country_match: float = 0.01
    country_conflict: float = 0.03
    gender_conflict: float = 0.1

    def __hash__(self) -> int:
        # Part of every key of word_similarity's cache: hashed once, not field by field.
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(self.__dict__[f.name] for f in fields(self)))
            object.__setattr__(self, "_hash", cached)
        return cached

    def unmatched_costs(self, kind: EntryKind) -> tuple[float, float]:
        """What a word without counterpart costs in the query, and in the entry."""
        if kind is EntryKind.PERSON:
            return self.unmatched_query_person, self.unmatched_entry_person
        return self.unmatched_query_organization, self.unmatched_entry_organization
