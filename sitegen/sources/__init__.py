"""Stage 1, gather: read every source file once — data/site.yaml (config), pages, data files and
their schemas, the cohorts' files — each file's problems at their lines.
"""
