"""Capture blobs under concurrency: the web server reads captures from many threads at once."""

from __future__ import annotations

import random
import threading
import zlib

from newsarchive.store import blobs


def _payloads(n: int) -> list[bytes]:
    rng = random.Random(4)
    words = [
        bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(3000)
    ]
    return [b" ".join(rng.choice(words) for _ in range(rng.randint(20_000, 60_000))) for _ in range(n)]


def test_many_threads_pack_and_unpack_at_once_without_mixing_up_bytes() -> None:
    payloads = _payloads(8)
    packed = [blobs.pack(p) for p in payloads]
    failures: list[str] = []
    start = threading.Barrier(8)

    def work(worker: int) -> None:
        start.wait()
        for round_ in range(40):
            i = (worker + round_) % len(payloads)
            try:
                if blobs.unpack(packed[i]) != payloads[i]:
                    failures.append(f"worker {worker}: payload {i} came back different")
                if blobs.unpack(blobs.pack(payloads[i])) != payloads[i]:
                    failures.append(f"worker {worker}: payload {i} did not survive a round trip")
            except Exception as exc:
                failures.append(f"worker {worker}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_blobs_written_with_zlib_by_older_archives_still_read() -> None:
    assert blobs.unpack(zlib.compress(b"<html>old</html>", 6)) == b"<html>old</html>"
