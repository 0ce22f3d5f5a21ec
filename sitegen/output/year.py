"""The year the footer shows (templates/base.html): that of $SOURCE_DATE_EPOCH when it is set (the reproducible-builds
convention: a rebuild of an old commit can show that commit's year), else today's, in UTC. Part of what every page is
rendered from (incremental/inputs.py), so a new year renders every page again."""

from __future__ import annotations

import datetime
import os


def build_year() -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).year
    return datetime.datetime.now(datetime.UTC).year
