"""tests/real_site/test_nu_checker.py on the copy an editor's day made (the site is chosen by tests/editors_day/conftest.py)."""

from real_site.test_nu_checker import *  # noqa: F403
