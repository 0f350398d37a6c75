"""Direct and reported speech: who said what, with the cue word that attributes it.

Direct quotes are found from quotation marks (curly, straight or doubled apostrophes, paired by
:mod:`newsarchive.enrich.quote_marks`) and a cue next to them ("…," the statement said / X said:
"…" / "…," she continued / Lee: "…"); pieces of one quotation broken by its attribution or a
paragraph break are one quote. Reported speech comes from the parse: a cue with a clausal
complement ("said that …", "wants to …"), an object ("criticized the plan", "accused him of
lying"), a learned preposition ("called for an inquiry"), a noun or adjective cue with its holder
("Trump's claim that …", "X was critical of …"), a parenthetical attribution ("The plant, officials
said, will close"; "…, said Lee"; "as Lee noted, …"), "according to X", "in a … poll", and headline
"Name: …". A paraphrase holding a quoted phrase is one quote, an attribution inside another's
content is part of it, and so is one whose speaker is a word of a quotation ("I think" inside
someone's quoted words): each word belongs to one attribution, as in PolNeAR's annotation.

Cues beyond the fixed ``SPEECH_VERBS`` come from the lexicon learned on PolNeAR
(:mod:`newsarchive.enrich.quote_cues`); verbs it counts as cues too seldom to trust alone ("find",
"see") attribute a that-clause, or an object they regard "as" something. The speaker span is the
source as the attribution writes it ("he", "the statement", "officials"), where PolNeAR marks
sources; who it is is traced: a document is named as whoever issued it earlier in the article,
"he"/"she" go to the nearest earlier person who was a subject, and other pronouns and descriptions
to an entity by :mod:`newsarchive.enrich.quote_speakers`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsarchive.enrich.entities import (
    TITLE_WORDS,
    ArticleEntities,
    actor_name,
    country_of,
    doc_text,
    nominal_name,
)
from newsarchive.enrich.quote_cues import clause_cues, cue_key, cue_lexicon, prep_key
from newsarchive.enrich.quote_marks import Quotation, quotations
from newsarchive.enrich.quote_speakers import link_speakers
from newsarchive.model import Quote

SPEECH_VERBS = {
    "say", "tell", "announce", "state", "claim", "add", "note", "warn", "insist", "argue", "explain",
    "deny", "report", "write", "hint", "declare", "confirm", "acknowledge", "admit", "assert", "believe",
    "think", "suggest", "predict", "promise", "reveal", "stress", "emphasize", "emphasise", "comment",
    "remark", "respond", "reply", "recall", "contend", "maintain", "allege", "estimate", "indicate",
    "conclude", "ask", "urge", "tweet", "observe", "point", "mention", "vow", "pledge", "caution", "charge",
    "complain", "concede", "tout", "boast", "fear", "hope", "expect", "know", "feel", "agree",
}  # fmt: skip
DOCUMENT_NOUNS = {"statement", "report", "release", "communique", "letter", "memo", "study", "survey", "poll"}
"""Speakers that are texts: the quote belongs to whoever issued them."""
PRONOUNS = {"he", "she", "him", "her"}
_CONTINUING = {"also", "then", "later", "again", "further", "and", "but", "s"}
"""Words that may stand between two pieces of one quotation besides its speaker and cue."""
_POLL_NOUNS = {"poll", "survey"}
"""What a clause reports when it is "in a … poll": the poll's finding."""
_DASHES = {"—", "–", "-", "--"}
_QUOTE_MARKS = {"“", "”", '"', "''", "``", "`"}
_SUBJECTS = {"nsubj", "nsubjpass"}

_CIRCUMSTANCE_PREPS = {"say", "tell", "add", "write", "state", "note", "report"}
"""Verbs of saying whose prepositional phrase is a circumstance ("said of Apple", "said during the
debate"), never what was said."""
_ADDRESSEE_VERBS = {
    "tell",
    "ask",
    "inform",
    "remind",
    "assure",
    "urge",
    "warn",
    "email",
    "persuade",
    "convince",
}
"""Verbs whose object is who is spoken to ("told reporters"), not what is said."""
_TOPIC_PREPS = {"about", "of", "against"}
"""Prepositions that give what a cue verb is about ("warned of", "railed against") even where the
lexicon has not seen that verb with them."""
_OBJECT_PREPS = {"of", "for", "as", "over", "with"}
"""Prepositions that finish what a cue with an object says ("accused him of lying", "praised her
for …", "described it as …"): the annotation counts them as part of the content."""
_CLAUSE_MARKS = {"that", "whether", "if", "to"}
_NOT_CONTENT = {"DATE", "TIME", "GPE", "LOC", "FAC"}


@dataclass(slots=True)
class _Speaker:
    text: str
    start: int
    end: int
    entity: str | None


def extract_quotes(doc: Doc, offset: int, found: ArticleEntities) -> list[Quote]:
    """Quotes of one parsed chunk; offsets are into the article body (chunk offset added)."""
    text = doc_text(doc)
    direct: list[Quote] = []
    orphans: list[tuple[int, int]] = []
    quoted = quotations(text)
    for quotation in quoted:
        quote = _direct(doc, quotation, offset, found)
        if quote is not None and not _quoted_speaker(quote, quoted, offset):
            direct.append(quote)
        else:
            orphans.append((quotation.content_start, quotation.content_end))
    direct = _merge_continued(direct, orphans, doc, offset)
    reported: list[tuple[Quote, Token]] = []
    starts = [t.idx + offset for t in doc]
    inside = _tokens_within(starts, direct)
    for token in doc:
        if token.i in inside:
            continue
        quote = _reported(token, offset, found)
        if quote is None or _quoted_speaker(quote, quoted, offset):
            continue
        inner = [q for q in direct if q.start < quote.end and quote.start < q.end]
        if all(_paraphrase_around(quote, q, text, offset) for q in inner):
            # A paraphrase with a quoted phrase in it (he found Trump to be “very charming”) is
            # one attribution: the paraphrase, which says more, stands for both.
            direct = [q for q in direct if q not in inner]
            inside = _tokens_within(starts, direct)
            reported.append((quote, token))
    reported += [
        (quote, cue)
        for quote, cue in _colon_quotes(doc, offset, found)
        if not any(q.start < quote.end and quote.start < q.end for q in [*direct, *(r for r, _ in reported)])
    ]
    # An attribution inside what another one reports ("X said Y wants to …") is part of it.
    outer = [
        quote
        for quote, cue in reported
        if not any(o.start <= cue.idx + offset < o.end for o, _ in reported if o is not quote)
    ]
    return link_speakers(sorted([*direct, *outer], key=lambda q: q.start), text, offset, found)


def _tokens_within(starts: list[int], direct: list[Quote]) -> set[int]:
    """Indices of the tokens starting inside a direct quote or on the character either side of it
    (``starts``: each token's body offset, in order): no reported speech is sought there."""
    inside: set[int] = set()
    for quote in direct:
        inside.update(
            range(bisect.bisect_left(starts, quote.start - 1), bisect.bisect_left(starts, quote.end + 1))
        )
    return inside


def _quoted_speaker(quote: Quote, quoted: list[Quotation], offset: int) -> bool:
    """Whether the speaker is a word of a quotation ("I think …" inside “…,” Lee said): what is
    said there belongs to the quotation, and the quotation to its own speaker."""
    if quote.speaker_start is None:
        return False
    at = quote.speaker_start - offset
    return any(q.content_start <= at < q.content_end for q in quoted)


def _colon_quotes(doc: Doc, offset: int, found: ArticleEntities) -> Iterator[tuple[Quote, Token]]:
    """Headline style "Name: what they said": a sentence that opens with a short name of a person
    or organisation and a colon attributes the rest of its line to that name."""
    for colon in doc:
        if colon.text != ":":
            continue
        start = colon.sent.start  # a Token's sentence is found by walking back: only for colons
        if not 0 < colon.i - start <= 6:
            continue
        name = colon.doc[colon.i - 1]
        if name.ent_type_ not in {"PERSON", "ORG"} or any(
            t.pos_ in {"VERB", "AUX"} for t in doc[start : colon.i]
        ):
            continue
        words: list[Token] = []
        for token in doc[colon.i + 1 : colon.sent.end]:
            if "\n" in token.text:
                break
            words.append(token)
            if "\n" in token.whitespace_:
                break
        words = _trimmed(words, 3)
        if words:
            speaker = _speaker_from(name, found, offset)
            first, last = words[0], words[-1]
            yield (
                _quote(doc, colon, speaker, first.idx, last.idx + len(last), offset, False, found.article_id),
                colon,
            )


def _paraphrase_around(outer: Quote, inner: Quote, text: str, offset: int) -> bool:
    """Whether ``outer`` holds ``inner`` whole and has at least two words of its own outside it."""
    if not (outer.start <= inner.start and inner.end <= outer.end):
        return False
    rest = text[outer.start - offset : inner.start - offset] + text[inner.end - offset : outer.end - offset]
    return len(re.findall(r"\w+", rest)) >= 2


def _merge_continued(
    quotes: list[Quote], orphans: list[tuple[int, int]], doc: Doc, offset: int
) -> list[Quote]:
    """One quote for a speaker's quotation broken by its own attribution or a paragraph break
    ("…,” Barkley said. “…” / “…”↵“…”): the pieces are one statement, not several. ``orphans``
    (quoted text without a cue of its own, chunk offsets) join the quote right before them."""
    pieces: list[tuple[int, Quote | None, int, int]] = [(q.start - offset, q, q.start, q.end) for q in quotes]
    pieces += [(s, None, s + offset, e + offset) for s, e in orphans]
    text = doc_text(doc)
    merged: list[Quote] = []
    for _, quote, start, end in sorted(pieces, key=lambda piece: piece[0]):
        last = merged[-1] if merged else None
        if last is not None and (
            quote is None or (_same_speaker(last, quote) and not _own_attribution(quote))
        ):
            gap = set(re.findall(r"\w+", text[last.end - offset : start - offset].lower()))
            said = [last] if quote is None else [last, quote]
            allowed = {w for q in said for w in re.findall(r"\w+", f"{q.speaker} {q.cue}".lower())}
            if gap <= allowed | PRONOUNS | _CONTINUING or (
                quote is not None and _only_attribution(doc, last.end - offset, start - offset, quote.cue)
            ):
                merged[-1] = Quote(
                    speaker=last.speaker,
                    speaker_entity=last.speaker_entity,
                    cue=last.cue,
                    text=text[last.start - offset : end - offset],
                    article_id=last.article_id,
                    start=last.start,
                    end=end,
                    direct=True,
                    speaker_start=last.speaker_start,
                    speaker_end=last.speaker_end,
                )
                continue
        if quote is not None:
            merged.append(quote)
    return merged


def _own_attribution(quote: Quote) -> bool:
    """Whether a quoted piece has its own attribution after it (“…,” Lee says. “…,” Lee adds.):
    a second statement with its own cue, not the rest of the first one, even by the same speaker."""
    return quote.speaker_start is not None and quote.speaker_start >= quote.end


def _only_attribution(doc: Doc, start: int, end: int, cue: str) -> bool:
    """Whether the text between two quoted pieces is no more than their attribution clause
    (“…,” Calderon told CNN in an interview. “…”): no verb but the cue, at most a dozen words."""
    gap = doc.char_span(start, end, alignment_mode="contract")
    if gap is None:
        return False
    words = [t for t in gap if not t.is_punct and not t.is_space]
    return len(words) <= 12 and all(t.pos_ not in {"VERB", "AUX"} or t.text == cue for t in words)


def _same_speaker(a: Quote, b: Quote) -> bool:
    if a.speaker_entity is not None and a.speaker_entity == b.speaker_entity:
        return True
    return a.speaker_start == b.speaker_start and a.speaker_end == b.speaker_end


def _direct(doc: Doc, quotation: Quotation, offset: int, found: ArticleEntities) -> Quote | None:
    content_start, content_end = quotation.content_start, quotation.content_end
    inside = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    if inside is None:
        return None
    # A cue after the closing mark in the same sentence ("…," the statement said.) ...
    # The parser often starts a sentence after “…?” or “…,”: the quotation's own attribution
    # follows all the same, so that first boundary is crossed.
    last_mark = doc_text(doc)[content_start:content_end][-1:]
    open_end = last_mark in {",", "?", "!"}
    # After a full stop a new sentence begins, whatever the parser says: only an attribution
    # right after the mark (“… today.” he said) still belongs to the quotation.
    reach = 3 if last_mark == "." else 12
    for token in doc[inside.end : min(len(doc), inside.end + reach)]:
        if (token.is_sent_start and not (open_end and token.i == inside.end)) or token.text in _QUOTE_MARKS:
            break
        if "\n" in token.text or "\n" in doc[token.i - 1].whitespace_:
            break  # the next paragraph has attributions of its own
        cue = _is_cue(token) or (open_end and _trailing_verb(token, inside.end))
        if cue and not _has_own_content(token, inside.end):
            speaker = _speaker_of(token, found, offset)
            if speaker is not None and speaker.start < inside.end_char + offset:
                # The parser took a word of the quotation for the subject ("… Trump articulates
                # it differently,” Viguerie notes): the speaker is the name beside the cue.
                beside = _beside(token, inside.end)
                speaker = _speaker_from(beside, found, offset) if beside is not None else None
            if speaker is not None:
                return _quote(doc, token, speaker, content_start, content_end, offset, True, found.article_id)
    # ... or before the opening mark (X said: "…"), the outermost cue of several (X said it is
    # hard to think that “…”: X's).
    opening = _introduced_across_break(doc, inside.start)
    for token in reversed(doc[max(0, opening - 12) : opening]):
        if token.text in {".", "!", "?"} or "\n" in token.whitespace_:
            break  # a cue of the sentence before attributes what it says, not this quotation
        if _is_cue(token):
            token = _outermost_cue(token)
            speaker = _speaker_of(token, found, offset)
            if speaker is not None:
                return _quote(doc, token, speaker, content_start, content_end, offset, True, found.article_id)
        if token.is_sent_start:
            break
    return _introduced(doc, opening, quotation, offset, found)


def _introduced_across_break(doc: Doc, opening: int) -> int:
    """Where a quotation's attribution is sought back from: a paragraph that ends in a colon
    introduces the quotation the next one opens with ("… said in a statement:↵↵“…”"), so the
    search starts at that colon rather than at the break."""
    i = opening
    while i > 0 and doc[i - 1].is_space and "\n" in doc[i - 1].text:
        i -= 1
    return i if i > 0 and doc[i - 1].text == ":" else opening


def _introduced(
    doc: Doc, opening: int, quotation: Quotation, offset: int, found: ArticleEntities
) -> Quote | None:
    """A quotation a colon introduces with no cue verb ("Continued Stone: “…”", "From Lee's
    Facebook post: “…”"): the last person or organisation named before the colon says it."""
    if opening == 0 or doc[opening - 1].text != ":":
        return None
    colon = doc[opening - 1]
    before = doc[colon.sent.start : colon.i]
    if len(before) > 12:
        return None
    name = next(
        (
            t
            for t in reversed(before)
            if t.ent_type_ in {"PERSON", "ORG"} or (t.pos_ == "PROPN" and found.person_named(t.text))
        ),
        None,
    )
    if name is None:
        return None
    speaker = _speaker_from(name, found, offset)
    return _quote(
        doc, colon, speaker, quotation.content_start, quotation.content_end, offset, True, found.article_id
    )


def _beside(cue: Token, after: int) -> Token | None:
    """The head of the noun phrase right before a cue that follows a quotation ("…,” Lee said),
    else of the one right after it ("…,” said Lee Okafor, the mayor)."""
    if cue.i - 1 >= after and cue.doc[cue.i - 1].pos_ in {"PROPN", "NOUN", "PRON"}:
        return cue.doc[cue.i - 1]
    words = list(cue.doc[cue.i + 1 : min(len(cue.doc), cue.i + 6)])
    for i, word in enumerate(words):
        if word.is_punct:
            break
        if word.pos_ in {"PROPN", "NOUN", "PRON"} and (
            i + 1 == len(words) or words[i + 1].pos_ not in {"PROPN", "NOUN"}
        ):
            return word
    return None


def _outermost_cue(cue: Token) -> Token:
    """The cue whose content holds this one ("Ryan said it is unrealistic to think …": said), as
    an attribution inside what another reports is part of it."""
    outer = cue
    token = cue
    while token.dep_ in {"ccomp", "xcomp", "conj"} and token.head.i != token.i:
        token = token.head
        if token.dep_ != "conj" and _is_cue(token) and token.i < cue.i:
            outer = token
    return outer


def _has_own_content(cue: Token, after: int) -> bool:
    """A cue after a quotation that has a complement of its own further on ("…” and called his
    standing “unheard of”) attributes that, not the quotation before it."""
    return any(c.dep_ in {"ccomp", "xcomp", "oprd"} and c.i >= after for c in cue.children)


def _trailing_verb(token: Token, after: int) -> bool:
    """“…,” he continued / “…?” Trump quipped: a verb with its subject right after a quotation
    that breaks off with a comma or question mark attributes it, whatever the verb."""
    if token.pos_ != "VERB" or token.i - after > 4 or _has_own_content(token, after):
        return False
    if any(t.dep_ == "cc" or t.pos_ == "CCONJ" for t in token.doc[after : token.i]):
        return False  # “…,” but he kept his temper: a clause of its own, not an attribution
    return any(c.dep_ == "nsubj" and after <= c.i < token.i for c in token.children)


def _is_cue(token: Token) -> bool:
    """A speech or attribution verb: the fixed list, or a verb the learned lexicon trusts."""
    if token.pos_ not in {"VERB", "AUX"}:
        return False
    return token.lemma_.lower() in SPEECH_VERBS or cue_key(token) in cue_lexicon()


def _reported(token: Token, offset: int, found: ArticleEntities) -> Quote | None:
    source = _source_phrase(token)
    if source is not None:
        speaker = _speaker_from(source, found, offset)
        clause = token.head
        skip = {t.i for t in token.subtree}
        parts = [t for t in clause.subtree if t.i not in skip and not t.is_punct]
        if not parts:
            return None
        start, end = parts[0].idx, parts[-1].idx + len(parts[-1])
        return _quote(token.doc, token, speaker, start, end, offset, False, found.article_id)
    words = _content_of(token) or _interrupted(token)
    if not words:
        return None
    subject = _source_of(token, found, offset)
    if subject is None or subject.start <= words[0].idx + offset < subject.end:
        return None
    start, end = words[0].idx, words[-1].idx + len(words[-1])
    return _quote(token.doc, token, subject, start, end, offset, False, found.article_id)


def _source_phrase(prep: Token) -> Token | None:
    """The source a prepositional phrase names for the clause it belongs to: "according to X",
    and a poll or survey ("in a Des Moines Register poll, Cruz leads", "ahead in the polls")."""
    if prep.dep_ != "prep":
        return None
    if prep.lower_ == "according":
        to = next((c for c in prep.children if c.lower_ == "to"), None)
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if prep.lower_ in {"in", "among"} and prep.head.pos_ in {"VERB", "AUX"}:
        target = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if target is not None and target.lemma_.lower() in _POLL_NOUNS:
            return target
    return None


def _interrupted(cue: Token) -> list[Token]:
    """What a parenthetical attribution attributes: the clause it interrupts or follows ("The
    plant, officials said, is closing" / "The plant is closing, said Lee Okafor, the mayor"), a
    cue with a subject of its own and no content of its own."""
    head = cue.head
    if head.i == cue.i or head.pos_ not in {"VERB", "AUX"} or not _is_cue(cue):
        return []
    between = cue.doc[head.i : cue.i] if cue.i > head.i else cue.doc[0:0]
    after_comma = any(t.text == "," for t in between) and not any(t.pos_ == "CCONJ" for t in between)
    as_clause = cue.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children)
    if not (cue.dep_ == "parataxis" or (cue.dep_ == "conj" and after_comma) or as_clause):
        return []
    if not any(c.dep_ == "nsubj" for c in cue.children):
        return []
    for c in cue.children:
        if c.dep_ in {"ccomp", "xcomp"} or (c.dep_ in {"dobj", "obj"} and not _addressee_or_it(cue, c)):
            return []
    own = {t.i for t in cue.subtree}
    return _trimmed([t for t in head.subtree if t.i not in own], 3)


def _addressee_or_it(cue: Token, obj: Token) -> bool:
    """An object that is not what is said: who is told ("told a Senate panel"), or the "it" of
    "as Lee put it"."""
    return cue.lemma_.lower() in _ADDRESSEE_VERBS or obj.lower_ == "it"


def _misattached_complement(cue: Token) -> Token | None:
    """A "that"-clause the parser hung as a relative clause on a noun of the cue's own phrases
    ("said during a news conference that he may wait …"): with "that" as its mark, not its
    pronoun, and a subject of its own, it lacks the gap of a relative clause: the cue's complement."""
    nouns = [n for p in cue.rights if p.dep_ == "prep" for n in p.children if n.dep_ == "pobj"]
    for clause in (c for n in nouns for c in n.rights if c.dep_ == "relcl"):
        marked = any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
        if marked and any(c.dep_ in {"nsubj", "nsubjpass"} for c in clause.children):
            return clause
    return None


def _content_of(cue: Token) -> list[Token]:
    """What a cue attributes: its clausal complement ("said that …", "wants to …"), else, for cues
    the lexicon has as taking one, its object with the object's complement ("called Trump a fascist",
    "criticized the plan") or the object of its learned preposition ("called for an inquiry")."""
    lexicon = cue_lexicon()
    key = cue_key(cue)
    verb = cue.pos_ in {"VERB", "AUX"}
    if not verb and key not in lexicon:
        return []
    if verb and not _is_cue(cue):
        return _content_of_sometime_cue(cue)
    clause = next(
        (
            c
            for c in cue.children
            if c.dep_ in {"ccomp", "xcomp", "acl"} and c.pos_ in {"VERB", "AUX"} and _same_paragraph(c, cue)
        ),
        None,
    )
    if clause is None and verb:
        clause = _misattached_complement(cue)
    if clause is not None and not verb and not any(c.lower_ in _CLAUSE_MARKS for c in clause.children):
        clause = None  # "the statement issued on Monday" is not what the statement says
    if clause is not None and (clause.dep_ != "acl" or not verb):
        if (
            clause.dep_ == "xcomp"
            and key not in lexicon
            and cue.lemma_ not in {"promise", "vow", "pledge", "urge"}
        ):
            return []
        return _trimmed(list(clause.subtree), 3 if clause.dep_ == "ccomp" else 2)
    if key not in lexicon:
        return []
    if verb:
        obj = next((c for c in cue.children if c.dep_ in {"dobj", "obj"}), None)
        if obj is not None and cue.lemma_.lower() not in _ADDRESSEE_VERBS:
            last = max(
                (
                    c
                    for c in cue.rights
                    if c.dep_ in {"oprd", "ccomp", "xcomp"}
                    or (c.dep_ == "prep" and c.i > obj.i and c.lower_ in _OBJECT_PREPS)
                ),
                default=obj,
                key=lambda t: t.i,
            )
            words = list(cue.doc[obj.left_edge.i : last.right_edge.i + 1])
            return _trimmed(words, 1)
    if verb and cue.lemma_.lower() in _CIRCUMSTANCE_PREPS:
        return []
    for prep in cue.rights:
        learned = prep_key(cue, prep) in lexicon or prep.lower_ in _TOPIC_PREPS
        if prep.dep_ != "prep" or (verb and not learned):
            continue
        target = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None)
        if target is not None and target.ent_type_ not in _NOT_CONTENT:
            return _trimmed(list(target.subtree), 1)
    return []


def _content_of_sometime_cue(verb: Token) -> list[Token]:
    """What a verb the lexicon counts as a cue only in some of its uses attributes, held by a
    subject of its own (not "it seems that …"): its that-clause ("the survey found that …"), else
    an object it regards as something ("rivals see Rubio as weak", "cast himself as an outsider")."""
    if cue_key(verb) not in clause_cues():
        return []
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    clause = next(
        (
            c
            for c in verb.children
            if c.dep_ == "ccomp"
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            and _same_paragraph(c, verb)
        ),
        None,
    )
    if clause is not None and any(c.lower_ not in {"it", "there"} for c in subjects):
        return _trimmed(list(clause.subtree), 3)
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None)
    as_phrase = next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ == "as"), None)
    if not subjects or obj is None or as_phrase is None or as_phrase.i < obj.i:
        return []
    if not _same_paragraph(as_phrase, verb):
        return []
    return _trimmed(list(verb.doc[obj.left_edge.i : as_phrase.right_edge.i + 1]), 3)


def _same_paragraph(clause: Token, cue: Token) -> bool:
    """Whether no line break stands between a clause's verb and its cue: the parser sometimes hangs the
    last paragraph's sentence on the next one's verb ("… risks.↵↵“…,” said Lee"), and an
    attribution never reaches across paragraphs."""
    between = cue.doc[min(clause.i, cue.i) : max(clause.i, cue.i)]
    return not any("\n" in t.text or "\n" in t.whitespace_ for t in between)


def _trimmed(words: list[Token], minimum: int) -> list[Token]:
    while words and (words[-1].is_punct or words[-1].dep_ == "cc"):
        words.pop()
    while words and words[0].is_punct:
        words.pop(0)
    return words if len(words) >= minimum else []


def _source_of(cue: Token, found: ArticleEntities, offset: int) -> _Speaker | None:
    """Who holds the attributed view: a verb's subject; for "X is critical of", the copula's; for
    a noun cue, its possessor ("Trump's claim that …") or the subject of the verb it is the object of."""
    if cue.pos_ in {"VERB", "AUX"}:
        return _speaker_of(cue, found, offset)
    if cue.pos_ == "ADJ":
        return _speaker_of(cue.head, found, offset) if cue.dep_ in {"acomp", "oprd"} else None
    owner = next((c for c in cue.children if c.dep_ == "poss"), None)
    if owner is not None:
        return _speaker_from(owner, found, offset)
    if cue.dep_ in {"dobj", "obj"} and cue.head.pos_ == "VERB":
        return _speaker_of(cue.head, found, offset)
    return None


def _quote(
    doc: Doc, cue: Token, speaker: _Speaker, start: int, end: int, offset: int, direct: bool, article_id: str
) -> Quote:
    return Quote(
        speaker=speaker.text,
        speaker_entity=speaker.entity,
        cue=cue.text,
        text=doc_text(doc)[start:end],
        article_id=article_id,
        start=start + offset,
        end=end + offset,
        direct=direct,
        speaker_start=speaker.start,
        speaker_end=speaker.end,
    )


def _speaker_of(cue: Token, found: ArticleEntities, offset: int) -> _Speaker | None:
    """The subject of the cue, climbing through "saying"/"to say"-style clauses to the one that has it."""
    verb: Token | None = cue
    for _ in range(4):
        if verb is None:
            break
        # Of two subjects (a misparse: "WASHINGTON -- President Obama nominated"), the nearer.
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
        before = [c for c in subjects if c.i < verb.i]
        subject = before[-1] if before else next(iter(subjects), None)
        if subject is not None:
            if subject.dep_ == "nsubjpass":
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                if subject is None:
                    return None
            if subject.lower_ == "that" and verb.dep_ == "relcl":
                return None  # "a bill that bans …", "ads that attack …": things, seldom a speaker
            subject = _after_line_break(subject, verb)
            if subject.ent_type_ in {"DATE", "TIME"} and not _AGED.search(_phrase_text(subject)):
                return None  # a misparse ("said Saturday"), never a speaker; "the 46-year-old" is one
            return _speaker_from(subject, found, offset)
        if verb.tag_ == "VBN" and verb.dep_ in {"acl", "advcl"}:
            return None  # "when asked if …": the one asked, not the one who asks
        if verb.dep_ in {"acl", "advcl", "xcomp", "conj", "relcl"} and verb.head.i != verb.i:
            verb = verb.head if verb.head.pos_ in {"VERB", "AUX"} else _governing_verb(verb.head)
        else:
            break
    return None


_AGED = re.compile(r"\b(?:year|month)s?[- ]old$")
"""A person described by age ("said the 46-year-old"), which the recogniser tags as a date."""


def _phrase_text(head: Token) -> str:
    return doc_text(head.doc)[head.left_edge.idx : head.right_edge.idx + len(head.right_edge)].lower()


def _governing_verb(token: Token) -> Token | None:
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in {"VERB", "AUX"}:
            return token
    return None


def _speaker_from(head: Token, found: ArticleEntities, offset: int) -> _Speaker:
    """Describe a speaker noun phrase and link it to an entity where the article allows."""
    words = [t for t in head.subtree if t.dep_ not in {"relcl", "acl", "punct"}]
    left = [t for t in head.lefts if t.dep_ not in {"punct", "cc"}]
    phrase = [*left, head] if left or head.pos_ != "PROPN" else words
    phrase = [t for t in phrase if t.i <= head.i] or [head]
    start, end = phrase[0].idx, head.idx + len(head)
    text = doc_text(head.doc)[start:end]
    nominal = nominal_name(head)
    if nominal is not None:
        entity: str | None = found.add_nominal(nominal, start + offset, end + offset, text)
    elif head.lower_ in TITLE_WORDS:
        # "Russian President promised …": the person the article names with that title.
        country = next((country_of(t.text) for t in head.lefts if country_of(t.text)), None)
        entity = found.holder(_title_phrase(head), country)
    else:
        entity = found.entity_at(head.idx + offset, head.idx + len(head) + offset)
        entity = entity or found.entity_at(start + offset, end + offset)
        entity = actor_name(entity) if entity else None
    if entity is None and head.pos_ == "PROPN":
        entity = found.person_named(head.text)
    if entity is None and head.lower_ in PRONOUNS:
        entity = _antecedent(head, found, offset) or found.people_before(head.idx + offset)
    if entity is None and head.lemma_.lower() in DOCUMENT_NOUNS:
        issuer = _issuer_of(head, found, offset)
        if issuer is not None:
            # Named as its issuer, placed where the article cites it ("…,” the statement said):
            # the span is the attribution's own source, as the annotation marks it.
            return _Speaker(issuer.text, start + offset, end + offset, issuer.entity)
    return _Speaker(text, start + offset, end + offset, entity)


def _after_line_break(head: Token, verb: Token) -> Token:
    """A subject the parser ran across a line break ("9:30 p.m.↵↵Donald Trump says", a live
    blog's time stamp) is the noun on the verb's side of the break."""
    tokens = [t for t in head.subtree if t.i < verb.i]
    breaks = [t.i for t in tokens if "\n" in t.text or "\n" in t.whitespace_]
    if not breaks or head.i > max(breaks):
        return _after_dateline(head, verb)
    rest = [t for t in tokens if t.i > max(breaks) and t.pos_ in {"PROPN", "NOUN", "PRON"}]
    return rest[-1] if rest else head


def _after_dateline(head: Token, verb: Token) -> Token:
    """A subject run together with the dateline before it ("WASHINGTON — Sen. Lee", "Oslo (AP) –
    Mayor Lena Okafor") is the name after the dash."""
    start = head.sent.start
    dash = next((t for t in head.doc[start : start + 9] if t.text in _DASHES), None)
    if dash is None or not head.i < dash.i < verb.i:
        return head
    if any(t.pos_ not in {"PROPN", "PUNCT", "NUM"} for t in head.doc[start : dash.i]):
        return head  # not a dateline: words before the dash
    after = list(head.doc[dash.i + 1 : verb.i])
    first = next((i for i, t in enumerate(after) if t.pos_ in {"PROPN", "NOUN", "PRON"}), None)
    if first is None:
        return head
    last = first
    while (
        last + 1 < len(after) and after[last + 1].pos_ == "PROPN" and after[last + 1].i == after[last].i + 1
    ):
        last += 1
    return after[last]


def _antecedent(pronoun: Token, found: ArticleEntities, offset: int) -> str | None:
    """The person a "he"/"she" speaker stands for: the nearest earlier person who was the subject
    of a clause in this or the two sentences before ("Okafor met Berg. She said …" is Okafor), as
    reporting keeps its subject; None leaves it to the last person named."""
    first_sentence = pronoun.sent.start
    for _ in range(2):
        if first_sentence > 0:
            first_sentence = pronoun.doc[first_sentence - 1].sent.start
    for token in reversed(pronoun.doc[first_sentence : pronoun.i]):
        if token.dep_ not in _SUBJECTS or token.lower_ in PRONOUNS:
            continue
        name = found.entity_at(token.idx + offset, token.idx + len(token) + offset)
        entity = found.entities.get(name) if name else None
        if entity is not None and entity.type == "PERSON":
            return name
    return None


def _title_phrase(head: Token) -> str:
    words = [t.text for t in head.lefts if t.dep_ == "compound" and t.lower_ in TITLE_WORDS]
    return " ".join([*words, head.text]).title()


def _issuer_of(document: Token, found: ArticleEntities, offset: int) -> _Speaker | None:
    """Who issued the last earlier "statement": the subject of its verb, or a modifier ("embassy statement")."""
    doc = document.doc
    lemma = document.lemma_.lower()
    modifier_only: _Speaker | None = None
    for token in reversed(doc[: document.i]):
        if token.lemma_.lower() != lemma:
            continue
        if token.dep_ in {"dobj", "obj"} and token.head.pos_ == "VERB":
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return _speaker_from(subject, found, offset)
        for child in token.lefts:
            if child.dep_ in {"compound", "poss"} and child.lemma_.lower() != lemma and modifier_only is None:
                modifier_only = _speaker_from(child, found, offset)
    if modifier_only is not None and modifier_only.entity is not None:
        return modifier_only
    for child in document.lefts:
        if child.dep_ in {"compound", "poss"}:
            return _issuer_of(child, found, offset) or _speaker_from(child, found, offset)
    return modifier_only
