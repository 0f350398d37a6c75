"""HTTP load on /api/search: N concurrent clients on loopback for a fixed time, per uvicorn worker count.

    python bench/http_load.py --archive ARCHIVE [--clients 50] [--duration 20] [--workers 1,2]

Starts the real server (``newsarchive.web.app:app_from_env``) on 127.0.0.1 for each worker count,
warms it up, then runs the clients (asyncio + httpx, split over ``--client-procs`` processes) and
reports requests/s, p50/p90/p99/max latency and errors. Queries are words drawn from the archive's
own titles, mixed with filters, sorts and second pages, so results are not one cached answer.
Targets (issue 3): >= 500 req/s on 2 cores, p99 <= 200 ms at 50 clients, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

import httpx

HOST = "127.0.0.1"  # loopback only, by design
MAX_DURATION = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--archive", required=True, type=Path, help="archive directory to serve")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument(
        "--duration", type=float, default=20.0, help="seconds of measured load per run (max 300)"
    )
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured load first")
    parser.add_argument("--workers", default="1,2", help="uvicorn worker counts to try, comma separated")
    parser.add_argument("--client-procs", type=int, default=2, help="processes the clients are spread over")
    parser.add_argument("--threads", type=int, default=8, help="request threads per worker (default 8)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--driver",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk (C, light on the 2 cores the server shares; apt-get install wrk) or "
        "python (asyncio + httpx clients); auto picks wrk when installed",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per run")
    parser.add_argument("--markdown", type=Path, help="append a markdown table of the runs to this file")
    args = parser.parse_args()
    if not (args.archive / "archive.sqlite").exists():
        parser.error(f"{args.archive}: not an archive (no archive.sqlite)")
    duration = min(args.duration, MAX_DURATION)
    driver = args.driver
    if driver == "auto":
        driver = "wrk" if shutil.which("wrk") else "python"
    elif driver == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk), or use --driver python")
    runs = []
    for workers in [int(w) for w in args.workers.split(",") if w.strip()]:
        with _server(args.archive, workers, args.threads) as base_url:
            queries = _queries(base_url, args.seed)
            if driver == "wrk":
                _load_wrk(base_url, queries, args.clients, args.warmup)  # warm-up
                result = _load_wrk(base_url, queries, args.clients, duration)
            else:
                _load(base_url, queries, args.clients, args.warmup, args.client_procs, args.seed)  # warm-up
                result = _load(base_url, queries, args.clients, duration, args.client_procs, args.seed + 1)
        result.update(
            workers=workers, clients=args.clients, threads=args.threads, cores=os.cpu_count(), driver=driver
        )
        runs.append(result)
        if args.json:
            print(json.dumps(result))
        else:
            print(_line(result), flush=True)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as out:
            out.write(_markdown(runs, args.archive))


class _server:
    """The real server in a subprocess on a free loopback port, stopped on exit."""

    def __init__(self, archive: Path, workers: int, threads: int) -> None:
        self.archive = archive
        self.workers = workers
        self.threads = threads

    def __enter__(self) -> str:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        env = {
            **os.environ,
            "NEWSARCHIVE_WEB_ARCHIVE": str(self.archive.resolve()),
            "NEWSARCHIVE_WEB_THREADS": str(self.threads),
        }
        env.pop("NEWSARCHIVE_WRITE_TOKEN", None)
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", "newsarchive.web.app:app_from_env", "--factory",
                "--host", HOST, "--port", str(port), "--workers", str(self.workers),
                "--log-level", "warning", "--no-server-header", "--no-access-log",
            ],
            env=env,
        )  # fmt: skip
        url = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}")
            try:
                if httpx.get(url + "/api/stats", timeout=5).status_code == 200:
                    return url
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit("server did not start within 60 s")

    def __exit__(self, *_: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _queries(base_url: str, seed: int) -> list[dict[str, Any]]:
    """Search parameter sets built from words in the archive's titles."""
    data = httpx.get(base_url + "/api/search", params={"per_page": 100, "sort": "date"}, timeout=30).json()
    words: list[str] = []
    for hit in data["hits"]:
        words.extend(w.lower() for w in re.findall(r"[^\W\d_]{5,}", hit["title"]))
    words = sorted(set(words)) or ["news"]
    sources = list(data["facets"].get("source", {}))[:5]
    rng = random.Random(seed)
    queries: list[dict[str, Any]] = []
    for i in range(200):
        params: dict[str, Any] = {"q": rng.choice(words)}
        if i % 4 == 1:
            params["q"] += " " + rng.choice(words)
            params["q"] = params["q"].replace(" ", " OR ", 1)
        if i % 5 == 2:
            params["sort"] = "date"
        if i % 7 == 3 and sources:
            params["source"] = rng.choice(sources)
        if i % 9 == 4:
            params["page"] = 2
        if i % 11 == 5:
            params = {"q": "", "sort": "date"}
        queries.append(params)
    return queries


def _load_wrk(base_url: str, queries: list[dict[str, Any]], clients: int, duration: float) -> dict[str, Any]:
    """Drive the server with wrk: a C client costs the shared cores far less than Python clients."""
    paths = ["/api/search?" + urllib.parse.urlencode(q, doseq=True) for q in queries]
    lua = "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
    lua += "local n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format('GET', paths[(n % #paths) + 1])\nend\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(duration))}s", "--latency", "-s", script.name, base_url],
            capture_output=True, text=True, timeout=duration + 60, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    pct = {m.group(1): _ms(m.group(2)) for m in re.finditer(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    seconds = re.search(r"requests in ([\d.]+)(m?s)", out)
    elapsed = float(seconds.group(1)) * (60 if seconds.group(2) == "m" else 1) if seconds else duration
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(x) for x in socket_errors.groups()) if socket_errors else 0
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {
        "requests": requests,
        "errors": errors,
        "error_samples": [],
        "seconds": round(elapsed, 2),
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": pct.get("50"),
        "p90_ms": pct.get("90"),
        "p99_ms": pct.get("99"),
        "max_ms": _ms(m.group(1)) if (m := re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out)) else None,
        "mean_ms": _ms(m.group(1)) if (m := re.search(r"Latency\s+(\S+)", out)) else None,
    }


def _ms(value: str) -> float:
    """wrk prints durations as 850.00us, 68.14ms or 1.20s."""
    number = float(re.sub(r"[a-z]+$", "", value))
    unit = value[len(str(re.sub(r"[a-z]+$", "", value))) :]
    return round(number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}.get(unit, 1.0), 2)


def _load(
    base_url: str, queries: list[dict[str, Any]], clients: int, duration: float, procs: int, seed: int
) -> dict[str, Any]:
    procs = max(1, min(procs, clients))
    shares = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    ctx = mp.get_context("spawn")
    with ctx.Pool(procs) as pool:
        parts = pool.starmap(
            _client_process, [(base_url, queries, n, duration, seed + i) for i, n in enumerate(shares)]
        )
    latencies = sorted(x for part in parts for x in part["latencies"])
    errors = sum(part["errors"] for part in parts)
    samples = [e for part in parts for e in part["error_samples"]][:5]
    elapsed = max(part["elapsed"] for part in parts)
    return {
        "requests": len(latencies),
        "errors": errors,
        "error_samples": samples,
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": _pct(latencies, 50),
        "p90_ms": _pct(latencies, 90),
        "p99_ms": _pct(latencies, 99),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
    }


def _client_process(
    base_url: str, queries: list[dict[str, Any]], clients: int, duration: float, seed: int
) -> dict[str, Any]:
    return asyncio.run(_clients(base_url, queries, clients, duration, seed))


async def _clients(
    base_url: str, queries: list[dict[str, Any]], clients: int, duration: float, seed: int
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    samples: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.perf_counter()
    deadline = started + duration

    async def client(n: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        rng = random.Random(seed * 1000 + n)
        while time.perf_counter() < deadline:
            params = rng.choice(queries)
            t0 = time.perf_counter()
            try:
                response = await http.get("/api/search", params=params)
                ok = response.status_code == 200
                if not ok and len(samples) < 5:
                    samples.append(f"{response.status_code} {params} {response.text[:200]}")
            except httpx.HTTPError as exc:
                ok = False
                if len(samples) < 5:
                    samples.append(f"{type(exc).__name__} {params}")
            if ok:
                latencies.append((time.perf_counter() - t0) * 1000)
            else:
                errors += 1

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    return {
        "latencies": latencies,
        "errors": errors,
        "error_samples": samples,
        "elapsed": time.perf_counter() - started,
    }


def _pct(sorted_values: list[float], pct: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return round(sorted_values[index], 1)


def _line(r: dict[str, Any]) -> str:
    return (
        f"workers={r['workers']} clients={r['clients']} cores={r['cores']}: {r['rps']} req/s over {r['seconds']} s, "
        f"p50 {r['p50_ms']} ms, p90 {r['p90_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms, "
        f"errors {r['errors']}" + (f" e.g. {r['error_samples'][0]}" if r["error_samples"] else "")
    )


def _markdown(runs: list[dict[str, Any]], archive: Path) -> str:
    rows = [
        f"| {r['workers']} | {r['clients']} | {r['rps']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} | {r['errors']} |"
        for r in runs
    ]
    return (
        f"\n### HTTP load on /api/search ({time.strftime('%Y-%m-%d')}, {archive.name}, {runs[0]['cores']} cores)\n\n"
        "| uvicorn workers | clients | req/s | p50 ms | p99 ms | max ms | errors |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    main()
