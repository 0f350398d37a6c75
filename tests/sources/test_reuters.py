"""Reuters-21578 SGML: one capture per <REUTERS> element, named by NEWID."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.detect import read_path
from newsarchive.sources.reuters import read_reuters


def test_mini_file(fixtures_dir: Path) -> None:
    path = fixtures_dir / "sources" / "reut2-mini.sgm"
    records = list(read_reuters(path, Settings()))
    assert [r.origin for r in records] == [f"{path}#101", f"{path}#102", f"{path}#103"]
    first = records[0]
    assert isinstance(first, Capture) and first.format == "reuters"
    assert first.raw.startswith(b'<REUTERS TOPICS="YES"') and first.raw.endswith(b"</REUTERS>")


def test_cut_file_rejects_the_open_element(fixtures_dir: Path, tmp_path: Path) -> None:
    data = (fixtures_dir / "sources" / "reut2-mini.sgm").read_bytes()
    path = tmp_path / "reut2-cut.sgm"
    path.write_bytes(data[: data.rindex(b"</REUTERS>")])
    records = list(read_reuters(path, Settings()))
    assert [type(r) for r in records] == [Capture, Capture, Reject]
    assert isinstance(records[2], Reject) and "not closed" in records[2].reason


def test_newid_1(shared_data: Path) -> None:
    path = shared_data / "corpus" / "reuters21578" / "reut2-000.sgm"
    first = next(iter(read_path(path, Settings())))
    assert isinstance(first, Capture)
    assert first.origin == f"{path}#1"
    assert first.raw.startswith(
        b'<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="1">'
    )
    assert b"<TITLE>BAHIA COCOA REVIEW</TITLE>" in first.raw


@pytest.mark.slow
def test_whole_corpus(shared_data: Path) -> None:
    files = sorted((shared_data / "corpus" / "reuters21578").glob("reut2-*.sgm"))
    assert len(files) == 22
    origins = [r.origin for path in files for r in read_path(path, Settings()) if isinstance(r, Capture)]
    assert len(origins) == 21_578
    assert len({o.rsplit("#", 1)[1] for o in origins}) == 21_578
