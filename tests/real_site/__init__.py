"""The tests of the real content (a package, so that this folder's conftest is imported as
real_site.conftest and never shadows tests/conftest.py)."""
