"""Finished public answers (browse and article pages, feeds, sitemaps) kept in memory by ETag.

An answer's ETag already hashes everything it depends on — the archive generation, the code and
templates, the source rights, the interface language, the host and the address — so the ETag is
the key: a new generation gives new keys and old answers just age out. Serving a kept answer
costs what ``/robots.txt`` costs, where building a page costs 5–30 ms of a core, so a server
without a caching proxy in front still answers its popular pages at the floor's speed. Requests
with an ``Authorization`` header never read or fill it (a token may see more than the public),
nor do answers that set a cookie. Bounded by bytes, least recently used out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from fastapi.responses import Response
from starlette.responses import StreamingResponse

__all__ = ["CachedAnswer", "PageCache"]

LARGEST_SHARE = 16
"""One answer takes at most this fraction of the cache (a huge sitemap does not empty it)."""


@dataclass(slots=True, frozen=True)
class CachedAnswer:
    """A 200 answer's body and headers (no Content-Length: the response adds it)."""

    body: bytes
    headers: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, response: Response) -> CachedAnswer | None:
        """The answer to keep, or None when it must not be kept (streamed, sets a cookie)."""
        if isinstance(response, StreamingResponse) or response.status_code != 200:
            return None
        headers = tuple((k, v) for k, v in response.headers.items() if k.lower() != "content-length")
        if any(k.lower() == "set-cookie" for k, _ in headers):
            return None
        return cls(bytes(response.body), headers)

    def response(self) -> Response:
        return Response(self.body, status_code=200, headers=dict(self.headers))

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class PageCache:
    """Answers by ETag, at most ``max_bytes`` of them; safe to share between request threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: str, answer: CachedAnswer) -> None:
        size = answer.size
        if size > self.max_bytes // LARGEST_SHARE:
            return
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._answers[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= dropped.size

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._answers)
