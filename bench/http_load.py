"""HTTP load: N concurrent clients on loopback for a fixed time, per uvicorn worker count and mix.

    python bench/http_load.py --archive ARCHIVE [--clients 50] [--duration 20] [--workers 1,2]
                              [--mix search,browse,revalidate,floor] [--repeat 3]

Starts the real server (``newsarchive.web.app:app_from_env``) on 127.0.0.1 for each worker count,
warms it up, then runs the clients (wrk, or asyncio + httpx split over ``--client-procs``
processes) and reports requests/s, p50/p90/p99/max latency and errors. Mixes:

- ``search``: /api/search with words drawn from the archive's own titles, mixed with filters,
  sorts and second pages, so results are not one cached answer. Targets (issue 3): >= 500 req/s
  on 2 cores, p99 <= 200 ms at 50 clients, 0 errors.
- ``browse``: what readers and crawlers of a published archive fetch (issue 16): the home page,
  section pages with page numbers (most on pages 1–3, some anywhere in the pager), year, month
  and day pages, article pages, the sitemap index and month sitemaps, the latest and section
  feeds; every address checked to answer 200 first. Target: p99 <= 50 ms at 50 clients at 1M.
- ``lists``: the browse mix without the home and article pages (which pages.py builds): the
  section, date, sitemap and feed pages alone.
- ``revalidate``: the browse addresses with the ETag each answered, as a caching proxy asks
  when its copy is stale; browse pages, feeds and sitemaps answer 304 before any search, article
  pages are built first and their body hashed.
- ``floor``: /robots.txt, the cheapest answer through the same stack (middleware, routing, the
  archive generation check), the baseline the others are compared with in the same run.

With ``--repeat`` each (workers, mix) runs that many times, the mixes alternated; the report gives
each run and the median.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
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
from _common import stop_process
from nginx_proxy import NginxInFront

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
        "--mix",
        default="search",
        help="comma separated: search, browse, lists, revalidate, floor (default search)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (workers, mix), alternated")
    parser.add_argument(
        "--driver",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk (C, light on the 2 cores the server shares; apt-get install wrk) or "
        "python (asyncio + httpx clients); auto picks wrk when installed",
    )
    parser.add_argument(
        "--proxy",
        choices=["none", "nginx"],
        default="none",
        help="nginx: the clients go through nginx configured from docs/nginx.conf (its cache in "
        "front of the server), and each run counts the answers the cache served",
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
    mixes = [m.strip() for m in args.mix.split(",") if m.strip()]
    unknown = set(mixes) - set(MIXES)
    if unknown:
        parser.error(f"unknown mix {', '.join(sorted(unknown))}; choose from {', '.join(MIXES)}")
    runs = []
    alone: dict[str, tuple[float, int]] = {}
    for workers in [int(w) for w in args.workers.split(",") if w.strip()]:
        with contextlib.ExitStack() as stack:
            server_url = stack.enter_context(_server(args.archive, workers, args.threads))
            proxy = NginxInFront(server_url) if args.proxy == "nginx" else None
            base_url = stack.enter_context(proxy) if proxy is not None else server_url
            requests = {mix: _requests(mix, base_url, args.seed, alone) for mix in mixes}
            for repeat in range(max(1, args.repeat)):
                for mix in mixes:
                    _drain(server_url)
                    paths, headers = requests[mix]
                    if driver == "wrk":
                        _load_wrk(base_url, paths, headers, args.clients, args.warmup)  # warm-up
                        if proxy is not None:
                            proxy.mark()
                        result = _load_wrk(base_url, paths, headers, args.clients, duration)
                    else:
                        load = (base_url, paths, headers, args.clients)
                        _load(*load, args.warmup, args.client_procs, args.seed)  # warm-up
                        if proxy is not None:
                            proxy.mark()
                        result = _load(*load, duration, args.client_procs, args.seed + 1)
                    if proxy is not None:
                        result["cache"] = proxy.since_mark()
                    result.update(
                        mix=mix, repeat=repeat + 1, workers=workers, clients=args.clients,
                        threads=args.threads, cores=os.cpu_count(), driver=driver, proxy=args.proxy,
                    )  # fmt: skip
                    runs.append(result)
                    if args.json:
                        print(json.dumps(result))
                    else:
                        print(_line(result), flush=True)
    if not args.json:
        for summary in _medians(runs):
            print(_summary_line(summary), flush=True)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as out:
            out.write(_markdown(runs, args.archive, alone))


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
                if httpx.get(url + "/robots.txt", timeout=5).status_code == 200:
                    return url
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit("server did not start within 60 s")

    def __exit__(self, *_: object) -> None:
        stop_process(self.proc, 20)


def _drain(base_url: str, limit: float = 180.0) -> float:
    """Wait until the server has worked off what an earlier run left queued (a request whose
    client has gone is still answered), so one mix's backlog is not measured as the next one's
    latency: three /robots.txt in a row within 50 ms. Returns the seconds waited."""
    started = time.perf_counter()
    quick = 0
    with httpx.Client(base_url=base_url, timeout=limit) as client:
        while quick < 3 and time.perf_counter() - started < limit:
            t0 = time.perf_counter()
            client.get("/robots.txt")
            quick = quick + 1 if time.perf_counter() - t0 < 0.05 else 0
            time.sleep(0.05)
    return time.perf_counter() - started


MIXES = ("search", "browse", "lists", "revalidate", "floor")
LIST_KINDS = ("section", "year", "month", "day", "sitemap", "feed")
"""The browse pages that list articles (sections, dates, sitemaps, feeds): the ``lists`` mix."""


def _requests(
    mix: str, base_url: str, seed: int, alone: dict[str, tuple[float, int]]
) -> tuple[list[str], list[dict[str, str]]]:
    """The paths one mix requests in turn, and the headers sent with each (empty but for revalidate);
    a browse mix fills ``alone`` with its pages' times when fetched alone."""
    if mix == "search":
        paths = ["/api/search?" + urllib.parse.urlencode(q, doseq=True) for q in _queries(base_url, seed)]
    elif mix == "floor":
        paths = ["/robots.txt"]
    else:
        paths, times = _browse_paths(base_url, seed)
        if not alone:
            alone.update(times)
            print(_alone_line(times), flush=True)
        if mix == "lists":
            paths = [p for p in paths if _kind(p).startswith(LIST_KINDS)]
    headers: list[dict[str, str]] = [{} for _ in paths]
    if mix == "revalidate":
        with httpx.Client(base_url=base_url, timeout=60) as client:
            headers = [{"If-None-Match": client.get(p).headers["etag"]} for p in paths]
    return paths, headers


def _browse_paths(
    base_url: str, seed: int, count: int = 300
) -> tuple[list[str], dict[str, tuple[float, int]]]:
    """Addresses a published archive's readers and crawlers fetch, drawn from the archive itself;
    and each kind of page's median time when fetched alone (with its number of addresses)."""
    rng = random.Random(seed)
    with httpx.Client(base_url=base_url, timeout=120) as client:
        facets = client.get("/api/search", params={"per_page": 1}).json()["facets"]
        sections = {name: n for name, n in facets.get("section", {}).items() if name and name != "unknown"}
        months = sorted(client.get("/api/timeline").json())
        total = client.get("/api/search", params={"per_page": 1}).json()["total"]
        articles: list[tuple[str, str]] = []  # (id, published) from pages across the newest 10,000
        for page in rng.sample(range(1, min(100, max(1, total // 100)) + 1), k=min(8, max(1, total // 100))):
            hits = client.get("/api/search", params={"sort": "date", "per_page": 100, "page": page}).json()
            articles += [(h["id"], h["published"]) for h in hits["hits"] if len(h["published"] or "") >= 10]
        section_names = sorted(sections)
        paths: list[str] = []
        for i in range(count):
            kind = i % 20
            if kind == 0:
                paths.append("/")
            elif kind in (1, 2, 3, 4, 5) and section_names:
                name = rng.choice(section_names)
                last = max(1, min(-(-sections[name] // 20), 10_000 // 20))
                page = rng.randint(1, min(3, last)) if rng.random() < 0.6 else rng.randint(1, last)
                path = "/sections/" + urllib.parse.quote(name, safe="")
                paths.append(path + (f"?page={page}" if page > 1 else ""))
            elif kind in (6, 7, 8, 9, 10) and articles:
                _, published = rng.choice(articles)
                year, month, day = published[:10].split("-")
                shape = rng.choice(("year", "month", "month", "day", "day"))
                path = {"year": f"/{year}/", "month": f"/{year}/{month}/", "day": f"/{year}/{month}/{day}/"}[
                    shape
                ]
                paths.append(path + ("?page=2" if shape != "day" and rng.random() < 0.2 else ""))
            elif kind in (11, 12, 13, 14, 15, 16) and articles:
                paths.append("/articles/" + rng.choice(articles)[0])
            elif kind == 17:
                paths.append("/sitemap.xml" if rng.random() < 0.3 else f"/sitemap-{rng.choice(months)}.xml")
            elif kind == 18 or not section_names:
                paths.append("/feeds/latest")
            else:
                paths.append("/feeds/sections/" + urllib.parse.quote(rng.choice(section_names), safe=""))
        # every address answers, or the figures mean nothing; timed once each with no other load,
        # so a slow kind of page shows apart from the mix
        unloaded: dict[str, list[float]] = {}
        for path in sorted(set(paths)):
            started = time.perf_counter()
            status = client.get(path).status_code
            unloaded.setdefault(_kind(path), []).append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"browse mix: {path} answered {status}")
    alone = {kind: (round(statistics.median(ms), 1), len(ms)) for kind, ms in unloaded.items()}
    return paths, alone


def _alone_line(alone: dict[str, tuple[float, int]]) -> str:
    return "Browse pages alone (one client, first answer, median ms): " + ", ".join(
        f"{k} {v[0]} (n={v[1]})" for k, v in sorted(alone.items())
    )


def _kind(path: str) -> str:
    """What kind of browse page an address is: home, section, section-deep, year, month, day …"""
    bare, _, query = path.partition("?")
    if bare == "/":
        return "home"
    if bare.startswith("/sections/"):
        page = int(urllib.parse.parse_qs(query).get("page", ["1"])[0])
        return "section p1-3" if page <= 3 else "section deeper"
    if bare.startswith("/articles/"):
        return "article"
    if bare.startswith("/feeds/"):
        return "feed " + ("latest" if bare == "/feeds/latest" else "section")
    if bare.startswith("/sitemap"):
        return "sitemap index" if bare == "/sitemap.xml" else "sitemap month"
    return {1: "year", 2: "month", 3: "day"}.get(bare.strip("/").count("/") + 1, "other")


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


def _load_wrk(
    base_url: str, paths: list[str], headers: list[dict[str, str]], clients: int, duration: float
) -> dict[str, Any]:
    """Drive the server with wrk: a C client costs the shared cores far less than Python clients."""
    lua = "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
    lua += "local headers = {" + ",".join(_lua_table(h) for h in headers) + "}\n"
    lua += (
        "local n = 0\nrequest = function()\n  n = n + 1\n  local i = (n % #paths) + 1\n"
        "  return wrk.format('GET', paths[i], headers[i])\nend\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(duration))}s", "--timeout", "30s", "--latency", "-s", script.name, base_url],
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


def _lua_table(headers: dict[str, str]) -> str:
    return "{" + ",".join(f"[{json.dumps(k)}]={json.dumps(v)}" for k, v in headers.items()) + "}"


def _ms(value: str) -> float:
    """wrk prints durations as 850.00us, 68.14ms or 1.20s."""
    number = float(re.sub(r"[a-z]+$", "", value))
    unit = value[len(str(re.sub(r"[a-z]+$", "", value))) :]
    return round(number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}.get(unit, 1.0), 2)


def _load(
    base_url: str,
    paths: list[str],
    headers: list[dict[str, str]],
    clients: int,
    duration: float,
    procs: int,
    seed: int,
) -> dict[str, Any]:
    procs = max(1, min(procs, clients))
    shares = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    ctx = mp.get_context("spawn")
    requests = list(zip(paths, headers, strict=True))
    with ctx.Pool(procs) as pool:
        parts = pool.starmap(
            _client_process, [(base_url, requests, n, duration, seed + i) for i, n in enumerate(shares)]
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
    base_url: str, requests: list[tuple[str, dict[str, str]]], clients: int, duration: float, seed: int
) -> dict[str, Any]:
    return asyncio.run(_clients(base_url, requests, clients, duration, seed))


async def _clients(
    base_url: str, requests: list[tuple[str, dict[str, str]]], clients: int, duration: float, seed: int
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
            path, headers = rng.choice(requests)
            t0 = time.perf_counter()
            try:
                response = await http.get(path, headers=headers)
                ok = response.status_code == (304 if headers else 200)
                if not ok and len(samples) < 5:
                    samples.append(f"{response.status_code} {path} {response.text[:200]}")
            except httpx.HTTPError as exc:
                ok = False
                if len(samples) < 5:
                    samples.append(f"{type(exc).__name__} {path}")
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
        f"{r['mix']} #{r['repeat']} workers={r['workers']} clients={r['clients']} cores={r['cores']}: "
        f"{r['rps']} req/s over {r['seconds']} s, "
        f"p50 {r['p50_ms']} ms, p90 {r['p90_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms, "
        f"errors {r['errors']}"
        + (f" e.g. {r['error_samples'][0]}" if r["error_samples"] else "")
        + (f", nginx cache {_cache_share(r['cache'])}" if "cache" in r else "")
    )


def _cache_share(counts: dict[str, int]) -> str:
    """The share of answers nginx served from its cache (HIT, or a stale copy while it updates),
    with every status counted."""
    total = sum(counts.values())
    served = sum(n for status, n in counts.items() if status in ("HIT", "UPDATING", "STALE"))
    detail = ", ".join(f"{status} {n}" for status, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return f"{100 * served / total:.1f}% from cache ({detail})" if total else "no answers logged"


def _medians(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per (workers, mix): the median of each figure over the repeats, and p50/p99 as a multiple of
    the floor mix's median in the same run (when it was measured)."""
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in runs:
        groups.setdefault((r["workers"], r["mix"]), []).append(r)
    out = []
    for (workers, mix), group in groups.items():
        summary: dict[str, Any] = {
            "workers": workers,
            "mix": mix,
            "runs": len(group),
            "clients": group[0]["clients"],
        }
        for key in ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms"):
            values = [r[key] for r in group if r[key] is not None]
            summary[key] = round(statistics.median(values), 2) if values else None
        summary["errors"] = sum(r["errors"] for r in group)
        if any("cache" in r for r in group):
            summary["cache"] = dict(
                sum((collections.Counter(r.get("cache", {})) for r in group), collections.Counter())
            )
        out.append(summary)
    for summary in out:
        floor = next((s for s in out if s["workers"] == summary["workers"] and s["mix"] == "floor"), None)
        for key in ("p50_ms", "p99_ms"):
            ratio = summary[key] / floor[key] if floor and floor[key] and summary[key] is not None else None
            summary[key.replace("_ms", "_x_floor")] = round(ratio, 1) if ratio is not None else None
    return out


def _summary_line(s: dict[str, Any]) -> str:
    ratios = f" ({s['p50_x_floor']}x / {s['p99_x_floor']}x floor)" if s["p50_x_floor"] is not None else ""
    return (
        f"median of {s['runs']}: {s['mix']} workers={s['workers']}: {s['rps']} req/s, p50 {s['p50_ms']} ms, "
        f"p99 {s['p99_ms']} ms{ratios}, errors {s['errors']}"
    )


def _markdown(runs: list[dict[str, Any]], archive: Path, alone: dict[str, tuple[float, int]]) -> str:
    rows = []
    for s in _medians(runs):
        each = " / ".join(str(r["rps"]) for r in runs if (r["mix"], r["workers"]) == (s["mix"], s["workers"]))
        ratios = f"{s['p50_x_floor']}× / {s['p99_x_floor']}×" if s["p50_x_floor"] is not None else "—"
        cache = f" {_cache_share(s['cache'])} |" if "cache" in s else ""
        rows.append(
            f"| {s['mix']} | {s['workers']} | {s['clients']} | {each} (**{s['rps']}**) | {s['p50_ms']} | "
            f"{s['p99_ms']} | {ratios} | {s['max_ms']} | {s['errors']} |{cache}"
        )
    proxied = any("cache" in s for s in _medians(runs))
    return (
        f"\n### HTTP load ({time.strftime('%Y-%m-%d %H:%M')}, {archive.name}, {runs[0]['cores']} cores, "
        f"{runs[0]['driver']}, medians of {max(r['repeat'] for r in runs)} runs"
        f"{', through nginx (docs/nginx.conf)' if proxied else ''})\n\n"
        "| mix | uvicorn workers | clients | req/s (each run, **median**) | p50 ms | p99 ms | p50 / p99 vs floor "
        "| max ms | errors |"
        + (" nginx cache |" if proxied else "")
        + "\n|---|---|---|---|---|---|---|---|---|"
        + ("---|" if proxied else "")
        + "\n"
        + "\n".join(rows)
        + "\n"
        + ("\n" + _alone_line(alone) + "\n" if alone else "")
    )


if __name__ == "__main__":
    main()
