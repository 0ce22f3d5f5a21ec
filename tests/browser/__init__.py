"""The browser tests (a package, so that this folder's conftest is imported as browser.conftest
and never shadows tests/conftest.py, from which the engine tests import helpers)."""
