"""A cohort's video (sitegen/output/video.py, templates/cohort.html): a click-to-load facade — a link to the player at
youtube-nocookie.com (or player.vimeo.com with dnt=1), nothing from the video's host in the page before the click, no
iframe, no script — and a VideoObject in the page's JSON-LD."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sitefactory import COHORTS_YAML, build_good, make_site

from sitegen.output.video import video_of

VIDEO_ID = "dQw4w9WgXcQ"


@pytest.mark.parametrize("url, play", [
    (f"https://www.youtube.com/watch?v={VIDEO_ID}&t=5", f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?autoplay=1"),
    (f"https://youtu.be/{VIDEO_ID}", f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?autoplay=1"),
    (f"https://m.youtube.com/shorts/{VIDEO_ID}", f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?autoplay=1"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1"),
    ("https://example.org/video.mp4", "https://example.org/video.mp4"),
    ("https://www.youtube.com/watch?v=<script>", "https://www.youtube.com/watch?v=<script>"),
])
def test_the_facade_leads_to_the_privacy_enhanced_player(url: str, play: str) -> None:
    assert video_of(url)["play"] == play


def _site(tmp_path: Path, video: str, image: bool = False) -> Path:
    cohorts = COHORTS_YAML.replace('video: ""', f'video: "{video}"')
    if image:
        cohorts += "  image: images/photo.png\n  image_alt:\n    he: המחזור\n    en: The cohort\n"
    return make_site(tmp_path, {"data/cohorts.yaml": cohorts})


def test_a_cohort_video_is_a_facade_that_loads_nothing_from_youtube(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = build_good(capsys, _site(tmp_path, f"https://www.youtube.com/watch?v={VIDEO_ID}", image=True))
    for rel in ("cohorts/a/index.html", "en/cohorts/a/index.html"):
        html = files[rel].decode()
        facade = re.search(r'<a class="video-facade" href="([^"]+)">(.*?)</a>', html, re.S)
        assert facade and facade[1] == f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?autoplay=1", rel
        assert '<span class="video-play" aria-hidden="true"></span>' in facade[2] and "<picture>" in facade[2]
        loaded = re.findall(r'\s(?:src|srcset|poster|data)="([^"]+)"', html)
        assert not [u for u in loaded if "youtube" in u or "vimeo" in u or u.startswith("http")], loaded
        assert "<iframe" not in html
        videos = [b for b in (json.loads(x) for x in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html))
                  if b["@type"] == "VideoObject"]
        assert len(videos) == 1, rel
        video = videos[0]
        assert video["embedUrl"] == f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}" and video["name"] and video["description"]
        assert video["url"] == f"https://www.youtube.com/watch?v={VIDEO_ID}"
        assert video["thumbnailUrl"].endswith(".png") or video["thumbnailUrl"].endswith(".jpg")


def test_without_a_video_there_is_no_facade_nor_video_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _site(tmp_path, "")
    (root / "data/cohorts.yaml").write_text(COHORTS_YAML + '  years: "2024–2025"\n', encoding="utf-8")  # a page with something
    files = build_good(capsys, root)
    html = files["en/cohorts/a/index.html"].decode()
    assert "video-facade" not in html and "VideoObject" not in html
    assert 'id="video"' not in html, "no video section promising one"
