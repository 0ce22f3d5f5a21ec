"""page_checks.Checks, the soft assertions of the one visit per page: every check runs, and the test fails once
listing each check that failed with its reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from real_site.page_checks import Checks


def _fails(ran: list[str], name: str, reason: str) -> None:
    ran.append(name)
    raise AssertionError(reason)


def _browser_fails(ran: list[str], name: str) -> None:
    ran.append(name)
    raise PlaywrightError("Timeout 5000ms exceeded")


def _missing_key() -> None:
    found: dict[str, str] = {}
    found["missing"]


@pytest.mark.gate_check
def test_every_check_runs_and_each_failure_is_listed_once() -> None:
    ran: list[str] = []
    checks = Checks("/merhav/probe/")
    checks.run("first", _fails, ran, "first", "first reason\nsecond line")
    checks.run("second", ran.append, "second")
    checks.run("third", _browser_fails, ran, "third")
    assert ran == ["first", "second", "third"]
    with pytest.raises(AssertionError) as failed:
        checks.assert_all_passed()
    message = str(failed.value)
    assert message.startswith("/merhav/probe/: 2 of 3 checks failed:\n- first: first reason\n    second line\n- third: ")
    assert "Timeout 5000ms exceeded" in message and "- second" not in message


@pytest.mark.gate_check
def test_checks_that_all_pass_pass() -> None:
    checks = Checks("/merhav/probe/")
    checks.run("one", lambda: None)
    checks.assert_all_passed()


@pytest.mark.gate_check
def test_an_error_that_is_not_a_check_failing_is_not_swallowed() -> None:
    """A bug of the test itself (a TypeError, a KeyError) stops the test with its traceback, not as a failed check."""
    checks = Checks("/merhav/probe/")
    with pytest.raises(KeyError):
        checks.run("buggy", _missing_key)
