"""One Settings record, filled from CLI flags, NEWSARCHIVE_* environment variables and a TOML file.

Passed down explicitly; no module keeps mutable global configuration.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from newsarchive.errors import ArchiveError
from newsarchive.sources.fieldmap import field_pairs


@dataclass(slots=True, frozen=True)
class Settings:
    """Knobs of the pipeline; defaults are what a user should get without thinking."""

    batch_size: int = 500
    """Captures per store/index transaction: bigger is faster, smaller loses less on a crash."""
    max_capture_bytes: int = 16 * 1024 * 1024
    """Captures larger than this are rejected: no news page is that big, and parsing one costs ~25 MB/s."""
    trafilatura_fast: bool = True
    """trafilatura fast mode: measured slightly better and faster on news pages."""
    chrome_min_pages: int = 3
    """A site's block counts as chrome once it appears on this many of its pages..."""
    chrome_min_share: float = 0.3
    """...and on at least this share of them."""
    enrich: bool = True
    """Run entity/quote/event enrichment at ingest (needs the spaCy model; skipped with a warning without it)."""
    spacy_model: str = "en_core_web_sm"
    fetch_private_addresses: bool = False
    """Let URL ingest fetch loopback/private addresses (off: a server must not be steered into its own network)."""
    progress: bool | None = None
    """Show progress bars; None means: only when stderr is a terminal."""
    writer_wait: float | None = None
    """Seconds a writer waits for another one to finish its batch; None: as long as it takes."""
    dayfirst: bool | None = None
    """Numeric dates are day first (31/12/2018) or month first (12/31/2018); None: decided per input
    file from its dates (a first number above 12 means day first), ambiguous ones read month first."""
    fields: tuple[tuple[str, str], ...] = ()
    """JSONL/CSV/JSON keys to read article fields from, as (field, column) pairs beyond the aliases
    (``fields = {body = "content", published = "pubdate"}``; ``NEWSARCHIVE_FIELDS=body=content``)."""
    index_dir: str | None = None
    """Search index folder of a server-mode archive (``postgresql://…``); default: a folder per
    database under the user's data directory. Directory archives keep theirs inside."""
    export_row_limit: int | None = None
    """Rows a web export (``/api/export``) sends at most; None: every match (the CLI never limits)."""
    source_rights: tuple[tuple[str, str], ...] = ()
    """What the public may see of a source's articles on a server, as (source, right) pairs:
    ``full`` (the default), ``snippet`` (metadata and a short excerpt) or ``metadata`` (no text);
    source ``*`` sets it for every other source (``source_rights = {"Daily Planet" = "snippet"}``;
    ``NEWSARCHIVE_SOURCE_RIGHTS='Daily Planet=snippet,*=metadata'``; ``serve --rights``)."""
    page_cache_mb: int = 64
    """Megabytes of finished public pages, feeds and sitemaps a server process keeps in memory
    (by ETag, so never a stale one); 0 turns it off."""

    def __post_init__(self) -> None:
        # a TOML table, "FIELD=COLUMN" strings or pairs, checked once and kept hashable
        object.__setattr__(self, "fields", field_pairs(self.fields))
        object.__setattr__(self, "source_rights", rights_pairs(self.source_rights))
        if self.page_cache_mb < 0:
            raise ArchiveError(
                f"page_cache_mb must be 0 (no page cache) or a number of megabytes, not {self.page_cache_mb}"
            )

    @classmethod
    def load(cls, toml_path: Path | None = None, **overrides: Any) -> Settings:
        """Defaults, then the TOML file, then NEWSARCHIVE_* variables, then explicit overrides."""
        values: dict[str, Any] = {}
        known = {f.name: f for f in fields(cls)}
        if toml_path is not None:
            try:
                data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ArchiveError(f"{toml_path}: cannot read settings ({exc})") from exc
            section = data.get("newsarchive", data)
            for key, value in section.items():
                if key in known:
                    values[key] = value
        for name in known:
            env = os.environ.get(f"NEWSARCHIVE_{name.upper()}")
            if env is not None and name in _SECONDS:
                values[name] = _seconds(name, env)
            elif env is not None:
                values[name] = _coerce(name, env, cls.__dataclass_fields__[name].default)
        values.update({k: v for k, v in overrides.items() if v is not None and k in known})
        try:
            return replace(cls(), **values)
        except ValueError as exc:  # a field mapping naming no field
            raise ArchiveError(f"{toml_path or 'settings'}: {exc}") from exc


def _coerce(name: str, raw: str, default: Any) -> Any:
    if name in _TEXT:
        return raw
    if name in _COUNTS:
        if raw.strip().lower() in {"", "none"}:
            return None
        try:
            return int(raw)
        except ValueError as exc:
            raise ArchiveError(f"NEWSARCHIVE_{name.upper()}={raw!r} is not a whole number") from exc
    if isinstance(default, bool) or default is None:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    try:
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError as exc:
        raise ArchiveError(f"NEWSARCHIVE_{name.upper()}={raw!r} is not a valid number") from exc
    return raw


_SECONDS = {"writer_wait"}
_TEXT = {"index_dir", "fields", "source_rights"}
_COUNTS = {"export_row_limit"}
"""Optional counts: a whole number, or empty/'none' for no limit."""
"""Settings that are text with no default (not flags)."""
"""Optional durations: a number of seconds, or empty/'none' for no limit."""


def _seconds(name: str, raw: str) -> float | None:
    if raw.strip().lower() in {"", "none", "inf"}:
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise ArchiveError(f"NEWSARCHIVE_{name.upper()}={raw!r} is not a number of seconds") from exc
    if value < 0:
        raise ArchiveError(f"NEWSARCHIVE_{name.upper()}={raw!r} must not be negative")
    return value


SOURCE_RIGHTS = ("full", "snippet", "metadata")
"""What the public may see of a source: everything, metadata and an excerpt, or metadata only."""


def rights_pairs(value: Any) -> tuple[tuple[str, str], ...]:
    """Source rights as (source, right) pairs from a TOML table, ``"SOURCE=RIGHT"`` strings (one, or
    comma-separated) or pairs; a right that is not one of SOURCE_RIGHTS is a ValueError. A source
    named twice keeps its last right."""
    items: list[Any]
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, str):
        items = [value]
    else:
        items = list(value or ())
    found: dict[str, str] = {}
    for item in items:
        if isinstance(item, str):
            pieces = [p for p in item.split(",") if p.strip()]
            pairs = [p.rpartition("=")[::2] for p in pieces]
        else:
            source, right = item
            pairs = [(str(source), str(right))]
        for source, right in pairs:
            name, wanted = source.strip(), right.strip().lower()
            if not name:
                raise ValueError(f"source rights: {item!r} names no source; write 'SOURCE NAME=snippet'")
            if wanted not in SOURCE_RIGHTS:
                raise ValueError(
                    f"source rights: {right.strip()!r} for {name!r} is not one of {', '.join(SOURCE_RIGHTS)}"
                )
            found[name] = wanted
    return tuple(found.items())
