"""The editor's messages and their catalogues (sitegen/messages): every message an editor can meet is a
template of the catalogue, translated into Hebrew with the same placeholders, and shown in the language
the site (or --messages, or MERHAV_MESSAGES) chooses."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sitegen.errors import ContentError
from sitegen.messages import Message, from_plain, msg, placeholders
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
