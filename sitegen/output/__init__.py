"""Stage 4, render and write: Jinja over the model → {path: bytes} (pages, feeds, sitemap, robots,
_headers, static files); then the one writer swaps the output folder in.
"""
