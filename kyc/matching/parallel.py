"""Screening many subjects on every core: forked workers share the built index.

The matcher is built once in the parent; ``fork`` gives each worker the same index
without copying or pickling it (copy-on-write). Subjects go to the matcher in chunks,
as its prefilter works on a whole batch at once. Results come back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
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
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in _chunks(subjects, _CHUNK):
            yield from zip(chunk, matcher.screen_many(chunk, threshold), strict=True)
        return
    _shared.update(matcher=matcher, threshold=threshold)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            chunks = _chunks(subjects, _CHUNK)
            pending = []
            for chunk in chunks:
                pending.append((chunk, pool.apply_async(_screen_chunk, (chunk,))))
                # Keep a bounded window in flight: memory stays flat on any input size.
                while len(pending) > count * 4:
                    done, result = pending.pop(0)
                    yield from zip(done, result.get(), strict=True)
            for done, result in pending:
                yield from zip(done, result.get(), strict=True)
    finally:
        _shared.clear()
