"""sources/validated.py against the schema it stands in for: what a build reads of a validated model without pydantic
(a record of its values) is what pydantic gives, and the few constants it holds are the schema's."""

from __future__ import annotations

import copy
import datetime
import pickle
import typing

import pytest
from conftest import REPO

from sitegen.sources import schema
from sitegen.sources.gather import gather
from sitegen.sources.validated import DATA_FILES, Record, page_meta, record_of


def _site_config() -> schema.SiteConfig:
    return schema.SiteConfig.model_validate(
        {"title": {"he": "מרחב", "en": "Merhav"}, "full_title": "Merhav", "description": "d",
         "languages": [{"code": "he", "label": "עברית", "dir": "rtl", "locale": "he_IL"},
                       {"code": "en", "label": "English", "dir": "ltr", "locale": "en_GB"}],
         "nav": [{"page": "faculty", "label": {"he": "סגל", "en": "Faculty"},
                  "translation_checked": "2026-12-06T09:30:00Z"}, {"page": ""}],
         "institute": {"name": "Institute", "email": "a@example.org"},
         "accessibility": {"updated": "2026-01-02"}, "cms": {"repo": "o/n", "auth_url": "https://auth.example.org/auth"}},
        context={"languages": ["he", "en"]})


def test_a_record_holds_the_models_values_and_dumps_as_pydantic_does() -> None:
    settings = _site_config()
    record = record_of(settings)
    assert record.dump() == settings.model_dump()
    assert record.languages[1].code == "en" and record.owner.name == "" and record.cms.branch == "main"
    assert record.accessibility.updated == datetime.date(2026, 1, 2)
    assert [item.dump() for item in record.nav] == [item.model_dump() for item in settings.nav]  # the menu's items
    assert record.title == {"he": "מרחב", "en": "Merhav"} and record.cms is not None
    assert list(record.dump()) == list(schema.SiteConfig.model_fields)  # the model's order
    with pytest.raises(AttributeError):
        record.no_such_field  # noqa: B018 - a field the model has not is no attribute either
    with pytest.raises(AttributeError):
        record.title = "x"  # type: ignore[misc]


def test_a_record_survives_pickle_and_copy_equal_to_itself() -> None:
    record = record_of(_site_config())
    assert pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)) == record
    assert copy.deepcopy(record) == record and copy.copy(record) == record
    assert record != record_of(_site_config().model_copy(update={"description": "other"}))
    meta = page_meta("A title")
    assert hash(meta) == hash(page_meta("A title")) and meta != page_meta("Another")


def test_the_engines_front_matter_is_the_schemas_with_its_defaults() -> None:
    """The pages the engine makes itself (a cohort's, a listing's) have the front matter a page with a title alone has."""
    model = schema.FrontMatter(title="A title")
    assert page_meta("A title") == record_of(model)
    assert page_meta("A title").dump() == model.model_dump()


def test_the_known_data_files_are_the_schemas() -> None:
    assert DATA_FILES == {name: typing.get_origin(shape) is list for name, shape in schema.DATA_SCHEMAS.items()}


def test_the_real_sites_settings_and_pages_are_records() -> None:
    sources = gather(REPO)
    settings = sources.config.settings
    assert isinstance(settings, Record) and sources.config.settings_dump() == settings.dump()
    assert sources.pages and all(isinstance(page.meta, Record) for page in sources.pages)
