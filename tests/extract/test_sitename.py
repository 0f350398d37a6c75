"""extract.sitename: which of the names a page gives itself becomes its source."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.extract.sitename import clean_host, fits_host, publisher_names, source_name

HOST = "northfield-news.co.uk"


# --- the order of the candidates ------------------------------------------------------------------


def test_og_site_name_comes_first() -> None:
    name = source_name(
        site_name="Northfield News",
        publishers=["Northfield Media Group Ltd"],
        application_name="Northfield App",
        twitter_site="@NorthfieldNews",
        host=HOST,
    )
    assert name == "Northfield News"


def test_json_ld_publisher_without_og_site_name() -> None:
    assert source_name(publishers=["Northfield News"], application_name="Northfield App", host=HOST) == (
        "Northfield News"
    )


def test_application_name_then_twitter_handle_then_host() -> None:
    assert source_name(application_name="Northfield Today", twitter_site="@NorthfieldNews", host=HOST) == (
        "Northfield Today"
    )
    assert source_name(twitter_site="@NorthfieldNews", host=HOST) == "NorthfieldNews"
    assert source_name(host="www.northfield-news.co.uk") == HOST


def test_a_trusted_name_that_does_not_fit_gives_way_to_one_that_does() -> None:
    """og:site_name is sometimes the section ("Security"); the publisher then names the site."""
    assert source_name(site_name="Security", publishers=["Kettle Online"], host="kettle.example.de") == (
        "Kettle Online"
    )
    # with nothing better it stays: many real names share nothing with their host
    assert fits_host("The Evening Lamp", "dusk-press.example.com") is False
    assert source_name(site_name="The Evening Lamp", host="dusk-press.example.com") == "The Evening Lamp"
    assert fits_host("Rzeka Codzienna", "rzc.example.pl") is False
    assert source_name(
        site_name="Rzeka Codzienna", publishers=["Rzeka Codzienna"], host="rzc.example.pl"
    ) == ("Rzeka Codzienna")


def test_a_host_given_as_a_name_does_not_replace_a_trusted_name() -> None:
    assert source_name(
        site_name="The Little Paper", publishers=["inews.example.com"], host="inews.example.com"
    ) == ("The Little Paper")


# --- what is never a source name --------------------------------------------------------------------


@pytest.mark.parametrize(
    "handle", ["@Wday_", "@Northfield_News", "@nfn2023news", "@northfieldnews", "@", "@this handle"]
)
def test_twitter_handles_that_are_ids_or_lower_case_fall_back_to_the_host(handle: str) -> None:
    assert source_name(twitter_site=handle, host=HOST) == HOST


@pytest.mark.parametrize(
    "value",
    ["unknown", "Unknown", "null", "N/A", "undefined", "Site Name", "8003098", "UA-1234567-1", "GTM-K7Q2ZP",
     "5f2b9c0e7a1d4e33", "Wday_", "my_site_01", "   "],
)  # fmt: skip
def test_placeholders_and_ids_are_never_taken(value: str) -> None:
    assert source_name(site_name=value, publishers=[value], application_name=value, host=HOST) == HOST


@pytest.mark.parametrize(
    "vendor", ["my6sense", "Taboola", "Outbrain", "Disqus", "WordPress", "Blogger", "YouTube"]
)
def test_widget_ad_network_and_platform_names_are_not_the_site(vendor: str) -> None:
    assert source_name(site_name=vendor, application_name=vendor, embedded=[vendor], host=HOST) == HOST
    # on its own host the vendor is the site
    assert source_name(site_name=vendor, host=f"blog.{vendor.lower()}.com") == vendor


def test_application_name_and_embedded_names_must_fit_the_host() -> None:
    assert source_name(application_name="Weather Radar Pro", host=HOST) == HOST
    assert source_name(embedded=["Garden Deals Weekly"], host=HOST) == HOST
    assert source_name(embedded=["Northfield News"], host=HOST) == "Northfield News"


# --- cleaning --------------------------------------------------------------------------------------


def test_a_url_or_www_host_as_a_name_becomes_the_cleaned_host() -> None:
    assert source_name(application_name="https://www.northfield-news.co.uk", host=HOST) == HOST
    assert source_name(site_name="www.kestrel-gazette.example.org", host="") == "kestrel-gazette.example.org"
    # a name written as a domain keeps its capitals
    assert source_name(site_name="Lantern.fr", host="lantern.fr") == "Lantern.fr"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Northfield News | Your town, your stories", "Northfield News"),
        ("Local headlines and weather - Northfield News", "Northfield News"),
        ("Northfield News – Nachrichten – 北田新闻", "Northfield News"),
    ],
)
def test_a_tagline_is_cut_when_one_part_alone_fits_the_host(written: str, kept: str) -> None:
    assert source_name(site_name=written, host=HOST) == kept


def test_a_tagline_stays_when_no_part_fits_or_the_host_is_unknown() -> None:
    assert source_name(site_name="Lamp | Light on the valley", host=HOST) == "Lamp | Light on the valley"
    assert source_name(site_name="Northfield News | Your town", host="") == "Northfield News | Your town"


@pytest.mark.parametrize(
    ("host", "cleaned"),
    [
        ("www.northfield-news.co.uk", HOST),
        ("m.northfield-news.co.uk", HOST),
        ("amp.northfield-news.co.uk", HOST),
        ("mobile.northfield-news.co.uk", HOST),
        ("WWW.Northfield-News.CO.UK.", HOST),
        ("sport.northfield-news.co.uk", "sport.northfield-news.co.uk"),
        ("m.example", "m.example"),
    ],
)
def test_hosts_lose_www_m_and_amp_only(host: str, cleaned: str) -> None:
    assert clean_host(host) == cleaned


# --- fitting a host -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "host", "fits"),
    [
        ("Northfield News", HOST, True),
        ("NORTHFIELD", HOST, True),
        ("Kettle Online", "kettle.example.de", True),
        ("Legal Bridge Review", "lbr.example", True),  # initials
        ("Valley Times", "valtimes.example", True),  # a distinctive word
        ("Zprávy Údolí", "zpravyudoli.example", True),  # accents dropped
        ("Security", "kettle.example.de", False),
        ("Weather Radar Pro", HOST, False),
        ("صحيفة الواحة", "alwaha.example", None),  # no Latin letters: cannot be compared
        ("Northfield News", "", None),
        ("Northfield News", "fakehost", None),  # no public host
    ],
)
def test_fits_host(name: str, host: str, fits: bool | None) -> None:
    assert fits_host(name, host) is fits


# --- JSON-LD publishers ------------------------------------------------------------------------------


def test_publisher_names_follow_graph_references_and_put_articles_first() -> None:
    nodes = [
        {"@type": "WebSite", "@id": "#site", "name": "Northfield News Online", "publisher": {"@id": "#org"}},
        {"@type": "Organization", "@id": "#org", "name": "Northfield News"},
        {"@type": ["NewsArticle"], "publisher": {"@id": "#org"}},
        {"@type": "ReportageNewsArticle", "publisher": [{"@type": "Organization", "name": "Wire Service"}]},
    ]
    assert publisher_names(nodes) == [
        "Northfield News",
        "Wire Service",
        "Northfield News",
        "Northfield News Online",
    ]


def test_publisher_names_skip_urls_unknown_references_and_non_strings() -> None:
    nodes = [
        {"@type": "Article", "publisher": "https://northfield-news.co.uk/"},
        {"@type": "Article", "publisher": {"@id": "#nowhere"}},
        {"@type": "Article", "publisher": {"name": 42}},
        {"@type": "BlogPosting", "publisher": "Northfield News"},
    ]
    assert publisher_names(nodes) == ["Northfield News"]


@given(
    site_name=st.none() | st.text(max_size=60),
    publishers=st.lists(st.text(max_size=60), max_size=3),
    twitter_site=st.none() | st.text(max_size=20),
    host=st.sampled_from(["", HOST, "fakehost", "m.kettle.example.de"]),
)
def test_source_name_is_never_empty_with_a_host_and_never_a_placeholder(
    site_name: str | None, publishers: list[str], twitter_site: str | None, host: str
) -> None:
    name = source_name(site_name=site_name, publishers=publishers, twitter_site=twitter_site, host=host)
    assert name == name.strip()
    assert name.casefold() not in {"unknown", "null", "none", "undefined"}
    if host:
        assert name
