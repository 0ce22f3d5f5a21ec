"""The site's security headers, in one place, for every way a host can be told them.

- ``HEADERS``: what a server should send with every response. ``deploy/nginx.conf``
  sends exactly these (a test compares them over HTTP), and the build writes them into
  ``_headers`` for hosts that read that file (Netlify, Cloudflare Pages).
- ``meta_policy()``: the part a page can carry itself, as ``<meta http-equiv>``, for hosts
  that send no headers of their own (GitHub Pages). ``frame-ancestors`` has no effect in a
  ``<meta>`` (browsers say so in the console), so it is left out there; so are the headers
  that no ``<meta>`` can set (X-Content-Type-Options, Permissions-Policy, X-Frame-Options).

The policy allows no inline script or style (``'unsafe-inline'`` appears nowhere): the
pages have none, and the sanitiser (model/markup.py) strips ``<script>``, ``style=`` and ``on…=``
from what editors write. Images may come from https: addresses (Markdown allows them) and
from data: (the stylesheet draws the checklist's tick as an SVG data: address).
"""

from __future__ import annotations

ADMIN_DIR = "admin"
"""The editors' forms (sitegen/tools/cms.py): the only folder with a policy of its own."""

CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data: https:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
SEARCH_EXTRA: tuple[tuple[str, str], ...] = (("script-src", "'wasm-unsafe-eval'"),)
"""What the search pages add: Pagefind's search runs as WebAssembly, which a policy must allow
(``'wasm-unsafe-eval'`` allows compiling WebAssembly, not ``eval`` of text nor inline script). Only
there: every other page keeps the policy above."""
SEARCH_DIR = "search"
"""The search pages' folder in every language (model/pages.py SEARCH_KEY)."""
INDEX_DIR = "pagefind"
"""The index's folder (output/search.py): its worker script runs Pagefind's WebAssembly under the policy it is served with."""
ADMIN_CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'unsafe-eval'"),              # Decap CMS compiles its configuration's schema (ajv)
    ("style-src", "'self' 'unsafe-inline'"),             # its components style themselves (emotion)
    ("img-src", "'self' data: blob: https:"),            # pictures being uploaded are blob: addresses
    ("font-src", "'self' data:"),
    ("connect-src", "'self' blob: https://api.github.com http://localhost:8081"),  # GitHub, or `npx decap-server`;
                                                         # blob:: Decap reads a picture being saved back from its blob: address
    ("frame-src", "'self' blob:"),                       # the preview
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
"""The policy of admin/ only (Decap CMS needs eval and inline styles); the public pages keep CSP_DIRECTIVES."""
META_IGNORED = ("frame-ancestors",)
"""Directives that browsers ignore (with a console message) when the policy comes in a <meta>."""

REFERRER_POLICY = "strict-origin-when-cross-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

IMMUTABLE = "public, max-age=31536000, immutable"
"""Cache-Control for the fingerprinted files under assets/ (their names change with their bytes)."""


def content_security_policy(for_meta: bool = False, directives: tuple[tuple[str, str], ...] = CSP_DIRECTIVES,
                            search: bool = False) -> str:
    extra = dict(SEARCH_EXTRA) if search else {}
    return "; ".join(f"{name} {value}{' ' + extra[name] if name in extra else ''}" for name, value in directives
                     if not (for_meta and name in META_IGNORED))


def _headers(search: bool) -> tuple[tuple[str, str], ...]:
    return (
        ("Content-Security-Policy", content_security_policy(search=search)),
        ("Referrer-Policy", REFERRER_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("X-Frame-Options", "DENY"),
    )


HEADERS = _headers(search=False)
SEARCH_HEADERS = _headers(search=True)
"""The same, for the search pages (and the files of their folders)."""


ADMIN_HEADERS: tuple[tuple[str, str], ...] = tuple(
    (name, content_security_policy(directives=ADMIN_CSP_DIRECTIVES) if name == "Content-Security-Policy" else value)
    for name, value in HEADERS
)
"""The headers of admin/: HEADERS with the CMS's policy."""


def admin_meta_policy() -> dict[str, str]:
    """What admin/index.html carries in its <head>."""
    return {"csp": content_security_policy(for_meta=True, directives=ADMIN_CSP_DIRECTIVES), "referrer": REFERRER_POLICY}


def is_search_path(rel: str, language_prefixes: tuple[str, ...] = ("en",)) -> bool:
    """Whether ``rel`` (a path inside the site, without the base URL's path) is in a search page's folder."""
    first, _, rest = rel.lstrip("/").partition("/")
    if first == INDEX_DIR:
        return True
    if first in language_prefixes:
        first, _, rest = rest.partition("/")
    return first == SEARCH_DIR


def headers_for(rel: str, language_prefixes: tuple[str, ...] = ("en",)) -> tuple[tuple[str, str], ...]:
    """The headers a host sends for the file at ``rel`` (a path inside the site)."""
    return SEARCH_HEADERS if is_search_path(rel, language_prefixes) else HEADERS


def meta_policy(search: bool = False) -> dict[str, str]:
    """What a page's <head> carries: the policy without the header-only directives, and the referrer policy."""
    return {"csp": content_security_policy(for_meta=True, search=search), "referrer": REFERRER_POLICY}


def headers_file(root: str, assets_dir: str, language_prefixes: tuple[str, ...] = ("en",)) -> bytes:
    """``_headers`` (Netlify, Cloudflare Pages): the headers for every file, the search pages' policy, and a year's
    cache for ``assets/``.

    The paths are the addresses the site is built for (``root`` is the base URL's path: ``/`` or ``/merhav/``);
    such hosts read the file at the root of what they publish. The search pages' and admin/'s blocks first drop the
    policy of every file (``! Content-Security-Policy``), then give their own."""
    lines = ["# Security headers and caching, for hosts that read this file (Netlify, Cloudflare Pages).",
             "# Written by the build from sitegen/output/security.py; deploy/nginx.conf sends the same headers.", f"{root}*"]
    lines += [f"  {name}: {value}" for name, value in HEADERS]
    for folder in (INDEX_DIR, SEARCH_DIR, *(f"{code}/{SEARCH_DIR}" for code in language_prefixes)):
        lines += [f"{root}{folder}/*", "  ! Content-Security-Policy",
                  f"  Content-Security-Policy: {content_security_policy(search=True)}"]
    lines += [f"{root}{assets_dir}/*", f"  Cache-Control: {IMMUTABLE}"]
    lines += [f"{root}{ADMIN_DIR}/*", "  ! Content-Security-Policy",
              f"  Content-Security-Policy: {dict(ADMIN_HEADERS)['Content-Security-Policy']}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
