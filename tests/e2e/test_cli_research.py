"""The researcher's commands end to end: `export --query`, `timeline` and `terms` in a subprocess."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.e2e.test_cli import run
from tests.research.generated import build_generated


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_generated(tmp_path_factory.mktemp("cli-research") / "arch", 400)


def _total(archive: Path, query: str, *filters: str) -> int:
    done = run("--archive", str(archive), "search", query, "--json", "--facets", *filters)
    return int(json.loads(done.stdout.splitlines()[-1])["total"])


def test_export_query_writes_every_match_with_the_fields_asked(archive: Path) -> None:
    done = run("--archive", str(archive), "export", "--query", "bridge", "--from", "2016", "--format", "csv",
               "--fields", "id,published,source")  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == _total(archive, "bridge", "--from", "2016") > 0
    assert list(rows[0]) == ["id", "published", "source"]
    assert f"exported {len(rows)} articles" in done.stderr


def test_export_query_to_parquet(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "ferry.parquet"
    done = run("--archive", str(archive), "export", "--query", "ferry", "--source", "Coast Herald",
               "--format", "parquet", "-o", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    assert table.num_rows == _total(archive, "ferry", "--source", "Coast Herald")
    assert str(table.schema.field("published").type) == "date32[day]"


def test_export_query_errors_are_one_line(archive: Path) -> None:
    done = run("--archive", str(archive), "export", "--query", "bridge", "--fields", "id,colour")
    assert done.returncode == 1 and "unknown export field 'colour'" in done.stderr
    assert "Traceback" not in done.stderr


def test_timeline_csv_and_json(archive: Path) -> None:
    done = run("--archive", str(archive), "timeline", "ferry", "bridge", "--by", "year", "--normalize")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {r["query"] for r in rows} == {"ferry", "bridge"}
    assert all(int(r["count"]) <= int(r["total"]) for r in rows)
    as_json = run("--archive", str(archive), "timeline", "ferry", "--format", "json", "--by", "month")
    data = json.loads(as_json.stdout)
    (counted,) = data["queries"]
    assert sum(r["count"] for r in data["rows"]) + counted["undated"] == _total(archive, "ferry")


def test_terms_lists_typical_words(archive: Path) -> None:
    done = run("--archive", str(archive), "terms", "bridge", "--json", "--top", "5")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["query"] == "bridge" and found["matches"] == _total(archive, "bridge")
    assert 0 < len(found["terms"]) <= 5 and all(t["score"] > 0 for t in found["terms"])
    assert "bridge" not in {t["word"].lower() for t in found["terms"]}
    plain = run("--archive", str(archive), "terms", "bridge", "--top", "3")
    assert plain.returncode == 0 and len(plain.stdout.splitlines()) >= 1
