"""tests/real_site/test_fidelity_report.py on the copy an editor's day made (the site is chosen by tests/editors_day/conftest.py)."""

from real_site.test_fidelity_report import *  # noqa: F403
