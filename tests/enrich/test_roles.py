"""Roles from the words around a name, and a missing country filled from the article's context."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsarchive.enrich.pipeline import enrich_text


def _roles(nlp: Language, text: str, published: str | None = None) -> dict[str, set[tuple[str, str | None]]]:
    result = enrich_text("r", text, published, nlp)
    return {e.name: {(r.title, r.of) for r in e.roles} for e in result.entities if e.roles}


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Norway's Prime Minister Ola Brandvik arrived.", "Ola Brandvik", ("Prime Minister", "Norway")),
        ("Swedish PM Karin Lund arrived.", "Karin Lund", ("Prime Minister", "Sweden")),
        (
            "The Brazilian Foreign Minister Marta Quintela arrived.",
            "Marta Quintela",
            ("Foreign Minister", "Brazil"),
        ),
        (
            "Marta Quintela, Brazil's foreign minister, arrived.",
            "Marta Quintela",
            ("Foreign Minister", "Brazil"),
        ),
    ],
)
def test_role_patterns(nlp: Language, text: str, name: str, role: tuple[str, str]) -> None:
    assert role in _roles(nlp, text).get(name, set())


def test_country_from_context_skips_countries_whose_title_is_taken(nlp: Language) -> None:
    text = (
        "Swedish President Karin Lund met Norway's officials in Oslo. Norway and Norwegian firms gained. "
        "President Ola Brandvik said the talks with Sweden went well."
    )
    roles = _roles(nlp, text)
    assert ("President", "Norway") in roles["Ola Brandvik"]
    assert ("President", "Sweden") in roles["Karin Lund"]


def test_role_dated_by_publication(nlp: Language) -> None:
    result = enrich_text("r", "Swedish PM Karin Lund arrived.", "2019-02-01", nlp)
    person = next(e for e in result.entities if e.name == "Karin Lund")
    assert person.roles[0].as_of == "2019-02-01"
    assert person.to_json()["roles"] == [{"title": "Prime Minister", "of": "Sweden", "as_of": "2019-02-01"}]


def test_former_titles_are_not_current_roles(nlp: Language) -> None:
    assert "Karin Lund" not in _roles(nlp, "Former Swedish PM Karin Lund arrived.")
