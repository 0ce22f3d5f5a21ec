"""Reloading the preview's pages after a rebuild: a script file, a stream of events, a counter.

Why not livereload's server: its extension points are private (a watcher must fill
``Watcher._changes`` and be polled through ``examine()``), it ignores every change for 3 s
after a reload unless a class attribute is patched, and it injects an *inline* script, which
the site's Content-Security-Policy forbids — so the preview had to drop the policy the
published pages carry. This mechanism is small and needs nothing the policy forbids:

- every HTML page the preview serves gets ``<script src="/_preview/reload.js" data-generation="N" defer>``
  before ``</head>`` (a file of the same origin: ``script-src 'self'``);
- the script opens an ``EventSource`` on ``/_preview/events?since=N`` (``connect-src 'self'``);
- the server counts successful rebuilds (the generation) and sends ``event: reload`` as soon as
  the generation is past the page's, so a rebuild that happened between the page's load and
  the stream's start is not missed. A comment line every few seconds keeps the stream alive
  and tells a closed connection.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

SCRIPT_PATH = "/_preview/reload.js"
EVENTS_PATH = "/_preview/events"
HEARTBEAT_SECONDS = 10.0

SCRIPT = b"""// The live preview: reload this page when the site has been rebuilt (sitegen/preview/reload.py).
(() => {
  const me = document.currentScript;
  const since = me ? me.dataset.generation : "0";
  const events = new EventSource("/_preview/events?since=" + encodeURIComponent(since));
  events.addEventListener("reload", () => { events.close(); location.reload(); });
})();
"""


class Reloader:
    """The generation of the last good rebuild, and the browsers waiting for the next one."""

    def __init__(self) -> None:
        self.generation = 0
        self._changed = threading.Condition()
        self._stopped = False

    def rebuilt(self) -> None:
        """Called after each successful rebuild (and after a failed one, so the error page shows)."""
        with self._changed:
            self.generation += 1
            self._changed.notify_all()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def tag(self) -> bytes:
        return f'<script src="{SCRIPT_PATH}" data-generation="{self.generation}" defer></script>'.encode()

    def inject(self, html: bytes) -> bytes:
        """The page with the reload script before its </head> (pages without one are left as they are)."""
        at = html.find(b"</head>")
        return html if at < 0 else html[:at] + self.tag() + b"\n" + html[at:]

    def events(self, since: int) -> Iterator[bytes]:
        """The event stream of one browser: ``reload`` once the generation passes ``since``."""
        yield b"retry: 500\n\n"
        while True:
            with self._changed:
                if self.generation <= since and not self._stopped:
                    self._changed.wait(HEARTBEAT_SECONDS)
                generation, stopped = self.generation, self._stopped
            if stopped:
                return
            if generation > since:
                yield f"event: reload\ndata: {generation}\n\n".encode()
                return
            yield b": waiting\n\n"
