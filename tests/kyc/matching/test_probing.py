"""The size-aware look-ups never miss a pair that the bound could keep."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from kyc.matching.probing import largest_reach, reaches, rowwise_dots, size_limited

# One query: each row's δ and rarity, the query's base, and κ.
query_rows = st.lists(st.tuples(st.floats(-0.5, 1.5), st.integers(0, 50)), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(
    queries=st.lists(st.tuples(query_rows, st.floats(-3.0, 1.0)), min_size=1, max_size=4),
    kappa=st.sampled_from([0.0, 0.05, 0.2, 0.5]),
)
def test_every_set_of_paired_words_has_one_that_looks_far_enough(
    queries: list[tuple[list[tuple[float, int]], float]], kappa: float
) -> None:
    owner = np.repeat(np.arange(len(queries)), [len(rows) for rows, _ in queries])
    delta = np.asarray([d for rows, _ in queries for d, _r in rows])
    rarity = np.asarray([float(r) for rows, _ in queries for _d, r in rows])
    base = np.asarray([b for _rows, b in queries])
    limits = reaches(owner, delta, base, kappa, rarity)
    for query, (rows, query_base) in enumerate(queries):
        positions = np.flatnonzero(owner == query).tolist()
        for size in range(1, 12):
            for count in range(1, len(rows) + 1):
                for paired in combinations(positions, count):
                    slack = query_base + delta[list(paired)].sum() - kappa * max(0, size - count)
                    if slack >= 0:
                        assert max(limits[list(paired)]) >= size, (query, paired, size)


def test_a_common_word_looks_only_at_short_aliases() -> None:
    # "mohamed peeters": each paired word adds 0.704, both unpaired cost 0.648, an alias
    # word left over 0.2025 (default weights at the default threshold).
    owner = np.asarray([0, 0])
    limits = reaches(owner, np.asarray([0.704, 0.704]), np.asarray([-0.648]), 0.2025,
                     rarity=np.asarray([5000.0, 3.0]))  # fmt: skip
    assert limits.tolist() == [1, 5]


def test_a_query_that_cannot_reach_the_threshold_looks_nowhere() -> None:
    limits = reaches(np.asarray([0]), np.asarray([0.5]), np.asarray([-1.0]), 0.2, np.ones(1))
    assert limits.tolist() == [-1]
    assert largest_reach(limits, 6).tolist() == [0]


def test_limits_past_the_matrices_mean_every_alias() -> None:
    assert largest_reach(np.asarray([-1, 0, 3, 6, 7, 1 << 20]), 6).tolist() == [0, 0, 3, 6, 7, 7]


def test_size_limited_keeps_short_aliases_and_those_always_met() -> None:
    incidence = sparse.csr_matrix(np.ones((2, 4)))
    sizes = np.asarray([1, 2, 3, 9])
    always = np.asarray([False, False, False, True])
    matrices = size_limited(incidence, sizes, always, largest=2)
    kept = [np.flatnonzero(m.getnnz(axis=0)).tolist() for m in matrices]
    assert kept == [[3], [0, 3], [0, 1, 3]]


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10_000), count=st.integers(0, 40))
def test_rowwise_dots_are_the_product_entries(seed: int, count: int) -> None:
    rng = np.random.default_rng(seed)
    left = sparse.random(6, 9, density=0.4, format="csr", random_state=rng)
    right = sparse.random(5, 9, density=0.4, format="csr", random_state=rng)
    left_rows = rng.integers(0, 6, count)
    right_rows = rng.integers(0, 5, count)
    expected = (left @ right.T).toarray()[left_rows, right_rows]
    assert np.allclose(rowwise_dots(left, left_rows, right, right_rows), expected)
