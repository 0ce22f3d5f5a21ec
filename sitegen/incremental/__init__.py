"""The incremental engine: what a build may take from the last one instead of making it again.

**The invariant.** A reused result is byte-identical to the one a fresh build would make from the same inputs.
Every key below is a digest of *everything* its result is made from, so that a result is reused only when a fresh
one could not differ; where the engine cannot tell exactly what a result reads, it counts more, never less (a page
may be rendered again without need, never kept stale). The tests build each kind of change both ways and compare
the files byte for byte (tests/test_every_change.py for ``build`` and the preview alike, tests/test_page_reuse.py, tests/test_incremental.py,
tests/test_kept_sources.py, tests/test_kept_by_status.py).

What is reused, keyed by what (all under ``<source>/.cache/``, safe to delete: the next build is only slower):

| result | kept in | reused when the same |
|---|---|---|
| the whole build ("Up to date": nothing written) | ``uptodate.pickle`` (uptodate.py) | the engine's fingerprint, the options, every source entry's stamps (size, times, inode), and the output folder as that build left it |
| a converted text (Markdown → safe HTML) | ``markdown.pickle`` (texts.py) | the engine's fingerprint, the text, its folder, its first line |
| a page's HTML | ``pages.pickle`` (pagecache.py) | the digests of what it is rendered from (inputs.py): ``common`` (the engine, settings, menu, base URL, UI strings, static files' published names, the year), the templates its layout reads and the data files it reads (deps.py), its own record, the outline of the pages it shows |
| a share image | ``pages.pickle`` | its output path (a digest of what it is drawn from) while ``common`` is the same |
| a language's part of the search index | ``pages.pickle`` | the bytes of that language's indexed pages, Pagefind's version, the particle rule (output/search.py ``language_keys``) |
| a file in the output folder (linked, not written) | ``pages.pickle`` (what was written) | its bytes, and its folder entry as the build left it (output/write.py) |
| a source file read and validated (a page with its front matter, a data file, the settings, a photo's header), with its problems and warnings at their lines; a validated model as a record of its values (sources/validated.py: no pydantic to unpickle it) | ``sources.pickle`` (sources.py) | the engine's fingerprint, the file's path and kind, the SHA-256 of its bytes (every file is still read: a change with the same size and time is seen); an entry taken whole keeps the entries it was made with (a page's front matter) |
| a fact about a file that is a function of its bytes alone: the digest of a file published as it is (static/, Decap's bundle and its folder's name), whether Pillow sees a picture in a file of static/ | ``stamped.pickle`` (stamped.py) | the engine's fingerprint, the fact's kind, the file's path and status (device, inode, size, modification and change times), kept only when those times were 2 s older than the reading (uptodate.py's rule) |
| a template as Jinja compiled it | ``templates.pickle`` (templates.py) | the engine's fingerprint, the template's path and a checksum of its source |
| a text made from plain data (the forms' configuration as YAML, from its inputs: tools/cms.py ``config_inputs``) | ``texts.pickle`` (derived.py) | the engine's fingerprint and a SHA-256 of the data |

The photos' variants (``.cache/photos/``, output/images.py) are kept by the photo's content hash and checked
against a SHA-256 of their bytes; they use this package's ``sealed.open_cache_file`` only.

**Trust.** Each pickled file carries a seal keyed outside ``.cache/`` and is read by an unpickler that admits only
its own classes (sealed.py): a file a build with the key did not write is never used, only replaced.

**The modules.** ``fingerprint.py`` (one digest of the engine) and ``sealed.py`` (the cache files' format) are
leaves that import nothing of the engine; ``deps.py`` (what a layout reads, from its templates), ``inputs.py``
(the digests of what a page is made from, and ``pages_to_render``: the judgement "reuse or redo"),
``texts.py``, ``pagecache.py``, ``uptodate.py``, ``sources.py``, ``stamped.py``, ``templates.py``, ``derived.py`` (what
is kept; the last four share ``entries.py``'s sealed file of entries), and ``reuse.py``: ``Reuse``, the one object
``pipeline._make`` asks at each stage.

**``build`` and ``serve``.** Both judge which pages to render again with the same ``pages_to_render`` over the same
digests (inputs.py, deps.py). ``build`` compares with the digests kept in ``pages.pickle``; the preview
(preview/update.py) keeps its last good state in memory and compares with that, after each change. What differs, and
why: the preview reaches the new digests by cheaper paths where a change allows it (a page's or a project's text:
that one record replaced and its links checked, without reading and modelling every source again; a template: the
templates' digests only; a static file no page reads by its bytes: copied), because an edit must show in
milliseconds; it keeps its files in memory rather than in ``pages.pickle``, makes the search index in a thread of
its own after each update (preview/live.py), and shares ``markdown.pickle`` with ``build``.
"""
