"""The editors' tools: ``status`` (translation dashboard, stale translations from git), ``new``
(scaffolds), ``fidelity`` (where the source text is on the site).
"""
