"""Screening many subjects on every core: forked workers share the built index.

The matcher is built once in the parent; ``fork`` gives each worker the same index
without copying or pickling it (copy-on-write). Subjects go to the matcher in chunks,
as its prefilter works on a whole batch at once. Results come back in input order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
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
    with _index_spared_by_collector():
        if forking:
            yield from _forked(matcher, subjects, threshold, count)
        else:
            for chunk in _chunks(subjects, _CHUNK):
                yield from zip(chunk, matcher.screen_many(chunk, threshold), strict=True)


@contextmanager
def _index_spared_by_collector() -> Iterator[None]:
    """Keep the cyclic garbage collector off the index while screening: a batch
    allocates millions of short-lived objects, and each full collection would walk the
    index's millions of long-lived ones (a fifth of the time), and in forked workers
    would copy their memory pages (the practice Python's ``gc.freeze`` documents).
    Young collections are made rarer too: the screening's caches grow by hundreds of
    thousands of objects, which every older-generation collection walks again (a tenth
    of the time at the default of 700 allocations)."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_YOUNG_COLLECTION_EVERY, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


# Allocations (net of frees) between young collections while screening: screening
# creates few reference cycles, so memory stays flat while collections stay rare.
_YOUNG_COLLECTION_EVERY = 100_000


def _forked(
    matcher: Matcher, subjects: Iterable[ScreeningSubject], threshold: float, count: int
) -> Iterator[tuple[ScreeningSubject, list[Match]]]:
    """Each worker a process of its own, and each name always to the same worker: the
    matcher remembers what it has screened (names, joined words), and a register
    repeats names — a name seen by the other worker would be screened again."""
    _shared.update(matcher=matcher, threshold=threshold)
    context = multiprocessing.get_context("fork")
    try:
        with ExitStack() as stack:
            workers = [stack.enter_context(context.Pool(1)) for _ in range(count)]
            pending: deque[_Sent] = deque()
            for chunk in _chunks(subjects, _CHUNK):
                pending.append(_send(chunk, workers))
                # Keep a bounded window in flight: memory stays flat on any input size.
                while len(pending) > _IN_FLIGHT:
                    yield from _received(pending.popleft())
            while pending:
                yield from _received(pending.popleft())
    finally:
        _shared.clear()


# A chunk, the positions in it each worker screens, and each worker's pending result.
_Sent = tuple[list[ScreeningSubject], list[list[int]], list["AsyncResult[list[list[Match]]]"]]
_IN_FLIGHT = 4


def _send(chunk: list[ScreeningSubject], workers: list[Pool]) -> _Sent:
    parts: list[list[int]] = [[] for _ in workers]
    for position, subject in enumerate(chunk):
        parts[hash(subject.name.casefold()) % len(workers)].append(position)
    results = [
        worker.apply_async(_screen_chunk, ([chunk[i] for i in part],))
        for worker, part in zip(workers, parts, strict=True)
    ]
    return chunk, parts, results


def _received(sent: _Sent) -> Iterator[tuple[ScreeningSubject, list[Match]]]:
    chunk, parts, results = sent
    matches: list[list[Match]] = [[] for _ in chunk]
    for part, result in zip(parts, results, strict=True):
        for position, found in zip(part, result.get(), strict=True):
            matches[position] = found
    return zip(chunk, matches, strict=True)
