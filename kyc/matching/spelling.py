"""Strings spelt alike: for each query, every indexed string whose plain ratio (rapidfuzz's
``fuzz.ratio``) reaches a floor.

The ratio is ``2·L / (a + b)``, ``L`` the longest common subsequence of two strings of
``a`` and ``b`` letters. Strings are sorted by length, so a query meets only those of a
length that can reach the floor; a letter in only one of two strings is at least one
letter to delete or insert, so two strings whose sets of letters differ by more than
``(1 − floor) · (a + b)`` are ruled out by comparing two 64-bit masks; the rest get the
common subsequence itself, bit-parallel (Hyyrö's algorithm: one machine word holds a
query of up to 64 letters). That loop is compiled with Numba: it runs every query
against thousands of strings, where a Python or NumPy loop would spend most of its time
outside the arithmetic. Queries longer than 64 letters, or not ASCII, go to rapidfuzz.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
# Keeps float rounding from excluding a string exactly at the floor.
_ROUNDING = 1e-6
# The longest query the bit-parallel subsequence takes (one 64-bit word).
_WORD_BITS = 64
# Matches a query may have on average before the output grows (then the search reruns).
_EXPECTED_MATCHES = 32
_NO_POSITIONS = np.zeros(0, dtype=np.int64)


class ByLength:
    """Strings sorted by length, searched for those spelt alike (see the module)."""

    def __init__(self, texts: Sequence[str], ids: Sequence[int] | None = None) -> None:
        """``ids`` name the strings in what ``alike`` returns (by default, positions)."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        named = np.arange(len(texts)) if ids is None else np.asarray(ids)
        self._ids = named[np.asarray(order, dtype=np.int64)].astype(np.int32)
        self._texts = [texts[i] for i in order]
        self._lengths = np.asarray([len(text) for text in self._texts], dtype=np.int64)
        # Where the strings of each length begin (and, last, where the longest end).
        longest = int(self._lengths[-1]) if len(self._lengths) else 0
        self._firsts = np.searchsorted(self._lengths, np.arange(longest + 2)).astype(np.int64)
        self._masks = letter_masks(self._texts)
        self._letters, self._starts = encoded(self._texts)

    def alike(
        self, texts: Sequence[str], floor: float, length_gap: int | None = None
    ) -> tuple[IntArray, NDArray[np.int32]]:
        """The (position in ``texts``, id) pairs whose plain ratio reaches ``floor`` (and
        if a ``length_gap`` is given, at most that many letters longer or shorter)."""
        positions, ids, _ratios = self.rated(texts, floor, length_gap)
        return positions, ids

    def rated(
        self, texts: Sequence[str], floor: float, length_gap: int | None = None
    ) -> tuple[IntArray, NDArray[np.int32], FloatArray]:
        """As :meth:`alike`, with each pair's ratio (from 0 to 1)."""
        if not texts or not self._texts:
            return _NO_POSITIONS, np.zeros(0, dtype=np.int32), np.zeros(0)
        fast = [i for i, t in enumerate(texts) if t.isascii() and 0 < len(t) <= _WORD_BITS]
        positions, found, ratios = self._compiled([texts[i] for i in fast], floor, length_gap)
        positions = np.asarray(fast, dtype=np.int64)[positions]
        rest = [i for i, t in enumerate(texts) if not (t.isascii() and 0 < len(t) <= _WORD_BITS)]
        if rest:
            more_positions, more_found, more_ratios = self._by_rapidfuzz(
                [texts[i] for i in rest], floor, length_gap
            )
            positions = np.concatenate(
                (positions, np.asarray(rest, dtype=np.int64)[more_positions])
            )
            found = np.concatenate((found, more_found))
            ratios = np.concatenate((ratios, more_ratios))
        return positions, self._ids[found], ratios

    def _compiled(
        self, texts: Sequence[str], floor: float, length_gap: int | None
    ) -> tuple[IntArray, IntArray, FloatArray]:
        if not texts:
            return _NO_POSITIONS, _NO_POSITIONS, np.zeros(0)
        letters, starts = encoded(texts)
        lengths = np.diff(starts)
        masks = letter_masks(texts)
        gap = -1 if length_gap is None else length_gap
        capacity = _EXPECTED_MATCHES * len(texts)
        while True:
            queries = np.empty(capacity, dtype=np.int64)
            found = np.empty(capacity, dtype=np.int64)
            ratios = np.empty(capacity, dtype=np.float64)
            count = _search(
                letters, starts, lengths, masks,
                self._letters, self._starts, self._firsts, self._masks,
                floor, gap, queries, found, ratios,
            )  # fmt: skip
            if count <= capacity:
                return queries[:count], found[:count], ratios[:count]
            capacity = count

    def _by_rapidfuzz(
        self, texts: Sequence[str], floor: float, length_gap: int | None
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Long or non-ASCII queries: every string of a length within reach, by rapidfuzz."""
        positions, found, ratios = [_NO_POSITIONS], [_NO_POSITIONS], [np.zeros(0)]
        for index, text in enumerate(texts):
            low, high = self._window(len(text), floor, length_gap)
            if low >= high:
                continue
            scores = process.cdist(
                [text], self._texts[low:high], scorer=fuzz.ratio, dtype=np.float64, workers=1
            )[0]
            close = np.flatnonzero(scores >= floor * 100 - _ROUNDING)
            positions.append(np.full(len(close), index, dtype=np.int64))
            found.append(low + close.astype(np.int64))
            ratios.append(scores[close] / 100)
        return np.concatenate(positions), np.concatenate(found), np.concatenate(ratios)

    def _window(self, length: int, floor: float, length_gap: int | None) -> tuple[int, int]:
        """Positions of the strings whose length allows the ratio
        ``2·common / (length + other) ≥ floor``: other ∈ [length·f/(2−f), length·(2−f)/f]."""
        shortest, longest = _lengths_within_reach(length, floor, length_gap, int(self._lengths[-1]))
        return (
            int(np.searchsorted(self._lengths, shortest, side="left")),
            int(np.searchsorted(self._lengths, longest, side="right")),
        )


def _lengths_within_reach(
    length: int, floor: float, length_gap: int | None, longest_known: int
) -> tuple[int, int]:
    shortest = math.ceil(length * floor / (2 - floor) - _ROUNDING)
    longest = math.floor(length * (2 - floor) / floor + _ROUNDING) if floor > 0 else longest_known
    if length_gap is not None:
        shortest, longest = max(shortest, length - length_gap), min(longest, length + length_gap)
    return shortest, longest


def encoded(texts: Sequence[str]) -> tuple[NDArray[np.int32], IntArray]:
    """The characters of the strings as code points, one array, and where each begins
    (and, at the end, where the last ends)."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    joined = "".join(texts)
    letters = (
        np.frombuffer(joined.encode("utf-32-le"), dtype=np.int32)
        if joined
        else np.zeros(0, np.int32)
    )
    return letters, starts


@njit(cache=True, nogil=True)
def _popcount(x: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(cache=True, nogil=True)
def _search(  # pragma: no cover - compiled; its results are checked against rapidfuzz
    letters: Any, starts: Any, lengths: Any, masks: Any, their_letters: Any,
    their_starts: Any, their_firsts: Any, their_masks: Any, floor: float, gap: int,
    out_queries: Any, out_found: Any, out_ratios: Any,
) -> int:  # fmt: skip
    """Every (query, string) pair whose ratio reaches ``floor``: how many, and as many as
    the output holds. The strings are met length by length (``their_firsts``: where
    each length begins), so that the letters allowed to differ are counted once a length."""
    count = 0
    matches = np.zeros(128, dtype=np.uint64)  # per ASCII letter: where it stands in the query
    longest_known = their_firsts.shape[0] - 2
    for query in range(lengths.shape[0]):
        size = lengths[query]
        first = starts[query]
        for k in range(size):
            matches[letters[first + k]] |= np.uint64(1) << np.uint64(k)
        shortest = max(0, math.ceil(size * floor / (2 - floor) - 1e-6))
        longest = math.floor(size * (2 - floor) / floor + 1e-6) if floor > 0 else longest_known
        if gap >= 0:
            shortest = max(shortest, size - gap)
            longest = min(longest, size + gap)
        longest = min(longest, longest_known)
        whole = (np.uint64(1) << np.uint64(size)) - np.uint64(1) if size < 64 else ~np.uint64(0)
        mask = masks[query]
        for length in range(shortest, longest + 1):
            total = size + length
            differing = np.uint64(math.floor((1 - floor) * total + 1e-6))
            for other in range(their_firsts[length], their_firsts[length + 1]):
                if _popcount(mask ^ their_masks[other]) > differing:
                    continue
                row = ~np.uint64(0)
                for k in range(their_starts[other], their_starts[other + 1]):
                    letter = their_letters[k]
                    hit = matches[letter] if letter < 128 else np.uint64(0)
                    both = row & hit
                    row = (row + both) | (row - both)
                common = _popcount(~row & whole)
                if 200.0 * common / total >= floor * 100 - 1e-6:
                    if count < out_queries.shape[0]:
                        out_queries[count] = query
                        out_found[count] = other
                        out_ratios[count] = 2.0 * common / total
                    count += 1
        for k in range(size):
            matches[letters[first + k]] = np.uint64(0)
    return count


# A bit for each letter and digit in a string, and one for each letter it has twice or
# more; anything else shares the last bits (a shared bit can only make two strings look
# closer than they are, never rule out a close pair).
_ONCE = {char: bit for bit, char in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}
_TWICE = {char: len(_ONCE) + bit for bit, char in enumerate("abcdefghijklmnopqrstuvwxyz")}
_SHARED = len(_ONCE) + len(_TWICE)


def letter_masks(texts: Sequence[str]) -> NDArray[np.uint64]:
    """Each string's letters as a 64-bit mask. Two masks differ in at most as many bits
    as letters must be deleted or inserted to turn one string into the other: a letter
    ``k`` times in one and ``j`` in the other needs ``|k − j|``, and differs in at most
    that many of its bits (present, present twice)."""
    if not texts:
        return np.zeros(0, dtype=np.uint64)
    # One byte per character (anything not ASCII reads as "?"), as the ratio counts characters.
    encoded_bytes = [text.encode("ascii", "replace") for text in texts]
    width = max(1, max(len(data) for data in encoded_bytes))
    letters = np.frombuffer(b"".join(d.ljust(width, b"\0") for d in encoded_bytes), dtype=np.uint8)
    letters = np.sort(letters.reshape(len(texts), width), axis=1)
    masks = np.bitwise_or.reduce(_ONCE_BITS[letters], axis=1)
    repeated = (letters[:, 1:] == letters[:, :-1]) & (letters[:, 1:] != 0)
    twice = np.where(repeated, _TWICE_BITS[letters[:, 1:]], np.uint64(0))
    return np.asarray(masks | np.bitwise_or.reduce(twice, axis=1), dtype=np.uint64)


def _bit_table(bits: dict[str, int], others: bool) -> NDArray[np.uint64]:
    """Per byte, its bit (padding none; other bytes a shared one, or none)."""
    table = np.zeros(256, dtype=np.uint64)
    for byte in range(1, 256):
        bit = bits.get(chr(byte))
        if bit is None and others:
            bit = _SHARED + byte % (64 - _SHARED)
        if bit is not None:
            table[byte] = np.uint64(1) << np.uint64(bit)
    return table


_ONCE_BITS = _bit_table(_ONCE, others=True)
_TWICE_BITS = _bit_table(_TWICE, others=False)
