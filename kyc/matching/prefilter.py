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
from kyc.matching.readings import (
    ALL,
    ALTERNATES,
    EPSILON,
    JOINED,
    NAMES,
    OTHERS,
    OtherReadings,
)
from kyc.matching.rows import (
    Contacts,
    QueryWords,
    alternate_forms,
    concatenated,
    initials_of,
    letter_sets,
    nothing,
    query_alias_pairs,
    sums,
)
from kyc.matching.scorer import (
    identifying,
    skeleton_words,
)
from kyc.matching.skeletons import SkeletonWords, skeleton_counts, skeleton_joins
from kyc.matching.spelling import ByLength
from kyc.matching.vocabulary import Vocabulary
from kyc.matching.weights import Weights, cheapest_unmatched, token_weight
from kyc.model import EntryKind
from kyc.names import AnalysedName, Role, Token

_NO_IDS = np.zeros(0, dtype=np.int64)
# Aliases of up to this many identifying words get matrices of their own for the
# prefilter's look-ups (see probing): longer ones are rare and are met in any case.
_PROBED_SIZES = 6

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class KindIndex(OtherReadings):
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
        self._cheapest_other = cheapest_unmatched(
            weights, (Role.PARTICLE, Role.GENERIC, Role.INITIAL, Role.FORM), kind
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
            self._words.link(NAMES, token, local)
        for token in alternate_forms(name):
            self._words.link(ALTERNATES, token, local)
        for token in name.tokens:
            if token not in key:
                self._words.link(OTHERS, token, local)
        for pair in skeleton_words(name):
            for skeleton in dict.fromkeys(w for w in pair if w is not None):
                self._skeletons.link(ALL, skeleton, local)
                if name.skeleton:
                    self._abjad_skeletons.link(ALL, skeleton, local)
        for joined in dict.fromkeys(skeleton_joins(name)):
            self._skeletons.link(JOINED, joined, local)
            if name.skeleton:
                self._abjad_skeletons.link(JOINED, joined, local)
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
                (cheapest_unmatched(self.weights, (t.role,), self.kind)[1] for t in key),
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
        self._words.freeze(count, searched=(NAMES,))  # joined words: see _joined_words
        self._skeletons.freeze(count, searched=(ALL, JOINED))
        self._abjad_skeletons.freeze(count, searched=(ALL, JOINED))
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
        names = self._words.incidence(NAMES)
        self._word_aliases = np.asarray(names.getnnz(axis=1), dtype=np.float64)
        self._alias_names = sparse.csr_matrix(names.T)
        self._alias_occurrences = sparse.csr_matrix(self._words.occurrences(NAMES).T)
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
        keep = slack >= -EPSILON
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
        names = self._words.incidence(NAMES)
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
        found = [query_alias_pairs(words.names, similar @ vocabulary.incidence(OTHERS))]
        if words.others.tokens:
            others = words.others.matrix(vocabulary) @ vocabulary.incidence(NAMES)
            found.append(query_alias_pairs(words.others, others))
        q, a = concatenated(found)
        return np.unique(q * len(self._members) + a)
