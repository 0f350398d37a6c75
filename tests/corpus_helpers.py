"""Fictional articles written for the core tests, as JSONL rows the pipeline ingests."""

from __future__ import annotations

import json
import random
from pathlib import Path

STORIES = [
    {
        "url": "https://harbourgazette.example/politics/ferry-vote",
        "title": "Council approves new ferry route to Kestrel Island",
        "date": "2016-03-14",
        "section": "Politics",
        "source": "Harbour Gazette",
        "author": "Mira Okafor",
        "text": (
            "The city council voted on Monday to approve a new ferry route linking the old harbour to "
            "Kestrel Island, ending two years of debate. Mayor Tomas Lindqvist said the route would cut "
            "travel times for island residents by half. Opponents warned that the ferry operator had not "
            "published its safety record and demanded an independent review before the first sailing in June."
        ),
    },
    {
        "url": "https://harbourgazette.example/business/fish-market",
        "title": "Fish market traders protest rent increase",
        "date": "2016-05-02",
        "section": "Business",
        "source": "Harbour Gazette",
        "author": "Daniel Reyes",
        "text": (
            "Dozens of traders gathered outside the covered fish market on Saturday to protest a planned "
            "rent increase of twenty percent. The market authority said the money was needed to repair the "
            "roof, which has leaked for three winters. Traders said many stalls would close if the increase "
            "went ahead, and asked the council to step in before the new leases start in September."
        ),
    },
    {
        "url": "https://coastlinewire.example/world/medvedev-visit",
        "title": "Medvedev to visit Israel in November",
        "date": "2016-10-20",
        "section": "World",
        "source": "Coastline Wire",
        "author": "",
        "text": (
            "Russian Prime Minister Dmitry Medvedev will visit Israel on November 10, political sources said, "
            "in a trip focused on economic cooperation. Talks on a free-trade zone are due to begin next "
            "month, according to a statement from the Russian embassy, which said dialogue between the two "
            "countries had intensified this year."
        ),
    },
    {
        "url": "https://coastlinewire.example/sport/regatta",
        "title": "Storm delays the autumn regatta",
        "date": "2017-09-30",
        "section": "Sport",
        "source": "Coastline Wire",
        "author": "Ana Ferreira",
        "text": (
            "Organisers postponed the autumn regatta by a week after forecasters predicted gale force winds "
            "along the coast. More than eighty boats had registered for the race around the lighthouse, the "
            "largest field in a decade. Crews were told to keep their vessels in the inner basin until the "
            "harbour master lifts the warning."
        ),
    },
]


def near_duplicate(story: dict[str, str]) -> dict[str, str]:
    """A syndicated copy: the same story on another site with one word changed."""
    copy = dict(story)
    copy["url"] = (
        story["url"].replace("harbourgazette", "seabreezepost").replace("coastlinewire", "seabreezepost")
    )
    copy["source"] = "Seabreeze Post"
    copy["text"] = story["text"].replace(" said ", " stated ", 1)
    return copy


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


PEOPLE = [
    "Mayor Tomas Lindqvist",
    "Councillor Ines Okafor",
    "Harbour Master Ana Ferreira",
    "Minister Karl Brandt",
]
PLACES = ["Port Ellery", "Kestrel Island", "Norway", "Portugal"]
VERBS = ["met", "visited", "called", "criticised", "warned"]


def meeting_reports(n: int, seed: int = 5) -> list[dict[str, str]]:
    """``n`` short reports of who met, visited or warned whom, each with one quote: many entities,
    events and quotes per word, for enrichment tests that need volume (seeded, so repeatable)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        sentences = []
        for _ in range(6):
            a, b = rng.sample(PEOPLE, 2)
            sentences.append(f"{a} {rng.choice(VERBS)} {b} in {rng.choice(PLACES)} on Tuesday.")
        sentences.append(f'"We will finish the pier by spring," {rng.choice(PEOPLE)} said in story {i}.')
        rows.append(
            {
                "url": f"https://ledger.example/{i}",
                "title": f"Story {i}",
                "date": "2016-05-0" + str(1 + i % 9),
                "text": " ".join(sentences),
            }
        )
    return rows
