"""Stage 2, check: what the files say about each other — references, unique ids, layouts, the menu,
UI strings, the catalogue's references, TODO markers, translation gaps, output collisions.
"""
