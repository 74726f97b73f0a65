"""The sanctions matcher: every alias indexed by its words, then the explained scorer.

Screening a batch runs in two stages, the first far cheaper than the second:

1. **Prefilter** (vectorised, :mod:`kyc.matching.prefilter`): every query word finds the
   list words close enough to pair with it (cached per word); sparse matrix products
   turn those into, for every query and every alias sharing a word with it, an upper
   bound of the name score. Aliases whose bound cannot reach the threshold drop out —
   nearly all of them, for names that are not listed.
2. **Score** (:mod:`kyc.matching.scorer`): the full alignment, then birth date, country
   and gender; the explanation is built only for what is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from kyc.matching.base import Feature, IndexedList, Match
from kyc.matching.features import birth_date_feature, country_feature, gender_feature
from kyc.matching.prefilter import KindIndex
from kyc.matching.scorer import name_similarity
from kyc.matching.territories import territory_code
from kyc.matching.weights import DEFAULT_WEIGHTS, Weights
from kyc.model import EntryKind, EntryName, ListEntry, NameQuality, ScreeningSubject
from kyc.names import AnalysedName, readings

NAME = "kyc-align"
VERSION = "3.0.3"


def compare_names(
    query: str, candidate: str, kind: str, weights: Weights = DEFAULT_WEIGHTS
) -> tuple[float, str]:
    """The best score of any reading of two names (``A/B``, ``X formerly Y``, ``X (XYZ)``:
    see :func:`kyc.names.readings`)."""
    entry_kind = EntryKind(kind)
    best: tuple[float, str] | None = None
    for left in readings(query, entry_kind):
        for right in readings(candidate, entry_kind):
            scored = name_similarity(left, right, weights)
            if best is None or scored[0] > best[0]:
                best = (scored[0], _with_aside(scored[1], left, right))
    if best is None:
        return 0.0, "nothing to compare"
    return round(best[0], 6), best[1]


def _with_aside(detail: str, query: AnalysedName, entry: AnalysedName) -> str:
    aside = set_aside_detail(query, entry)
    return f"{detail}; {aside}" if aside else detail


def set_aside_detail(query: AnalysedName, entry: AnalysedName) -> str:
    """What either name carries besides the words compared, and why."""
    parts = [
        f"{side}: " + ", ".join(a.describe() for a in name.set_aside)
        for side, name in (("set aside in the query", query), ("in the entry", entry))
        if name.set_aside
    ]
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class _Alias:
    entry: int
    name: EntryName
    analysed: AnalysedName


# Where an alias comes from: its entry, its name there, the reading of that name. The
# matcher keeps only this, as plain tuples (a stored matcher reads back fast); the
# analysed name is made again when a pair gets a closer look.
_AliasPlace = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class _Entry:
    source: str
    version_id: int
    entry: ListEntry
    countries: tuple[str, ...]


# The aliases one name of a subject reached the threshold against: (alias, score).
_NameHits = tuple[tuple[int, float], ...]
# Names whose hits are remembered, at most (most have none: a few dozen bytes each).
_KNOWN_NAMES = 200_000


class AlignMatcher:
    """Screens subjects against the aliases of some list versions."""

    name = NAME
    version = VERSION

    def __init__(self, lists: Sequence[IndexedList], weights: Weights = DEFAULT_WEIGHTS) -> None:
        self.weights = weights
        self._entries: list[_Entry] = []
        self._aliases: list[_AliasPlace] = []
        self._kinds = {kind: KindIndex(kind, weights, self._analysed) for kind in EntryKind}
        self._known: dict[tuple[AnalysedName, float], _NameHits] = {}
        for indexed in lists:
            for entry in indexed.entries:
                self._add(indexed, entry)
        for index in self._kinds.values():
            index.freeze()

    @property
    def alias_count(self) -> int:
        return len(self._aliases)

    def _add(self, indexed: IndexedList, entry: ListEntry) -> None:
        entry_index = len(self._entries)
        self._entries.append(
            _Entry(indexed.source, indexed.version_id, entry, country_codes(entry))
        )
        for name_index, name in enumerate(entry.names):
            for reading, analysed in enumerate(readings(name.full, entry.kind)):
                self._kinds[entry.kind].add(len(self._aliases), analysed)
                self._aliases.append((entry_index, name_index, reading))

    def _alias(self, index: int) -> _Alias:
        entry, name, _reading = self._aliases[index]
        return _Alias(entry, self._entries[entry].entry.names[name], self._analysed(index))

    def _analysed(self, index: int) -> AnalysedName:
        entry_index, name, reading = self._aliases[index]
        entry = self._entries[entry_index].entry
        return readings(entry.names[name].full, entry.kind)[reading]

    # --- screening ---------------------------------------------------------------------

    @property
    def parameters(self) -> dict[str, Any]:
        return {"weights": asdict(self.weights)}

    def screen(self, subject: ScreeningSubject, threshold: float) -> list[Match]:
        return self.screen_many([subject], threshold)[0]

    def screen_many(
        self, subjects: Sequence[ScreeningSubject], threshold: float
    ) -> list[list[Match]]:
        """The matches of each subject, in order: one pass of the prefilter for all."""
        names = [_subject_names(subject) for subject in subjects]
        hits = self._name_hits(dict.fromkeys(name for its in names for name in its), threshold)
        return [
            self._subject_matches(subject, [(name, hits[name]) for name in its], threshold)
            for subject, its in zip(subjects, names, strict=True)
        ]

    def candidates(self, kind: EntryKind, query: AnalysedName, threshold: float) -> list[int]:
        """The aliases the prefilter keeps for one name (what gets a closer look)."""
        return sorted(self._kinds[kind].survivors([query], self._needed(threshold))[0])

    def _needed(self, threshold: float) -> float:
        """The name score below which no birth date or country can lift a pair over."""
        w = self.weights
        return threshold - (w.birth_exact + w.country_match)

    def _name_hits(
        self, names: Iterable[AnalysedName], threshold: float
    ) -> dict[AnalysedName, _NameHits]:
        """What each name reaches on its own, remembered: a register repeats names (a
        third of 200,000 synthetic ones, more among people), and what a name reaches
        does not depend on whose name it is (birth date and country come after)."""
        needed = self._needed(threshold)
        hits: dict[AnalysedName, _NameHits] = {}
        by_kind: dict[EntryKind, list[AnalysedName]] = {}
        for name in names:
            known = self._known.get((name, needed))
            if known is None:
                by_kind.setdefault(name.kind, []).append(name)
            else:
                hits[name] = known
        if len(self._known) > _KNOWN_NAMES:
            self._known.clear()
        for kind, queries in by_kind.items():
            survivors = self._kinds[kind].survivors(queries, needed)
            for query, aliases in zip(queries, survivors, strict=True):
                found = tuple(self._scored(query, aliases, needed))
                hits[query] = self._known[(query, needed)] = found
        return hits

    def _scored(
        self, query: AnalysedName, aliases: Iterable[int], needed: float
    ) -> Iterator[tuple[int, float]]:
        for alias_index in sorted(aliases):
            similarity = self._name_score(query, alias_index)
            if similarity >= needed:
                yield alias_index, similarity

    def _subject_matches(
        self,
        subject: ScreeningSubject,
        hits: Sequence[tuple[AnalysedName, Sequence[tuple[int, float]]]],
        threshold: float,
    ) -> list[Match]:
        countries = subject_countries(subject)
        best: dict[int, tuple[float, _Alias, AnalysedName]] = {}
        for query, name_hits in hits:
            for alias_index, similarity in name_hits:
                alias = self._alias(alias_index)
                features = self._features(subject, countries, alias)
                score = _clip(similarity + sum(f.contribution for f in features))
                if score >= threshold and (alias.entry not in best or score > best[alias.entry][0]):
                    best[alias.entry] = (score, alias, query)
        matches = [
            self._match(subject, countries, query, alias) for _s, alias, query in best.values()
        ]
        return sorted(matches, key=lambda m: (-m.score, m.source, m.entry_id))

    def _features(
        self, subject: ScreeningSubject, countries: tuple[str, ...], alias: _Alias
    ) -> list[Feature]:
        item = self._entries[alias.entry]
        weights = self.weights
        features = []
        if alias.name.quality is NameQuality.WEAK:
            features.append(
                Feature("weak_alias", -weights.weak_alias, "the list marks this alias as weak")
            )
        features.extend(
            feature
            for feature in (
                birth_date_feature(subject.birth_date, item.entry.birth_dates, weights)
                if subject.kind is EntryKind.PERSON
                else None,
                country_feature(countries, item.countries, weights),
                gender_feature(subject.gender, item.entry.gender, weights),
            )
            if feature is not None
        )
        return features

    def _match(
        self,
        subject: ScreeningSubject,
        countries: tuple[str, ...],
        query: AnalysedName,
        alias: _Alias,
    ) -> Match:
        """The match with its full explanation (built only for what is kept)."""
        item = self._entries[alias.entry]
        similarity, detail = name_similarity(query, alias.analysed, self.weights)
        features = [Feature("name", similarity, detail), *self._features(subject, countries, alias)]
        aside = set_aside_detail(query, alias.analysed)
        if aside:
            features.append(Feature("set_aside", 0.0, aside))
        return Match(
            subject_id=subject.subject_id,
            source=item.source,
            entry_id=item.entry.entry_id,
            list_version_id=item.version_id,
            entry_name=item.entry.display_name,
            matched_name=alias.name.full,
            score=_clip(sum(f.contribution for f in features)),
            features=tuple(features),
        )

    def brute_force(self, subject: ScreeningSubject, threshold: float) -> list[Match]:
        """Every alias scored: the yardstick the index is measured against."""
        hits = [
            (
                query,
                [(index, self._name_score(query, index)) for index in self._kind_aliases(query)],
            )
            for query in _subject_names(subject)
        ]
        return self._subject_matches(subject, hits, threshold)

    def _kind_aliases(self, query: AnalysedName) -> Iterator[int]:
        return (
            i
            for i, (entry, _name, _reading) in enumerate(self._aliases)
            if self._entries[entry].entry.kind is query.kind
        )

    def _name_score(self, query: AnalysedName, alias_index: int) -> float:
        alias = self._analysed(alias_index)
        return name_similarity(query, alias, self.weights, explain=False)[0]

    def compare_names(self, query: str, candidate: str, kind: str) -> tuple[float, str]:
        return compare_names(query, candidate, kind, self.weights)


def _subject_names(subject: ScreeningSubject) -> list[AnalysedName]:
    """Each name of a subject, each reading of a name, analysed; none twice."""
    analysed = (
        reading
        for text in (subject.name, *subject.extra_names)
        for reading in readings(text, subject.kind)
    )
    return list(dict.fromkeys(analysed))


def _clip(score: float) -> float:
    return round(min(1.0, max(0.0, score)), 6)


def country_codes(entry: ListEntry) -> tuple[str, ...]:
    return _codes((*entry.nationalities, *entry.countries))


def subject_countries(subject: ScreeningSubject) -> tuple[str, ...]:
    return _codes(c for c in (subject.nationality, subject.country) if c)


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    codes = (territory_code(value) for value in values)
    return tuple(dict.fromkeys(code for code in codes if code is not None))


def build_matcher(lists: Sequence[IndexedList], weights: Weights = DEFAULT_WEIGHTS) -> AlignMatcher:
    return AlignMatcher(lists, weights)
