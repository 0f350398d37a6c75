"""Fuzzing every reader and extraction: random bytes, truncations and corruptions of real fixtures,
wrong encodings. Whatever the bytes, ``read_path`` yields captures or rejects that name the input,
and ``extract_capture`` returns an article or raises our own InputError: nothing else escapes.

The seed inputs are our own fixtures (one per format) plus, when present, the real WARC/ARC files
in ../shared/data/warc. Set NEWSARCHIVE_FUZZ_EXAMPLES to run more examples per test.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.errors import InputError
from newsarchive.extract import extract_capture
from newsarchive.model import Capture
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path
from tests.conftest import FIXTURES, ROOT, shared_data_dir

EXAMPLES = int(os.environ.get("NEWSARCHIVE_FUZZ_EXAMPLES", "150"))
_SETTINGS = Settings(max_capture_bytes=2 * 1024 * 1024)
_FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


def _seed_files() -> dict[str, Path]:
    """One small real input per format, named with the suffix that format usually has."""
    sample = ROOT / "demo" / "sample"
    seeds = {
        "page.html": FIXTURES / "html" / "article_full.html",
        "arabic.html": FIXTURES / "html" / "arabic_rtl.html",
        "dump.txt": FIXTURES / "textdumps" / "unseen_wayback.txt",
        "rows.jsonl": FIXTURES / "sources" / "articles.jsonl",
        "rows.csv": FIXTURES / "sources" / "articles.csv",
        "feed.rss": FIXTURES / "sources" / "feed-rss.xml",
        "feed.atom": FIXTURES / "sources" / "feed-atom.xml",
        "feed.rdf": FIXTURES / "sources" / "feed-rdf.xml",
        "reuters.sgm": FIXTURES / "sources" / "reut2-mini.sgm",
        "crawl.warc.gz": sample / "warc" / "harbour.warc.gz",
    }
    return {name: path for name, path in seeds.items() if path.is_file()}


def _real_warcs() -> list[Path]:
    root = shared_data_dir() / "warc"
    if not root.is_dir():
        return []
    found = [p for p in sorted(root.rglob("*")) if p.is_file() and p.stat().st_size < 400_000]
    return [p for p in found if ".warc" in p.name or ".arc" in p.name][:24]


SEEDS = _seed_files()
WARCS = _real_warcs()
_EXTRACTED: dict[Path, set[bytes]] = {}
"""Per real WARC, the captures its fuzz examples have extracted already (see ``_check``)."""


def _check(name: str, data: bytes, extracted: set[bytes] | None = None) -> tuple[int, int]:
    """Write ``data`` as a file called ``name``, read it and extract every capture; (captures, rejects).

    With ``extracted`` (digests of captures already extracted by earlier examples) a capture the
    mutation left as it was is not extracted again: a damaged WARC holds mostly intact records,
    and re-extracting those was most of the fuzz run's time without testing anything new.
    """
    with tempfile.TemporaryDirectory(prefix="newsarchive-fuzz-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        captures = rejects = 0
        for record in read_path(path, _SETTINGS):
            assert record.origin.startswith(str(path)), record
            if isinstance(record, Capture):
                captures += 1
                if extracted is not None:
                    digest = hashlib.sha256(
                        repr((record.format, record.hints)).encode() + record.raw
                    ).digest()
                    if digest in extracted:
                        continue
                    extracted.add(digest)
                _extract(record)
            else:
                rejects += 1
                assert record.reason.strip()
        return captures, rejects


def _extract(capture: Capture) -> None:
    try:
        extract_capture(capture, _SETTINGS)
    except InputError as exc:
        assert exc.origin == capture.origin and exc.reason.strip()


def _mutations(data: bytes) -> st.SearchStrategy[bytes]:
    """Truncations, byte flips, inserted garbage and spliced random bytes of one real input."""
    size = max(1, len(data))
    cut = st.integers(0, size).map(lambda n: data[:n])
    flips = st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, 255)), min_size=1, max_size=20).map(
        lambda edits: _apply(data, edits)
    )
    inserted = st.tuples(st.integers(0, size), st.binary(min_size=1, max_size=300)).map(
        lambda ins: data[: ins[0]] + ins[1] + data[ins[0] :]
    )
    return st.one_of(cut, flips, inserted)


def _apply(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for at, value in edits:
        if at < len(out):
            out[at] = value
    return bytes(out)


def _reencoded(data: bytes, codec: str) -> bytes:
    """The input's text written in another encoding (what mislabelled pages look like)."""
    text = data.decode("utf-8", "replace")
    return text.encode(codec, "replace")


@pytest.mark.parametrize("name", sorted(SEEDS))
@_FUZZ
@given(data=st.data())
def test_mutated_real_inputs_never_raise(name: str, data: st.DataObject) -> None:
    raw = SEEDS[name].read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
        mutated = data.draw(_mutations(raw))
        mutated = gzip.compress(mutated) if data.draw(st.booleans()) else mutated
    else:
        mutated = data.draw(_mutations(raw))
    _check(name, mutated)


@pytest.mark.parametrize("name", sorted(SEEDS))
@_FUZZ
@given(blob=st.binary(max_size=4096))
def test_random_bytes_under_every_name_never_raise(name: str, blob: bytes) -> None:
    _check(name, blob)


@pytest.mark.parametrize("name", sorted(n for n in SEEDS if not n.endswith(".gz")))
@pytest.mark.parametrize(
    "codec", ["utf-16", "utf-16-be", "cp1256", "cp1251", "koi8-r", "shift_jis", "gb18030", "latin-1"]
)
def test_real_inputs_in_other_encodings_never_raise(name: str, codec: str) -> None:
    _check(name, _reencoded(SEEDS[name].read_bytes(), codec))


@pytest.mark.skipif(not WARCS, reason="real WARC/ARC files not found in ../shared/data/warc")
@pytest.mark.parametrize("warc", WARCS, ids=lambda p: p.name)
@settings(max_examples=max(10, EXAMPLES // 5), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(data=st.data())
def test_truncated_and_corrupted_real_warcs_never_raise(warc: Path, data: st.DataObject) -> None:
    extracted = _EXTRACTED.setdefault(warc, set())
    raw = warc.read_bytes()
    name = "crawl" + "".join(warc.suffixes[-2:]) if warc.suffixes else "crawl.warc"
    if raw.startswith(b"\x1f\x8b") and data.draw(st.booleans()):
        try:  # damage the records themselves, not only the compression around them
            inner = gzip.decompress(raw)
        except (OSError, EOFError):
            inner = raw
        _check(name, gzip.compress(data.draw(_mutations(inner))), extracted)
    else:
        _check(name, data.draw(_mutations(raw)), extracted)


@_FUZZ
@given(
    fmt=st.sampled_from(["html", "textdump", "text", "reuters"]),
    raw=st.binary(max_size=4096),
    hints=st.dictionaries(
        st.sampled_from(["text", "html", "title", "date", "url", "author", "section", "source", "charset"]),
        st.text(max_size=200),
        max_size=5,
    ),
)
def test_extract_capture_on_arbitrary_captures_raises_only_input_errors(
    fmt: str, raw: bytes, hints: dict[str, str]
) -> None:
    _extract(Capture(origin="fuzz.bin#1", raw=raw, format=fmt, hints=hints))  # type: ignore[arg-type]
