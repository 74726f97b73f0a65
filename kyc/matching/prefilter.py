"""The first stage of screening: which aliases could a name possibly match?

For a batch of query names, each identifying query word becomes a row of similarities
to the list's words (:class:`Vocabulary`); one sparse product with the word × alias
incidence gives, for every (query, alias) sharing a word, how many query words found a
partner and how close. From those sums an upper bound of the scorer's aligned reading
follows in a few array operations. The bound relaxes the scorer's alignment: each query
word may pair with any close word, with no one-to-one rule, and only the alias words no
query word comes close to are charged:

    bound = matched / (paired weight + unpaired query words × their cost
                       + alias words left over × their cost)

Words left over on both sides may still stand as conflicts, initials or names paired
with words that do not identify, which the scorer credits: the bound adds the most each
can bring, where it is possible.

A common word (``mohamed``, ``nova``) would meet thousands of aliases that its query
cannot reach through it alone: each query word looks up only the aliases short enough
to matter through it (:mod:`kyc.matching.probing`), and the pairs so found get the sums
of all their query's words.

Particles, generic words and initials are not looked up (``al``, ``van``, ``group``
stand in thousands of aliases); they count as paired with the alias's own such words,
as far as it has any. Readings the bound does not cover send the pair on to the
scorer: one-word names (compared as whole strings), neighbouring words written as one
(``bin laden`` / ``binladen``), acronyms, consonant skeletons, names in their own
script.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from kyc.matching.probing import largest_reach, reaches, rowwise_dots, size_limited
from kyc.matching.rows import (
    Contacts,
    QueryWords,
    Rows,
    alternate_forms,
    concatenated,
    initials_form,
    initials_of,
    joined_neighbours,
    letter_sets,
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
    identifying,
    skeleton_readings,
    skeleton_words,
)
from kyc.matching.skeletons import SkeletonRows, SkeletonWords, skeleton_counts, skeleton_joins
from kyc.matching.spelling import ByLength
from kyc.matching.vocabulary import Vocabulary, per_position
from kyc.matching.weights import Weights, token_weight
from kyc.model import EntryKind
from kyc.names import AnalysedName, Role, Token

_NAMES = "names"
_ALTERNATES = "alternates"
_OTHERS = "others"
_ALL = "all"
_JOINED = "joined"  # neighbouring skeleton words as one (see _skeleton_joins)
# Joined words and acronyms are taken only when (nearly) equal: see scorer._merged.
_ALTERNATE_FLOOR = 0.9
_EPSILON = 1e-9
_JOINS_REMEMBERED = 500_000
_NO_IDS = np.zeros(0, dtype=np.int64)
# Aliases of up to this many identifying words get matrices of their own for the
# prefilter's look-ups (see probing): longer ones are rare and are met in any case.
_PROBED_SIZES = 6

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class KindIndex:
    """The aliases of one kind (people, or organisations), ready for the prefilter."""

    def __init__(
        self, kind: EntryKind, weights: Weights, names: Callable[[int], AnalysedName]
    ) -> None:
        """``names`` gives the analysed name of an alias (by its global index) again:
        the index keeps what it needs of it as arrays, not the name itself."""
        self.kind = kind
        self.weights = weights
        self._name_of = names
        self._words = Vocabulary(weights, weights.min_pair)
        # Skeleton words of every alias, for queries written without vowels; and of
        # the aliases written so (a few hundred), for all other queries.
        self._skeletons = Vocabulary(weights, weights.min_pair, "skeletons")
        self._abjad_skeletons = Vocabulary(weights, weights.min_pair, "abjad skeletons")
        self._skeleton_words = SkeletonWords(self._skeletons, weights, kind)
        self._abjad_skeleton_words = SkeletonWords(self._abjad_skeletons, weights, kind)
        self._members: list[int] = []
        self._joined_found: dict[str, dict[str, NDArray[np.int32]]] = {}
        self._joined: list[str] = []
        # Names compared in their own script: their words and their whole strings, with
        # the alias each stands in (see _native_readings), and each alias's script.
        self._native: dict[str, list[tuple[str, int]]] = {"words": [], "whole": []}
        self._native_search: dict[str, ByLength] = {}
        self._scripts: dict[int, str] = {}
        self._columns: dict[str, list[float]] = defaultdict(list)
        self._arrays: dict[str, FloatArray] = {}
        self._letters: dict[str, list[Sequence[Token]]] = defaultdict(list)
        self.letter_sets: dict[str, IntArray] = {}
        self._lightest_other = min(weights.particle, weights.generic, weights.initial)
        # What the bound charges a word that does not identify and finds no counterpart:
        # the least any such word costs, in the query and in the alias.
        self._cheapest_other = weights.cheapest_unmatched(
            (Role.PARTICLE, Role.GENERIC, Role.INITIAL, Role.FORM), kind
        )
        self._whole = self._whole_single = ByLength([])
        self._probes: list[sparse.csr_matrix] = []
        self._always: NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self._sizes: IntArray = np.zeros(0, dtype=np.int64)
        self._word_aliases: FloatArray = np.zeros(0)
        self._alias_names = self._alias_occurrences = sparse.csr_matrix((0, 0))

    def add(self, alias: int, name: AnalysedName) -> None:
        local = len(self._members)
        self._members.append(alias)
        self._joined.append(name.text.replace(" ", ""))
        key = identifying(name.tokens)
        for token in key:
            self._words.link(_NAMES, token, local)
        for token in alternate_forms(name):
            self._words.link(_ALTERNATES, token, local)
        for token in name.tokens:
            if token not in key:
                self._words.link(_OTHERS, token, local)
        for pair in skeleton_words(name):
            for skeleton in dict.fromkeys(w for w in pair if w is not None):
                self._skeletons.link(_ALL, skeleton, local)
                if name.skeleton:
                    self._abjad_skeletons.link(_ALL, skeleton, local)
        for joined in dict.fromkeys(skeleton_joins(name)):
            self._skeletons.link(_JOINED, joined, local)
            if name.skeleton:
                self._abjad_skeletons.link(_JOINED, joined, local)
        shortest, cheapest_skeleton = skeleton_counts(name, self.weights)
        if name.native and name.script:
            self._scripts[local] = name.script
            self._native["whole"].append(("".join(name.native), local))
            self._native["words"] += [(word, local) for word in dict.fromkeys(name.native)]
        others = len(name.tokens) - len(key)
        column = self._columns
        column["identifying"].append(len(key))
        column["lightest"].append(min((token_weight(t, self.weights) for t in key), default=1.0))
        column["cheapest"].append(
            min(
                (self.weights.cheapest_unmatched((t.role,), self.kind)[1] for t in key),
                default=1.0,
            )
        )
        column["others"].append(others)
        column["single"].append(float(len(name.tokens) == 1))
        column["initials"].append(sum(t.role is Role.INITIAL for t in name.tokens))
        self._letters["first"].append(name.tokens)
        self._letters["initial"].append(initials_of(name.tokens))
        column["skeleton"].append(shortest)
        column["skeleton_cheapest"].append(cheapest_skeleton)

    def freeze(self) -> None:
        count = len(self._members)
        self._words.freeze(count, searched=(_NAMES,))  # joined words: see _joined_words
        self._skeletons.freeze(count, searched=(_ALL, _JOINED))
        self._abjad_skeletons.freeze(count, searched=(_ALL, _JOINED))
        self._arrays = {name: np.asarray(values) for name, values in self._columns.items()}
        self._columns.clear()
        self.letter_sets = {name: letter_sets(words) for name, words in self._letters.items()}
        self._letters.clear()
        self._whole = ByLength(self._joined)
        self._native_search = {
            kind: ByLength([text for text, _ in written], [alias for _, alias in written])
            for kind, written in self._native.items()
        }
        self._native = {kind: [] for kind in self._native}
        single = np.flatnonzero(self._arrays.get("single", np.zeros(0))).tolist()
        self._whole_single = ByLength([self._joined[i] for i in single], single)
        names = self._words.incidence(_NAMES)
        self._word_aliases = np.asarray(names.getnnz(axis=1), dtype=np.float64)
        self._alias_names = sparse.csr_matrix(names.T)
        self._alias_occurrences = sparse.csr_matrix(self._words.occurrences(_NAMES).T)
        # Aliases the size-aware look-up must always meet (see probing): initials may
        # pair with a query's words, and words that do not identify weigh less.
        arrays = self._arrays
        always = (arrays.get("initials", np.zeros(0)) > 0) | (
            arrays.get("lightest", np.zeros(0)) < 1
        )
        self._always = always
        self._sizes = arrays.get("identifying", np.zeros(0)).astype(np.int64)
        self._probes = size_limited(names, self._sizes, always, _PROBED_SIZES)

    # --- the prefilter -----------------------------------------------------------------

    def survivors(self, queries: Sequence[AnalysedName], needed: float) -> list[set[int]]:
        """For each query, the aliases (global indices) worth a closer look."""
        kept: list[set[int]] = [set() for _ in queries]
        if not self._members or not queries:
            return kept
        words = QueryWords.of(queries, self.weights, self.kind)
        similar = words.names.matrix(self._words)
        for query_ids, alias_ids in (
            self._word_bounds(words, similar, needed),
            self._alternates(queries, words.names, similar, needed),
            self._skeleton_bounds(queries, needed),
            self._native_readings(queries, needed),
            self._whole_strings(queries, needed),
        ):
            for query, alias in zip(query_ids.tolist(), alias_ids.tolist(), strict=True):
                kept[query].add(self._members[alias])
        return kept

    def _word_bounds(
        self, words: QueryWords, similar: sparse.csr_matrix, needed: float
    ) -> tuple[IntArray, IntArray]:
        """The bound of the aligned reading, for every pair sharing an identifying word."""
        if not words.names.tokens:
            return nothing()
        query_cost, entry_cost = self.weights.unmatched_costs(self.kind)
        crossed_keys = self._crossed(words, similar)
        contacts = self._contacts(words, similar, needed, crossed_keys)
        q, a = contacts.query, contacts.alias
        others = words.others_count[q]
        alias_others = self._arrays["others"][a]
        other_pairs = np.minimum(others, alias_others)
        other_matched = 2 * words.heaviest_other[q] * other_pairs
        # Query words close to the same alias word (Ivan, Ivanov ~ Ivan) pair with it
        # once: the alias words left over are those no query word comes close to.
        reached = self._alias_words_reached(words, similar, contacts)
        left_identifying = np.maximum(0.0, self._arrays["identifying"][a] - reached)
        total = (
            2 * contacts.paired_weight
            + (words.unpaired_total[q] - contacts.paired_unpaired_cost)
            + other_matched
            + self._cheapest_other[0] * (others - other_pairs)
            + left_identifying * self._arrays["cheapest"][a]
            + self._cheapest_other[1] * (alias_others - other_pairs)
        )
        # Whether matched / total can reach ``needed``, in linear form so that the words
        # left over on both sides may instead stand as conflicts, which the scorer credits.
        slack = 2 * contacts.matched + other_matched - needed * total
        left_query_names = words.identifying_count[q] - contacts.paired
        left_query = left_query_names + (others - other_pairs)
        left_alias = left_identifying + (alias_others - other_pairs)
        slack += np.minimum(left_query, left_alias) * self._conflict_gain(needed)
        # An initial pairs with a word it begins (V. ~ Vladimir), on either side: only
        # where some word of the other side begins with one of its letters.
        query_initial, alias_initial = self._initial_gains(needed)
        query_begins = (words.initial_letters[q] & self.letter_sets["first"][a]) != 0
        alias_begins = (self.letter_sets["initial"][a] & words.first_letters[q]) != 0
        slack += query_begins * np.minimum(words.initials[q], left_identifying) * query_initial
        slack += alias_begins * (
            np.minimum(self._arrays["initials"][a], left_query_names) * alias_initial
        )
        # A name may pair with a word the other side reads as a particle or generic word
        # (``comopany`` ~ ``company``): only where such a pair exists.
        crossed = np.isin(q * len(self._members) + a, crossed_keys)
        slack += crossed * np.minimum(left_query, left_alias) * self._cross_gain(needed)
        keep = slack >= -_EPSILON
        return q[keep], a[keep]

    def _look_ups(self, words: QueryWords, similar: sparse.csr_matrix, needed: float) -> IntArray:
        """For each query word, which of ``_probes`` it looks up (past the last: every
        alias), so that no pair whose bound the words alone cannot rule out is missed
        (see probing)."""
        rows = words.names
        conflict = self._conflict_gain(needed)
        query_initial, _ = self._initial_gains(needed)
        delta = (
            2 * (1 - needed) * np.asarray(rows.weight)
            + needed * np.asarray(rows.unpaired)
            - conflict
        )
        base = (
            -needed * words.unpaired_total
            + 2 * (1 - needed) * words.heaviest_other * words.others_count
            + (words.identifying_count + words.others_count) * conflict
            + words.initials * query_initial
        )
        present = sparse.csr_matrix(
            (np.ones(similar.nnz), similar.indices, similar.indptr), shape=similar.shape
        )
        rarity = np.asarray(present @ self._word_aliases, dtype=np.float64)
        entry_cost = self.weights.unmatched_costs(self.kind)[1]
        owner = np.asarray(rows.query, dtype=np.int64)
        limits = reaches(owner, delta, base, needed * entry_cost, rarity)
        return largest_reach(limits, _PROBED_SIZES)

    def _contacts(
        self,
        words: QueryWords,
        similar: sparse.csr_matrix,
        needed: float,
        crossed: IntArray,
    ) -> Contacts:
        """Every pair sharing an identifying word that the bound must judge, with its
        row sums: what each word's look-up finds, completed by the words of the same
        query that did not look the alias up."""
        rows = words.names
        owner = np.asarray(rows.query, dtype=np.int64)
        aliases = len(self._members)
        look_ups = self._look_ups(words, similar, needed)
        row, alias, value = self._looked_up(similar, look_ups)
        keys = np.union1d(owner[row] * aliases + alias, crossed)
        missed_row, missed_alias = self._missed(owner, look_ups, keys)
        extra = rowwise_dots(similar, missed_row, self._alias_names, missed_alias)
        found = extra > 0
        row = np.concatenate((row, missed_row[found]))
        alias = np.concatenate((alias, missed_alias[found]))
        value = np.minimum(np.concatenate((value, extra[found])), 1.0)
        pair = np.searchsorted(keys, owner[row] * aliases + alias)
        paired = sums(pair, np.ones(len(pair)), len(keys))
        shared = paired > 0
        weight = np.asarray(rows.weight)[row]
        return Contacts(
            query=keys[shared] // aliases,
            alias=keys[shared] % aliases,
            matched=sums(pair, weight * value, len(keys))[shared],
            paired_weight=sums(pair, weight, len(keys))[shared],
            paired_unpaired_cost=sums(pair, np.asarray(rows.unpaired)[row], len(keys))[shared],
            paired=paired[shared],
        )

    def _looked_up(
        self, similar: sparse.csr_matrix, look_ups: IntArray
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """(row, alias, similarity) of what each query word finds where it looks."""
        names = self._words.incidence(_NAMES)
        rows, aliases, values = [_NO_IDS], [_NO_IDS], [np.zeros(0)]
        for limit in np.unique(look_ups).tolist():
            chosen = np.flatnonzero(look_ups == limit)
            matrix = self._probes[limit] if limit < len(self._probes) else names
            product = (similar[chosen] @ matrix).tocoo()
            rows.append(chosen[product.row])
            aliases.append(product.col.astype(np.int64))
            values.append(np.asarray(product.data, dtype=np.float64))
        return np.concatenate(rows), np.concatenate(aliases), np.concatenate(values)

    def _missed(
        self, owner: IntArray, look_ups: IntArray, keys: IntArray
    ) -> tuple[IntArray, IntArray]:
        """(row, alias) of the words of each pair's query that did not look its alias up."""
        aliases = len(self._members)
        query, alias = keys // aliases, keys % aliases
        sizes = self._sizes
        shortest = np.full(int(owner.max(initial=-1)) + 1, len(self._probes))
        np.minimum.at(shortest, owner, look_ups)
        # Only pairs whose query has a word that did not look at aliases of this size.
        open_ = ~self._always[alias] & (sizes[alias] > shortest[query])
        query, alias = query[open_], alias[open_]
        counts = np.bincount(owner, minlength=len(shortest))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        each = counts[query]
        pair = np.repeat(np.arange(len(query)), each)
        row = np.repeat(starts[query] - (np.cumsum(each) - each), each) + np.arange(len(pair))
        alias = alias[pair]
        limit = look_ups[row]
        skipped = (limit < len(self._probes)) & (sizes[alias] > limit)
        return row[skipped], alias[skipped]

    def _alias_words_reached(
        self, words: QueryWords, similar: sparse.csr_matrix, contacts: Contacts
    ) -> FloatArray:
        """For each pair, how many of the alias's identifying words some query word is
        close to (counted with repeats), where fewer than the query words paired: only
        where two or more words paired can two have paired with the same alias word."""
        reached = contacts.paired.copy()
        several = np.flatnonzero(contacts.paired >= 2)
        if not len(several):
            return reached
        rows = len(words.names.tokens)
        gather = sparse.csr_matrix(
            (np.ones(rows), (words.names.query, np.arange(rows))),
            shape=(len(words.identifying_count), rows),
        )
        close = similar.copy()
        close.data[:] = 1.0
        touched = sparse.csr_matrix(gather @ close)
        touched.data[:] = 1.0  # each vocabulary word once per query
        found = rowwise_dots(
            touched, contacts.query[several], self._alias_occurrences, contacts.alias[several]
        )
        reached[several] = np.minimum(reached[several], found)
        return reached

    def _crossed(self, words: QueryWords, similar: sparse.csr_matrix) -> IntArray:
        """Keys (query × aliases + alias) of the pairs where a name of one side is close
        to a word of the other that does not identify."""
        vocabulary = self._words
        found = [query_alias_pairs(words.names, similar @ vocabulary.incidence(_OTHERS))]
        if words.others.tokens:
            others = words.others.matrix(vocabulary) @ vocabulary.incidence(_NAMES)
            found.append(query_alias_pairs(words.others, others))
        q, a = concatenated(found)
        return np.unique(q * len(self._members) + a)

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
            close.data[close.data < _ALTERNATE_FLOOR] = 0.0
            close.eliminate_zeros()
            found.append(query_alias_pairs(names, close @ words.incidence(_ALTERNATES)))
        if joins.tokens:
            # The scorer joins two words only for a word at most two letters longer or
            # shorter (scorer._merged): a narrow search.
            joined = self._joined_words([token.text for token in joins.tokens])
            matrix = joins.ones_matrix(joined, len(words))
            found.append(query_alias_pairs(joins, matrix @ words.incidence(_NAMES)))
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
                    initials, initials.as_matrix(same, len(words)) @ words.incidence(_NAMES)
                )
            )
        return concatenated(kept)

    def _joined_words(self, texts: Sequence[str]) -> list[NDArray[np.int32]]:
        """For each pair of words written as one, the list's name words it may be."""
        return self._nearly_spelt(self._words, _NAMES, texts)

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
        positions, ids = vocabulary.spelt_alike(new, _ALTERNATE_FLOOR, JOIN_GAP, relation)
        known.update(zip(new, per_position(positions, ids, len(new)), strict=True))
        return [known[text] for text in texts]

    def _reads_alternately(self, query: AnalysedName, alias: int, needed: float) -> bool:
        """Whether the scorer may read two words of one name as one of the other, or one
        name as the initials of the other closely enough."""
        other = self._name_of(self._members[alias])
        if could_join(query.tokens, other.tokens):
            return True
        acronym = acronym_reading(query, other, self.weights)
        return acronym is not None and acronym[0] >= needed - _EPSILON

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
        if reach > 1.0 + _EPSILON:
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
            similar = rows.similar @ skeletons.incidence(_ALL)
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
            keep = slack >= -_EPSILON
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
        close.data[close.data < _ALTERNATE_FLOOR] = 0.0
        close.eliminate_zeros()
        products = (close @ skeletons.incidence(_JOINED)).tocoo()
        found = [(rows.owner[products.row], products.col.astype(np.int64))]
        joins = Rows()
        for index, query in enumerate(queries):
            if bool(query.skeleton) is abjad:
                for joined in skeleton_joins(query):
                    joins.add(index, joined)
        if joins.tokens:
            near = self._nearly_spelt(skeletons, _ALL, [t.text for t in joins.tokens])
            matrix = joins.ones_matrix(near, len(skeletons)) @ skeletons.incidence(_ALL)
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
            positions, aliases = self._native_search[kind].alike(texts, floor - _EPSILON)
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
