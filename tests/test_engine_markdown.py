"""Markdown: Hebrew punctuation exactly as typed, Hebrew heading ids, tables, attributes."""

from __future__ import annotations

import re

from conftest import TinySite

BODY_HE = """\
---
title: "מנכ\\"ל"
---
## ויתור על אגו

המנכ"ל, חב"א וד"ר כהן מהכפר הצ'רקסי אמרו: "ויתור על אגו" - 'כן'.

| תפקיד | מספר |
|---|---|
| מנכ"ל | 1 |

פסקה עם מחלקה
{: .lead }
"""


def test_hebrew_quotation_marks_gershayim_and_geresh_come_out_as_typed(tiny: TinySite) -> None:
    tiny.write({"content/about.he.md": BODY_HE})
    code, _, err = tiny.run()
    assert code == 0, err
    html = tiny.html("about/index.html")
    assert '<p>המנכ"ל, חב"א וד"ר כהן מהכפר הצ\'רקסי אמרו: "ויתור על אגו" - \'כן\'.</p>' in html
    assert '<title>מנכ"ל | מרחב</title>' in html and '<h1>מנכ"ל</h1>' in html  # texts from templates too
    text = re.sub(r"<[^>]*>", "", html)  # text nodes
    for smart in ("&quot;", "&#34;", "״", "׳", "“", "”", "‘", "’", "&ldquo;", "&rsquo;", "&#8220;"):
        assert smart not in text


def test_a_hebrew_heading_gets_a_hebrew_id_and_tables_render(tiny: TinySite) -> None:
    tiny.write({"content/about.he.md": BODY_HE})
    assert tiny.run().code == 0
    html = tiny.html("about/index.html")
    assert '<h2 id="ויתור-על-אגו">ויתור על אגו</h2>' in html
    assert "<table>" in html and "<th>תפקיד</th>" in html and '<td>מנכ"ל</td>' in html
    assert '<p class="lead">פסקה עם מחלקה</p>' in html


def test_raw_html_is_sanitised(tiny: TinySite) -> None:
    tiny.write({"content/about.en.md": '---\ntitle: About\n---\n<span lang="he" dir="rtl">שלום</span><script>alert(1)</script>\n\n[x](javascript:alert(1))\n'})
    code, _, err = tiny.run()
    assert code == 0, err
    html = tiny.html("en/about/index.html")
    assert '<span lang="he" dir="rtl">שלום</span>' in html
    assert "<script" not in html and "javascript:" not in html


def test_dates_and_data_texts_are_resolved_for_the_page_language(tiny: TinySite) -> None:
    tiny.write({
        "data/events.yaml": "- date: 2025-03-01\n  name:\n    he: פתיחת המחזור\n    en: The cohort opens\n",
        "content/about.he.md": "---\ntitle: אודות\nlayout: dated\n---\n",
        "content/about.en.md": "---\ntitle: About\nlayout: dated\n---\n",
    })
    code, _, err = tiny.run()
    assert code == 0, err
    assert '<p class="date">1 במרץ 2025</p>' in tiny.html("about/index.html")
    assert '<p class="event">פתיחת המחזור</p>' in tiny.html("about/index.html")
    assert '<p class="date">1 March 2025</p>' in tiny.html("en/about/index.html")
    assert '<p class="event">The cohort opens</p>' in tiny.html("en/about/index.html")
