"""Which analyzer reads an article, by its language: the search index's per-language text analysis.

Every article's title and body are indexed in the fields of one *family*, chosen by its
language: English, undetected languages and those without a stemmer keep ``title``/``body``
(tantivy's ``en_stem``, as before); a language with a Snowball stemmer in tantivy gets
``title_<code>``/``body_<code>`` with that stemmer. Three families are analysed by us, since
tantivy's filters cannot express them, and their fields are fed our terms: Arabic (``text.arabic``
normaliser and light stemmer), other Arabic-script languages (Persian, Urdu, Pashto, Sindhi,
Uyghur: the normaliser alone) and Chinese, Japanese and Korean (``text.cjk`` bigrams). An
article without a detected language goes by its script. A query word is analysed once per
family the index holds, so it finds "élection" in a French article and "مكتبةً" in an Arabic one
however it was typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import tantivy

from newsarchive.index.base import Excerpt
from newsarchive.text import arabic, cjk

__all__ = [
    "ARABIC",
    "ARABIC_SCRIPT",
    "CJK",
    "DEFAULT_FAMILY",
    "FAMILIES",
    "OWN_ANALYSIS",
    "SNOWBALL",
    "analyzer_for",
    "analyzer_name",
    "describe",
    "family_of",
    "field_of",
    "index_text",
    "query_terms",
    "register",
    "tantivy_analyzer",
    "tokens",
    "word_excerpt",
]

DEFAULT_FAMILY = "en"
ARABIC = "ar"
ARABIC_SCRIPT = "arabic_script"
CJK = "cjk"
OWN_ANALYSIS = (ARABIC, ARABIC_SCRIPT, CJK)
"""The families whose fields hold our terms (the text stored apart); tantivy analyses the rest."""
_ARABIC_SCRIPT_LANGUAGES = frozenset({"fa", "ur", "ps", "sd", "ug"})
_CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
SNOWBALL = {
    "da": "danish",
    "de": "german",
    "el": "greek",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
"""ISO 639-1 code -> the Snowball stemmer tantivy's ``Filter.stemmer`` knows by that name."""
_ALIASES = {"nb": "no", "nn": "no"}
FAMILIES = (DEFAULT_FAMILY, *OWN_ANALYSIS, *sorted(SNOWBALL))
"""Every family the schema has fields for; the default first."""
_SCRIPT_SAMPLE_CHARS = 3000


def family_of(language: str | None, text: str = "") -> str:
    """The family an article of this language is indexed in. Its script decides first: a text
    mostly in Arabic letters or CJK characters is read as such whatever its declared language says
    (a bilingual site's template often declares ``en`` over an Arabic article); then the language;
    else the default."""
    code = (language or "")[:2].lower()
    code = _ALIASES.get(code, code)
    by_script = _family_by_script(text[:_SCRIPT_SAMPLE_CHARS]) if text else None
    if by_script == ARABIC:
        return ARABIC_SCRIPT if code in _ARABIC_SCRIPT_LANGUAGES else ARABIC
    if by_script == CJK:
        return CJK
    if code == ARABIC or code in SNOWBALL:
        return code
    if code in _ARABIC_SCRIPT_LANGUAGES:
        return ARABIC_SCRIPT
    if code in _CJK_LANGUAGES:
        return CJK
    return DEFAULT_FAMILY


def _family_by_script(sample: str) -> str | None:
    if arabic.has_arabic(sample) and arabic.arabic_share(sample) > 0.5:
        return ARABIC
    if cjk.has_cjk(sample) and cjk.cjk_share(sample) > 0.3:
        return CJK
    return None


def field_of(base: str, family: str) -> str:
    """The index field holding ``base`` (title or body) for articles of this family."""
    return base if family == DEFAULT_FAMILY else f"{base}_{family}"


def analyzer_name(family: str) -> str:
    """The tantivy tokenizer name the family's fields are indexed with."""
    if family == DEFAULT_FAMILY:
        return "en_stem"
    if family in OWN_ANALYSIS:
        return "whitespace"  # the text arrives as our terms, one space apart
    return f"{family}_stem"


def describe(family: str) -> str:
    """What a person reads about the analyzer (for stats): 'English Snowball stemmer', …"""
    if family == DEFAULT_FAMILY:
        return "English Snowball stemmer (English and languages without their own)"
    if family == ARABIC:
        return "Arabic normalisation and light stemmer (light10)"
    if family == ARABIC_SCRIPT:
        return "Arabic-script normalisation, no stemmer (Persian, Urdu, Pashto, Sindhi, Uyghur)"
    if family == CJK:
        return "CJK character bigrams (Chinese, Japanese, Korean)"
    return f"{SNOWBALL[family].capitalize()} Snowball stemmer"


def analyzer_for(language: str | None) -> str:
    """What reads articles of this language, in words (for ``stats``): ``analyzer_for("ar")``."""
    if not language:
        return f"by the text's script: Arabic or CJK when most of its letters are, else {describe(DEFAULT_FAMILY)}"
    return describe(family_of(language))


def tantivy_analyzer(family: str) -> tantivy.TextAnalyzer:
    """The analyzer of a tantivy-analysed family: tantivy's ``default`` chain (split on
    non-alphanumerics, drop tokens of 40 bytes or more, lower-case) and the family's stemmer."""
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
    )
    if family == DEFAULT_FAMILY:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    elif family in SNOWBALL:
        builder = builder.filter(tantivy.Filter.stemmer(SNOWBALL[family]))
    return builder.build()


def register(index: tantivy.Index) -> None:
    """Teach an opened index the analyzers its schema names (tantivy does not store them)."""
    for family in SNOWBALL:
        index.register_tokenizer(analyzer_name(family), tantivy_analyzer(family))


def tokens(family: str, text: str) -> Iterator[tuple[str, int, int]]:
    """The terms of one of our families (OWN_ANALYSIS) with their (start, end) in ``text``."""
    if family == ARABIC:
        return arabic.tokens(text)
    if family == ARABIC_SCRIPT:
        return arabic.tokens(text, stem=False)
    if family == CJK:
        return cjk.tokens(text)  # spans into the text as given: a direction mark separates, as a space does
    raise ValueError(f"{family} is analysed by tantivy, not here")


def index_text(family: str, text: str) -> str:
    """What is handed to the family's field for this text: our terms for our families, else the
    text without direction marks (a mark inside a word would split it)."""
    if family in OWN_ANALYSIS:
        return " ".join(term for term, _, _ in tokens(family, text))
    return arabic.strip_direction_marks(text)


class QueryAnalyzers:
    """Each family's analysis of a query word, as its fields were indexed; safe to share."""

    def __init__(self) -> None:
        self._tantivy = {f: tantivy_analyzer(f) for f in FAMILIES if f not in OWN_ANALYSIS}

    def terms(self, family: str, text: str) -> list[str]:
        if family in OWN_ANALYSIS:
            return [term for term, _, _ in tokens(family, text)]
        return list(self._tantivy[family].analyze(arabic.strip_direction_marks(text)))


def query_terms(family: str, text: str) -> list[str]:
    """One-off analysis of a text as the family's fields hold it (tests, benchmarks)."""
    return QueryAnalyzers().terms(family, text)


def word_excerpt(family: str, body: str, wanted: Iterable[str], max_chars: int) -> Excerpt | None:
    """The stretch of a body of one of our families (up to ``max_chars``) with the most terms that
    are wanted, their ranges on the characters as printed; None when nothing matches."""
    wanted_set = frozenset(wanted)
    if not wanted_set:
        return None
    if family == CJK:
        found = cjk.find_terms(body, wanted_set)
    else:
        found = arabic.find_words(body, wanted_set, stem=family == ARABIC)
    matches = _merged(found)
    if not matches:
        return None
    best, best_count, right = 0, 0, 0
    for left, (start, _) in enumerate(matches):
        while right < len(matches) and matches[right][1] - start <= max_chars:
            right += 1
        if right - left > best_count:
            best, best_count = left, right - left
    first = matches[best][0]
    # a little context before the first match, from a word boundary
    begin = max(0, first - 40)
    if begin > 0:
        space = body.find(" ", begin, first)
        begin = space + 1 if space >= 0 else first
    finish = min(len(body), begin + max_chars)
    if finish < len(body):
        space = body.rfind(" ", matches[best][1], finish)
        finish = space if space >= 0 else max(finish, matches[best][1])
    raw = body[begin:finish]
    fragment = raw.lstrip()
    shift = begin + (len(raw) - len(fragment))
    fragment = fragment.rstrip()
    spans = tuple(
        (start - shift, end - shift) for start, end in matches[best:] if end - shift <= len(fragment)
    )
    return Excerpt(fragment, spans)


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges in order with overlapping ones joined (CJK bigrams overlap by a character)."""
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
