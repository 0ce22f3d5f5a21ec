"""``python -m sitegen [command] [options]``: the same command line as ``python build.py``, for the
folder you are in (``--source`` chooses another)."""

import sys

from sitegen.cli import console

sys.exit(console())
