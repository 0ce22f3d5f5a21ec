"""sitegen: the static site generator of the Merhav site.

The folders read like the build (``pipeline.py`` is its table of contents):

    sources/   1. gather   read every source file once, with its schema: data/site.yaml, pages, data, cohorts
    checks/    2. check    what the files say about each other: references, ids, menu, strings, TODOs, gaps
    model/     3. model    the frozen Site: pages of every language, Markdown made safe, addresses, assets
    output/    4. render   Jinja over the model, feeds, sitemap, _headers; then the one writer (write.py)
    preview/   serve: the live preview (WSGI server, file events, incremental build, reload)
    tools/     the editors' tools: status, new, fidelity

``errors.py`` (``path:line: message``) and ``urls.py`` (every address the build writes) serve them all;
``cli.py`` is the command line, behind ``build.py``, ``python -m sitegen`` and the ``merhav-site`` command.
"""

__version__ = "0.2.0"
