"""tests/shards.py: the parts of tests/real_site that the editor's day runs side by side are a partition of it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO
from shards import SHARD_VARIABLE, parse, part


@pytest.mark.parametrize("count", [1, 2, 3, 6, 50])
def test_the_parts_hold_every_item_once_in_order(count: int) -> None:
    items = [f"page-{n}" for n in range(20)] + [f"long-{n}" for n in range(5)]
    parts = [part(items, i, count, per_page=lambda item: item.startswith("page-")) for i in range(count)]
    assert sorted(x for p in parts for x in p) == sorted(items)
    assert all(p == [x for x in items if x in p] for p in parts)
    if count <= 5:  # the long ones are dealt first: no part holds two of them while another holds none
        longs = [sum(x.startswith("long-") for x in p) for p in parts]
        assert max(longs) - min(longs) <= 1, longs
        assert max(map(len, parts)) - min(map(len, parts)) <= 1


@pytest.mark.parametrize("given", ["3/3", "-1/2", "a/2", "1", "1/0"])
def test_a_wrong_part_is_refused(given: str) -> None:
    with pytest.raises(ValueError):
        parse(given)


def _collect(*options: str, part_of: str | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != SHARD_VARIABLE}
    if part_of:
        env[SHARD_VARIABLE] = part_of
    return subprocess.Popen([sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", "-n", "0", *options,
                             str(REPO / "tests" / "real_site")], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _collected(running: subprocess.Popen[str]) -> list[str]:
    out, err = running.communicate(timeout=600)
    assert running.returncode == 0, out[-3000:] + err[-2000:]
    return [line for line in out.splitlines() if "::" in line]


@pytest.mark.slow
def test_the_parts_of_real_site_make_the_whole() -> None:
    """As the editor's day runs them: two parts, without the gate checks, are every other test of tests/real_site.
    The three collections (each builds the real site from its .cache/) run side by side."""
    running = [_collect(), *(_collect("-m", "not gate_check", part_of=f"{i}/2") for i in range(2))]
    whole, *parts = [_collected(r) for r in running]
    assert parts[0] and parts[1] and not set(parts[0]) & set(parts[1])
    gates = set(whole) - set(parts[0] + parts[1])
    assert set(parts[0] + parts[1]) <= set(whole) and 0 < len(gates) <= 10, sorted(gates)
