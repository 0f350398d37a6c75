"""The alias table and the user's field mapping: keys matched however they are written, nested
values read, ``--field``/settings mappings checked with a message that lists the valid fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.errors import ArchiveError
from newsarchive.settings import Settings
from newsarchive.sources.fieldmap import (
    ALIASES,
    FIELDS,
    FieldMap,
    FieldMappingError,
    field_key,
    field_pairs,
    merge_fields,
    parse_field_option,
)


def _texts(row: dict[str, object], pairs: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    return {field: text for field, (_, text) in FieldMap(pairs).match(row).items()}


def test_every_alias_means_one_field() -> None:
    seen: dict[str, str] = {}
    for field, names in ALIASES.items():
        for name in names:
            key = field_key(name)
            assert seen.setdefault(key, field) == field, f"{name} is an alias of {seen[key]} and {field}"
    assert set(ALIASES) == set(FIELDS)


@pytest.mark.parametrize(
    "key", ["published_at", "Published At", "published-at", "publishedAt", "PUBLISHED_AT"]
)
def test_keys_match_whatever_their_case_and_separators(key: str) -> None:
    assert _texts({key: "2023-05-02", "text": "Body."})["published"] == "2023-05-02"


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("body", "content"),
        ("body", "body"),
        ("body", "article"),
        ("body", "story"),
        ("body", "full_text"),
        ("body", "article_text"),
        ("body", "maintext"),
        ("html", "raw_html"),
        ("html", "content_html"),
        ("title", "headline"),
        ("published", "pubdate"),
        ("published", "publish_date"),
        ("published", "date_publish"),
        ("published", "timestamp"),
        ("published", "date"),
        ("authors", "byline"),
        ("authors", "author"),
        ("authors", "creator"),
        ("url", "link"),
        ("url", "canonical_link"),
        ("url", "canonical_url"),
        ("section", "category"),
        ("source", "site"),
        ("source", "publisher"),
        ("source", "site_name"),
        ("source", "outlet"),
        ("source", "source_domain"),
        ("language", "lang"),
        ("fetched_at", "crawled_at"),
    ],
)
def test_the_issue_s_column_names_are_aliases(field: str, key: str) -> None:
    assert _texts({key: "Value of the field"}) == {field: "Value of the field"}


def test_the_first_alias_a_row_fills_wins() -> None:
    row = {"date": "2023-05-09", "published": "", "pubdate": "2023-05-02", "text": "Body."}
    assert _texts(row)["published"] == "2023-05-02"  # empty 'published' skipped, 'pubdate' before 'date'


def test_nested_values_scrapers_write() -> None:
    row = {
        "source": {"id": "harbour-times", "name": "Harbour Times"},
        "authors": [{"name": "Mara Lindqvist"}, {"name": "Tom Reyes"}],
        "headline": {"main": "Ferry runs late", "print_headline": "Late Ferry"},
        "content": {"rendered": "<p>The ferry ran late.</p>", "protected": False},
        "date": {"$date": "2023-05-02T08:00:00Z"},
        "categories": ["Local", "Transport"],
        "byline": {"original": "By Jane Roe"},
    }
    assert _texts(row) == {
        "source": "Harbour Times",
        "authors": "Mara Lindqvist; Tom Reyes",
        "title": "Ferry runs late",
        "body": "<p>The ferry ran late.</p>",
        "published": "2023-05-02T08:00:00Z",
        "section": "Local",
    }


def test_body_paragraph_lists_join_with_blank_lines_and_keep_their_text() -> None:
    assert (
        _texts({"text": ["  First paragraph.", "Second one. "]})["body"]
        == "  First paragraph.\n\nSecond one. "
    )


def test_a_url_given_as_source_is_the_url_not_the_source() -> None:
    """trafilatura's JSON puts the page URL in 'source' and the site in 'source-hostname'."""
    row = {"source": "https://harbourtimes.example/a", "source-hostname": "Harbour Times", "text": "B."}
    assert _texts(row) == {"url": "https://harbourtimes.example/a", "source": "Harbour Times", "body": "B."}


def test_user_mapping_reads_the_field_from_that_key_only() -> None:
    row = {"content": "Teaser.", "story_body": "The whole story.", "pubdate": "", "date": "2020-01-01"}
    mapped = _texts(row, (("body", "Story Body"), ("published", "pubdate")))
    assert mapped["body"] == "The whole story."
    assert "published" not in mapped  # the user's column is empty: no guessing from 'date'


def test_a_mapped_key_serves_no_other_field() -> None:
    row = {"title": "Short label", "headline": "The real headline", "text": "Body."}
    assert _texts(row, (("section", "title"),)) == {
        "section": "Short label",
        "title": "The real headline",
        "body": "Body.",
    }


def test_user_mapping_follows_dotted_paths() -> None:
    row = {"meta": {"site": {"label": "Harbour Times"}}, "text": "Body."}
    assert _texts(row, (("source", "meta.site.label"),))["source"] == "Harbour Times"


def test_field_option_parsing() -> None:
    assert parse_field_option("body=content") == ("body", "content")
    assert parse_field_option(" Published = Date of Issue ") == ("published", "Date of Issue")
    assert parse_field_option("fetched-at=crawl") == ("fetched_at", "crawl")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("bdy=content", "unknown field 'bdy' (did you mean 'body'?); the fields are body, html, title"),
        ("date=pubdate", "unknown field 'date' (did you mean 'published'?)"),
        ("text=content", "(did you mean 'body'?)"),
        ("content", "is not FIELD=COLUMN"),
        ("body=", "no column named"),
    ],
)
def test_a_bad_field_option_says_what_is_valid(option: str, message: str) -> None:
    with pytest.raises(FieldMappingError) as caught:
        parse_field_option(option)
    assert message in str(caught.value)
    if "unknown field" in message:
        assert ", ".join(FIELDS) in str(caught.value)


def test_settings_take_a_toml_table_and_stay_hashable(tmp_path: Path) -> None:
    toml = tmp_path / "settings.toml"
    toml.write_text('[newsarchive]\nfields = {body = "content", published = "pubdate"}\n')
    settings = Settings.load(toml)
    assert settings.fields == (("body", "content"), ("published", "pubdate"))
    assert hash(settings) == hash(Settings(fields={"published": "pubdate", "body": "content"}))


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSARCHIVE_FIELDS", "body=content, title=Überschrift")
    assert Settings.load().fields == (("body", "content"), ("title", "Überschrift"))


def test_settings_refuse_an_unknown_field(tmp_path: Path) -> None:
    toml = tmp_path / "settings.toml"
    toml.write_text('fields = {boddy = "content"}\n')
    with pytest.raises(ArchiveError, match=r"settings.toml: fields.boddy: unknown field 'boddy'"):
        Settings.load(toml)


def test_the_command_line_wins_over_the_settings_per_field() -> None:
    base = field_pairs({"body": "content", "title": "headline"})
    assert merge_fields(base, [("body", "story")]) == (("body", "story"), ("title", "headline"))


def test_csv_columns_chosen_for_a_header() -> None:
    fieldmap = FieldMap((("published", "Date of issue"),))
    assert fieldmap.columns(["Link", "Headline", "date", "Date Of Issue", "Content"]) == {
        "body": "Content",
        "title": "Headline",
        "published": "Date Of Issue",
        "url": "Link",
    }
    assert fieldmap.missing_user_columns(["Link", "date"]) == [("published", "Date of issue")]
