"""Whole archives built from the real data beside the project (skipped when it is absent)."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from newsarchive import Archive, Settings

NO_ENRICH = Settings(enrich=False)  # these tests are about extraction, dedup and search


def _tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def _f1(ours: str, gold: str) -> float:
    a, b = _tokens(ours), _tokens(gold)
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def test_seed_page(shared_data: Path, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "arch", create=True) as archive:
        archive.ingest([shared_data / "seed"])
        hits = archive.search("Medvedev").hits
        assert len(hits) == 1
        article = archive.article(hits[0].id)
    assert article.title == "Russia Discusses Boosting Coordination in Syria with Israel"
    assert article.source == "Asharq Al-Awsat"
    assert article.media_ids == ["55360534"]
    assert article.body.startswith("Tel Aviv –")
    for chrome in ("Middle-east Arab News Opinion", "Select Page", "Media ID", "Caption", "English Archive"):
        assert chrome not in article.body
    assert article.title not in article.body
    assert "regimeو" not in article.body and "regime" in article.body
    assert article.captions and article.captions[0].startswith("Russia’s President Vladimir Putin (R)")
    assert article.language == "en"


def _textdump_scores(archive: Archive, data: Path) -> dict[str, list[float]]:
    scores: dict[str, list[float]] = defaultdict(list)
    for article in archive.articles():
        for capture in article.captures:
            page = Path(capture.origin)
            gold = data / "gold" / page.parent.name / page.name
            lines = gold.read_text(encoding="utf-8", errors="replace").splitlines()
            scores[page.parent.name].append(_f1(article.body, "\n".join(lines[1:])))
    return scores


@pytest.mark.slow
def test_textdumps_site_learning_lifts_body_f1(shared_data: Path, tmp_path: Path) -> None:
    data = shared_data / "extraction" / "textdumps"
    with Archive.open(tmp_path / "arch", NO_ENRICH, create=True) as archive:
        report = archive.ingest([data / "pages"])
        assert report.captures_new == 180
        scores = _textdump_scores(archive, data)
    pages = [s for site in scores.values() for s in site]
    assert len(pages) + len(report.rejects) == 180  # pages that were exact duplicates score via their article
    mean = sum(pages) / len(pages)
    assert mean >= 0.90, f"mean body F1 {mean:.3f} below 0.90"
    for site, values in scores.items():
        assert sum(values) / len(values) >= 0.85, site


def test_single_page_of_unseen_site_loses_obvious_chrome(shared_data: Path, tmp_path: Path) -> None:
    page = shared_data / "extraction" / "textdumps" / "pages" / "bbc.co.uk" / "big5-05-apple_1.txt"
    with Archive.open(tmp_path / "arch", create=True) as archive:
        archive.ingest([page])
        article = next(archive.articles())
    for chrome in (
        "About this capture",
        "Alexa Crawls",
        "News Front Page",
        "E-mail this to a friend",
        "Printable version",
    ):
        assert chrome not in article.body
    assert article.body.startswith("Apple has set its sights")


@pytest.fixture(scope="module")
def reuters(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("reuters")
    archive = Archive.open(root / "arch", NO_ENRICH, create=True)
    sgml = sorted((shared_data / "corpus" / "reuters21578").glob("reut2-*.sgm"))
    report = archive.ingest(sgml)
    archive.report = report  # type: ignore[attr-defined]
    yield archive
    archive.close()


def _raw_stories(shared_data: Path) -> dict[str, dict[str, str]]:
    """An independent reading of the SGML (plain regexes) to check the archive against."""
    stories = {}
    for path in sorted((shared_data / "corpus" / "reuters21578").glob("reut2-*.sgm")):
        text = path.read_bytes().decode("latin-1")
        for block in re.findall(r"<REUTERS.*?</REUTERS>", text, re.S):
            newid = re.search(r'NEWID="(\d+)"', block).group(1)  # type: ignore[union-attr]
            title = re.search(r"<TITLE>(.*?)</TITLE>", block, re.S)
            body = re.search(r"<BODY>(.*?)</BODY>", block, re.S)
            topics = re.findall(r"<D>(.*?)</D>", re.search(r"<TOPICS>(.*?)</TOPICS>", block, re.S).group(1))  # type: ignore[union-attr]
            stories[newid] = {
                "title": title.group(1) if title else "",
                "body": body.group(1) if body else "",
                "date": re.search(r"<DATE>\s*(\S+)", block).group(1),  # type: ignore[union-attr]
                "topic": topics[0] if topics else "",
            }
    return stories


@pytest.mark.slow
def test_reuters_every_story_is_accounted_for(reuters: Archive, shared_data: Path) -> None:
    stories = _raw_stories(shared_data)
    assert len(stories) == 21578
    report = reuters.report  # type: ignore[attr-defined]
    assert report.captures_new == 21578
    stats = reuters.stats()
    assert stats["captures"] == 21578
    assert report.articles_new + report.duplicates + len(report.rejects) == 21578
    # a few more stories become identical once the site's repeated lines are learned, and merge
    assert report.articles_new - 20 <= stats["articles"] <= report.articles_new
    assert stats["indexed"] == stats["articles"]
    assert stats["by_year"].get("1987", 0) >= stats["articles"] - 5


@pytest.mark.slow
def test_reuters_titles_dates_topics(reuters: Archive, shared_data: Path) -> None:
    stories = _raw_stories(shared_data)
    checked = 0
    for article in reuters.articles():
        newid = article.captures[0].origin.rsplit("#", 1)[1]
        story = stories[newid]
        if story["title"]:
            assert (
                article.title.lower()
                == re.sub(r"\s+", " ", re.sub(r"&#\d+;|&lt;|&amp;", " ", story["title"])).strip().lower()
                or article.title
            )
        year = story["date"].split("-")[2]
        if article.published:
            assert article.published.startswith(year[:4])
        if story["topic"]:
            assert article.section == story["topic"]
        checked += 1
    assert checked > 21000
    hit = reuters.search('title:"bahia cocoa review"').hits[0]
    assert hit.published and hit.published.startswith("1987-02-26") and hit.section == "cocoa"
    assert reuters.search("", section="cocoa").total > 50
    assert reuters.search("", date_from="1987-03-01", date_to="1987-03-31").total > 1000


@pytest.mark.slow
def test_reuters_duplicates_are_grouped(reuters: Archive, shared_data: Path) -> None:
    stories = _raw_stories(shared_data)
    by_body: dict[str, list[str]] = defaultdict(list)
    for newid, story in stories.items():
        body = " ".join(story["body"].split())
        if len(body) > 400:
            by_body[body].append(newid)
    exact_groups = [ids for ids in by_body.values() if len(ids) > 1]
    assert exact_groups, "Reuters-21578 is known to hold duplicate stories"
    article_of: dict[str, str] = {}
    cluster_of: dict[str, str] = {}
    for article in reuters.articles():
        for capture in article.captures:
            newid = capture.origin.rsplit("#", 1)[1]
            article_of[newid] = article.id
            cluster_of[newid] = article.cluster_id or article.id
    grouped = sum(1 for ids in exact_groups if len({cluster_of[i] for i in ids}) == 1)
    assert grouped / len(exact_groups) >= 0.95
    # near duplicates (same headline, bodies re-sent with small edits) share a cluster
    by_title: dict[str, list[str]] = defaultdict(list)
    for newid, story in stories.items():
        if story["title"] and len(story["body"]) > 400:
            by_title[story["title"]].append(newid)
    import difflib

    near_pairs = []
    for ids in by_title.values():
        for a, b in itertools.pairwise(ids):
            ratio = difflib.SequenceMatcher(None, stories[a]["body"], stories[b]["body"]).quick_ratio()
            if 0.97 < ratio < 1.0 and stories[a]["body"] != stories[b]["body"]:
                near_pairs.append((a, b))
    assert near_pairs
    together = sum(1 for a, b in near_pairs if cluster_of[a] == cluster_of[b])
    assert together / len(near_pairs) >= 0.8, f"{together}/{len(near_pairs)} near-duplicate pairs clustered"
