"""Build harbour.warc.gz: three fictional Harbour Gazette pages as a small, realistic crawl.

The file holds a warcinfo record, a request/response pair per page, and a revisit record (a
re-crawl of the tram page a day later whose payload had not changed, so the crawler stored only
a pointer to the earlier response). Dates and record ids are fixed, so the output is the same
on every run. It also writes the two deliberately bad inputs in ../bad/: the WARC cut in half,
and binary junk with an .html name.

    .venv/bin/python demo/sample/warc/make_warc.py
"""

from __future__ import annotations

import base64
import hashlib
import html
import random
import uuid
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
WARC_PATH = HERE / "harbour.warc.gz"
BAD_DIR = HERE.parent / "bad"
SITE = "https://www.harbourgazette.example"
CRAWL_DATES = ["2024-06-03T04:10:11Z", "2024-06-03T04:10:14Z", "2024-06-03T04:10:18Z"]
REVISIT_DATE = "2024-06-04T04:12:40Z"

PAGES: list[dict[str, object]] = [
    {
        "slug": "politics/2024/05/14/tram-extension-wins-regional-funding",
        "section": "Politics",
        "title": "Tram extension to Gull Point wins regional funding",
        "standfirst": "The long-promised line to the eastern estates is back on track after a $31 million grant.",
        "author": "Mira Holloway",
        "published": "2024-05-14T13:20:00+00:00",
        "image": "tram-depot-eastgate.jpg",
        "caption": "A tram leaves the Eastgate depot, where the extension to Gull Point would begin.",
        "paras": [
            "The long-delayed extension of Port Ellery's tram network to the Gull Point estates has been awarded $31 "
            "million by the regional transport board, clearing the last major obstacle to construction.",
            "The 3.2-kilometre line will run from the Eastgate depot along Rope Walk and the old railway cutting, "
            "with five new stops. Around 14,000 people live within a ten-minute walk of the route, many of them in "
            "estates that currently rely on a single bus service which the council's own surveys describe as "
            '"unreliable and overcrowded".',
            'Mayor Ingrid Castellane said the grant was "the best news the east side has had in a decade". The '
            "extension was first promised in 2011, shelved after the financial crisis, and revived three years ago "
            "when the city agreed to fund the design work itself.",
            "The grant covers about two-thirds of the expected cost. The rest will come from the city's transport "
            "budget and a contribution from the developer building new homes on the former gasworks site beside the "
            "route.",
            "Not everyone is pleased. Traders on Rope Walk fear that two years of construction will drive customers "
            "away, and have asked for compensation while the street is dug up. Councillor Tomas Reyne said the "
            'council should "learn from the dredging vote and publish the full costs before a single rail is laid".',
            "Construction is due to start next spring, with the first trams running to Gull Point by the end of "
            "2027.",
        ],
    },
    {
        "slug": "business/2024/05/21/fish-market-record-spring-landings",
        "section": "Business",
        "title": "Fish market cooperative reports record spring landings",
        "standfirst": "Mackerel and crab drive the best season in twenty years, but skippers worry about fuel and crew.",
        "author": "Jonah Petrakis",
        "published": "2024-05-21T06:45:00+00:00",
        "image": "fish-market-auction.jpg",
        "caption": "Buyers inspect boxes of mackerel before the early auction at the Port Ellery fish market.",
        "paras": [
            "The Port Ellery Fishermen's Cooperative has reported its best spring landings in twenty years, with "
            "more than 4,100 tonnes of fish and shellfish sold through the harbour auction between March and May.",
            "Mackerel made up almost half the total, after large shoals moved closer to the coast than usual, while "
            "brown crab landings rose by a third. Average auction prices were also higher, helped by strong demand "
            "from processors in Spain and France.",
            'Cooperative secretary Maud Treloar said the figures were "a welcome change after three very hard '
            'years", but warned against reading too much into a single good season. "The fish decide where they go, '
            'not us," she said. "Next spring could look completely different."',
            "Skippers say fuel remains their biggest worry. Diesel for the fleet costs nearly twice what it did five "
            "years ago, and several of the older boats are only just breaking even despite the bigger catches. The "
            "cooperative is asking the harbour authority to cut landing fees for vessels under twelve metres.",
            "Finding crew is the other problem. Treloar said at least six boats had spent days tied up this spring "
            "because they could not find enough deckhands, and the cooperative is now working with the harbour "
            "college on a short training course for school leavers.",
            "The cooperative will publish its full annual accounts in September.",
        ],
    },
    {
        "slug": "culture/2024/06/02/lighthouse-museum-reopens",
        "section": "Culture",
        "title": "Lighthouse museum reopens after three-year restoration",
        "standfirst": "Visitors can climb to the lantern room of the Gull Point light for the first time since 2021.",
        "author": "Saoirse Lund",
        "published": "2024-06-02T10:00:00+00:00",
        "image": "gull-point-lantern-room.jpg",
        "caption": "The restored lantern room of the Gull Point lighthouse, with its original 1887 lens.",
        "paras": [
            "The Gull Point lighthouse museum reopened to the public on Saturday after a three-year restoration that "
            "replaced the rusting lantern gallery, repaired the 1887 lens and rebuilt the keepers' cottages at the "
            "foot of the tower.",
            "More than 600 people queued along the headland for the first tours, and the museum's volunteers said "
            "the first week's tickets had sold out by lunchtime. Visitors can now climb the 131 steps to the lantern "
            "room, which had been closed since a section of the gallery railing failed in 2021.",
            "The restoration cost $4.2 million, raised through a heritage lottery grant, a public appeal and a "
            "bequest from the family of the last keeper, Ambrose Penhallow, who lived in the cottages until the "
            "light was automated in 1979.",
            "Inside, the cottages tell the story of the keepers and their families through letters, logbooks and "
            "photographs donated by residents. One room recreates the night in 1923 when the keeper's daughter, "
            "Winifred Penhallow, rowed out in a storm to guide a stranded fishing boat into the harbour.",
            'Museum director Ravi Castellanos said the project had been "a lesson in patience". Specialist glaziers '
            'had to be brought in to clean and reassemble the lens, one prism at a time. "Every piece of that lens '
            'was numbered and photographed before it came out," he said.',
            "The museum is open daily from ten until five through the summer.",
        ],
    },
]


def render(page: dict[str, object]) -> str:
    """The page as the Gazette's CMS serves it: same header, share bar, related box and footer."""
    e = html.escape
    url = f"{SITE}/{page['slug']}/"
    paragraphs = "\n".join(f"      <p>{e(p)}</p>" for p in page["paras"])  # type: ignore[attr-defined]
    section_path = str(page["slug"]).split("/")[0]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(str(page["title"]))} | The Harbour Gazette</title>
  <meta name="description" content="{e(str(page["standfirst"]))}">
  <meta name="author" content="{e(str(page["author"]))}">
  <meta property="og:site_name" content="The Harbour Gazette">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{e(str(page["title"]))}">
  <meta property="og:url" content="{url}">
  <meta property="article:published_time" content="{page["published"]}">
  <meta property="article:section" content="{e(str(page["section"]))}">
  <link rel="canonical" href="{url}">
</head>
<body class="article-page">
  <header class="site-header">
    <a class="logo" href="{SITE}/">The Harbour Gazette</a>
    <nav class="main-menu"><ul>
      <li><a href="/news/">News</a></li><li><a href="/politics/">Politics</a></li>
      <li><a href="/business/">Business</a></li><li><a href="/opinion/">Opinion</a></li>
      <li><a href="/culture/">Culture</a></li><li><a href="/sport/">Sport</a></li>
      <li><a href="/ar/">العربية</a></li><li><a href="/subscribe/">Subscribe</a></li>
    </ul></nav>
    <div class="weather">Port Ellery 17°C, sunny spells</div>
  </header>
  <nav class="breadcrumbs" aria-label="Breadcrumb">
    <a href="/">Home</a> &rsaquo; <a href="/{section_path}/">{e(str(page["section"]))}</a>
  </nav>
  <main>
    <article>
      <h1>{e(str(page["title"]))}</h1>
      <p class="standfirst">{e(str(page["standfirst"]))}</p>
      <div class="byline">By <a rel="author" href="/authors/">{e(str(page["author"]))}</a>
        &middot; <time datetime="{page["published"]}">{str(page["published"])[:10]}</time></div>
      <div class="share-bar"><span>Share this article</span> <a href="#">Email</a> <a href="#">Facebook</a>
        <a href="#">X</a> <a href="#">Print</a></div>
      <figure>
        <img src="{SITE}/media/{page["image"]}" alt="" width="960" height="540">
        <figcaption>{e(str(page["caption"]))}</figcaption>
      </figure>
      <div class="article-body">
{paragraphs}
      </div>
    </article>
    <aside class="related">
      <h2>Related articles</h2>
      <ul>
        <li><a href="/politics/2024/03/12/council-approves-harbour-dredging-plan/">Council approves harbour dredging plan after late-night vote</a></li>
        <li><a href="/business/2024/04/02/bellmont-lines-orders-electric-ferries/">Bellmont Lines orders three electric ferries for the Skerry crossing</a></li>
        <li><a href="/opinion/2024/04/20/seawall-debate-deserves-better/">The seawall debate deserves better than slogans</a></li>
      </ul>
    </aside>
  </main>
  <footer class="site-footer">
    <p>The Harbour Gazette, 12 Quay Street, Port Ellery. Independent local journalism since 1921.</p>
    <p><a href="/about/">About us</a> &middot; <a href="/contact/">Contact</a> &middot; <a href="/privacy/">Privacy</a></p>
    <p>&copy; 2024 Harbour Gazette Media Ltd. All rights reserved.</p>
  </footer>
</body>
</html>
"""


def _record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'harbour-demo/' + name)}>"


def _sha1_digest(payload: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


def build() -> bytes:
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    info = writer.create_warcinfo_record(
        "harbour.warc.gz",
        {
            "software": "newsarchive demo/make_warc.py (warcio)",
            "format": "WARC File Format 1.1",
            "operator": "newsarchive demo (fictional crawl)",
            "robots": "obey",
            "description": "Three Harbour Gazette pages and one revisit",
        },
    )
    info.rec_headers.replace_header("WARC-Record-ID", _record_id("warcinfo"))
    info.rec_headers.replace_header("WARC-Date", CRAWL_DATES[0])
    writer.write_record(info)
    first: tuple[str, str, str] | None = None  # (uri, date, payload digest) of the page revisited later
    for page, date in zip(PAGES, CRAWL_DATES, strict=True):
        uri = f"{SITE}/{page['slug']}/"
        payload = render(page).encode("utf-8")
        request_headers = StatusAndHeaders(
            f"GET /{page['slug']}/ HTTP/1.1",
            [("Host", "www.harbourgazette.example"), ("User-Agent", "newsarchive-demo/1.0"),
             ("Accept", "text/html")],
            is_http_request=True,
        )  # fmt: skip
        request = writer.create_warc_record(
            uri, "request", http_headers=request_headers,
            warc_headers_dict={"WARC-Record-ID": _record_id("request " + uri), "WARC-Date": date},
        )  # fmt: skip
        response_headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(payload))),
             ("Server", "gazette-cms"), ("Last-Modified", "Mon, 03 Jun 2024 02:00:00 GMT")],
            protocol="HTTP/1.1",
        )  # fmt: skip
        response = writer.create_warc_record(
            uri, "response", payload=BytesIO(payload), length=len(payload), http_headers=response_headers,
            warc_headers_dict={"WARC-Record-ID": _record_id("response " + uri), "WARC-Date": date,
                               "WARC-Concurrent-To": _record_id("request " + uri)},
        )  # fmt: skip
        writer.write_record(request)
        writer.write_record(response)
        if first is None:
            first = (uri, date, _sha1_digest(payload))
    assert first is not None
    uri, date, digest = first
    revisit = writer.create_revisit_record(
        uri, digest=digest, refers_to_uri=uri, refers_to_date=date,
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Record-ID": _record_id("revisit " + uri), "WARC-Date": REVISIT_DATE,
                           "WARC-Refers-To": _record_id("response " + uri)},
    )  # fmt: skip
    writer.write_record(revisit)
    return out.getvalue()


def main() -> None:
    data = build()
    WARC_PATH.write_bytes(data)
    BAD_DIR.mkdir(exist_ok=True)
    (BAD_DIR / "harbour-truncated.warc.gz").write_bytes(data[: len(data) // 2])
    junk = random.Random(1921).randbytes(3000)  # seeded: the same junk every run
    (BAD_DIR / "not-really.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + junk)
    print(f"wrote {WARC_PATH} ({len(data)} bytes) and 2 bad inputs in {BAD_DIR}")


if __name__ == "__main__":
    main()
