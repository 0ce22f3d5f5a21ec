#!/usr/bin/env python3
"""Build the Merhav site: ``python build.py [build|check] [--source DIR] [--out DIR] [--base-url URL] [--drafts]``.

See README.md; the engine lives in sitegen/.
"""

import sys
from pathlib import Path

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main(default_source=Path(__file__).resolve().parent))
