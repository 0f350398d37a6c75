"""What a query is about: its matches' typical words against the whole archive, and the entities
they name, on a small archive whose answer is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive import Archive, QueryError, Settings
from newsarchive.model import Enrichment, Entity, Mention
from tests.corpus_helpers import write_jsonl

TOWNS = ("Port Ellery", "Westmarch", "Caldera Bay", "Linden Falls")


STRIKE = (
    "ferry crews stayed on strike over wages and pensions",
    "the union said picket lines would hold at the terminal",
    "strike talks broke up without a deal on wages",
    "pensions are the sticking point, the union said at the picket",
    "a strike fund will pay crews while the picket goes on",
    "managers offered a wages rise the union called an insult",
)
OTHER = (
    "the library will open on Sundays", "the school roof needs repairs", "the park budget was cut",
    "a new bus timetable starts in May", "the market square gets new lights", "the swimming pool reopened",
    "councillors argued about parking fees", "the harvest festival drew crowds",
)  # fmt: skip


def _rows() -> list[dict[str, str]]:
    rows = []
    for i in range(12):  # the ferry strike: its own words, in different sentences each day
        said = ". ".join(STRIKE[(i + k) % len(STRIKE)].capitalize() for k in range(0, 6, 1 + i % 3))
        rows.append({"url": f"https://f{i}.example/strike", "title": f"Ferry dispute, day {i + 1}",
                     "date": f"2016-03-{1 + i:02d}", "source": "Gazette",
                     "text": f"Day {i + 1} in {TOWNS[i % 4]}: {said}. Commuters waited {10 + i} minutes "
                             "for buses instead of the ferry."})  # fmt: skip
    for i in range(40):  # everything else the archive holds
        notes = ". ".join(OTHER[(i * 3 + k) % len(OTHER)].capitalize() for k in range(1 + i % 4))
        rows.append({"url": f"https://o{i}.example/notes", "title": f"Council notes {i}",
                     "date": f"2016-{1 + i % 12:02d}-15", "source": "Courier" if i % 2 else "Gazette",
                     "text": f"The council of {TOWNS[i % 4]} met about item {i}: {notes}. Commuters asked "
                             f"about buses, {i + 3} of them."})  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("terms")
    with Archive.open(root / "archive", Settings(enrich=False), create=True) as archive:
        report = archive.ingest([write_jsonl(root / "rows.jsonl", _rows())])
        assert report.articles_new == 52, report.rejects
        # entities as enrichment would store them (no NER model needed): the union and a town
        strikes = [a for a in archive.articles() if a.title.startswith("Ferry dispute")]
        with archive.store.transaction():
            for n, article in enumerate(strikes):
                named = [
                    Entity("Seafarers Union", "ORG", [], [], 1, 1),
                    Entity("Port Ellery", "GPE", [], [], 1, 1),
                ]
                if n < 4:
                    named.append(Entity("Mara Quist", "PERSON", [], [], 1, 1))
                mentions = [Mention(article.id, 0, 5, "Ferry", e.type, e.name) for e in named]
                archive.store.put_enrichment(
                    Enrichment(article.id, mentions, named, [], []), article.body_hash, "2024-01-01"
                )
        archive.reindex()
    return root / "archive"


def test_the_strike_words_come_first_and_common_words_stay_out(archive_path: Path) -> None:
    with Archive.open(archive_path, readonly=True) as archive:
        found = archive.terms("ferry", top=20)
    words = [t.word.lower() for t in found.terms]
    assert {"strike", "wages", "pensions", "union", "picket"} <= set(words), words
    assert not {"the", "and", "ferry", "commuters", "buses"} & set(words)  # stop words, the query, everywhere
    assert (found.matches, found.sample, found.archive) == (12, 12, 52)
    strike = next(t for t in found.terms if t.word.lower() == "strike")
    assert strike.in_sample == strike.in_archive >= 6 and strike.score > 0  # only strike stories have it


def test_entities_are_grouped_by_type_and_counted_over_every_match(archive_path: Path) -> None:
    with Archive.open(archive_path, readonly=True) as archive:
        found = archive.terms("ferry", sample=3)
    assert found.sample == 3  # the words come from a bounded sample...
    assert [(e.name, e.articles) for e in found.entities["organisations"]] == [("Seafarers Union", 12)]
    assert [(e.name, e.articles) for e in found.entities["places"]] == [
        ("Port Ellery", 12)
    ]  # ...entities not
    assert [(e.name, e.articles) for e in found.entities["people"]] == [("Mara Quist", 4)]
    assert found.to_json()["entities"]["people"] == [{"name": "Mara Quist", "type": "PERSON", "articles": 4}]


def test_bounds_are_checked(archive_path: Path) -> None:
    with (
        Archive.open(archive_path, readonly=True) as archive,
        pytest.raises(QueryError, match="sample 1 to 5000"),
    ):
        archive.terms("ferry", sample=100_000)
