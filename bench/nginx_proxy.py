"""nginx in front of a running server, configured from docs/nginx.conf, for bench/http_load.py.

The published configuration is the one measured: its ``http``-level directives and the archive's
``server`` block are taken from docs/nginx.conf as they are, and only what a loopback bench
cannot use is changed — TLS and the public name (one plain listener on a free loopback port), the
redirect and catch-all servers (dropped), paths (the cache, logs and temp files in a temp
directory), the upstream's port, and the per-client request limits (every bench client is
127.0.0.1, so they would turn the load into 429s). An access log records each answer's cache
status, so a run says how much of it the cache served.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from _common import stop_process

DOCS_CONFIG = Path(__file__).resolve().parent.parent / "docs" / "nginx.conf"
HOST = "127.0.0.1"


def _blocks(text: str) -> list[str]:
    """The top-level statements of an nginx configuration (comments dropped): each a directive
    ending in ``;`` or a block with its braces."""
    lines = [line.split("#", 1)[0] if not line.lstrip().startswith("#") else "" for line in text.splitlines()]
    body = "\n".join(lines)
    out: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                out.append(body[start : i + 1].strip())
                start = i + 1
        elif ch == ";" and depth == 0:
            out.append(body[start : i + 1].strip())
            start = i + 1
    return [b for b in out if b]


_DROPPED = re.compile(r"^\s*(listen|ssl_\w+|server_name|limit_req|limit_req_status)\b[^;]*;\s*$", re.M)


def bench_config(docs: str, directory: Path, listen_port: int, upstream_port: int) -> str:
    """docs/nginx.conf made to run unprivileged on loopback (see the module docstring)."""
    kept: list[str] = []
    for block in _blocks(docs):
        if block.startswith("server") and "proxy_pass" not in block:
            continue  # the HTTP redirect and the catch-all for other names
        if block.startswith("limit_req_zone"):
            continue
        if block.startswith("proxy_cache_path"):
            block = re.sub(r"proxy_cache_path\s+\S+", f"proxy_cache_path {directory / 'cache'}", block)
        if block.startswith("upstream"):
            block = re.sub(r"server\s+127\.0\.0\.1:\d+;", f"server {HOST}:{upstream_port};", block)
        if block.startswith("server"):
            block = _DROPPED.sub("", block)
            block = block.replace("{", f"{{\n    listen {HOST}:{listen_port};\n    server_name {HOST};", 1)
        kept.append(block)
    temp = {name: directory / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    head = [
        "daemon off;",
        "worker_processes auto;",
        f"pid {directory / 'nginx.pid'};",
        f"error_log {directory / 'error.log'} warn;",
        *(["user root;"] if os.geteuid() == 0 else []),
        "events { worker_connections 4096; }",
    ]
    http = [
        *(f"{name}_temp_path {path};" for name, path in temp.items()),
        "log_format cache '$upstream_cache_status $status';",
        f"access_log {directory / 'access.log'} cache buffer=64k flush=1s;",
        *kept,
    ]
    return "\n".join(head) + "\nhttp {\n" + "\n".join(http) + "\n}\n"


class NginxInFront:
    """nginx on a free loopback port proxying to ``upstream`` (a ``http://127.0.0.1:PORT`` URL)."""

    def __init__(self, upstream: str) -> None:
        self.upstream_port = int(upstream.rsplit(":", 1)[1])
        self.directory = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self._log_offset = 0

    def __enter__(self) -> str:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise SystemExit("nginx is not installed (apt-get install nginx-light), or leave out --proxy")
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        config = self.directory / "nginx.conf"
        config.write_text(bench_config(DOCS_CONFIG.read_text(), self.directory, port, self.upstream_port))
        check = subprocess.run([nginx, "-t", "-c", str(config)], capture_output=True, text=True)
        if check.returncode:
            raise SystemExit(f"nginx refuses the bench configuration {config}:\n{check.stderr}")
        self.proc = subprocess.Popen([nginx, "-c", str(config)])
        url = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/robots.txt", timeout=5).status_code == 200:
                    return url
            except httpx.HTTPError:
                time.sleep(0.1)
        self.__exit__()
        raise SystemExit(f"nginx did not answer within 20 s; see {self.directory / 'error.log'}")

    def mark(self) -> None:
        """Cache statuses counted from here on (``since_mark``)."""
        time.sleep(1.2)  # the access log is flushed every second
        log = self.directory / "access.log"
        self._log_offset = log.stat().st_size if log.exists() else 0

    def since_mark(self) -> dict[str, int]:
        """How many answers since ``mark`` had each cache status (HIT, MISS, EXPIRED, UPDATING, …;
        ``-`` for none: not cacheable)."""
        time.sleep(1.2)
        with (self.directory / "access.log").open("rb") as fh:
            fh.seek(self._log_offset)
            statuses = [line.split(b" ", 1)[0].decode() for line in fh.read().splitlines() if line]
        return dict(collections.Counter(statuses))

    def __exit__(self, *_: object) -> None:
        stop_process(self.proc, 10)
        shutil.rmtree(self.directory, ignore_errors=True)
