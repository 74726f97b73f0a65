"""The prefilter's readings besides the aligned words: what the bound of
:mod:`kyc.matching.prefilter` does not cover is searched apart — neighbouring words
written as one, an organisation's initials, consonant skeletons (their words joined
too), whole strings of one-word names, names in their own script — and the pairs found
are checked with the scorer's own tests or bounds of their own. Also the most a
conflict, an initial or a cross pair can add to a bound (shared with the word bound).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from kyc.matching.rows import (
    Rows,
    concatenated,
    initials_form,
    joined_neighbours,
    nothing,
    query_alias_pairs,
    sums,
)
from kyc.matching.scorer import (
    ACRONYM_LETTERS,
    ACRONYM_LONG,
    JOIN_GAP,
    WHOLE_FACTOR,
    acronym_reading,
    could_join,
    skeleton_readings,
)
from kyc.matching.skeletons import SkeletonRows, SkeletonWords, skeleton_joins
from kyc.matching.spelling import ByLength
from kyc.matching.vocabulary import Vocabulary, per_position
from kyc.matching.weights import Weights
from kyc.model import EntryKind
from kyc.names import AnalysedName

NAMES = "names"
ALTERNATES = "alternates"
OTHERS = "others"
ALL = "all"
JOINED = "joined"  # neighbouring skeleton words as one (see _skeleton_joins)
# Joined words and acronyms are taken only when (nearly) equal: see scorer._merged.
ALTERNATE_FLOOR = 0.9
EPSILON = 1e-9
_JOINS_REMEMBERED = 500_000

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class OtherReadings:
    """The searches of a :class:`~kyc.matching.prefilter.KindIndex` for its readings
    besides the aligned words (what it holds is made by its ``add`` and ``freeze``)."""

    weights: Weights
    kind: EntryKind
    _name_of: Callable[[int], AnalysedName]
    _words: Vocabulary
    _skeletons: Vocabulary
    _abjad_skeletons: Vocabulary
    _skeleton_words: SkeletonWords
    _abjad_skeleton_words: SkeletonWords
    _members: list[int]
    _arrays: dict[str, FloatArray]
    _joined_found: dict[str, dict[str, NDArray[np.int32]]]
    _whole: ByLength
    _whole_single: ByLength
    _native_search: dict[str, ByLength]
    _scripts: dict[int, str]
    _lightest_other: float

    def _cross_gain(self, needed: float) -> float:
        """The most pairing a left-over name with a left-over word that does not identify
        can add to ``matched − needed × total``, beyond what the bound charged them."""
        weights = self.weights
        query_cost, entry_cost = weights.unmatched_costs(self.kind)
        heaviest = max(weights.particle, weights.generic, weights.initial)
        paired = max((1 + w) * (1 - needed) for w in (self._lightest_other, heaviest))
        return max(0.0, paired + needed * (query_cost + entry_cost))

    def _conflict_gain(self, needed: float) -> float:
        """The most one conflict can add to ``matched − needed × total`` over leaving its
        two words unpaired (see scorer._aligned_score), for any word weights."""
        weights = self.weights
        floor = weights.conflict_credit_floor
        best_credit = (weights.min_pair - floor) / (1 - floor) * weights.min_pair
        gain = 0.0
        for cost in weights.unmatched_costs(self.kind):
            per_weight = best_credit - needed + needed * cost
            gain += max(per_weight, per_weight * self._lightest_other)
        return max(0.0, gain)

    def _initial_gains(self, needed: float) -> tuple[float, float]:
        """The most pairing one initial with one left-over name can add to
        ``matched − needed × total``, beyond what the bound already charged them:
        for an initial of the query, and for one of the alias."""
        weights = self.weights
        query_cost, entry_cost = weights.unmatched_costs(self.kind)
        both = weights.initial + 1.0
        paired = both * (weights.initial_similarity - needed)
        query_initial = paired + needed * (query_cost * self._lightest_other + entry_cost)
        alias_initial = paired + needed * (query_cost + entry_cost * self._lightest_other)
        return max(0.0, query_initial), max(0.0, alias_initial)

    def _alternates(
        self,
        queries: Sequence[AnalysedName],
        names: Rows,
        similar: sparse.csr_matrix,
        needed: float,
    ) -> tuple[IntArray, IntArray]:
        """Pairs where one name may write two words of the other as one, or its initials."""
        joins, initials = Rows(), Rows()
        shortest_acronym = ACRONYM_LETTERS if self.weights.acronym_short >= needed else ACRONYM_LONG
        for index, query in enumerate(queries):
            for token in joined_neighbours(query):
                joins.add(index, token)
            if (form := initials_form(query)) and len(form.text) >= shortest_acronym:
                initials.add(index, form)
        words = self._words
        found = []  # pairs that may read words as one, or as initials: checked one by one
        if names.tokens:
            close = similar.copy()
            close.data[close.data < ALTERNATE_FLOOR] = 0.0
            close.eliminate_zeros()
            found.append(query_alias_pairs(names, close @ words.incidence(ALTERNATES)))
        if joins.tokens:
            # The scorer joins two words only for a word at most two letters longer or
            # shorter (scorer._merged): a narrow search.
            joined = self._joined_words([token.text for token in joins.tokens])
            matrix = joins.ones_matrix(joined, len(words))
            found.append(query_alias_pairs(joins, matrix @ words.incidence(NAMES)))
        q, a = concatenated(found)
        # Most such pairs only look alike (``alain`` ~ ``al amin``): the scorer's own test
        # of each pair is cheap, and spares them the full score.
        pairs = zip(q.tolist(), a.tolist(), strict=True)
        readable = np.fromiter(
            (self._reads_alternately(queries[i], j, needed) for i, j in pairs),
            dtype=bool,
            count=len(q),
        )
        kept = [(q[readable], a[readable])]
        if initials.tokens:
            same = words.spelt_exactly(initials.tokens)
            kept.append(
                query_alias_pairs(
                    initials, initials.as_matrix(same, len(words)) @ words.incidence(NAMES)
                )
            )
        return concatenated(kept)

    def _joined_words(self, texts: Sequence[str]) -> list[NDArray[np.int32]]:
        """For each pair of words written as one, the list's name words it may be."""
        return self._nearly_spelt(self._words, NAMES, texts)

    def _nearly_spelt(
        self, vocabulary: Vocabulary, relation: str, texts: Sequence[str]
    ) -> list[NDArray[np.int32]]:
        """For each text, the words of ``relation`` that one word may be when the other
        name writes it as two (or two, when it writes them as one): at most two letters
        longer or shorter, nearly equal (see scorer._merged). Remembered: the same pairs
        come back in many names (``ali hassan``)."""
        known = self._joined_found.setdefault(f"{vocabulary.name}/{relation}", {})
        new = [text for text in dict.fromkeys(texts) if text not in known]
        if len(known) + len(new) > _JOINS_REMEMBERED:
            known.clear()
            new = list(dict.fromkeys(texts))
        positions, ids = vocabulary.spelt_alike(new, ALTERNATE_FLOOR, JOIN_GAP, relation)
        known.update(zip(new, per_position(positions, ids, len(new)), strict=True))
        return [known[text] for text in texts]

    def _reads_alternately(self, query: AnalysedName, alias: int, needed: float) -> bool:
        """Whether the scorer may read two words of one name as one of the other, or one
        name as the initials of the other closely enough."""
        other = self._name_of(self._members[alias])
        if could_join(query.tokens, other.tokens):
            return True
        acronym = acronym_reading(query, other, self.weights)
        return acronym is not None and acronym[0] >= needed - EPSILON

    def _skeleton_bounds(
        self, queries: Sequence[AnalysedName], needed: float
    ) -> tuple[IntArray, IntArray]:
        """The consonant-skeleton reading (see scorer.skeleton_readings): only against
        names written without vowels, unless the query itself is.

        Its words keep their roles, so the bound is written as a slack, per side: each
        query word contributes the better of pairing with its closest word of the alias
        and of staying unpaired; the alias's words at best pair fully, as many as query
        words found a partner, and the others stay unpaired at the least any of them
        costs; left-over words may stand as conflicts."""
        weights = self.weights
        reach = needed / weights.skeleton_factor  # what the aligned skeletons must reach
        if reach > 1.0 + EPSILON:
            return nothing()
        conflict = self._conflict_gain(reach)
        found = []
        for skeletons, words, abjad in (
            (self._abjad_skeletons, self._abjad_skeleton_words, False),
            (self._skeletons, self._skeleton_words, True),
        ):
            rows = words.rows([q if bool(q.skeleton) is abjad else None for q in queries])
            if not rows.owner.size:
                continue
            similar = rows.similar @ skeletons.incidence(ALL)
            products = similar.tocoo()
            value = np.minimum(products.data, 1.0)
            row = products.row
            gain = np.maximum(rows.weight[row] * (value - reach) + reach * rows.cost[row], 0.0)
            aliases = len(self._members)
            keys = rows.owner[row].astype(np.int64) * aliases + products.col.astype(np.int64)
            unique, inverse = np.unique(keys, return_inverse=True)
            q, a = unique // aliases, unique % aliases
            paired = np.bincount(inverse).astype(np.float64)
            words = self._arrays["skeleton"][a]
            reached = np.minimum(words, paired)
            slack = (
                rows.unpaired_slack(len(queries), reach)[q]
                + sums(inverse, gain, len(unique))
                + reached * (1 - reach)
                - (words - reached) * reach * self._arrays["skeleton_cheapest"][a]
                + np.minimum(rows.count(len(queries))[q] - paired, words - reached) * conflict
            )
            keep = slack >= -EPSILON
            found.append((q[keep], a[keep]))
            found.append(self._skeleton_joins(queries, skeletons, abjad, rows))
        return concatenated(found)

    def _skeleton_joins(
        self,
        queries: Sequence[AnalysedName],
        skeletons: Vocabulary,
        abjad: bool,
        rows: SkeletonRows,
    ) -> tuple[IntArray, IntArray]:
        """Pairs whose skeletons the scorer may read with two neighbouring words of one
        side as one word of the other (``bl rhmn`` ~ ``bdlrhmn``), which the bound does
        not cover: a query word nearly equal to two alias words joined (their rows of
        similarities, already made), or two query words joined nearly equal to an alias
        word; then checked with the scorer's own test, as :meth:`_alternates` does for
        the plain reading."""
        close = rows.similar.copy()
        close.data[close.data < ALTERNATE_FLOOR] = 0.0
        close.eliminate_zeros()
        products = (close @ skeletons.incidence(JOINED)).tocoo()
        found = [(rows.owner[products.row], products.col.astype(np.int64))]
        joins = Rows()
        for index, query in enumerate(queries):
            if bool(query.skeleton) is abjad:
                for joined in skeleton_joins(query):
                    joins.add(index, joined)
        if joins.tokens:
            near = self._nearly_spelt(skeletons, ALL, [t.text for t in joins.tokens])
            matrix = joins.ones_matrix(near, len(skeletons)) @ skeletons.incidence(ALL)
            found.append(query_alias_pairs(joins, matrix))
        q, a = concatenated(found)
        aliases = len(self._members)
        keys = np.unique(q * aliases + a)
        q, a = keys // aliases, keys % aliases
        pairs = zip(q.tolist(), a.tolist(), strict=True)
        joinable = np.fromiter(
            (self._skeletons_join(queries[i], j) for i, j in pairs), dtype=bool, count=len(q)
        )
        return q[joinable], a[joinable]

    def _skeletons_join(self, query: AnalysedName, alias: int) -> bool:
        other = self._name_of(self._members[alias])
        return any(
            could_join(left, right)
            for left in skeleton_readings(query)
            for right in skeleton_readings(other)
        )

    def _whole_strings(
        self, queries: Sequence[AnalysedName], needed: float
    ) -> tuple[IntArray, IntArray]:
        """A one-word name is also read as a whole string against the other written
        without spaces (``trading`` ~ ``trading de``, ``al trading`` ~ ``altrading``):
        one-word queries against every alias, the others against one-word aliases."""
        # One point below the cut: cdist reports whole-number scores.
        floor = max(0.0, needed / WHOLE_FACTOR - 0.01)
        if floor > 1.0:  # no whole-string reading can reach the threshold
            return nothing()
        found = []
        for aliases, one_word in ((self._whole, True), (self._whole_single, False)):
            batch = [i for i, query in enumerate(queries) if (len(query.tokens) == 1) is one_word]
            texts = [queries[index].text.replace(" ", "") for index in batch]
            positions, alike = aliases.alike(texts, floor)
            found.append((np.asarray(batch, dtype=np.int64)[positions], alike.astype(np.int64)))
        return concatenated(found)

    def _native_readings(
        self, queries: Sequence[AnalysedName], needed: float
    ) -> tuple[IntArray, IntArray]:
        """Names both written in one script are compared in it (scorer._native_similarity):
        their words aligned, which needs a pair of words spelt alike, or their whole
        strings, which must reach the threshold themselves. Aliases of that script with
        such a word or whole string are kept (the few hundred written so)."""
        found = []
        for kind, floor in (("words", self.weights.min_pair), ("whole", needed)):
            batch: list[int] = []
            texts: list[str] = []
            for index, query in enumerate(queries):
                if query.native and query.script:
                    written = query.native if kind == "words" else ("".join(query.native),)
                    batch += [index] * len(written)
                    texts += written
            positions, aliases = self._native_search[kind].alike(texts, floor - EPSILON)
            q, a = np.asarray(batch, dtype=np.int64)[positions], aliases.astype(np.int64)
            same = np.fromiter(
                (
                    queries[i].script == self._scripts[j]
                    for i, j in zip(q.tolist(), a.tolist(), strict=True)
                ),
                dtype=bool,
                count=len(q),
            )
            found.append((q[same], a[same]))
        return concatenated(found)
