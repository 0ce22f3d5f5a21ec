"""The editor's messages and their catalogues (sitegen/messages): every message an editor can meet is a
template of the catalogue, translated into Hebrew with the same placeholders, and shown in the language
the site (or --messages, or MERHAV_MESSAGES) chooses."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from sitegen.errors import ContentError
from sitegen.messages import Message, from_plain, msg, placeholders, use_language
from sitegen.messages.extract import find_templates

CATALOGUE = Path(__file__).resolve().parents[1] / "sitegen" / "messages" / "he.po"


def test_a_content_error_cannot_be_made_from_an_untranslated_literal() -> None:
    with pytest.raises(TypeError, match="msg"):
        ContentError("content/a.he.md", 1, "the title is missing")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="msg"):
        ContentError("content/a.he.md", 1, f"the title {'x'} is missing")  # type: ignore[arg-type]
    assert ContentError("content/a.he.md", 1, msg("the file is not UTF-8 text — save it again with the encoding UTF-8"))


def test_every_message_of_the_engine_is_a_literal_template() -> None:
    """msg(f"…") or msg(variable) could not be found in the catalogue: the values go in placeholders."""
    found = find_templates()
    assert found.not_literal == []
    assert len(found.templates) > 100


def test_the_catalogue_holds_exactly_the_templates_of_the_code() -> None:
    """A new message is in he.po (python -m sitegen.messages.extract adds it), and no message the code
    no longer has is kept there."""
    from babel.messages.pofile import read_po

    with CATALOGUE.open("rb") as stream:
        ids = {str(m.id) for m in read_po(stream) if m.id}
    code = set(find_templates().templates)
    assert sorted(code - ids) == [], "run: python -m sitegen.messages.extract, then translate the new entries"
    assert sorted(ids - code) == [], "run: python -m sitegen.messages.extract (it drops what the code no longer says)"


def test_a_message_is_its_english_text_and_remembers_its_values() -> None:
    message = msg("the image '{image}' is not in static/ — put the file at static/{place}", image="/a b.png", place="a b.png")
    assert message == "the image '/a b.png' is not in static/ — put the file at static/a b.png"
    assert message.template.startswith("the image '{image}'") and dict(message.values) == {"image": "/a b.png", "place": "a b.png"}
    assert placeholders(message.template) == {"image", "place"}
    with pytest.raises(TypeError, match="needs the values"):
        msg("the image '{image}' is missing")


def test_a_message_survives_pickling_and_the_plain_form_of_the_caches() -> None:
    inner = msg("a named pipe (FIFO)")
    outer = msg("this is {kind}, not an ordinary file — delete it: only ordinary files are read", kind=inner)
    again = pickle.loads(pickle.dumps(outer))
    assert isinstance(again, Message) and again == outer and isinstance(again.values["kind"], Message)
    plain = outer.plain()
    assert from_plain(plain) == outer and isinstance(from_plain(plain).values["kind"], Message)


def _hebrew_catalogue() -> dict[str, str]:
    from babel.messages.pofile import read_po

    with CATALOGUE.open("rb") as stream:
        return {str(m.id): str(m.string) for m in read_po(stream) if m.id}


def test_every_template_has_a_hebrew_translation_with_the_same_placeholders() -> None:
    hebrew = _hebrew_catalogue()
    untranslated = sorted(t for t in find_templates().templates if not hebrew.get(t))
    assert untranslated == [], "translate these in sitegen/messages/he.po"
    differ = {t: h for t, h in hebrew.items() if placeholders(t) != placeholders(h)}
    assert differ == {}, "a translation must keep the placeholders of its template, no more and no fewer"
    for template, text in hebrew.items():  # fills with the same values as its template, format specs included
        values = dict.fromkeys(placeholders(template), 1234.5)
        text.format(**values)
        words = re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^{}]*\}", "", template))
        assert any("\u0590" <= c <= "\u05ff" for c in text) or not words, f"still English: {template}"


def test_a_message_in_hebrew_translates_its_nested_messages_and_keeps_the_values_as_they_are() -> None:
    message = msg("this is {kind}, not an ordinary file — delete it: only ordinary files are read", kind=msg("a named pipe (FIFO)"))
    assert message.localized("he") == "זה צינור בעל שם (FIFO), לא קובץ רגיל — מחקו אותו: רק קבצים רגילים נקראים"
    assert message.localized("en") == str(message)
    use_language("he")
    problem = ContentError("static/a.png", 0, message)
    assert str(problem) == "static/a.png: זה צינור בעל שם (FIFO), לא קובץ רגיל — מחקו אותו: רק קבצים רגילים נקראים"
    assert problem.github_annotation().endswith("::זה צינור בעל שם (FIFO), לא קובץ רגיל — מחקו אותו: רק קבצים רגילים נקראים")
    warning = ContentError("content/a.he.md", 0, msg("no '{code}' version of this page — add {stem}.{code}.md", code="en", stem="content/a"),
                           "warning")
    assert str(warning) == "content/a.he.md: אזהרה: אין לעמוד הזה גרסה ב־'en' — הוסיפו content/a.en.md"


def test_as_html_every_value_is_escaped_and_isolated_in_a_bdi() -> None:
    message = msg("unknown field '{field}' — {hint}", field="<b>weigth</b>", hint=msg("did you mean '{field}'?", field="weight"))
    assert message.localized("he", markup=True) == (
        "שדה לא מוכר '<bdi>&lt;b&gt;weigth&lt;/b&gt;</bdi>' — אולי התכוונתם ל־'<bdi>weight</bdi>'?")
    assert msg("an image written as HTML (<img>) — write it in Markdown, ![what it shows](images/photo.jpg), so that its file "
               "and description are checked").localized("en", markup=True).startswith("an image written as HTML (&lt;img&gt;)")


BROKEN_PAGE = "---\ntitle: אודות\nweigth: 3\n---\nטקסט\n"


def test_check_speaks_hebrew_by_default_on_a_hebrew_site(tiny, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("MERHAV_MESSAGES")
    tiny.write({"content/about.he.md": BROKEN_PAGE})
    result = tiny.run("check")
    assert result.code == 1
    assert "content/about.he.md:3: שדה לא מוכר 'weigth' — אולי התכוונתם ל־'weight'?" in result.err
    assert "\nבעיה אחת." in result.err


def test_the_messages_option_and_the_environment_choose_english(tiny, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    tiny.write({"content/about.he.md": BROKEN_PAGE})
    monkeypatch.delenv("MERHAV_MESSAGES")
    english = "content/about.he.md:3: unknown field 'weigth' — did you mean 'weight'?"
    assert english in tiny.run("check", "--messages", "en").err
    monkeypatch.setenv("MERHAV_MESSAGES", "en")
    assert english in tiny.run("check").err
    assert "שדה לא מוכר" in tiny.run("check", "--messages", "he").err, "the option wins over the environment"


def test_a_site_whose_first_language_has_no_catalogue_gets_english(tiny, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from sitegen.messages.language import site_language

    monkeypatch.delenv("MERHAV_MESSAGES")
    assert site_language(tiny.root) == "he"
    site = (tiny.root / "data/site.yaml").read_text(encoding="utf-8")
    head, _, rest = site.partition("languages:\n")
    hebrew, _, others = rest.partition("  - code: en\n")
    (tiny.root / "data/site.yaml").write_text(head + "languages:\n  - code: en\n" + others.split("nav:")[0] + hebrew + "nav:" + others.split("nav:")[1],
                                              encoding="utf-8")
    assert site_language(tiny.root) == "en"
    tiny.write({"content/about.he.md": BROKEN_PAGE})
    assert "unknown field 'weigth'" in tiny.run("check").err


def test_as_html_a_hebrew_message_isolates_each_latin_run_of_its_own_text() -> None:
    """'ב־static/' followed by a path would read 'images/a.jpg/static' in a right-to-left paragraph."""
    message = msg("the image '{target}' is not in static/ — put it at static/{target2} or fix the path", target="images/a.jpg",
                  target2="images/a.jpg")
    assert message.localized("he", markup=True) == (
        "התמונה '<bdi>images/a.jpg</bdi>' אינה ב־<bdi>static/</bdi> — שימו אותה ב־<bdi>static/<bdi>images/a.jpg</bdi></bdi> "
        "או תקנו את הנתיב")
    link = msg("link to a page that does not exist: {path} — write the path of the target's .md file relative to this file "
               "(e.g. ../programme.{lang}.md)", path="content/x.he.md", lang="he").localized("he", markup=True)
    assert "קובץ ה־<bdi>.md</bdi> של" in link and "(למשל <bdi>../programme.<bdi>he</bdi>.md</bdi>)" in link
    assert "<bdi>" not in msg("the {what} '{term}' is listed twice — remove one", what=msg("topic"), term="x").localized(
        "he", markup=True).replace("<bdi>x</bdi>", "")


def test_ci_annotations_speak_the_sites_language(tiny, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("MERHAV_MESSAGES")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    tiny.write({"content/about.he.md": BROKEN_PAGE})
    err = tiny.run("check").err
    assert "::error file=content/about.he.md,line=3::שדה לא מוכר 'weigth' — אולי התכוונתם ל־'weight'?" in err


def test_the_fast_reader_of_a_catalogue_gives_what_babel_gives() -> None:
    from babel.messages.pofile import read_po

    from sitegen.messages import CATALOGUES, read_catalogue

    for path in sorted(CATALOGUES.glob("*.po")):
        with path.open("rb") as stream:
            babel = {str(m.id): str(m.string) for m in read_po(stream, locale=path.stem) if m.id and m.string and not m.fuzzy}
        assert read_catalogue(path.read_text(encoding="utf-8")) == babel, path.name

    made = ('msgid ""\nmsgstr ""\n"Language: he\\n"\n\n#, python-brace-format\nmsgid "a {x} \\"b\\" \\\\ c"\nmsgstr ""\n"א {x} "\n'
            '"\\"ב\\"\\n\\\\"\n\n#, fuzzy\nmsgid "fuzzy"\nmsgstr "מעורפל"\n\nmsgid "empty"\nmsgstr ""\n')
    assert read_catalogue(made) == {'a {x} "b" \\ c': 'א {x} "ב"\n\\'}
    assert read_catalogue('msgctxt "menu"\nmsgid "a"\nmsgstr "א"\n') is None, "a context: Babel reads it"
    assert read_catalogue('#~ msgid "gone"\n#~ msgstr "הלך"\n') is None, "an obsolete entry: Babel reads it"
