"""Bytes -> text for pages and dumps whose encoding is missing, wrong or damaged.

Valid UTF-8 is believed at once (the fast path: every page of the extraction sets). Otherwise a
declared charset, or windows-1252 when none is declared, is believed when it decodes the bytes
into plausible text; only when none does is charset-normalizer asked, over the legacy encodings
browsers support and on a sample of the text's bytes. So an undeclared windows-1256 page reads
as Arabic, not as Latin mojibake that a language detector takes for Yoruba.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass

import charset_normalizer
import ftfy.badness
from charset_normalizer.md import mess_ratio

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Byte-order marks, longest first (a UTF-32-LE mark starts with the UTF-16-LE one)."""

_SUPERSETS = {
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
"""Labels browsers read as a superset (WHATWG Encoding): what a page labelled so really uses."""

_ALIASES = {
    "iso-8859-8-i": "iso8859-8",
    "windows-874": "cp874",
    "dos-874": "cp874",
    "x-sjis": "cp932",
    "x-gbk": "gb18030",
    "x-euc-jp": "euc_jp",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-roman": "mac-roman",
}
"""WHATWG labels Python's codec registry does not know."""

_LEGACY = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp874", "cp866", "koi8_r", "koi8_u", "mac_cyrillic", "mac_roman", "iso8859_2", "iso8859_3",
    "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13",
    "iso8859_14", "iso8859_15", "iso8859_16", "gb18030", "big5hkscs", "euc_jp", "cp932", "cp949",
]  # fmt: skip
"""What detection may answer: the WHATWG legacy encodings (iso-2022-jp is 7-bit, found apart).

A page in any other encoding would not display in a browser either, and a short list keeps
charset-normalizer from exotic guesses (EBCDIC, mac-iceland) and makes it faster.
"""

_SAMPLE_BYTES = 64 * 1024
"""Detection reads at most this much of the text's bytes: enough to settle, cheap on a 16 MB page."""
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff][^<>]*")
"""From a non-ASCII byte to the next markup bracket: whole characters in every legacy encoding.

No multi-byte encoding uses ``<`` or ``>`` as a trailing byte, so a run ends on a character
boundary; it is widened back to the bracket before it, which is one too. Markup between runs is
left out: ASCII tags only dilute what the detector measures.
"""
_MESS_CHARS = 16_384
"""Characters of the sample the mess ratio reads (older charset-normalizers cache its inputs)."""
_PLAUSIBLE_MESS = 0.1
"""Mess ratio below which a declared (or default) decoding is believed without detection.

Measured on the 390 extraction pages re-encoded into their script's legacy encoding: text read
in its own encoding scores at most 0.043; Arabic, Greek, Hebrew, Cyrillic or CJK bytes read as
windows-1252 score above 1, and one Cyrillic code page read as another about 0.12.
"""
_MESS_TIE = 0.01
"""Declarations whose mess ratios differ by less than this are told apart by ftfy's badness."""
_MIN_NON_ASCII = 32
"""Fewer non-ASCII bytes than this fit many code pages: mess and detection are noise there."""
_UTF8_SHARE = 0.9
"""Share of non-ASCII sequences that must be valid for bytes that fail UTF-8 to still be UTF-8.

A UTF-8 page with a stray windows-1252 byte or a cut character stays UTF-8 (with U+FFFD there);
legacy bytes form a valid UTF-8 sequence only by accident.
"""
_ASCII = bytes(range(128))
_ISO2022_JP = re.compile(rb"\x1b(?:\$[@B]|\(J)")


@dataclass(frozen=True, slots=True)
class Sniffed:
    """How bytes are to be decoded: the codec, a byte-order mark to skip, and why (for reports)."""

    codec: str
    reason: str
    """bom, utf-8, utf-8 with errors, iso-2022-jp, declared, default, detected or least bad."""
    bom: int = 0


def decode(raw: bytes, declared: Iterable[str | None] = (), default: str | None = "cp1252") -> str:
    """Text of a page or dump, decoded as ``sniff`` says; undecodable bytes become U+FFFD."""
    found, text = _sniff(raw, declared, default)
    return text if text is not None else raw[found.bom :].decode(found.codec, errors="replace")


def sniff(raw: bytes, declared: Iterable[str | None] = (), default: str | None = "cp1252") -> Sniffed:
    """The encoding of bytes: BOM, valid UTF-8, a plausible declaration, then detection.

    ``declared`` are charset labels, most trusted first (a source's hint, HTTP header, meta tag);
    unknown ones are ignored. ``default`` stands in for a declaration when there is none, as
    windows-1252 does in browsers. When several declarations are plausible the least messy wins,
    then the one with the fewest replacement and mojibake characters (an HTTP header's latin-1
    against the page's own meta). charset-normalizer runs only when none is plausible, and that
    least-bad rule is the last resort when it has no answer.
    """
    return _sniff(raw, declared, default)[0]


def _sniff(raw: bytes, declared: Iterable[str | None], default: str | None) -> tuple[Sniffed, str | None]:
    """``sniff``, with the text when finding the encoding already decoded it (the UTF-8 fast path)."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return Sniffed(codec, "bom", len(bom)), None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if b"\x1b" in raw and _ISO2022_JP.search(raw) and _decodes(raw, "iso2022_jp"):
            return Sniffed("iso2022_jp", "iso-2022-jp"), None
        return Sniffed("utf-8", "utf-8"), text
    if _mostly_utf8(raw):
        return Sniffed("utf-8", "utf-8 with errors"), None
    labelled = _codecs(declared)
    candidates = labelled or ([default] if default else [])
    sample = _sample(raw)
    mess = {codec: _mess(raw, sample, codec) for codec in candidates}
    plausible = [codec for codec in candidates if mess[codec] < _PLAUSIBLE_MESS]
    if plausible:
        reason = "declared" if labelled else "default"
        if len(plausible) > 1:
            least = min(mess[codec] for codec in plausible)
            plausible = [codec for codec in plausible if mess[codec] <= least + _MESS_TIE]
        return Sniffed(_least_bad(sample, plausible), reason), None
    detected = detect(sample, candidates)
    if detected:
        return Sniffed(detected, "detected"), None
    return Sniffed(_least_bad(sample, [*candidates, "utf-8", "cp1252"]), "least bad"), None


def detect(sample: bytes, also: Iterable[str] = ()) -> str | None:
    """The codec charset-normalizer finds for text bytes, among legacy encodings and ``also``.

    None when the sample is too small to judge (a few non-ASCII bytes fit many code pages) or
    nothing fits.
    """
    if len(sample.translate(None, _ASCII)) < _MIN_NON_ASCII:
        return None
    allowed = list(dict.fromkeys([*also, *_LEGACY]))
    best = charset_normalizer.from_bytes(sample, cp_isolation=allowed, preemptive_behaviour=False).best()
    if best is None or best.encoding in {"ascii", "utf_8"}:
        return None
    return best.encoding


def charset_codec(label: str | None) -> str | None:
    """The Python codec for a declared charset label, read as browsers read it; None when unknown.

    UTF-16/32 and UTF-7 labels are never believed without a byte-order mark: on bytes that are
    not even valid UTF-8 they are a template's mistake, not the page's encoding.
    """
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_ALIASES.get(label, label)).name
        b" ".decode(name, errors="replace")  # refuses codecs that are not text encodings ("base64", "rot13")
    except (LookupError, ValueError):  # ValueError: a label with a NUL in it (headers are hostile too)
        return None
    if name.startswith(("utf-16", "utf-32", "utf-7")):
        return None
    return _SUPERSETS.get(name, name)


def _codecs(labels: Iterable[str | None]) -> list[str]:
    found: list[str] = []
    for label in labels:
        codec = charset_codec(label)
        if codec and codec != "utf-8" and codec not in found:  # UTF-8 has already failed
            found.append(codec)
    return found


def _decodes(raw: bytes, codec: str) -> bool:
    try:
        raw.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(raw: bytes) -> bool:
    """Whether bytes that fail UTF-8 are still UTF-8 with damage (see _UTF8_SHARE)."""
    text = raw.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    broken = replaced - raw.count(b"\xef\xbf\xbd")
    ascii_bytes = len(raw) - len(raw.translate(None, _ASCII))  # each decodes to itself
    valid = len(text) - ascii_bytes - replaced
    return valid >= _UTF8_SHARE * (valid + broken)


def _sample(raw: bytes) -> bytes:
    """The text runs holding non-ASCII bytes, joined by newlines, up to _SAMPLE_BYTES."""
    parts: list[bytes] = []
    size = end = 0
    for match in _NON_ASCII_RUN.finditer(raw):
        start = max(raw.rfind(b">", end, match.start()), raw.rfind(b"<", end, match.start()), end - 1) + 1
        end = match.end()
        part = raw[start:end]
        if size + len(part) > _SAMPLE_BYTES:
            room = _SAMPLE_BYTES - size
            # after whitespace, which is never part of a multi-byte character
            cut = max(part.rfind(b" ", 0, room), part.rfind(b"\n", 0, room))
            if cut > 0:
                parts.append(part[:cut])
            break
        parts.append(part)
        size += len(part) + 1
    return b"\n".join(parts)


def _mess(raw: bytes, sample: bytes, codec: str) -> float:
    """How much a codec's reading of the bytes looks like mojibake: 0 for clean text, 1 or more for none.

    More than a few undefined bytes rule a codec out; with too few non-ASCII bytes to judge, a
    codec that defines them all is clean.
    """
    try:
        text = raw.decode(codec, errors="replace")
    except LookupError:  # not a text encoding (a label such as "base64")
        return 1.0
    non_ascii = len(raw.translate(None, _ASCII))
    if text.count("\ufffd") > 0.01 * non_ascii:
        return 1.0
    if non_ascii < _MIN_NON_ASCII:
        return 0.0
    sampled = text if len(sample) == len(raw) else sample.decode(codec, errors="replace")
    # with a low maximum_threshold it stops at the first noisy stretch ("…", "©" in a menu)
    return float(mess_ratio(sampled[:_MESS_CHARS], maximum_threshold=1.0))


def _least_bad(sample: bytes, candidates: list[str]) -> str:
    """The codec giving the fewest replacement, C1-control and mojibake characters; ties to the first."""
    best_codec, best_score = candidates[0], -1
    for codec in dict.fromkeys(candidates):
        try:
            text = sample.decode(codec, errors="replace")
        except (LookupError, ValueError):  # codecs such as utf-7 can still refuse bytes
            continue
        c1_controls = sum(1 for char in text if "\x80" <= char <= "\x9f")
        score = 3 * text.count("\ufffd") + c1_controls + ftfy.badness.badness(text)
        if best_score < 0 or score < best_score:
            best_codec, best_score = codec, score
        if score == 0:
            break
    return best_codec
