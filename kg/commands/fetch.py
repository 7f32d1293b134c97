"""`kg fetch --legislature N --out DIR --contact ADDRESS`: gather a legislature's written
questions from the publisher's site, politely and resumably, into a folder `kg build` reads."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path


def _whole(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be zero or more seconds")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _choices(allowed: tuple[str, ...]) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(item.strip() for item in text.split(",") if item.strip()))
        bad = [item for item in items if item not in allowed]
        if bad or not items:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)} (comma-separated), not {text!r}")
        return items

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from kg.fetch.addresses import DEFAULT_BASE_URL, DEFAULT_PATTERN, LANGUAGES, RENDERINGS

    parser.add_argument("--legislature", type=_whole(1), required=True, metavar="N", help="the legislature to walk")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="where the pages go (the archive and state in DIR/fetch/)",
    )
    parser.add_argument(
        "--contact",
        default=os.environ.get("KG_FETCH_CONTACT"),
        metavar="ADDRESS",
        help="e-mail or URL where the site's operator can reach you, sent in the User-Agent "
        "(default: KG_FETCH_CONTACT; required)",
    )
    parser.add_argument("--from", dest="start", type=_whole(1), default=1, metavar="N", help="first number (default 1)")
    parser.add_argument(
        "--to",
        dest="end",
        type=_whole(1),
        metavar="N",
        help="last number (default: until --stop-after numbers in a row hold no question)",
    )
    parser.add_argument(
        "--stop-after",
        type=_whole(0),
        default=50,
        metavar="N",
        help="numbers in a row without a question that end the walk (default 50; 0: never)",
    )
    parser.add_argument(
        "--lang",
        type=_choices(LANGUAGES),
        default=LANGUAGES,
        metavar="nl,fr",
        help="languages to fetch (default nl,fr)",
    )
    parser.add_argument(
        "--rendering",
        type=_choices(RENDERINGS),
        default=("web",),
        metavar="web,print,bilingual",
        help="renderings to fetch: web page, one-language and bilingual print versions (default web)",
    )
    parser.add_argument(
        "--since",
        type=_day,
        metavar="DATE",
        help="ask again only about known questions sent on or after DATE (YYYY-MM-DD); "
        "unknown numbers are always asked",
    )
    parser.add_argument(
        "--max-age",
        type=_whole(0),
        default=30,
        metavar="DAYS",
        help="ask again about answered or closed questions, and gaps, checked more than DAYS ago "
        "(default 30); open questions are asked every run",
    )
    parser.add_argument(
        "--base-url",
        default=DEFAULT_BASE_URL,
        metavar="URL",
        help=f"the site, {{base}} in the pattern (default {DEFAULT_BASE_URL})",
    )
    parser.add_argument(
        "--pattern",
        default=DEFAULT_PATTERN,
        metavar="PATTERN",
        help="a question page's address, with {base} {page} {legislature} {number} {lang} "
        f"{{rendering}} (default {DEFAULT_PATTERN})",
    )
    parser.add_argument(
        "--missing-text",
        action="append",
        default=[],
        metavar="TEXT",
        help="a page holding TEXT is a missing number (repeatable)",
    )
    parser.add_argument(
        "--delay",
        type=_seconds,
        default=1.0,
        metavar="S",
        help="seconds between the starts of two requests (default 1; robots.txt's Crawl-delay when larger)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="S",
        help="seconds to wait for the server before retrying (default 30)",
    )
    parser.add_argument(
        "--retries",
        type=_whole(0),
        default=5,
        metavar="N",
        help="retries of a request after 429, 5xx, a timeout or a broken answer (default 5)",
    )
    parser.add_argument(
        "--backoff",
        type=_seconds,
        default=2.0,
        metavar="S",
        help="seconds before the first retry, doubled each time, with jitter (default 2)",
    )
    parser.add_argument(
        "--backoff-max",
        type=_seconds,
        default=300.0,
        metavar="S",
        help="the longest wait between retries (default 300)",
    )
    parser.add_argument(
        "--retry-after-max",
        type=_seconds,
        default=3600.0,
        metavar="S",
        help="a longer Retry-After gives the page up for this run (default 3600)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress or notes on stderr")


def _check_contact(contact: str | None) -> str:
    if not contact:
        raise ValueError("say how the site's operator can reach you: --contact you@example.org (or KG_FETCH_CONTACT)")
    if not contact.isascii() or not contact.isprintable() or not ("@" in contact or "://" in contact):
        raise ValueError(f"--contact must be an e-mail address or a URL in plain ASCII, not {contact!r}")
    return contact


def run(args: argparse.Namespace) -> int:
    from kg.fetch import Addresses, FetchOptions, Politeness, fetch

    try:
        contact = _check_contact(args.contact)
        addresses = Addresses(args.base_url, args.pattern)
        if args.end is not None and args.end < args.start:
            raise ValueError(f"--to {args.end} is before --from {args.start}")
    except ValueError as error:
        print(f"kg fetch: {error}", file=sys.stderr)
        return 2
    if args.out.exists() and not args.out.is_dir():
        print(f"kg fetch: {args.out} is not a folder", file=sys.stderr)
        return 2
    options = FetchOptions(
        out=args.out,
        legislature=args.legislature,
        contact=contact,
        start=args.start,
        end=args.end,
        langs=args.lang,
        renderings=args.rendering,
        addresses=addresses,
        stop_after=args.stop_after,
        since=args.since,
        max_age=timedelta(days=args.max_age),
        missing_phrases=tuple(args.missing_text),
        politeness=Politeness(
            args.delay, args.timeout, args.retries, args.backoff, args.backoff_max, args.retry_after_max
        ),
    )
    try:
        report = fetch(options, progress=None if args.quiet else sys.stderr)
    except (OSError, RuntimeError) as error:
        print(f"kg fetch: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        for note in report.notes + report.charset_notes():
            print(f"kg fetch: {note}", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1
