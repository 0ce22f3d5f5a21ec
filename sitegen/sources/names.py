"""One check of every file and folder name the source walk meets (sources/tree.py), before anything is read.

Names become addresses and files on other people's computers (a Windows clone, a macOS checkout, a host's
disk), so a name that one of them cannot hold, or that lies about itself, is refused at its path:

- control characters (macOS's ``Icon\\r``, a newline): the build's own list of what it wrote is read by lines;
- a name that is not UTF-8 (a zip made on a Hebrew Windows): it has no address, and no terminal can show it;
- direction controls (U+202E turns ``gpj.exe`` into ``exe.jpg`` on screen);
- Windows's reserved names (``con``, ``aux``, ``nul``, ``com1``… with any extension) and names ending in a dot
  or a space: a Windows clone of the repository cannot hold them;
- a name longer than MAX_NAME_BYTES: file systems stop at 255, and the build adds to names.

Two names of one folder that differ only in case (``Logo.png``/``logo.png``) or only in how their letters are
composed (NFC/NFD: macOS writes the latter) are one file on macOS and Windows: a warning.
"""

from __future__ import annotations

import re
import unicodedata

from sitegen.messages import Message, msg

MAX_NAME_BYTES = 200
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.I)


def shown(name: str) -> str:
    """``name`` as a message may print it: undecodable bytes, control characters and direction marks as escapes."""
    raw = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    raw = _BIDI.sub(lambda m: f"\\u{ord(m[0]):04x}", raw)
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", raw)


def name_problem(name: str) -> Message | None:
    """Why ``name`` (one file or folder name, as os.scandir gives it) is refused, or None."""
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        return msg("this name is not UTF-8 text (it was probably made on a computer set to another language) — rename it in Latin "
                   "letters")
    if _CONTROL.search(name):
        return msg("this name holds an invisible control character (a line break, or macOS's 'Icon' file) — rename it, or "
                   "delete the file if you did not make it")
    if _BIDI.search(name):
        return msg("this name holds an invisible direction mark (U+202E and the like), which makes it look like another name "
                   "— rename it, typing the name anew")
    if _RESERVED.fullmatch(name):
        return msg("'{name}' is a name Windows reserves for a device, so a Windows computer cannot hold this file — rename it",
                   name=name)
    if name.endswith((".", " ")):
        return msg("this name ends in a dot or a space, which Windows drops (then it is another file) — rename it")
    if len(encoded) > MAX_NAME_BYTES:
        return msg("this name is {count} bytes long; the limit is {limit} — give it a shorter name", count=len(encoded),
                   limit=MAX_NAME_BYTES)
    return None


def twins(names: list[str]) -> list[tuple[str, str, str]]:
    """(a name, an earlier one, how they differ) for names of one folder that macOS or Windows take for one."""
    found: list[tuple[str, str, str]] = []
    seen_composed: dict[str, str] = {}
    seen_folded: dict[str, str] = {}
    for name in names:
        composed = unicodedata.normalize("NFC", name)
        if composed in seen_composed:
            found.append((name, seen_composed[composed], msg("the same letters composed differently (NFC/NFD)")))
            continue
        seen_composed[composed] = name
        folded = composed.casefold()
        if folded in seen_folded:
            found.append((name, seen_folded[folded], msg("the same name in other capitals")))
            continue
        seen_folded[folded] = name
    return found
