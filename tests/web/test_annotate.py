"""Article bodies with entity links built from offsets: hostile text, odd offsets, traversal-like names."""

from __future__ import annotations

from urllib.parse import unquote

import lxml.html
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.model import Mention
from newsarchive.web.annotate import (
    annotate_body,
    entity_url,
    paragraph_ranges,
    parse_span,
    source_url,
    usable_mentions,
)

BODY = (
    "Russian President Vladimir Putin met Israeli Prime Minister Benjamin Netanyahu in Moscow.\n\n"
    "Putin <script>alert('x')</script> said so."
)


def _mention(start: int, end: int, entity: str | None, body: str = BODY) -> Mention:
    return Mention("a1", start, end, body[max(start, 0) : max(end, 0)], "PERSON", entity)


def _parse(fragment: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(fragment, create_parent="p")


def test_mentions_become_links_to_our_entity_pages() -> None:
    putin = BODY.index("Vladimir Putin")
    paragraphs = annotate_body(BODY, [_mention(putin, putin + 14, "Vladimir Putin")])
    first = _parse(str(paragraphs[0]))
    (link,) = first.xpath("//a")
    assert link.get("href") == "/entities/Vladimir%20Putin" and link.text == "Vladimir Putin"
    assert first.text_content() == BODY.split("\n\n")[0]


def test_hostile_text_and_names_are_escaped_and_encoded() -> None:
    start = BODY.index("<script>")
    end = BODY.index("</script>") + len("</script>")
    name = "<img src=x onerror=alert(1)>/x"
    second = str(annotate_body(BODY, [_mention(start, end, name)])[1])
    assert "<script>" not in second and "&lt;script&gt;" in second
    link = _parse(second).xpath("//a")[0]
    assert link.get("href") == "/entities/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%2Fx"
    assert unquote(link.get("href").removeprefix("/entities/")) == name
    assert link.text_content() == "<script>alert('x')</script>"


def test_overlapping_out_of_range_and_stale_mentions_are_dropped() -> None:
    putin = BODY.index("Vladimir Putin")
    mentions = [
        _mention(putin + 9, putin + 14, "Putin"),  # inside the longer one below
        _mention(putin, putin + 14, "Vladimir Putin"),
        _mention(putin + 5, putin + 20, "Overlap"),
        _mention(-4, 3, "Negative"),
        _mention(len(BODY) - 2, len(BODY) + 40, "Past the end"),
        _mention(30, 10, "Backwards"),
        Mention("a1", 0, 7, "Russland", "NORP", "Russia"),  # text no longer matches the body
        _mention(0, 7, None),  # a date or money: no entity to link
    ]
    kept = usable_mentions(BODY, mentions)
    assert [(s.start, s.entity) for s in kept] == [(putin, "Vladimir Putin")]


def test_highlight_marks_the_span_across_links_and_paragraphs() -> None:
    putin = BODY.index("Vladimir Putin")
    paragraphs = annotate_body(
        BODY, [_mention(putin, putin + 14, "Vladimir Putin")], (putin + 3, len(BODY) - 4)
    )
    first, second = (_parse(str(p)) for p in paragraphs)
    marks = first.xpath("//mark") + second.xpath("//mark")
    assert [m.get("id") for m in marks] == ["evidence", None]
    assert "".join(m.text_content() for m in marks) == BODY[putin + 3 : len(BODY) - 4].replace("\n\n", "")
    assert first.text_content() + second.text_content() == BODY.replace("\n\n", "")


def test_entity_url_avoids_paths_the_traversal_guard_refuses() -> None:
    assert entity_url("AC/DC Research") == "/entities/AC%2FDC%20Research"
    assert entity_url("St. Petersburg") == "/entities/St.%20Petersburg"
    for name in ("..", "../../etc/passwd", "a/./b", "%2e%2e", "back\\slash"):
        url = entity_url(name)
        assert url.startswith("/entities?name=") and unquote(url.split("=", 1)[1]) == name
        link = source_url(name)
        assert link.startswith("/sources?name=") and unquote(link.split("=", 1)[1]) == name
    assert source_url("AC/DC Weekly") == "/sources/AC%2FDC%20Weekly"


def test_span_parameter() -> None:
    assert parse_span(None) is None and parse_span("") is None
    assert parse_span("12-40") == (12, 40)
    for bad in ("40-12", "x-1", "1", "-1-3", "1-2-3"):
        try:
            parse_span(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


_TEXT = st.text(alphabet=st.sampled_from(list("ab <>&\"'\n/é\u202e")), max_size=60)


@given(
    _TEXT,
    st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70), st.text(max_size=12)), max_size=8),
    st.none() | st.tuples(st.integers(-5, 70), st.integers(-5, 70)),
)
def test_any_offsets_keep_the_text_and_only_link_to_entity_pages(
    body: str, spans: list[tuple[int, int, str]], highlight: tuple[int, int] | None
) -> None:
    mentions = [Mention("a", s, e, body[max(s, 0) : max(e, 0)], "ORG", name) for s, e, name in spans]
    paragraphs = annotate_body(body, mentions, highlight)
    expected = [body[s:e] for s, e in paragraph_ranges(body)]
    assert len(paragraphs) == len(expected)
    for html, text in zip(paragraphs, expected, strict=True):
        element = _parse(str(html))
        assert element.text_content() == text
        for child in element.iterdescendants():
            assert child.tag in {"a", "mark"}
            assert set(child.attrib) <= {"href", "title", "class", "id"}
            if child.tag == "a":
                assert child.get("href").startswith(("/entities/", "/entities?name="))
                assert not child.xpath(".//a")


def test_a_pronoun_or_description_links_to_its_entity_styled_apart_from_names() -> None:
    body = "Mayor Ines Okafor opened the quay. She said the harbour would reopen."
    name, pronoun = body.index("Ines Okafor"), body.index("She")
    mentions = [
        _mention(name, name + 11, "Ines Okafor", body),
        Mention("a1", pronoun, pronoun + 3, "She", "PERSON", "Ines Okafor", kind="pronoun"),
    ]
    (paragraph,) = annotate_body(body, mentions)
    links = _parse(str(paragraph)).xpath("//a")
    assert [(a.text, a.get("class"), a.get("href")) for a in links] == [
        ("Ines Okafor", "entity", "/entities/Ines%20Okafor"),
        ("She", "entity reference", "/entities/Ines%20Okafor"),
    ]
