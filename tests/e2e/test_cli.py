"""The CLI as users and scripts run it: real subprocesses, real archive, JSON contracts, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus_helpers import STORIES, near_duplicate, write_jsonl


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    src = write_jsonl(root / "stories.jsonl", [*STORIES, near_duplicate(STORIES[0])])
    arch = root / "arch"
    done = run("--archive", str(arch), "ingest", str(src))
    assert done.returncode == 0, done.stderr
    return arch


def test_search_json_lines(archive: Path) -> None:
    done = run("--archive", str(archive), "search", "ferry", "--json")
    assert done.returncode == 0, done.stderr
    hits = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(hits) == 1 and hits[0]["duplicates"] == 1
    assert hits[0]["source"] == "Seabreeze Post"  # same day as the original, and the longer body


def test_search_filters_from_the_command_line(archive: Path) -> None:
    done = run(
        "--archive", str(archive), "search", "", "--from", "2016-06-01", "--section", "World", "--json"
    )
    hits = [json.loads(line) for line in done.stdout.splitlines()]
    assert [h["title"] for h in hits] == ["Medvedev to visit Israel in November"]


def test_show_json_has_every_article_field(archive: Path) -> None:
    hit = json.loads(run("--archive", str(archive), "search", "regatta", "--json").stdout.splitlines()[0])
    done = run("--archive", str(archive), "show", hit["id"], "--json")
    article = json.loads(done.stdout)
    assert set(article) >= {
        "id", "url", "source", "title", "authors", "published", "published_from", "section", "language",
        "body", "captions", "media_ids", "word_count", "cluster_id", "captures",
    }  # fmt: skip
    assert article["captures"][0]["origin"].endswith("stories.jsonl#4")
    assert set(article["captures"][0]) == {"sha256", "origin", "ingested_at"}


def test_show_json_says_why_copies_were_grouped(archive: Path) -> None:
    hit = json.loads(run("--archive", str(archive), "search", "ferry", "--json").stdout.splitlines()[0])
    article = json.loads(run("--archive", str(archive), "show", hit["id"], "--json").stdout)
    cluster = article["cluster"]
    assert cluster["size"] == 2 and cluster["id"] == article["cluster_id"]
    shown, other = cluster["members"]
    assert shown["representative"] and shown["id"] == hit["id"] and shown["resemblance"] == 1.0
    assert other["source"] == "Harbour Gazette" and other["containment"] > 0.9
    assert article["versions"][0]["id"] == hit["id"] and article["versions"][0]["latest"] is True
    text = run("--archive", str(archive), "show", other["id"]).stdout
    assert "also published as 1 copy" in text and hit["id"] in text


def test_show_versions_prints_a_word_diff(tmp_path: Path) -> None:
    body = "The harbour board met on Monday and agreed to dredge the channel before the summer season."
    rows = [
        {"url": "https://gazette.example/dredge", "title": "Dredging agreed", "date": "2016-04-04",
         "fetched_at": "2016-04-04T09:00:00Z", "source": "Gazette", "text": body},
        {"url": "https://gazette.example/dredge", "title": "Dredging agreed", "date": "2016-04-04",
         "fetched_at": "2016-04-04T17:00:00Z", "source": "Gazette",
         "text": body.replace("before the summer", "by June, ahead of the summer")},
    ]  # fmt: skip
    arch = tmp_path / "arch"
    assert run("--archive", str(arch), "ingest", str(write_jsonl(tmp_path / "v.jsonl", rows))).returncode == 0
    hits = [
        json.loads(line)
        for line in run("--archive", str(arch), "search", "dredge", "--json").stdout.splitlines()
    ]
    assert len(hits) == 1
    done = run("--archive", str(arch), "show", hits[0]["id"], "--versions")
    assert done.returncode == 0, done.stderr
    assert "2 versions of https://gazette.example/dredge" in done.stdout
    assert "[-before-]" in done.stdout and "{+by June, ahead of+}" in done.stdout
    data = json.loads(run("--archive", str(arch), "show", hits[0]["id"], "--versions", "--json").stdout)
    assert [v["latest"] for v in data["versions"]] == [False, True]
    assert data["diff"]["added"] == 4 and data["diff"]["removed"] == 1
    stats = json.loads(run("--archive", str(arch), "stats", "--json").stdout)
    assert (stats["stories"], stats["versions"]) == (1, 1)


def test_stats_json(archive: Path) -> None:
    stats = json.loads(run("--archive", str(archive), "stats", "--json").stdout)
    assert {"articles", "indexed", "captures", "clusters", "rejects", "by_source", "by_year"} <= set(stats)
    assert stats["articles"] == stats["indexed"] == 5


def test_archive_from_environment(archive: Path) -> None:
    import os

    env = dict(os.environ, NEWSARCHIVE_ARCHIVE=str(archive))
    done = run("search", "regatta", "--json", env=env)
    assert done.returncode == 0 and "Storm delays" in done.stdout


def test_export_jsonl_to_stdout(archive: Path) -> None:
    done = run("--archive", str(archive), "export", "--format", "jsonl")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 5


def test_errors_are_one_line_with_exit_code(archive: Path, tmp_path: Path) -> None:
    bad = run("--archive", str(archive), "search", '"unclosed')
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0 and "quote" in bad.stderr
    missing = run("--archive", str(tmp_path / "none"), "stats")
    assert missing.returncode == 1 and "no archive here" in missing.stderr
    unknown = run("--archive", str(archive), "show", "doesnotexist")
    assert unknown.returncode == 1 and "no article" in unknown.stderr


def test_nothing_ingested_exits_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 40)
    done = run("--archive", str(tmp_path / "a"), "ingest", str(junk))
    assert done.returncode == 2
    assert "junk.bin" in done.stderr
    stats = json.loads(run("--archive", str(tmp_path / "a"), "stats", "--json").stdout)
    assert stats["rejects"][0]["origin"].endswith("junk.bin")


def test_piped_ingest_is_quiet_but_reports(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "one.jsonl", [STORIES[1]])
    done = run("--archive", str(tmp_path / "b"), "ingest", str(src), "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["articles_new"] == 1
    assert "\x1b[" not in done.stderr  # no progress bar when not on a terminal


def test_files_and_urls_in_one_ingest_give_one_report(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "one.jsonl", [STORIES[2]])
    done = run(
        "--archive", str(tmp_path / "c"), "ingest", str(src), "http://127.0.0.1:9/nothing.html", "--json"
    )
    report = json.loads(done.stdout)
    assert done.returncode == 0
    assert report["inputs"] == 2 and report["articles_new"] == 1
    [reject] = report["rejects"]
    assert reject["origin"] == "http://127.0.0.1:9/nothing.html" and "non-public" in reject["reason"]
    assert "non-public address" in done.stderr


def test_only_rejects_exit_2_and_only_already_archived_exit_0(tmp_path: Path) -> None:
    arch = str(tmp_path / "d")
    empty_page = tmp_path / "empty.html"
    empty_page.write_text(
        "<!doctype html><html><head><title>x</title></head><body><script>a=1</script></body></html>"
    )
    only_rejects = run("--archive", arch, "ingest", str(empty_page), "--json")
    assert only_rejects.returncode == 2, only_rejects.stderr
    assert json.loads(only_rejects.stdout)["rejects"][0]["origin"].endswith("empty.html")

    src = write_jsonl(tmp_path / "one.jsonl", [STORIES[0]])
    assert run("--archive", arch, "ingest", str(src)).returncode == 0
    again = run("--archive", arch, "ingest", str(src))
    assert again.returncode == 0 and "already archived" in again.stderr
    again_with_page = run("--archive", arch, "ingest", str(src), str(empty_page), "--json")
    assert again_with_page.returncode == 0  # the page's capture is kept: already archived too
    assert json.loads(again_with_page.stdout)["already_archived"] is True


def test_ingest_of_a_path_that_does_not_exist_says_so(tmp_path: Path) -> None:
    done = run("--archive", str(tmp_path / "e"), "ingest", str(tmp_path / "nonexistent.html"))
    assert done.returncode == 2
    assert "nonexistent.html" in done.stderr and "disappeared" not in done.stderr
    assert "no such file" in done.stderr.lower()


def test_csv_export_neutralises_formula_cells(tmp_path: Path) -> None:
    import csv
    import io

    hostile = {**STORIES[1], "url": "https://evil.example/x", "title": '=HYPERLINK("http://evil.example","win")',
               "author": "@attacker", "text": "-2+3 traders gathered at the market " + STORIES[1]["text"]}  # fmt: skip
    arch = str(tmp_path / "f")
    assert run("--archive", arch, "ingest", str(write_jsonl(tmp_path / "h.jsonl", [hostile]))).returncode == 0
    out = run("--archive", arch, "export", "--format", "csv").stdout
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["title"] == "'" + hostile["title"]
    assert row["body"].startswith("'-2+3 traders")
    assert row["word_count"].isdigit()  # numbers are not touched
    jsonl = json.loads(run("--archive", arch, "export", "--format", "jsonl").stdout)
    assert jsonl["title"] == hostile["title"]  # JSONL keeps the value exactly


@pytest.mark.parametrize("what", ["mentions", "entities", "events", "quotes"])
def test_empty_enrichment_exports_keep_their_columns(tmp_path: Path, what: str) -> None:
    import pyarrow.parquet as pq

    arch = str(tmp_path / "g")
    src = write_jsonl(tmp_path / "one.jsonl", [STORIES[1]])
    assert run("--archive", arch, "ingest", "--no-enrich", str(src)).returncode == 0
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        done = run("--archive", arch, "export", "--what", what, "--format", fmt)
        assert done.returncode == 0, done.stderr
        header = done.stdout.splitlines()
        assert (len(header) == 1 and "article_id" in header[0].split(sep)) or "name" in header[0].split(sep)
    out = tmp_path / f"{what}.parquet"
    assert (
        run("--archive", arch, "export", "--what", what, "--format", "parquet", "-o", str(out)).returncode
        == 0
    )
    table = pq.read_table(out)
    assert table.num_rows == 0 and len(table.column_names) >= 4


def test_search_by_entity_from_the_command_line(archive: Path) -> None:
    done = run("--archive", str(archive), "search", "", "--entity", "Dmitry Medvedev", "--json")
    assert done.returncode == 0, done.stderr
    titles = [json.loads(line)["title"] for line in done.stdout.splitlines()]
    assert titles == ["Medvedev to visit Israel in November"]
    none = run("--archive", str(archive), "search", "ferry", "--entity", "Dmitry Medvedev", "--json")
    assert none.returncode == 0 and none.stdout == ""
