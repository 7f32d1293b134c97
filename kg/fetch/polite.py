"""Politeness: how long to wait between requests and before a retry, and what robots.txt allows.

One request at a time, each starting at least `delay` seconds after the one before (the larger
of `--delay` and the site's `Crawl-delay`); a server that asks for time (`Retry-After`) gets it;
failures back off exponentially with jitter, so that many clients retrying do not come back at
the same instant, and never longer than a cap.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from random import Random


class Throttle:
    """Spaces the starts of requests at least `interval` seconds apart."""

    def __init__(
        self, interval: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ):
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self, at_least: float = 0.0) -> float:
        """Sleep until the next request may start (and `at_least` seconds from now); return
        the seconds slept."""
        now = self._clock()
        due = now if self._last is None else self._last + self.interval
        due = max(due, now + at_least)
        slept = max(0.0, due - now)
        if slept:
            self._sleep(slept)
        self._last = self._clock()
        return slept


def backoff_delay(attempt: int, base: float, cap: float, rng: Random) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, ...): half of min(cap, base * 2^(attempt-1))
    for sure, the other half at random ("equal jitter")."""
    ceiling = min(cap, base * 2.0 ** max(0, attempt - 1))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds from now: delta-seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class Robots:
    """A site's robots.txt rules for our User-Agent. A missing file (4xx) allows everything; 401
    and 403 forbid everything, as does a file the server fails to give (5xx, after retries)."""

    def __init__(self, text: str | None, agent: str, *, forbid_all: bool = False, why: str = "robots.txt forbids it"):
        self.agent = agent
        self.forbid_all = forbid_all
        self.why = why  # what to say of a URL it does not allow
        self._parser = urllib.robotparser.RobotFileParser()
        self._parser.parse((text or "").splitlines())
        self._delay = _crawl_delays(text or "", agent)

    @classmethod
    def from_response(cls, status: int, text: str, agent: str) -> Robots:
        if status in (401, 403):
            return cls(None, agent, forbid_all=True, why=f"robots.txt answered {status}: the site forbids everything")
        if 400 <= status < 500:
            return cls(None, agent)
        if 200 <= status < 300:
            return cls(text, agent)
        return cls(None, agent, forbid_all=True, why=f"robots.txt could not be read (HTTP {status}): nothing is asked")

    def allows(self, url: str) -> bool:
        if self.forbid_all:
            return False
        return self._parser.can_fetch(self.agent, url)

    def crawl_delay(self) -> float:
        """Seconds of `Crawl-delay` in the group for our agent (else the `*` group); fractions allowed."""
        return self._delay


def _crawl_delays(text: str, agent: str) -> float:
    """The Crawl-delay of the group naming `agent`, else of the `*` group, else 0."""
    found: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        field, value = (part.strip() for part in line.split(":", 1))
        field = field.lower()
        if field == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        else:
            in_rules = True
            if field == "crawl-delay":
                try:
                    delay = float(value)
                except ValueError:
                    continue
                if delay >= 0 and delay != float("inf"):
                    for name in agents:
                        found.setdefault(name, delay)
    mine = agent.lower()
    for name, delay in found.items():
        if name != "*" and name in mine:
            return delay
    return found.get("*", 0.0)
