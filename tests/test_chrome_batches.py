"""Site chrome learned across pages gives the same articles wherever batches end."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive import Archive, Settings

SITE = Path(__file__).parent / "fixtures" / "textdump" / "tidewatergazette.example"


def _bodies(location: Path, batch_size: int) -> dict[str, tuple[str, list[str]]]:
    settings = Settings(enrich=False, progress=False, batch_size=batch_size)
    with Archive.open(location, settings) as archive:
        archive.ingest(sorted(SITE.iterdir()))
        hits = archive.search("", per_page=100).hits
        articles = [archive.article(h.id) for h in hits]
    return {a.title: (a.body, sorted(a.removed)) for a in articles}


@pytest.mark.parametrize("batch_size", [1, 2])
def test_chrome_learned_across_batches_gives_the_articles_of_one_batch(
    tmp_path: Path, batch_size: int
) -> None:
    whole = _bodies(tmp_path / "whole", 500)
    split = _bodies(tmp_path / f"by{batch_size}", batch_size)
    assert set(split) == set(whole)
    for title, (body, removed) in whole.items():
        assert split[title][0] == body, title
        assert split[title][1] == removed, title
