"""A page's description when its front matter gives none: its opening words.

Search engines and link previews show a page's meta description; a page without one of its own
would otherwise share the site's, and every such page would read alike in a results list. The
opening paragraph of the page's text is what Hugo (`.Summary`) and most engines fall back to:
the editor's own words, never a sentence we make up. It is cut at a word near 160 characters
(what results pages show) and marked with an ellipsis when cut.
"""

from __future__ import annotations

from html.parser import HTMLParser

LIMIT = 160


class _FirstParagraph(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.done and tag == "p":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.depth:
            self.depth -= 1
            if not self.depth and "".join(self.parts).strip():
                self.done = True

    def handle_data(self, data: str) -> None:
        if self.depth and not self.done:
            self.parts.append(data)


def opening_words(html: str, limit: int = LIMIT) -> str:
    """The text of the first non-empty paragraph of ``html``, whitespace collapsed, cut at a word
    near ``limit`` characters; "" if there is no paragraph."""
    parser = _FirstParagraph()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(parser.parts).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:–-") + "…"
