"""Stage 3, model: the frozen Site — every page of every language (Markdown made safe HTML, links
resolved, stand-ins, 404s, the catalogue's pages) and the published names of static files.
"""
