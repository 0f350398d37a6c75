"""One Reuters-21578 <REUTERS> element -> Extracted, from its SGML fields.

The 1987 newswire has exact metadata (DATE, TITLE, TOPICS, AUTHOR), so nothing is guessed; the
body is rejoined from fixed-width lines into paragraphs (a new paragraph starts with indentation)
and the wire's control characters and trailing "Reuter" signature are dropped.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from newsarchive.errors import ExtractionError
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings

_CONTROL_REF = re.compile(r"&#(\d+);")
_SIGNATURE = re.compile(r"\s*\breuter\s*$", re.I)
_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}


def extract_reuters(capture: Capture, settings: Settings) -> Extracted:
    """Title, paragraphs, date, first topic and author of one story; ExtractionError when it has no text."""
    sgml = capture.raw.decode("latin-1")
    # a few headline-only stories carry the wire signature inside TITLE
    title = _SIGNATURE.sub("", _clean_inline(_field(sgml, "TITLE") or "")).strip()
    body_sgml = _field(sgml, "BODY")
    if body_sgml is None:
        text = _field(sgml, "TEXT") or ""
        body_sgml = re.sub(r"<(TITLE|DATELINE|AUTHOR)>.*?</\1>", " ", text, flags=re.S)
        # BRIEF stories carry only a headline; the corpus pads them with stars and a placeholder
        body_sgml = re.sub(r"^\s*\*+|\bBlah blah blah\.", " ", body_sgml, flags=re.M)
    paragraphs = _paragraphs(body_sgml)
    if not paragraphs and title:
        paragraphs = [title]  # BRIEF stories are a headline only
    if not paragraphs:
        raise ExtractionError(capture.origin, "Reuters story has neither TITLE nor BODY text")
    topics = re.findall(r"<D>(.*?)</D>", _field(sgml, "TOPICS") or "", flags=re.S)
    author = _clean_inline(_field(sgml, "AUTHOR") or "")
    author = re.sub(r"^by\s+|,?\s*reuters?$", "", author, flags=re.I).rstrip(",").strip()
    published = _published(_field(sgml, "DATE") or "")
    return Extracted(
        title=title or paragraphs[0][:120],
        body="\n\n".join(paragraphs),
        source="Reuters",
        site="reuters",
        url=capture.url,
        authors=[author] if author else [],
        published=published,
        published_from="metadata" if published else None,
        section=topics[0].strip() if topics else None,
        language="en",
        blocks=paragraphs,
    )


def _field(sgml: str, tag: str) -> str | None:
    match = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", sgml, flags=re.S)
    return match.group(1) if match else None


def _unescape(text: str) -> str:
    """Drop wire control references (&#3; end-of-text …), then resolve &lt; &amp; and friends."""
    text = _CONTROL_REF.sub(
        lambda m: "" if int(m.group(1)) < 32 or int(m.group(1)) == 127 else m.group(0), text
    )
    text = html.unescape(text)
    return "".join(ch for ch in text if ch >= " " or ch in "\n\t")


def _clean_inline(text: str) -> str:
    return " ".join(_unescape(text).split())


def _paragraphs(body: str) -> list[str]:
    lines = _unescape(body).replace("\r", "").split("\n")
    paragraphs: list[list[str]] = []
    for line in lines:
        if not line.strip():
            if paragraphs and paragraphs[-1]:
                paragraphs.append([])
            continue
        if line[:1].isspace() or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    joined = [" ".join(" ".join(p).split()) for p in paragraphs]
    joined = [p for p in joined if p]
    # some stories are signed twice ("REUTER" then " Reuter"), on the last line or a line of its own
    while joined and _SIGNATURE.search(joined[-1]):
        last = _SIGNATURE.sub("", joined[-1]).strip()
        joined[-1:] = [last] if last else []
    return joined


def _published(value: str) -> str | None:
    """'26-FEB-1987 15:01:01.79' -> '1987-02-26T15:01:01'; None when the field is garbled."""
    match = _DATE.search(value)
    if not match:
        return None
    day, month, year, hour, minute, second = match.groups()
    month_number = _MONTHS.get(month.upper())
    if month_number is None:
        return None
    try:
        stamp = datetime(int(year), month_number, int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    return stamp.isoformat()
