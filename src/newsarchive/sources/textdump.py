"""Plain-text dumps of scraped pages (title line, chrome lines, article) -> one textdump Capture each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newsarchive.model import Capture, Reject
from newsarchive.settings import Settings
from newsarchive.sources.files import display_origin, path_hints, read_capped
from newsarchive.sources.stats import SourceStats


def read_textdump(
    path: Path, settings: Settings, stats: SourceStats | None = None
) -> Iterator[Capture | Reject]:
    """The dump's bytes as-is; ``site_dir`` names the folder, grouping a site's pages for chrome learning."""
    raw = read_capped(path, settings.max_capture_bytes)
    if isinstance(raw, Reject):
        yield raw
        return
    hints = path_hints(path)
    if path.parent.name:
        hints["site_dir"] = display_origin(path.parent.name)
    yield Capture(
        origin=display_origin(path), raw=raw, format="textdump", content_type="text/plain", hints=hints
    )
