"""JSON documents read as rows, streamed: arrays, wrappers, pretty-printed objects, and bad input
that ends with a reject saying where while the rows before it are kept."""

from __future__ import annotations

import codecs
import gzip
import json
import tracemalloc
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.detect import detect_format, read_path
from newsarchive.sources.tabular import _json_values, _JsonScanner, read_json

TABULAR = Path(__file__).resolve().parent.parent / "fixtures" / "tabular"


def _summary(records: list[Capture | Reject]) -> list[tuple[str, str]]:
    return [(type(r).__name__, r.origin.rsplit("#", 1)[-1] if "#" in r.origin else "") for r in records]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_wrapper_object_of_articles() -> None:
    path = TABULAR / "newsapi.json"
    assert detect_format(path) == "json"
    records = list(read_path(path, Settings()))
    assert [r.origin for r in records] == [f"{path}#1", f"{path}#2"]
    pier, storm = records
    assert isinstance(pier, Capture) and isinstance(storm, Capture)
    assert pier.hints["text"].startswith("A new pier for the island ferry opened on Wednesday")
    assert (pier.hints["source"], pier.hints["published"], pier.url) == (
        "Harbour Herald",
        "2024-03-05T09:30:00Z",
        "https://harbourherald.example/local/new-pier",
    )
    assert "authors" not in storm.hints  # "author": null
    assert json.loads(pier.raw)["title"] == "Pier opens for the island ferry"
    assert pier.raw.startswith(b'{\n      "source"')  # the row's bytes as the file gave them


def test_one_pretty_printed_object_is_one_row() -> None:
    path = TABULAR / "newsplease.json"
    assert detect_format(path) == "json"
    [row] = list(read_path(path, Settings()))
    assert isinstance(row, Capture) and row.origin == f"{path}#1"
    assert row.raw == path.read_bytes().rstrip(b"\n")
    assert row.hints["text"].endswith("Trains run hourly again.")
    assert (row.hints["published"], row.hints["fetched_at"], row.hints["source"]) == (
        "2021-09-01 07:45:00",
        "2021-09-02 10:11:12",
        "valleypost.example",
    )


def test_a_wrapper_inside_a_wrapper() -> None:
    """{"response": {"docs": [...]}}: the list is found two levels down, other keys are skipped."""
    records = list(read_json(TABULAR / "docs.json", Settings(fields={"body": "lead_paragraph"})))
    assert _summary(records) == [("Capture", "1"), ("Capture", "2")]
    assert [r.hints["title"] for r in records if isinstance(r, Capture)] == [
        "Ferry service resumes",
        "Bridge vote delayed",
    ]


def test_search_engine_hits_are_unwrapped(tmp_path: Path) -> None:
    hits = {
        "hits": {"total": 1, "hits": [{"_id": "7", "_source": {"title": "Pier", "text": "The pier opened."}}]}
    }
    [row] = list(read_path(_write(tmp_path, "dump.json", json.dumps(hits)), Settings()))
    assert isinstance(row, Capture) and (row.hints["title"], row.hints["text"]) == (
        "Pier",
        "The pier opened.",
    )


def test_objects_one_after_another_as_jq_prints_them(tmp_path: Path) -> None:
    rows = [{"title": "One", "text": "First story."}, {"title": "Two", "text": "Second story."}]
    path = _write(tmp_path, "stream.json", "".join(json.dumps(r, indent=2) + "\n" for r in rows))
    assert detect_format(path) == "json"
    records = list(read_path(path, Settings()))
    assert [r.hints["title"] for r in records if isinstance(r, Capture)] == ["One", "Two"]
    assert [r.origin for r in records] == [f"{path}#1", f"{path}#2"]


def test_an_object_whose_list_holds_no_objects_is_one_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "one.json", '{"data": ["a", "b"], "title": "Pier", "text": "The pier opened."}')
    [row] = list(read_json(path, Settings()))
    assert isinstance(row, Capture) and row.hints["title"] == "Pier"


def test_truncated_json_keeps_the_rows_before() -> None:
    path = TABULAR / "truncated.json"
    records = list(read_path(path, Settings()))
    assert _summary(records) == [("Capture", "1"), ("Reject", "2")]
    assert isinstance(records[1], Reject)
    assert "ends inside this row (truncated JSON); the row before it was read" in records[1].reason
    assert "re-download or re-export" in records[1].reason


def test_a_list_that_is_never_closed(tmp_path: Path) -> None:
    path = _write(tmp_path, "cut.json", '[{"text": "One."}, {"text": "Two."},\n')
    records = list(read_json(path, Settings()))
    assert _summary(records) == [("Capture", "1"), ("Capture", "2"), ("Reject", "")]
    assert "truncated after row 2" in records[2].reason  # type: ignore[union-attr]


def test_garbage_between_rows_ends_the_file_with_its_place(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.json", '[{"text": "One."} oops {"text": "Two."}]')
    records = list(read_json(path, Settings()))
    assert _summary(records) == [("Capture", "1"), ("Reject", "")]
    reason = records[1].reason  # type: ignore[union-attr]
    assert "not valid JSON at byte 18 (unexpected 'oops')" in reason and "after row 1" in reason


def test_a_broken_row_is_rejected_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(b'[{"text": "One."}, {"text": "bro\x00ken"}, {"text": "Three."}, {"text": 1,}]')
    records = list(read_json(path, Settings()))
    assert _summary(records) == [("Capture", "1"), ("Reject", "2"), ("Capture", "3"), ("Reject", "4")]
    assert "row is not valid JSON (Invalid control character" in records[1].reason  # type: ignore[union-attr]


def test_elements_that_are_not_objects(tmp_path: Path) -> None:
    path = _write(tmp_path, "mixed.json", '["a headline", 42, [1], {"text": "The story."}]')
    records = list(read_json(path, Settings()))
    assert _summary(records) == [("Reject", "1"), ("Reject", "2"), ("Reject", "3"), ("Capture", "4")]
    assert "row is a JSON str, not an object" in records[0].reason  # type: ignore[union-attr]


def test_an_empty_list_says_there_is_nothing(tmp_path: Path) -> None:
    [reject] = list(read_path(_write(tmp_path, "none.json", '{"articles": []}'), Settings()))
    assert isinstance(reject, Reject) and "no article rows" in reject.reason


def test_an_oversized_row_is_rejected_without_being_held(tmp_path: Path) -> None:
    """A 24 MB row over a 1 MB cap is skipped in pieces: memory stays far below the row's size."""
    path = tmp_path / "huge.json"
    with path.open("w") as fh:
        fh.write('[{"text": "Small one."}, {"title": "Huge", "text": "')
        for _ in range(24):
            fh.write('A \\"quoted\\" line.\\n' * (1 << 16))
        fh.write('"}, {"text": "After it."}]')
    tracemalloc.start()
    try:
        records = list(read_json(path, Settings(max_capture_bytes=1 << 20)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert _summary(records) == [("Capture", "1"), ("Reject", "2"), ("Capture", "3")]
    assert "max_capture_bytes=1,048,576" in records[1].reason  # type: ignore[union-attr]
    assert peak < 8 * (1 << 20)


def test_gzipped_and_utf16_json(tmp_path: Path) -> None:
    rows = [{"title": "Λιμάνι", "text": "Το πλοίο αργεί."}]
    packed = tmp_path / "export.json.gz"
    packed.write_bytes(gzip.compress(json.dumps(rows, indent=1, ensure_ascii=False).encode()))
    wide = tmp_path / "powershell.json"  # ConvertTo-Json | Out-File writes UTF-16 with a BOM
    wide.write_bytes(codecs.BOM_UTF16_LE + json.dumps(rows, indent=4, ensure_ascii=False).encode("utf-16-le"))
    for path in (packed, wide):
        [row] = list(read_path(path, Settings()))
        assert isinstance(row, Capture) and row.hints["text"] == "Το πλοίο αργεί.", path.name


def test_a_legacy_encoding_is_read_and_a_stray_byte_rejects_only_its_row(tmp_path: Path) -> None:
    western = tmp_path / "excel.json"
    western.write_bytes(
        json.dumps([{"text": "Le café du quai rouvre."}], ensure_ascii=False).encode("cp1252")
    )
    [row] = list(read_json(western, Settings()))
    assert isinstance(row, Capture) and row.hints["text"] == "Le café du quai rouvre."
    mixed = tmp_path / "mixed.json"  # UTF-8 for its first 256 KB, then one windows-1252 byte
    filler = [{"text": f"Story {n}: the ferry runs late again today."} for n in range(6000)]
    body = json.dumps(filler).encode()[:-1] + b', {"text": "caf\xe9"}, {"text": "Last."}]'
    mixed.write_bytes(body)
    records = list(read_json(mixed, Settings()))
    assert _summary(records)[-2:] == [("Reject", "6001"), ("Capture", "6002")]
    assert "not valid UTF-8" in records[-2].reason  # type: ignore[union-attr]


_ROWS = st.lists(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.text(max_size=40), st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=3)),
        max_size=5,
    ),
    max_size=6,
)


@given(_ROWS, st.integers(min_value=1, max_value=17), st.sampled_from([None, 0, 2]), st.booleans())
def test_the_scanner_finds_every_row_however_the_file_is_cut(
    rows: list[dict[str, object]], chunk: int, indent: int | None, wrapped: bool
) -> None:
    """Chunk boundaries anywhere (inside escapes, keys, numbers) never change the rows found."""
    document: object = {"status": "ok", "articles": rows} if wrapped else rows
    data = json.dumps(document, indent=indent).encode()
    scanner = _JsonScanner(data[i : i + chunk] for i in range(0, len(data), chunk))
    found = [json.loads(raw) for raw in _json_values(scanner, 1 << 20) if raw is not None]
    assert found == rows
