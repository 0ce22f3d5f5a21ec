"""A cohort's video as a click-to-load facade: the page links to the video's player and loads nothing from the
video's host before the visitor clicks (no iframe, no thumbnail from YouTube or Vimeo, no script).

``video_of(url)`` gives the address the facade leads to: a YouTube video plays at youtube-nocookie.com (YouTube's
privacy-enhanced mode: no cookies before playing), a Vimeo video at player.vimeo.com with ``dnt=1`` (do not
track); both start playing at once (``autoplay=1``), as the click asked. Any other address is linked as it is.
The click is a navigation, not a frame: the Content-Security-Policy stays as it is (no ``frame-src``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def video_of(url: str) -> dict[str, str]:
    """{"url": as written, "play": where the facade leads, "embed": the player's address ("" when unknown),
    "host": "youtube", "vimeo" or ""}."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = [p for p in parts.path.split("/") if p]
    video_id = ""
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[:1] == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
            video_id = path[1]
    elif host == "youtu.be" and path:
        video_id = path[0]
    if video_id and _YOUTUBE_ID.match(video_id):
        embed = f"https://www.youtube-nocookie.com/embed/{video_id}"
        return {"url": url, "play": embed + "?autoplay=1", "embed": embed, "host": "youtube"}
    if host in ("vimeo.com", "player.vimeo.com"):
        number = next((p for p in path if p.isdigit()), "")
        if number:
            embed = f"https://player.vimeo.com/video/{number}"
            return {"url": url, "play": embed + "?autoplay=1&dnt=1", "embed": embed, "host": "vimeo"}
    return {"url": url, "play": url, "embed": "", "host": ""}
