"""One polite HTTP client: a request at a time, spaced, retried with backoff, within robots.txt,
every exchange handed to the archive as soon as it is received."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from random import Random
from urllib.parse import urljoin, urlsplit

import httpx

from kg.fetch.archive import Exchange
from kg.fetch.polite import Robots, Throttle, backoff_delay, parse_retry_after

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Politeness:
    delay: float = 1.0  # seconds between the starts of two requests
    timeout: float = 30.0  # seconds to connect, and between two pieces of an answer
    retries: int = 5  # retries of one request after a 429, 5xx, timeout or broken connection
    backoff: float = 2.0  # seconds before the first retry (doubled each time, with jitter)
    backoff_cap: float = 300.0  # the longest backoff
    retry_after_cap: float = 3600.0  # a longer Retry-After gives the page up for this run


@dataclass
class Result:
    """The final answer to a GET, after redirects and retries."""

    url: str  # the final URL
    status: int = 0
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""  # as received
    error: str = ""  # why there is no answer to use ("" when there is)
    blocked: bool = False  # robots.txt forbids the URL
    exchanges: list[tuple[Exchange, int]] = field(default_factory=list)  # with their archive offsets

    def content(self) -> bytes:
        """The body with any content encoding the server applied anyway undone."""
        encoding = self.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompress(self.body, 31)
        if encoding == "deflate":
            try:
                return zlib.decompress(self.body)
            except zlib.error:
                return zlib.decompress(self.body, -15)
        return self.body


Recorder = Callable[[Exchange], int]


class Client:
    def __init__(
        self,
        politeness: Politeness,
        user_agent: str,
        robots_agent: str,
        record: Recorder,
        *,
        rng: Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.politeness = politeness
        self.user_agent = user_agent
        self.robots_agent = robots_agent
        self._record = record
        self._rng = rng or Random()
        self._sleep = sleep
        self.throttle = Throttle(politeness.delay, sleep=sleep)
        self._robots: dict[str, Robots] = {}
        self.requests = 0
        self._http = httpx.Client(
            timeout=politeness.timeout,
            follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept-Encoding": "identity"},
        )

    def close(self) -> None:
        self._http.close()

    def robots(self, url: str) -> Robots:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            result = self._get_with_retries(origin + "/robots.txt", {})
            if result.error:
                robots = Robots(
                    None,
                    self.robots_agent,
                    forbid_all=True,
                    why=f"robots.txt could not be read ({result.error}): nothing is asked",
                )
            else:
                robots = Robots.from_response(
                    result.status, result.content().decode("utf-8", "replace"), self.robots_agent
                )
            self._robots[origin] = robots
            delay = robots.crawl_delay()
            if delay > self.throttle.interval:
                self.throttle.interval = delay
        return self._robots[origin]

    def get(self, url: str, conditional: dict[str, str]) -> Result:
        """GET `url` following redirects (each hop within robots.txt), retrying what may pass."""
        exchanges: list[tuple[Exchange, int]] = []
        headers = dict(conditional)
        for _ in range(MAX_REDIRECTS + 1):
            robots = self.robots(url)
            if not robots.allows(url):
                return Result(url, error=robots.why, blocked=True, exchanges=exchanges)
            result = self._get_with_retries(url, headers)
            exchanges.extend(result.exchanges)
            result.exchanges = exchanges
            location = result.headers.get("location")
            if result.error or result.status not in REDIRECTS or not location:
                return result
            url = urljoin(url, location)
            headers = {}  # validators belong to the address they were given for
        return Result(url, error=f"more than {MAX_REDIRECTS} redirects", exchanges=exchanges)

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> Result:
        exchanges: list[tuple[Exchange, int]] = []
        wait = 0.0
        error = ""
        for attempt in range(1, self.politeness.retries + 2):
            self.throttle.wait(at_least=wait)
            self.requests += 1
            try:
                exchange = self._exchange(url, headers)
            except httpx.TimeoutException:
                error = f"no answer within {self.politeness.timeout:g} s"
            except httpx.HTTPError as failure:  # refused, reset, a body cut off, a bad answer
                error = f"{type(failure).__name__}: {failure}"
            else:
                exchanges.append((exchange, self._record(exchange)))
                response_headers = httpx.Headers(exchange.headers)
                if exchange.status not in RETRY_STATUSES:
                    return Result(url, exchange.status, response_headers, exchange.body, exchanges=exchanges)
                error = f"HTTP {exchange.status}"
                asked = parse_retry_after(response_headers.get("retry-after"))
                if asked is not None:
                    if asked > self.politeness.retry_after_cap:
                        return Result(
                            url,
                            exchange.status,
                            response_headers,
                            exchange.body,
                            exchanges=exchanges,
                            error=f"HTTP {exchange.status}, asked to come back in {asked:.0f} s",
                        )
                    wait = asked
                    continue
            wait = backoff_delay(attempt, self.politeness.backoff, self.politeness.backoff_cap, self._rng)
        return Result(url, error=f"{error} (gave up after {self.politeness.retries + 1} attempts)", exchanges=exchanges)

    def _exchange(self, url: str, headers: dict[str, str]) -> Exchange:
        request = self._http.build_request("GET", url, headers=headers)
        response = self._http.send(request, stream=True)
        try:
            body = b"".join(response.iter_raw())
        finally:
            response.close()
        return Exchange(
            url=str(request.url),
            method="GET",
            request_headers=list(request.headers.multi_items()),
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            headers=list(response.headers.multi_items()),
            body=body,
            time=datetime.now(UTC),
        )
