"""tests/real_site/test_sharing.py on the copy an editor's day made (the site is chosen by tests/editors_day/conftest.py)."""

from real_site.test_sharing import *  # noqa: F403
