"""A near-duplicate test corpus: syndicated copies of base stories, and look-alikes that must stay apart.

Copies are made the way syndication makes them (a sentence dropped, the tail cut, another site's
chrome added, a word or two changed, and combinations); look-alikes are different stories that
share most words (one template with other names, numbers and places; daily briefs differing only
in figures). Base stories come from Reuters-21578 when the data is present, else from fictional
templates written here. Everything is seeded, so two runs build the same corpus.
"""

from __future__ import annotations

import html
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

MIN_WORDS = 80
MIN_LOOKALIKE_CHANGE = 0.1
"""A look-alike changing fewer of its base's words is an edited copy, not a different story."""

COPY_KINDS = (
    "exact",
    "sentence_dropped",
    "tail_cut",
    "chrome_added",
    "words_changed",
    "dropped+chrome",
    "tail+chrome",
    "dropped+tail+chrome+words",
)


@dataclass(slots=True, frozen=True)
class Item:
    """One generated article; ``group`` is the ground truth (the base story's id for its copies)."""

    id: str
    kind: str
    source: str
    url: str
    title: str
    date: str
    text: str
    group: str


@dataclass(slots=True, frozen=True)
class _Site:
    name: str
    host: str
    top: tuple[str, ...]
    bottom: tuple[str, ...]


_SITES = (
    _Site(
        "Coastline Wire",
        "coastlinewire.example",
        ("Home | World | Business | Sports | Weather",),
        ("Share this story", "Related stories", "(c) 2016 Coastline Wire"),
    ),
    _Site(
        "Harbor Daily",
        "harbordaily.example",
        ("Harbor Daily", "News | Local | Markets | Opinion"),
        ("Share this story: Facebook | Twitter | Email", "Related stories", "(c) 2016 Harbor Daily Media"),
    ),
    _Site(
        "Valley Post",
        "valleypost.example",
        ("Home | World | Business",),
        ("Sign up for our newsletter", "Related stories", "Copyright 2016 Valley Post. All rights reserved."),
    ),
)

# -- base stories ---------------------------------------------------------------------------

_FIRST = ("Mara", "Tomas", "Ilse", "Kwame", "Rina", "Oskar", "Lena", "Dario", "Noor", "Pavel", "Sade", "Emil")
_LAST = (
    "Halvorsen",
    "Okafor",
    "Brandt",
    "Quispe",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Serrano",
    "Achebe",
    "Novak",
)
_PLACES = (
    "Port Ellery",
    "Westmarch",
    "Caldera Bay",
    "New Tarrow",
    "Linden Falls",
    "Easthaven",
    "Marrow Point",
)
_ORGS = (
    "Brightwater Foods",
    "Kestrel Mining",
    "Alder Rail",
    "Norrow Bank",
    "Saltmere Energy",
    "Ferrow Motors",
)

_TEMPLATES = (
    (
        "{org} to cut {n1} jobs at {place} plant",
        "{org} said on Tuesday it would cut {n1} jobs at its plant in {place} as demand for its products "
        "weakened for a third straight quarter. Chief executive {person} told reporters the company had no "
        "choice after orders fell {n2} percent from a year earlier.\n\n"
        "The plant employs about {n3} people and is the largest private employer in the region. Union "
        "leaders said they would ask the regional government to step in. {person} said the company would "
        "offer retraining to workers who lose their jobs and keep research work in {place}.\n\n"
        "Shares of {org} rose {n4} percent in early trading after the announcement, which analysts said "
        "had been expected since the company warned on profits in the spring.",
    ),
    (
        "Storm leaves {n1} homes without power in {place}",
        "A storm with winds of up to {n2} kilometres an hour swept through {place} overnight, leaving "
        "about {n1} homes without power and closing schools across the district. Emergency services said "
        "they had answered more than {n3} calls by morning.\n\n"
        "Mayor {person} said crews were working to clear fallen trees from the main roads and asked "
        "residents to stay indoors until the wind eased. The harbour was closed to shipping and ferries "
        "to the islands were cancelled for the day.\n\n"
        "Forecasters said the worst of the weather had passed but warned of more rain on {day}. The "
        "utility expected to restore power to most customers within {n4} hours.",
    ),
    (
        "{place} council approves {n1} million budget for new tram line",
        "The city council of {place} approved a budget of {n1} million for a new tram line on Thursday, "
        "ending two years of debate over how to ease traffic in the city centre. The vote passed by {n2} "
        "to {n3}.\n\n"
        "Councillor {person}, who led the project, said construction would start next year and the first "
        "trams would run within four years. Critics said the cost would rise and that buses would serve "
        "the outer districts better for less money.\n\n"
        "The line will link the central station with the university and the hospital, with {n4} stops "
        "along the way. The national government has promised to pay part of the cost.",
    ),
    (
        "{org} profit rises {n1} percent on strong exports",
        "{org} reported a {n1} percent rise in quarterly profit on Wednesday, helped by strong exports to "
        "Asia and lower energy costs at its factories. Net income reached {n2} million, above what "
        "analysts had forecast.\n\n"
        "Finance director {person} said sales outside the home market now make up more than half of the "
        "group's revenue. The company raised its forecast for the full year and said it would pay a "
        "special dividend of {n3} cents a share.\n\n"
        "The group, based in {place}, employs {n4} people worldwide. Its shares have gained about a "
        "third since January, making it one of the best performers on the local exchange this year.",
    ),
    (
        "{place} hospital opens new children's wing",
        "A new children's wing opened at the main hospital in {place} on Monday after three years of "
        "building work that cost {n1} million. The wing has {n2} beds and its own emergency department.\n\n"
        "Hospital director {person} said the wing would cut waiting times for young patients and let "
        "families stay overnight with their children. About {n3} nurses and doctors have been hired to "
        "staff it, many of them from outside the region.\n\n"
        "Local charities raised part of the money through events held over the past two years. The "
        "hospital said it expected to treat about {n4} children a year in the new building.",
    ),
    (
        "Police arrest {n1} after protest in {place}",
        "Police in {place} arrested {n1} people on Saturday after a protest against rising rents turned "
        "violent near the city hall. Officers said {n2} people were treated for minor injuries.\n\n"
        "The protest began peacefully with about {n3} marchers, organisers said, before a small group "
        "threw bottles at police lines. Police chief {person} said the force would review video footage "
        "and that more arrests were possible.\n\n"
        "Organisers condemned the violence and said they would hold another march on {day}. Rents in the "
        "city have risen about {n4} percent in the past year, according to a housing group.",
    ),
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(slots=True, frozen=True)
class Story:
    """A base story: what the copies are made from."""

    id: str
    title: str
    date: str
    text: str


def fictional_stories(count: int, seed: int = 10) -> list[Story]:
    """``count`` stories from the templates above, each filled with its own names, numbers and places."""
    rng = random.Random(seed)
    stories = []
    for i in range(count):
        title, body = _TEMPLATES[i % len(_TEMPLATES)]
        slots = _slots(rng)
        stories.append(
            Story(
                id=f"fic-{i:04d}",
                title=title.format(**slots),
                date=f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}T09:00:00",
                text=body.format(**slots),
            )
        )
    return stories


def _slots(rng: random.Random) -> dict[str, str]:
    return {
        "org": rng.choice(_ORGS),
        "place": rng.choice(_PLACES),
        "person": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        "day": rng.choice(_DAYS),
        "n1": str(rng.randint(12, 980)),
        "n2": str(rng.randint(2, 99)),
        "n3": str(rng.randint(100, 5000)),
        "n4": str(rng.randint(3, 60)),
    }


_REUTERS = re.compile(r"<REUTERS\b[^>]*\bNEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)


def reuters_stories(corpus_dir: Path) -> Iterator[Story]:
    """Every Reuters-21578 story with a title, a date and at least ``MIN_WORDS`` words of body."""
    for path in sorted(corpus_dir.glob("reut2-*.sgm")):
        raw = path.read_bytes().decode("latin-1")
        for match in _REUTERS.finditer(raw):
            block = match.group(2)
            title, date, body = (_tag(block, name) for name in ("TITLE", "DATE", "BODY"))
            if not (title and date and body):
                continue
            text = _paragraphs(body)
            if len(text.split()) >= MIN_WORDS:
                yield Story(id=f"reuters-{match.group(1)}", title=title, date=_reuters_date(date), text=text)


def _tag(block: str, name: str) -> str:
    found = re.search(rf"<{name}>(.*?)</{name}>", block, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def _paragraphs(body: str) -> str:
    """Reuters bodies wrap lines at 65 columns and indent new paragraphs; make real paragraphs."""
    body = re.sub(r"\s*Reuter\s*[\x03]?\s*$", "", body.replace("\x03", "")).strip()
    paras = re.split(r"\n\s{2,}", body)
    return "\n\n".join(" ".join(p.split()) for p in paras if p.strip())


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    )
}


def _reuters_date(value: str) -> str:
    found = re.match(r"\s*(\d{1,2})-([A-Z]{3})-(\d{4})\s+(\d\d:\d\d:\d\d)", value)
    if not found or found.group(2) not in _MONTHS:
        return value
    day, month, year, time = found.groups()
    return f"{year}-{_MONTHS[month]:02d}-{int(day):02d}T{time}"


def sample_reuters(corpus_dir: Path, count: int, seed: int = 10) -> list[Story]:
    """A fixed random sample, without stories whose title or opening repeats (Reuters' own duplicates)."""
    seen: set[str] = set()
    unique = []
    for story in reuters_stories(corpus_dir):
        keys = {story.title.casefold(), " ".join(story.text.split()[:30]).casefold()}
        if keys & seen:
            continue
        seen |= keys
        unique.append(story)
    return random.Random(seed).sample(unique, min(count, len(unique)))


# -- edits ----------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def _sentences(text: str) -> list[list[str]]:
    return [_SENTENCE_END.split(p) for p in text.split("\n\n")]


def _join(paras: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paras if p)


def drop_sentence(text: str, rng: random.Random) -> str:
    """An editor's cut: one sentence other than the first removed."""
    paras = _sentences(text)
    spots = [(i, j) for i, p in enumerate(paras) for j in range(len(p)) if (i, j) != (0, 0)]
    if not spots:
        return text
    i, j = rng.choice(spots)
    paras[i] = paras[i][:j] + paras[i][j + 1 :]
    return _join(paras)


def cut_tail(text: str, rng: random.Random) -> str:
    """Keep 70-90% of the words, ending at a sentence end inside that range when there is one."""
    total = len(text.split())
    target = rng.uniform(0.7, 0.9)
    ends, count = [], 0
    for match in _SENTENCE_END.finditer(text + " X"):
        count = len(text[: match.start()].split())
        if 0.7 * total <= count <= 0.9 * total:
            ends.append((abs(count - target * total), match.start()))
    if ends:
        return text[: min(ends)[1]].rstrip()
    words = text.split(" ")
    return " ".join(words[: max(1, round(len(words) * target))])


_SWAPS = {
    "said": "stated",
    "rose": "climbed",
    "fell": "dropped",
    "company": "firm",
    "about": "around",
    "expected": "forecast",
    "would": "will",
    "year": "12 months",
    "told": "informed",
    "percent": "pct",
    "pct": "percent",
    "also": "additionally",
}


def change_words(text: str, rng: random.Random) -> str:
    """A sub-editor's touch: one or two words replaced (house style, a synonym)."""
    words = text.split(" ")
    spots = [i for i, w in enumerate(words) if w.lower() in _SWAPS] or [
        i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()
    ]
    for i in rng.sample(spots, min(len(spots), rng.choice((1, 2)))):
        word = words[i]
        words[i] = _SWAPS.get(word.lower(), "reportedly")
    return " ".join(words)


def add_chrome(text: str, site: _Site) -> str:
    """Another site's template: menu lines on top, share/related/copyright lines below."""
    return "\n\n".join([*site.top, text, *site.bottom])


_EDITS: dict[str, Callable[[str, random.Random, _Site], str]] = {
    "exact": lambda t, _r, _s: t,
    "sentence_dropped": lambda t, r, _s: drop_sentence(t, r),
    "tail_cut": lambda t, r, _s: cut_tail(t, r),
    "chrome_added": lambda t, _r, s: add_chrome(t, s),
    "words_changed": lambda t, r, _s: change_words(t, r),
    "dropped+chrome": lambda t, r, s: add_chrome(drop_sentence(t, r), s),
    "tail+chrome": lambda t, r, s: add_chrome(cut_tail(t, r), s),
    "dropped+tail+chrome+words": lambda t, r, s: add_chrome(
        change_words(cut_tail(drop_sentence(t, r), r), r), s
    ),
}

# -- look-alikes ----------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def other_story(story: Story, rng: random.Random) -> Story:
    """The same template about something else: every figure changed, names and places swapped."""
    names: dict[str, str] = {}

    def new_name(match: re.Match[str]) -> str:
        old = match.group(0)
        if old not in names:
            names[old] = rng.choice((*_PLACES, *_ORGS, *(f"{f} {s}" for f in _FIRST[:4] for s in _LAST[:4])))
        return names[old]

    def new_number(match: re.Match[str]) -> str:
        old = match.group(0)
        digits = [c for c in old if c.isdigit()]
        while True:
            fresh = "".join(str(rng.randint(1 if i == 0 else 0, 9)) for i in range(len(digits)))
            if fresh != "".join(digits):
                break
        it = iter(fresh)
        return "".join(next(it) if c.isdigit() else c for c in old)

    # a name seen mid-sentence is a name at a sentence start too ("Digital said ... reflect Digital's")
    spans = set(_NAME.findall(story.text))
    found = spans | {word for span in spans for word in span.split()}
    text = _NUMBER.sub(new_number, story.text)
    if found:
        every = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(found, key=len, reverse=True))) + r")\b")
        text = every.sub(new_name, text)
    title = _NUMBER.sub(new_number, story.title)
    return Story(id=f"{story.id}-other", title=title, date=story.date, text=text)


_BRIEFS = (
    (
        "Weather for {day}",
        "Weather for {day} in {place}: mostly cloudy in the morning with sunny spells in the afternoon. "
        "Highs near {n1} degrees, lows overnight around {n2} degrees. Winds from the northwest at {n3} "
        "kilometres an hour, easing in the evening. Chance of rain {n4} percent.\n\n"
        "The outlook for the weekend is dry and mild across the region, with morning fog along the coast "
        "and in the river valleys. Sea temperatures are normal for the time of year. Pollen levels are "
        "moderate. Sunrise is at 6:{n5} and sunset at 19:{n6}. The forecast is issued by the regional "
        "weather office and updated every three hours on our website.",
    ),
    (
        "Markets at the close, {day}",
        "Markets at the close on {day}: the main share index ended {n1} points higher at {n3}, led by "
        "banks and energy stocks, while the broader market gained {n4} percent. The currency traded at "
        "{n2} cents against the dollar.\n\n"
        "Government bond yields were little changed. Gold and oil prices were steady in quiet trading "
        "ahead of the central bank's meeting next week. Trading volume was below the average of the past "
        "month. All figures are provisional and compiled from exchange data at the close of trading; "
        "they may be revised. This brief is produced automatically every trading day.",
    ),
    (
        "Traffic brief: {place}",
        "Traffic in {place} this morning: delays of {n1} minutes on the ring road after a breakdown near "
        "exit {n2}.\n\nTrains are running normally. Check before you travel.",
    ),
)


def daily_briefs(count: int, seed: int = 10) -> list[Story]:
    """Briefs published every day from one template: the same words around different figures."""
    rng = random.Random(seed + 1)
    briefs = []
    for i in range(count):
        title, body = _BRIEFS[i % len(_BRIEFS)]
        slots = {
            "day": f"{_DAYS[i % 7]}, March {1 + i // 3 % 28}",
            "place": rng.choice(_PLACES),
            "n1": str(rng.randint(5, 40)),
            "n2": str(rng.randint(50, 99)),
            "n3": f"{rng.randint(3000, 9000):,}",
            "n4": str(rng.randint(5, 95)),
            "n5": str(rng.randint(10, 59)),
            "n6": str(rng.randint(10, 59)),
        }
        briefs.append(
            Story(
                id=f"brief-{i:04d}", title=title.format(**slots), date="2016-03-01", text=body.format(**slots)
            )
        )
    return briefs


# -- the corpus -----------------------------------------------------------------------------


def build_corpus(
    stories: list[Story],
    briefs: int = 30,
    lookalike_every: int = 2,
    seed: int = 10,
    origin_source: str = "Reuters",
) -> list[Item]:
    """Each story, its copies (one per kind in ``COPY_KINDS``), a look-alike for every ``lookalike_every``-th
    story, then the daily briefs; in publication order (originals before their copies)."""
    rng = random.Random(seed)
    items: list[Item] = []
    for n, story in enumerate(stories):
        base = Item(
            id=story.id,
            kind="base",
            source=origin_source,
            url=f"https://wire.example/{story.id}",
            title=story.title,
            date=story.date,
            text=story.text,
            group=story.id,
        )
        items.append(base)
        for k, kind in enumerate(COPY_KINDS):
            site = _SITES[(n + k) % len(_SITES)]
            copy_id = f"{story.id}~{kind}"
            items.append(
                replace(
                    base,
                    id=copy_id,
                    kind=kind,
                    source=site.name,
                    url=f"https://{site.host}/{copy_id.replace('~', '/').replace('+', '-')}",
                    text=_EDITS[kind](story.text, rng, site),
                )
            )
        if n % lookalike_every == 0:
            other = other_story(story, rng)
            if _changed_share(story.text, other.text) >= MIN_LOOKALIKE_CHANGE:
                items.append(_single(other, "lookalike", origin_source))
    items.extend(_single(brief, "brief", "Coastline Wire") for brief in daily_briefs(briefs, seed))
    return items


def _changed_share(base: str, other: str) -> float:
    """Share of the base's words missing from the other text: below a few percent it is an edit, not a new story."""
    a, b = Counter(base.split()), Counter(other.split())
    return sum((a - b).values()) / max(1, sum(a.values()))


def _single(story: Story, kind: str, source: str) -> Item:
    return Item(
        id=story.id,
        kind=kind,
        source=source,
        url=f"https://wire.example/{story.id}",
        title=story.title,
        date=story.date,
        text=story.text,
        group=story.id,
    )
