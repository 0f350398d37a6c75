"""A throwaway PostgreSQL cluster for a test session: initdb in a temp dir, a free loopback port, gone at the end.

PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres`` OS user and
every server command runs through ``runuser`` (or ``su``); as anyone else it runs as that user.
Trust authentication on 127.0.0.1 only, unix sockets inside the temp dir (no clash with a system
server), and fsync off: the cluster is thrown away, so durability would only cost time. Tests
skip, with the reason, only when no server binary can be found or the server cannot be started.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_SERVER_USER = "postgres"


def find_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: NEWSARCHIVE_PG_BIN, then PATH, then Debian's versioned folders."""
    env = os.environ.get("NEWSARCHIVE_PG_BIN")
    candidates = [Path(env)] if env else []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name.split(".")[0] or 0)
    )
    candidates += [Path(p) for p in reversed(debian)]
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One cluster: ``start()`` returns the DSN of its ``postgres`` database, ``stop()`` removes it all."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="newsarchive-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self.as_root = os.geteuid() == 0
        self._names = itertools.count(1)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a server command, as the postgres user when we are root."""
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_root:
            if shutil.which("runuser"):
                command = ["runuser", "-u", _SERVER_USER, "--", *command]
            else:
                command = ["su", _SERVER_USER, "-c", shlex.join(command)]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.root, _SERVER_USER, _SERVER_USER)
        done = self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n", encoding="utf-8"
        )
        for _attempt in range(3):  # a free port can be taken between the probe and the bind
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            done = self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
            )
            if done.returncode == 0:
                return self.dsn("postgres")
        raise RuntimeError(f"pg_ctl start failed: {self._log_tail()}")

    def dsn(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return " | ".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-5:])
        return "(no server log)"

    def create_database(self, options: str = "") -> str:
        """A new empty database on the cluster; returns its DSN."""
        import psycopg

        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' {options}")
        return self.dsn(name)

    @contextlib.contextmanager
    def small_disk_database(self, megabytes: int) -> Iterator[str]:
        """A database whose tables live on a tmpfs of this size (root only), so it really fills up."""
        import psycopg

        if not self.as_root or shutil.which("mount") is None:
            pytest.skip("mounting a small tmpfs needs root")
        n = next(self._names)
        mount = self.root / f"disk-{n}"
        mount.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(mount)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        dsn = ""
        try:
            shutil.chown(mount, _SERVER_USER, _SERVER_USER)
            with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
                conn.execute(f"CREATE TABLESPACE small_{n} LOCATION '{mount}'")
            dsn = self.create_database(f"TABLESPACE small_{n}")
            yield dsn
        finally:
            with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
                if dsn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{dsn.rsplit("/", 1)[1]}" WITH (FORCE)')
                conn.execute(f"DROP TABLESPACE IF EXISTS small_{n}")
            subprocess.run(["umount", "-l", str(mount)], check=False)

    def drop_database(self, dsn: str) -> None:
        import psycopg

        name = dsn.rsplit("/", 1)[1]
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> Iterator[PostgresServer]:
    """Start a cluster for the session and stop it at the end; skips (with why) when none can run."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[postgres]')")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: `make postgres-deps` installs them "
            "as root, or set NEWSARCHIVE_PG_BIN"
        )
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        server.stop()
        pytest.skip(f"could not start a throwaway PostgreSQL from {bin_dir}: {exc}")
    try:
        yield server
    finally:
        server.stop()
