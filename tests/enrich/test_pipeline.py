"""enrich_text / enrich_many end to end with the real spaCy model, on the seed page and bad input."""

from __future__ import annotations

import os
import sys
import types
from collections import Counter
from pathlib import Path

import pytest
from spacy.language import Language

from newsarchive.enrich.nlp import MAX_CHUNK_CHARS
from newsarchive.enrich.pipeline import (
    MAX_BODY_CHARS,
    MIN_ITEMS_PER_PROCESS,
    WorkerPool,
    count_names_found_again,
    default_processes,
    enrich_many,
    enrich_text,
    worker_results,
)
from newsarchive.errors import InputError
from newsarchive.model import Enrichment, Entity, Mention


@pytest.fixture(scope="module")
def seed_body(shared_data: Path) -> str:
    text = next((shared_data / "seed").glob("*.txt")).read_text(encoding="utf-8")
    return text[text.index("Tel Aviv –") :]


def _check_offsets(body: str, result: Enrichment) -> None:
    for mention in result.mentions:
        assert body[mention.start : mention.end] == mention.text
    for quote in result.quotes:
        assert body[quote.start : quote.end] == quote.text
    for event in result.events:
        assert body[event.start : event.end] == event.evidence_text


def test_seed_people_and_roles(nlp: Language, seed_body: str) -> None:
    result = enrich_text("seed", seed_body, None, nlp).to_json()
    people = {e["name"]: e for e in result["entities"] if e["type"] == "PERSON"}
    expected = {
        "Vladimir Putin": ("President", "Russia"),
        "Dmitry Medvedev": ("Prime Minister", "Russia"),
        "Benjamin Netanyahu": ("Prime Minister", "Israel"),
        "Reuven Rivlin": ("President", "Israel"),
    }
    for name, (title, country) in expected.items():
        assert name in people, f"{name} missing from {sorted(people)}"
        assert {"title": title, "of": country, "as_of": None} in people[name]["roles"]
    # surname-only mentions resolve to the full name, never a separate entity
    assert "Netanyahu" not in people and "Putin" not in people and "Medvedev" not in people
    assert "Netanyahu" in people["Benjamin Netanyahu"]["aliases"]


def test_seed_embassy_quote(nlp: Language, seed_body: str) -> None:
    result = enrich_text("seed", seed_body, None, nlp)
    quote = next(q for q in result.quotes if q.text.startswith("Over the years"))
    assert quote.cue == "said"
    assert quote.speaker is not None and "embassy" in quote.speaker.lower()
    assert quote.speaker_entity is not None and "embassy" in quote.speaker_entity.lower()
    _check_offsets(seed_body, result)


def _events(result: Enrichment, kind: str) -> list[dict[str, object]]:
    return [e.to_json() for e in result.events if e.type == kind]


def test_seed_events_without_publication_date(nlp: Language, seed_body: str) -> None:
    result = enrich_text("seed", seed_body, None, nlp)
    visit = next(e for e in _events(result, "VISIT") if e["source"] == "Dmitry Medvedev" and e["target"])
    assert visit["target"] == "Israel"
    assert visit["date"] == "--11-10"
    assert visit["date_status"] == "planned"
    talks = _events(result, "NEGOTIATE")
    assert talks and talks[0]["date_status"] == "planned" and talks[0]["date"] is None
    calls = _events(result, "CONSULT")
    assert any({e["source"], e["target"]} == {"Benjamin Netanyahu", "Vladimir Putin"} for e in calls)
    moscow = [e for e in _events(result, "VISIT") if e["location"] == "Moscow"]
    assert any(e["source"] == "Benjamin Netanyahu" for e in moscow)
    warn = _events(result, "THREATEN")
    assert any(e["source"] == "Israel" and e["target"] == "Russia" for e in warn)
    for event in result.events:
        assert event.date is None or not event.date[:4].isdigit() or event.date_status != "publication"


def test_seed_events_are_one_per_happening_each_with_a_source(nlp: Language, seed_body: str) -> None:
    events = enrich_text("seed", seed_body, None, nlp).to_json()["events"]
    assert all(e["source"] for e in events)
    medvedev = [e for e in events if e["type"] == "VISIT" and e["source"] == "Dmitry Medvedev"]
    assert [(e["target"], e["date"], e["date_status"]) for e in medvedev] == [
        ("Israel", "--11-10", "planned")
    ]
    talks = next(e for e in events if e["type"] == "NEGOTIATE")
    assert {talks["source"], talks["target"]} == {"Israel", "Euro-Asian economic group"}
    assert talks["date_status"] == "planned" and talks["date"] is None  # "next month" of an unknown date
    calls = [e for e in events if e["type"] == "CONSULT" and e["source"] == "Benjamin Netanyahu"]
    assert calls and all(e["target"] == "Vladimir Putin" for e in calls)
    assert any(e["type"] == "THREATEN" and e["source"] == "Israel" for e in events)
    agreements = [e for e in events if e["type"] == "AGREE" and e["source"] == "Vladimir Putin"]
    assert [e["target"] for e in agreements] == ["Benjamin Netanyahu"]  # "agreed to coordinate with": one


def test_seed_events_with_publication_date(nlp: Language, seed_body: str) -> None:
    result = enrich_text("seed", seed_body, "2016-10-20", nlp)
    visit = next(e for e in _events(result, "VISIT") if e["source"] == "Dmitry Medvedev" and e["target"])
    assert visit["date"] == "2016-11-10"
    talks = _events(result, "NEGOTIATE")
    assert talks[0]["date"] == "2016-11"
    roles = {e.name: e.roles for e in result.entities}
    assert roles["Dmitry Medvedev"][0].as_of == "2016-10-20"
    undated = [e for e in result.events if e.date_status == "publication"]
    assert undated and all(e.date == "2016-10-20" for e in undated)


def test_enrich_many_matches_enrich_text(nlp: Language, seed_body: str) -> None:
    items = [
        ("a", seed_body, None),
        ("empty", "", None),
        ("b", "Mary Jones visited Paris on Monday.", "2020-03-04"),
    ]
    results = list(enrich_many(items, nlp, batch_size=2))
    assert [r.article_id for r in results] == ["a", "empty", "b"]
    assert results[0].to_json() == enrich_text("a", seed_body, None, nlp).to_json()
    assert results[1].mentions == [] and results[1].events == []
    assert any(e.type == "VISIT" and e.date == "2020-03-02" for e in results[2].events)


def test_empty_and_whitespace_bodies(nlp: Language) -> None:
    for body in ["", "   \n\n  "]:
        result = enrich_text("x", body, None, nlp)
        assert result.to_json() == {
            "article_id": "x",
            "mentions": [],
            "entities": [],
            "quotes": [],
            "events": [],
        }


def test_non_english_text_does_not_crash(nlp: Language) -> None:
    arabic = "قال الرئيس الروسي فلاديمير بوتين إنه سيزور إسرائيل في العاشر من نوفمبر. " * 20
    assert enrich_text("ar", arabic, None, nlp).entities == []
    german = "Der russische Präsident Wladimir Putin hat am Dienstag Berlin besucht. " * 5
    result = enrich_text("de", german, "2016-10-20", nlp)
    _check_offsets(german, result)


def test_huge_body_is_chunked_with_valid_offsets(nlp: Language) -> None:
    paragraph = "Ministers met in Geneva on Tuesday. Anna Lindqvist, the Swedish foreign minister, said talks went well.\n\n"
    body = paragraph * (10 * MAX_CHUNK_CHARS // len(paragraph) + 1)
    assert len(body) > 10 * MAX_CHUNK_CHARS
    result = enrich_text("big", body, "2020-03-05", nlp)
    last = max(m.end for m in result.mentions)
    assert last > len(body) - len(paragraph), "mentions must reach the end of the body"
    _check_offsets(body, result)
    people = {e.name for e in result.entities if e.type == "PERSON"}
    assert "Anna Lindqvist" in people


def test_absurdly_long_body_is_refused_with_a_clear_error(nlp: Language) -> None:
    with pytest.raises(InputError, match="characters"):
        enrich_text("huge", "a " * (MAX_BODY_CHARS // 2 + 1), None, nlp)


def test_real_articles_keep_exact_offsets(nlp: Language, shared_data: Path) -> None:
    paths = sorted((shared_data / "corpus" / "polnear-train" / "text").glob("*.txt"))[:15]
    items = [(p.stem, p.read_text(encoding="utf-8"), "2016-01-15") for p in paths]
    results = list(enrich_many(items, nlp, batch_size=4))
    assert [r.article_id for r in results] == [p.stem for p in paths]
    for (_, body, _), result in zip(items, results, strict=True):
        _check_offsets(body, result)
    assert sum(len(r.quotes) for r in results) > 15
    assert all(
        e.date_status in {"happened", "planned", "context", "publication"} for r in results for e in r.events
    )


def test_worker_processes_give_the_same_enrichment_as_one(nlp: Language, shared_data: Path) -> None:
    """Parsing in forked workers changes where the work runs, never what comes out: the same
    mentions, entities, quotes and events with the same offsets, in the articles' order (an empty
    and a non-English article in between keep their places)."""
    paths = sorted((shared_data / "corpus" / "polnear-train" / "text").glob("*.txt"))[15:27]
    items: list[tuple[str, str, str | None]] = [
        (p.stem, p.read_text(encoding="utf-8"), "2016-01-15") for p in paths
    ]
    items[3:3] = [("empty", "", None), ("ar", "قال الرئيس الروسي إنه سيزور إسرائيل في نوفمبر. " * 3, None)]
    one = [r.to_json() for r in enrich_many(items, nlp, batch_size=2, n_process=1)]
    two = list(enrich_many(items, nlp, batch_size=2, n_process=2))
    assert [r.to_json() for r in two] == one
    assert [r.article_id for r in two] == [item[0] for item in items]
    for (_, body, _), result in zip(items, two, strict=True):
        _check_offsets(body, result)
    assert sum(len(r.quotes) for r in two) > 10 and sum(len(r.events) for r in two) > 10


def test_default_processes_are_one_per_core_only_for_large_batches() -> None:
    cores = len(os.sched_getaffinity(0))
    many = [(str(i), "Mary Jones visited Paris.", None) for i in range(MIN_ITEMS_PER_PROCESS * 64)]
    assert default_processes(many) == cores
    assert default_processes(many[: MIN_ITEMS_PER_PROCESS - 1]) == 1  # an upload, a test: no workers
    assert default_processes(iter(many)) == 1  # unknown length: parsed here


def test_a_request_thread_parses_in_its_own_process() -> None:
    """A web server enriches uploads on request threads: no fork from a process running threads."""
    from concurrent.futures import ThreadPoolExecutor

    many = [(str(i), "Mary Jones visited Paris.", None) for i in range(MIN_ITEMS_PER_PROCESS * 64)]
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(default_processes, many).result() == 1


def test_a_spark_executor_worker_parses_in_its_own_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spark already runs one Python worker per core: forking more would only oversubscribe them."""
    monkeypatch.setitem(sys.modules, "pyspark.worker", types.ModuleType("pyspark.worker"))
    many = [(str(i), "Mary Jones visited Paris.", None) for i in range(MIN_ITEMS_PER_PROCESS * 64)]
    assert default_processes(many) == 1


def test_a_page_mixing_scripts_is_enriched_on_its_english_paragraphs_only(nlp: Language) -> None:
    """Arabic paragraphs are not run through the English model (it tags their words ORG); the
    English paragraphs of the same page are, with offsets into the whole body."""
    english = "Prime Minister Lena Halvorsen visited the port of Valbrune on Tuesday, the ministry said."
    arabic = (
        "قال المتحدث باسم وزارة النقل إن الميناء الجديد سيفتح أبوابه أمام السفن التجارية في الربيع المقبل."
    )
    body = f"{arabic}\n\n{english}\n\n{arabic}\n"
    result = enrich_text("mixed", body, "2024-05-01", nlp)
    _check_offsets(body, result)
    assert result.mentions, "the English paragraph was not enriched"
    english_start = body.index(english)
    assert all(english_start <= m.start and m.end <= english_start + len(english) for m in result.mentions)
    assert "Lena Halvorsen" in {e.name for e in result.entities}


FRENCH = (
    "Le ministre des Transports, Étienne Marchal, a inauguré mardi le nouveau port de Valbrune "
    "en présence des élus de la région et des représentants de la Compagnie maritime du Nord."
)
SAID_IN_ENGLISH = "Prime Minister Lena Halvorsen visited the port of Valbrune on Tuesday, the ministry said."


def test_an_article_in_another_latin_script_language_is_not_read_by_the_english_model(nlp: Language) -> None:
    """French is in the English model's script but not its language: detected French, the article
    is read only on a paragraph that is itself English."""
    body = f"{FRENCH}\n\n{SAID_IN_ENGLISH}\n\n{FRENCH}\n"
    as_french = enrich_text("fr", body, "2024-05-01", nlp, language="fr")
    _check_offsets(body, as_french)
    english_start = body.index(SAID_IN_ENGLISH)
    assert as_french.mentions
    assert all(
        english_start <= m.start and m.end <= english_start + len(SAID_IN_ENGLISH) for m in as_french.mentions
    )
    assert not any("Marchal" in e.name for e in as_french.entities)
    # the same text of unknown language is read whole, as before
    unknown = enrich_text("unknown", body, "2024-05-01", nlp)
    assert any(m.start < english_start for m in unknown.mentions)
    only_french = enrich_text("fr-only", FRENCH, "2024-05-01", nlp, language="fr")
    assert only_french.mentions == [] and only_french.entities == []
    # a language given as a tag with its region is read by its primary language
    assert enrich_text("fr-tag", FRENCH, "2024-05-01", nlp, language="fr-CA").entities == []
    as_british = enrich_text("en-tag", body, "2024-05-01", nlp, language="en-GB")
    assert [m.start for m in as_british.mentions] == [m.start for m in unknown.mentions]


def test_direction_marks_never_end_up_in_entity_names(nlp: Language) -> None:
    body = (
        "The newspaper \u200fAsharq Al-Awsat\u200f reported that Lena\u200e Halvorsen met officials of the "
        "\u202bUnited Nations\u202c in Geneva on Monday."
    )
    result = enrich_text("marks", body, "2024-05-01", nlp)
    _check_offsets(body, result)
    marks = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert result.entities
    for entity in result.entities:
        assert not marks & set(entity.name), entity.name
        assert not any(marks & set(alias) for alias in entity.aliases), entity.aliases
    for mention in result.mentions:
        assert mention.text[:1] not in marks and mention.text[-1:] not in marks


def _children() -> set[int]:
    listing = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    return {int(c) for c in listing.read_text().split()} if listing.exists() else set()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers in Linux's /proc")
def test_a_worker_pool_forks_new_workers_after_its_share_and_keeps_the_order(nlp: Language) -> None:
    """Workers are renewed after ``renew_after`` articles (a pipeline's vocabulary only grows);
    the results are those of one process, in order, across the change."""
    items: list[tuple[str, str, str | None]] = [
        (f"a{i}", f"Mayor Ines Okafor visited Port Ellery on Monday, report {i} said.", "2024-05-01")
        for i in range(16)
    ]
    with WorkerPool(nlp, 2, renew_after=8) as pool:
        first = [r for f in pool.submit(items[:8]) for r in worker_results(f)]
        old = _children()
        second = [r for f in pool.submit(items[8:]) for r in worker_results(f)]
        new = _children() - old
    assert new, "no new workers were forked after the first 8 articles"
    expected = [r.to_json() for r in enrich_many(items, nlp, n_process=1)]
    assert [r.to_json() for r in first + second] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Coach Mira Solvang praised the Harbour Hawks after the win. Solvang said the Hawks had trained"
        " hard. Later Hawks fans cheered Solvang outside the arena.",
        "Tyler Brannock scored 20 points for the Pacers. Brannock, who missed last season, said the team"
        " was ready. Fans chanted Brannock as he left.",
    ],
)
def test_an_entitys_mention_count_is_its_name_mentions_as_the_store_counts_them(
    nlp: Language, text: str
) -> None:
    """Names coreference finds again where the recogniser missed them count like the others."""
    result = enrich_text("a1", text, None, nlp)
    named = Counter(m.entity for m in result.mentions if m.kind == "name" and m.entity)
    assert {e.name: e.mentions for e in result.entities} == {e.name: named[e.name] for e in result.entities}
    assert [e.mentions for e in result.entities] == sorted(
        (e.mentions for e in result.entities), reverse=True
    )


def test_names_found_again_count_as_names_and_rerank_the_entities() -> None:
    ranked = [Entity("Harbour Hawks", "ORG", mentions=2), Entity("Tyler Ansel", "PERSON", mentions=1)]
    found = [
        Mention("a1", 40, 45, "Ansel", "PERSON", "Tyler Ansel", "name"),
        Mention("a1", 60, 65, "Ansel", "PERSON", "Tyler Ansel", "name"),
        Mention("a1", 70, 72, "he", "PERSON", "Tyler Ansel", "pronoun"),  # a pronoun is no name
    ]
    count_names_found_again(ranked, found)
    assert [(e.name, e.mentions) for e in ranked] == [("Tyler Ansel", 3), ("Harbour Hawks", 2)]


def _worker_state() -> tuple[int, list[int]]:
    import gc

    from threadpoolctl import threadpool_info

    return gc.get_freeze_count(), [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]


def test_a_forked_worker_starts_with_one_blas_thread_and_its_inherited_heap_frozen() -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from newsarchive.enrich.pipeline import _start_worker

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker) as pool:
        frozen, threads = pool.submit(_worker_state).result()
    assert frozen > 1000, "the pipeline and the parent's objects are out of the collector's sight"
    assert threads and set(threads) == {1}
