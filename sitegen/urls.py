"""Every address the build writes is made here: this module knows the base URL's path.

A site may be published at the root of a domain (``https://merhav.example/``) or under a
path (GitHub Pages serves a repository at ``https://user.github.io/merhav/``). Pages,
menus, the language switcher, the stylesheet, fonts, the icon, images, links inside
Markdown, feeds and the sitemap all take their address from a ``Urls``:

- ``path(rel)``: the address of an output file or folder, from the server's root
  (``/merhav/en/programme/``). Absolute paths, never relative ones, because the 404
  pages are served at any depth (``/merhav/en/no/such/page``) and their links must work
  from there.
- ``absolute(path)``: the same address with the scheme and host, for canonical links,
  hreflang alternates, the sitemap and the feeds; "" when the base URL is unknown.

The base URL is checked with a real URL parser: only http(s), a host, a path, and none
of the characters that could end an attribute or a tag (quotes, angle brackets, spaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from sitegen.messages import msg

_UNSAFE = re.compile(r"[\s\"'<>`\\{}|^]")


class BadBaseUrl(ValueError):
    """The base URL is not an absolute http(s) address of a folder."""


def parse_base_url(value: str) -> tuple[str, str]:
    """``https://host[:port][/path/]`` → (origin, root path ending in '/'); "" → ("", "/").

    Raises BadBaseUrl with a sentence an editor can act on.
    """
    if not value:
        return "", "/"
    if _UNSAFE.search(value) or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise BadBaseUrl(msg("'{value}' has a character an address cannot have (a space, a quotation mark, < or >) — write it as "
                             "https://host/path/", value=value))
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError for a port that is not a number
    except ValueError as exc:
        raise BadBaseUrl(msg("'{value}' is not a web address ({exc}) — write it as https://host/path/", value=value, exc=exc)) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadBaseUrl(msg("'{value}' is not an absolute address — write it as https://host/path/", value=value))
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise BadBaseUrl(msg("'{value}' has a query or a fragment (? or #) — write only https://host/path/", value=value))
    if parts.username or parts.password:
        raise BadBaseUrl(msg("'{value}' holds a user name or a password — write only https://host/path/", value=value))
    host = parts.hostname
    if not host.isascii():  # an international domain name: written as the DNS knows it (punycode), everywhere
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise BadBaseUrl(msg("'{value}' has a host name that is not a valid domain name ({exc}) — write it as https://host/path/",
                                 value=value, exc=exc)) from None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    segments = [s for s in parts.path.split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise BadBaseUrl(msg("'{value}' has '.' or '..' in its path — write the folder's path itself", value=value))
    root = "/" + "".join(quote(s, safe="%!$&()*+,;=:@-._~") + "/" for s in segments)
    return f"{parts.scheme}://{netloc}", root


@dataclass(frozen=True)
class Urls:
    origin: str
    """Scheme and host of the published site ("https://user.github.io"); "" when unknown."""
    root: str = "/"
    """The base URL's path, always ending in '/': "/" at a domain's root, "/merhav/" under a sub-path."""

    @classmethod
    def from_base_url(cls, base_url: str) -> Urls:
        origin, root = parse_base_url(base_url)
        return cls(origin=origin, root=root)

    @property
    def base_url(self) -> str:
        """The published site's address without the trailing slash ("" when unknown)."""
        return (self.origin + self.root).rstrip("/") if self.origin else ""

    def path(self, rel: str = "") -> str:
        """The address of ``rel`` (a path inside the output folder; a folder ends in '/'), percent-encoded: a file named
        ``a b#1?.jpg`` is ``a%20b%231%3F.jpg`` (a space would end a srcset's address, ``#`` and ``?`` its path)."""
        return self.root + quote(rel.lstrip("/"), safe=ADDRESS_SAFE)

    def page(self, *parts: str) -> str:
        """A page's folder: ``page("en", "programme")`` → "/merhav/en/programme/"."""
        inner = [p.strip("/") for p in parts if p and p.strip("/")]
        return self.path("".join(p + "/" for p in inner))

    def absolute(self, path: str) -> str:
        """``path`` (from ``path``/``page``) with scheme and host; "" without a base URL."""
        return self.origin + path if self.origin else ""


ADDRESS_SAFE = "/-._~!$*+=:@"
"""Characters written as they are in an address's path; every other one is percent-encoded (UTF-8)."""


def preview_base_url(host: str, port: int) -> str:
    """The live preview's own address (``serve`` builds for it: at the root, whatever path the published site has)."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "[::1]" if host == "::" else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"
