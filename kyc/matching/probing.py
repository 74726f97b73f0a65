"""Which aliases each query word must look up: prefix filtering, aware of alias sizes.

A common word (``mohamed``, ``de``, ``nova``) stands in thousands of aliases, and the
prefilter's bound rules out nearly all of them — but only after computing the bound of
every pair. Here the same bound, loosened to what a query alone knows, says in advance
which pairs cannot reach the threshold, so that they are never formed.

Write the prefilter's slack (see ``KindIndex._word_bounds``) for a query and an alias
that has no initials and only name or number words (a *regular* alias), when the rows
(identifying query words) that find a partner in the alias are the set ``P``. Each term
is at most what is written here:

    slack ≤ base + Σ_{i∈P} δ_i − κ · max(0, n − |P|)

    δ_i  = 2 (1 − needed) w_i + needed c_i − conflict   (row i paired instead of not)
    base = − needed Σ_i c_i                            (every row left unpaired)
           + 2 (1 − needed) h · others                 (every other word paired, fully)
           + (rows + others) · conflict                (every left-over word in conflict)
           + initials · initial                        (every query initial paired)
    κ    = needed · entry cost                         (an alias word left over)

with ``w_i`` and ``c_i`` the row's weight and its cost unpaired, ``h`` the query's
heaviest other word, ``n`` the alias's identifying words. So a pair with ``|P| = p``
needs ``n ≤ p + (base + S_p) / κ``, where ``S_p`` is the sum of the ``p`` largest
``δ``: call the largest such ``n`` over ``p ≤ j`` the *reach* ``R(j)``.

Rank the query's ``f`` rows from the rarest (``k = 0``). A pair with ``|P| = p`` has a
row of rank ``k ≤ f − p`` in ``P`` (only ``p − 1`` ranks lie above), and its alias has
``n ≤ R(p) ≤ R(f − k)``. So it suffices that each row looks up the regular aliases of
at most ``R(f − k)`` words, and every other alias: a common word only meets the short
aliases, which are few, and the rarest word meets every alias that can matter.
Pairs the cross-reading gain may lift (a name close to a word that does not identify)
are found apart (``KindIndex._crossed``) and are always kept as candidates.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Lets a pair exactly at the threshold through, whatever the float rounding.
_EPSILON = 1e-9
# Above any alias's word count: reaches are clipped to it.
_UNLIMITED = 1 << 20


def reaches(
    query: IntArray, delta: FloatArray, base: FloatArray, kappa: float, rarity: FloatArray
) -> IntArray:
    """For each row, the most identifying words a regular alias it looks up may have
    (−1: none), given each row's query (rows of a query contiguous, queries in
    ascending order), ``δ``, each query's ``base``, ``κ`` and how common each row's
    word is (a larger rarity means more aliases)."""
    count = len(query)
    if not count:
        return np.zeros(0, dtype=np.int64)
    starts, sizes = _groups(query)
    # R(j) for each query and each j = 1 … f: reaches by the largest δ first.
    by_delta = np.lexsort((np.arange(count), -delta, query))
    position = np.arange(count) - starts[query[by_delta]]  # p − 1
    best = _grouped_cumsum(delta[by_delta], query[by_delta], starts)
    slack = base[query[by_delta]] + best
    if kappa > 0:
        spare = np.floor(np.clip((slack + _EPSILON) / kappa, 0, _UNLIMITED))
    else:
        spare = np.full(count, float(_UNLIMITED))
    reach = np.where(slack >= -_EPSILON, position + 1 + spare, -1).astype(np.int64)
    reach = _grouped_cummax(np.minimum(reach, _UNLIMITED), query[by_delta])
    # Each row by rarity: rank k looks up the aliases within R(f − k).
    by_rarity = np.lexsort((np.arange(count), rarity, query))
    rank = np.arange(count) - starts[query[by_rarity]]
    limit = np.empty(count, dtype=np.int64)
    limit[by_rarity] = reach[starts[query[by_rarity]] + sizes[query[by_rarity]] - rank - 1]
    return limit


def _groups(query: IntArray) -> tuple[IntArray, IntArray]:
    """Where each query's rows start, and how many there are (indexed by query)."""
    sizes = np.bincount(query)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    return starts.astype(np.int64), sizes.astype(np.int64)


def _grouped_cumsum(values: FloatArray, group: IntArray, starts: IntArray) -> FloatArray:
    total = np.cumsum(values)
    before = np.concatenate(([0.0], total))[starts[group]]
    return np.asarray(total - before, dtype=np.float64)


def _grouped_cummax(values: IntArray, group: IntArray) -> IntArray:
    """Running maximum within each group (groups contiguous, in ascending order)."""
    offset = group * (2 * _UNLIMITED + 2)
    return np.maximum.accumulate(values + offset) - offset


def size_limited(
    incidence: sparse.csr_matrix, sizes: IntArray, always: NDArray[np.bool_], largest: int
) -> list[sparse.csr_matrix]:
    """The incidence (word × alias) keeping, for each limit ``m`` in ``0 … largest``,
    the aliases of at most ``m`` words and those ``always`` kept; past ``largest``
    every alias is kept (the incidence itself)."""
    matrices = []
    for limit in range(largest + 1):
        kept = always | (sizes <= limit)
        matrices.append(sparse.csr_matrix(incidence @ sparse.diags(kept.astype(np.float64))))
        matrices[-1].eliminate_zeros()
    return matrices


def rowwise_dots(
    left: sparse.csr_matrix, left_rows: IntArray, right: sparse.csr_matrix, right_rows: IntArray
) -> FloatArray:
    """``left[left_rows[i]] · right[right_rows[i]]`` for each ``i``: the few entries of a
    matrix product that are needed, without the product. Each entry of the right rows
    (an alias's few words) is looked up among the left matrix's entries by binary
    search over their (row, column) keys."""
    count = len(left_rows)
    if not count or not left.nnz:
        return np.zeros(count)
    left = _with_sorted_indices(left)
    columns = np.int64(left.shape[1])
    left_keys = _row_of_entries(left) * columns + left.indices
    starts, ends = right.indptr[right_rows], right.indptr[np.asarray(right_rows) + 1]
    lengths = (ends - starts).astype(np.int64)
    owner = np.repeat(np.arange(count), lengths)
    entry = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(len(owner))
    wanted = np.asarray(left_rows, dtype=np.int64)[owner] * columns + right.indices[entry]
    found = np.minimum(np.searchsorted(left_keys, wanted), len(left_keys) - 1)
    hit = left_keys[found] == wanted
    products = np.where(hit, left.data[found] * right.data[entry], 0.0)
    return np.asarray(np.bincount(owner, weights=products, minlength=count), dtype=np.float64)


def _with_sorted_indices(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    if not matrix.has_sorted_indices:
        matrix = matrix.copy()
        matrix.sort_indices()
    return matrix


def _row_of_entries(matrix: sparse.csr_matrix) -> IntArray:
    return np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))


def largest_reach(limits: IntArray, largest: int) -> IntArray:
    """Limits as positions among :func:`size_limited`'s matrices (−1 → 0: the aliases
    always kept; beyond ``largest`` → ``largest + 1``: the whole incidence)."""
    return np.clip(limits, 0, largest + 1)
