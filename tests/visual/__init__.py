"""Visual regression tests: every kind of page of the fixture site, photographed and compared with references.

Every kind of page of the engine's fixture site (tests/fixtures/site, never the real content: an editor's change
must not turn CI red) plus a short accessibility statement of our own (tests/visual/extra/), in Hebrew and English,
at 375 px and 1280 px, full page, in Debian's Chromium (the one CI installs). Each photograph is compared with
tests/visual/references/<name>.png (compare.py: a tolerance that absorbs font anti-aliasing); a difference writes
the photograph and a diff image into tests/visual/failures/ (not committed) and names them.

- ``python -m pytest tests/browser/test_visual.py -n 0`` compares (part of the suite, so of ``bash .ci/run``);
- ``python -m tests.visual --update`` rewrites the references (after a deliberate layout change, in the same commit);
- ``python -m tests.visual`` compares from the command line, without pytest.

What keeps a photograph the same from one run to the next (capture.py): the viewport and the device pixel ratio
fixed, the light scheme, no animation, transition or text caret, the stylesheet served with ``font-display: block``
(its ``optional`` draws a page in the fallback font for good when the machine is slow) and ``document.fonts.ready``
awaited on each page.
"""
