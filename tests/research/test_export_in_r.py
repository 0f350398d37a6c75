"""A query's CSV export and a timeline open in R as they are: dates as dates, counts as integers,
lists as JSON text, row counts equal to the query's total. Runs the real Rscript; skipped where R
is not installed (``make test`` installs Debian's r-base-core when it can)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from newsarchive import Archive

RSCRIPT = shutil.which("Rscript")
pytestmark = pytest.mark.skipif(RSCRIPT is None, reason="Rscript not installed (Debian: r-base-core)")

READ_EXPORT = r"""
args <- commandArgs(trailingOnly = TRUE)
rows <- read.csv(args[1], colClasses = c(published = "Date", word_count = "integer"),
                 stringsAsFactors = FALSE, encoding = "UTF-8")
stopifnot(inherits(rows$published, "Date"), is.integer(rows$word_count))
stopifnot(all(startsWith(rows$authors, "[")))
per_month <- table(format(rows$published, "%Y-%m"))
cat(nrow(rows), sum(per_month), sum(is.na(rows$published)), "\n")
timeline <- read.csv(args[2], colClasses = c(start = "Date"), stringsAsFactors = FALSE)
stopifnot(inherits(timeline$start, "Date"), is.integer(timeline$count))
cat(sum(timeline$count), nrow(timeline), "\n")
"""


def test_r_reads_the_csv_export_and_the_timeline_with_their_types(
    generated_archive: Path, tmp_path: Path
) -> None:
    export, timeline_csv, script = tmp_path / "bridge.csv", tmp_path / "timeline.csv", tmp_path / "read.R"
    script.write_text(READ_EXPORT, encoding="utf-8")
    with Archive.open(generated_archive, readonly=True) as archive:
        total = archive.search("bridge").total
        rows = archive.export_query("bridge", export, "csv", fields="id,published,title,authors,word_count")
        timeline = archive.timelines(["bridge"], by="month")
        undated = timeline.queries[0].undated
        with timeline_csv.open("w", encoding="utf-8", newline="") as out:
            out.write(timeline.to_csv())
    assert rows == total
    assert RSCRIPT is not None
    done = subprocess.run(
        [RSCRIPT, "--vanilla", str(script), str(export), str(timeline_csv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    exported, counted, missing = (int(v) for v in done.stdout.split()[:3])
    assert exported == total and counted == total - missing and missing == undated
    timeline_sum = int(done.stdout.split()[3])
    assert timeline_sum == total - undated
