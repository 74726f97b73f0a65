"""Screening many subjects on every core: forked workers share the built index.

The matcher is built once in the parent; ``fork`` gives each worker the same index
without copying or pickling it (copy-on-write). Subjects go to the matcher in chunks,
as its prefilter works on a whole batch at once. Results come back in input order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import cast

from kyc.matching.base import Match, Matcher
from kyc.model import ScreeningSubject

# Large enough for the batch prefilter to pay off, small enough to keep memory flat.
_CHUNK = 2048
# Handed to forked workers through the fork itself, for the duration of one call.
_shared: dict[str, object] = {}


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _chunks(subjects: Iterable[ScreeningSubject], size: int) -> Iterator[list[ScreeningSubject]]:
    iterator = iter(subjects)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _screen_chunk(chunk: list[ScreeningSubject]) -> list[list[Match]]:
    matcher = cast(Matcher, _shared["matcher"])
    threshold = cast(float, _shared["threshold"])
    return matcher.screen_many(chunk, threshold)


def screen_all(
    matcher: Matcher,
    subjects: Iterable[ScreeningSubject],
    threshold: float,
    workers: int | None = None,
) -> Iterator[tuple[ScreeningSubject, list[Match]]]:
    """Each subject with its matches, in order, screened by ``workers`` processes."""
    count = workers or default_workers()
    forking = count > 1 and "fork" in multiprocessing.get_all_start_methods()
    with _index_spared_by_collector(before_fork=forking):
        if forking:
            yield from _forked(matcher, subjects, threshold, count)
        else:
            for chunk in _chunks(subjects, _CHUNK):
                yield from zip(chunk, matcher.screen_many(chunk, threshold), strict=True)


@contextmanager
def _index_spared_by_collector(before_fork: bool) -> Iterator[None]:
    """Keep the cyclic garbage collector off the index while screening: a batch
    allocates millions of short-lived objects, and each full collection would walk the
    index's millions of long-lived ones (a fifth of the time). Before forking, one full
    collection first, then the freeze, as Python's ``gc.freeze`` documents for
    copy-on-write children (measured: a fifth faster workers, for half a second once)."""
    if before_fork:
        gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _forked(
    matcher: Matcher, subjects: Iterable[ScreeningSubject], threshold: float, count: int
) -> Iterator[tuple[ScreeningSubject, list[Match]]]:
    _shared.update(matcher=matcher, threshold=threshold)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            pending = []
            for chunk in _chunks(subjects, _CHUNK):
                pending.append((chunk, pool.apply_async(_screen_chunk, (chunk,))))
                # Keep a bounded window in flight: memory stays flat on any input size.
                while len(pending) > count * 4:
                    done, result = pending.pop(0)
                    yield from zip(done, result.get(), strict=True)
            for done, result in pending:
                yield from zip(done, result.get(), strict=True)
    finally:
        _shared.clear()
