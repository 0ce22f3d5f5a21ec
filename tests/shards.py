"""One of N parts of a list of tests, so that a long run can be spread over processes (tests/test_editors_day.py).

``$MERHAV_REAL_SITE_SHARD=i/N`` (tests/real_site/conftest.py) keeps the i-th part of the collected tests. The
parts are a partition (every test in exactly one part, whatever N) and balanced: the tests that are not run once
per page (a build, the Nu checker, the fidelity report: the long ones) are dealt out first, one per part, then the
per-page browser tests, which take about the same time each, continue the deal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

SHARD_VARIABLE = "MERHAV_REAL_SITE_SHARD"
T = TypeVar("T")


def parse(value: str) -> tuple[int, int]:
    """"2/6" → (2, 6); a ValueError for anything else (an index outside 0..N-1 included)."""
    index, _, count = value.partition("/")
    i, n = int(index), int(count)
    if not 0 <= i < n:
        raise ValueError(f"{SHARD_VARIABLE}={value!r}: want i/N with 0 <= i < N")
    return i, n


def part(items: Sequence[T], index: int, count: int, per_page: Callable[[T], bool]) -> list[T]:
    """The ``index``-th of ``count`` parts of ``items`` (their order kept)."""
    dealt = [item for item in items if not per_page(item)] + [item for item in items if per_page(item)]
    mine = {id(item) for position, item in enumerate(dealt) if position % count == index}
    return [item for item in items if id(item) in mine]
