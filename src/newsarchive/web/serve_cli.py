"""``newsarchive serve``: the web UI and REST API on 127.0.0.1:8080 by default.

Registered in cli.py with ``cli.add_command(serve)``; reads the archive path and settings from
the group's context object like every other command.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import replace
from typing import Any

import click

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--write-token",
    envvar="NEWSARCHIVE_WRITE_TOKEN",
    default=None,
    help="Token that POST /api/ingest must send as 'Authorization: Bearer TOKEN' "
    "(or NEWSARCHIVE_WRITE_TOKEN). Without it the server is read-only.",
)
@click.option(
    "--write-token-label",
    envvar="NEWSARCHIVE_WRITE_TOKEN_LABEL",
    default=None,
    help="Who holds the write token (e.g. newsroom): uploads are recorded as upload:LABEL/NAME "
    "(or NEWSARCHIVE_WRITE_TOKEN_LABEL).",
)
@click.option(
    "--read-token",
    envvar="NEWSARCHIVE_READ_TOKEN",
    default=None,
    help="Token that lets a request see every source in full despite --rights, sent as "
    "'Authorization: Bearer TOKEN' (or NEWSARCHIVE_READ_TOKEN); the write token does too.",
)
@click.option(
    "--rights",
    "rights",
    multiple=True,
    metavar="'SOURCE=RIGHT'",
    help="What the public sees of a source: full, snippet (metadata and a short excerpt) or metadata "
    "(no text); repeatable, '*=RIGHT' for every other source. Adds to source_rights in the settings "
    "(or NEWSARCHIVE_SOURCE_RIGHTS).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=min(4, os.cpu_count() or 1),
    show_default="one per core, at most 4",
    help="Server processes (searches are CPU-bound Python: one per core serves the most).",
)
@click.option(
    "--public-host",
    "public_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer to this Host name on a loopback bind (repeatable): the public name a reverse "
    "proxy passes on; sitemaps, feeds and canonical links are written with it.",
)
@click.pass_obj
def serve(
    obj: Any,
    host: str,
    port: int,
    write_token: str | None,
    write_token_label: str | None,
    workers: int,
    public_hosts: tuple[str, ...] = (),
    read_token: str | None = None,
    rights: tuple[str, ...] = (),
) -> None:
    """Serve the archive: web pages for people, a JSON API (/docs) for programs."""
    import uvicorn

    from newsarchive.archive import Archive
    from newsarchive.settings import rights_pairs
    from newsarchive.web.app import (
        ENV_ALLOWED_HOSTS,
        ENV_ARCHIVE,
        ENV_READ_TOKEN,
        ENV_SETTINGS,
        ENV_TOKEN,
        ENV_TOKEN_LABEL,
        create_app,
        settings_to_env,
    )

    if obj.archive_path is None:
        raise click.UsageError(
            "no archive given: pass --archive DIR (or a postgresql:// URL) or set NEWSARCHIVE_ARCHIVE"
        )
    token = write_token or None
    if rights:
        try:
            given = rights_pairs(rights)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--rights") from None
        merged = dict(obj.settings.source_rights) | dict(given)
        obj.settings = replace(obj.settings, source_rights=tuple(merged.items()))
    # open once before binding: a clear error for a bad archive, and with write access the index
    # is healed now, so a kill -9 of an earlier ingest does not leave searches missing articles
    with Archive.open(obj.archive_path, obj.settings, create=False, readonly=not token) as archive:
        missing = archive.unsearchable()
        label = archive.label  # what messages may show (a server URL without its password)
    if missing:
        click.echo(
            f"warning: {missing} stored articles are not searchable yet (an ingest was interrupted or is "
            "running); serve with --write-token, run the next ingest or `newsarchive reindex` to catch up",
            err=True,
        )
    # Behind a loopback bind, refuse other Host names so a web page cannot reach us by DNS rebinding.
    allowed_hosts = (
        (*LOOPBACK_NAMES, *(h.strip().lower() for h in public_hosts)) if _is_loopback(host) else ()
    )
    if not _is_loopback(host):
        if token:
            click.echo(
                f"warning: serving on {host} with a write token over plain HTTP; put TLS in front of it",
                err=True,
            )
        else:
            click.echo(f"serving {host} read-only (no --write-token)", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"newsarchive: serving {label} on http://{shown}:{port}/ (API docs at /docs)", err=True)
    if workers == 1:
        app = create_app(
            obj.archive_path,
            obj.settings,
            token,
            write_token_label=write_token_label,
            read_token=read_token or None,
            allowed_hosts=allowed_hosts,
        )
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
        return
    os.environ[ENV_ARCHIVE] = str(obj.archive_path)
    os.environ[ENV_SETTINGS] = settings_to_env(obj.settings)
    os.environ[ENV_ALLOWED_HOSTS] = ",".join(allowed_hosts)
    for name, value in (
        (ENV_TOKEN, token),
        (ENV_TOKEN_LABEL, write_token_label),
        (ENV_READ_TOKEN, read_token),
    ):
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    uvicorn.run(
        "newsarchive.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        server_header=False,
    )
