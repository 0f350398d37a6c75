"""A small fictional crawl for the batch tests: every case the duplicate rules know, in a few files.

- ``crawl.warc.gz``: an original story, two versions of one URL, an exact duplicate under another
  URL, an image (skipped) and a record whose gzip payload does not decode (rejected);
- ``wire.jsonl``: a syndicated copy of the original (a sentence dropped, the wire's own lines
  added, which end its other two stories too: its boilerplate), and a line that is not JSON;
- ``dumps/dailyisland.example/``: five text dumps of a site whose promo and footer lines repeat
  (learned as site chrome) and ``dumps/copies/``: the same bytes as one of them (seen once).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

TOWNS = ("Ardmore", "Belcastle", "Corrin", "Dunmere", "Elgin")
PROMO = "Read our coverage of the regional elections in the Daily Island special section."
FOOTER = "The Daily Island is an independent newspaper owned by its readers since 1887 in the town."

FERRY = [
    "The harbour council voted on Tuesday to add two evening sailings to the Ardmore island ferry from April.",
    "Councillor Ines Okafor said the change answered years of complaints from commuters who missed the last boat.",
    "The new timetable costs the council 40,000 euros a year, paid from the regional transport fund.",
    "Ferry staff will be consulted on the rota before the first evening sailing on the fourth of April.",
    "Harbourmaster Tomas Brennan said the vessel Saint Columba would run the late crossings until October.",
    "Local traders welcomed the decision, saying evening visitors would help shops that close early in winter.",
    "The council will review passenger numbers after six months and publish them at its autumn meeting.",
    "A petition signed by 2,300 residents had asked for the later sailings since the service was cut in 2013.",
]
BRIDGE = [
    "Engineers closed the Belcastle bridge on Monday after inspectors found cracks in two of its steel supports.",
    "Drivers were sent on a twelve kilometre detour through Corrin while repairs are planned by the county.",
    "County engineer Maeve Doyle said the bridge would stay shut for at least three weeks during the work.",
    "Buses will stop on both banks and a shuttle boat will carry foot passengers across the river every hour.",
]
BRIDGE_UPDATE = "Update: the county said on Thursday that the bridge will reopen to cars on the ninth of May."
MARKET = [
    "The Saturday market in Dunmere square will move indoors to the old grain hall for the winter months.",
    "Market manager Piotr Nowak said forty stalls had signed up and more were on a waiting list for places.",
    "The grain hall was restored last year with a grant of 1.2 million euros from the heritage fund.",
]
FESTIVAL = [
    "The Corrin harbour festival returns in August with sailing races, a fish market and three nights of music.",
    "Organiser Dara Quinlan said 12,000 visitors came last year and the town expects more this summer.",
    "The council has set aside 85,000 euros for stages, safety staff and a free bus from the railway station.",
]
TRAM = [
    "The Elgin tram line opens in May after a delay of two years caused by a dispute over the depot site.",
    "Transport minister Clara Vidal will ride the first tram from the station to the university campus.",
    "Tickets will cost 1.50 euros for a single journey, with free travel for pupils during the first month.",
]


def _html(title: str, paragraphs: list[str], url: str, published: str, lines: tuple[str, ...] = ()) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    extra = "".join(f"<p>{line}</p>" for line in lines)
    return (
        "<!doctype html><html lang='en'><head>"
        f"<title>{title} | Harbour Times</title><link rel='canonical' href='{url}'>"
        f"<meta property='article:published_time' content='{published}'>"
        "<meta property='og:site_name' content='Harbour Times'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{body}{extra}</article><footer>Harbour Times 2016</footer></body></html>"
    ).encode()


def _dump(town: str, story: list[str]) -> bytes:
    lines = [
        f"{town} news | Daily Island",
        "Home",
        "Local",
        f"{town} news",
        "",
        PROMO,
        "",
        *story,
        "",
        FOOTER,
    ]
    return "\n".join(lines).encode()


def _town_story(town: str) -> list[str]:
    return [
        f"The {town} school board approved a new science wing on Wednesday after a vote of five to two.",
        f"Head teacher Rosa Lindqvist of {town} said pupils had waited a decade for proper laboratories.",
        f"Building work in {town} starts in June and should end before the autumn term of the next year.",
    ]


def write_warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def record(
        writer: WARCWriter, url: str, date: str, payload: bytes, ctype: str, extra: list[tuple[str, str]]
    ) -> None:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype), *extra], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(payload),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        writer.write_record(rec)

    html = "text/html; charset=utf-8"
    ferry = "https://harbour-times.example/news/ferry"
    bridge = "https://harbour-times.example/news/bridge"
    market = "https://harbour-times.example/news/market"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        record(
            writer,
            ferry,
            "2016-03-01T10:00:00Z",
            _html("Evening ferries approved", FERRY, ferry, "2016-03-01T08:00:00Z"),
            html,
            [],
        )
        record(
            writer,
            bridge,
            "2016-03-02T10:00:00Z",
            _html("Bridge closed", BRIDGE, bridge, "2016-03-02T07:00:00Z"),
            html,
            [],
        )
        record(
            writer,
            "https://harbour-times.example/logo.png",
            "2016-03-02T10:00:01Z",
            b"\x89PNG\r\n",
            "image/png",
            [],
        )
        record(
            writer,
            market,
            "2016-03-03T10:00:00Z",
            _html("Market moves indoors", MARKET, market, "2016-03-03T07:00:00Z"),
            html,
            [],
        )
        record(
            writer,
            "https://harbour-times.example/print/market",
            "2016-03-03T11:00:00Z",
            _html("Market moves indoors", MARKET, market, "2016-03-03T07:00:00Z") + b"<!-- print -->",
            html,
            [],
        )
        record(
            writer,
            "https://harbour-times.example/news/broken",
            "2016-03-04T10:00:00Z",
            b"this is not gzip data at all",
            html,
            [("Content-Encoding", "gzip")],
        )
        record(
            writer,
            bridge + "?utm_source=feed",
            "2016-03-05T10:00:00Z",
            _html("Bridge closed", [*BRIDGE, BRIDGE_UPDATE], bridge, "2016-03-02T07:00:00Z"),
            html,
            [],
        )


WIRE_LINES = ["Share this story", "(c) 2016 Island Wire Service"]
"""The wire's lines at the end of each of its stories: its boilerplate once three stories have them."""


def write_jsonl(path: Path) -> None:
    copy = [
        "By Wire Staff",
        *FERRY[:5],
        *FERRY[6:],
        *WIRE_LINES,
    ]
    rows = [
        {
            "url": "https://island-wire.example/2016/03/02/ferry",
            "source": "Island Wire",
            "title": "Ardmore gets evening ferries",
            "published": "2016-03-02",
            "text": "\n".join(copy),
        },
        {
            "url": "https://island-wire.example/2016/03/04/tram",
            "source": "Island Wire",
            "title": "Tram opens in May",
            "published": "2016-03-04",
            "text": "\n".join([*TRAM, *WIRE_LINES]),
        },
        {
            "url": "https://island-wire.example/2016/03/05/festival",
            "source": "Island Wire",
            "title": "Harbour festival returns",
            "published": "2016-03-05",
            "text": "\n".join([*FESTIVAL, *WIRE_LINES]),
        },
    ]
    lines = [
        json.dumps(rows[0]),
        '{"url": "https://island-wire.example/bad", "text": ',
        *map(json.dumps, rows[1:]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_dumps(root: Path) -> None:
    site = root / "dailyisland.example"
    site.mkdir(parents=True)
    for town in TOWNS:
        (site / f"{town.lower()}.txt").write_bytes(_dump(town, _town_story(town)))
    copies = root / "copies"
    copies.mkdir()
    (copies / "ardmore.txt").write_bytes(_dump("Ardmore", _town_story("Ardmore")))


def write_corpus(root: Path) -> list[Path]:
    """Write the inputs under ``root``; returns them in the order to pass to ingest."""
    root.mkdir(parents=True, exist_ok=True)
    write_warc(root / "crawl.warc.gz")
    write_jsonl(root / "wire.jsonl")
    write_dumps(root / "dumps")
    return [root / "crawl.warc.gz", root / "wire.jsonl", root / "dumps"]
