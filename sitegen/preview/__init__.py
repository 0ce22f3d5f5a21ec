"""``build.py serve``: the live preview — a WSGI server, file-system events, the incremental build,
what each layout reads, and the reload of the browsers.
"""
