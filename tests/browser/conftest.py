"""The engine's browser tests, on fixture sites of their own (the real content: tests/real_site/).

Chromium, axe-core and the Nu HTML checker come from tests/browser_support.py: skipped with a
one-line reason when missing on a developer's machine, a failure when CI=true.
"""

from __future__ import annotations

from browser_support import (  # noqa: F401  (fixtures, registered by being imported here)
    axe_source,
    browser_type_launch_args,
    page_problems,
    vnu_command,
)
