"""Finding social media accounts in a sentence: handles, URLs and accounts named by a phrase.

An account is identified by its platform and a key: the handle ("@statbel_nl" -> statbel-nl),
the page name of its URL (facebook.com/pages/Statistics-Belgium-NL/2761... ->
statistics-belgium-nl), a page name given in quotes ("de facebookpagina “Pasoplichting”"), or,
for an account the text mentions without naming ("een eigen twitter-account"), `of-{agency}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from kg.extract.patterns import Patterns
from kg.text import slugify

HANDLE = re.compile(r"(?<![\w@./])@([A-Za-z0-9_]{2,30})(?![\w@])")
LANGUAGE_SUFFIX = re.compile(r"[-_ .](nl|fr|en|de)$", re.IGNORECASE)
_TRAILING = ".,;:!?'\""
# path prefixes that introduce the account's name rather than being it
_PREFIXES = {
    "facebook": {"pages", "groups", "pg"},
    "linkedin": {"company", "school", "showcase", "in", "groups"},
    "youtube": {"user", "c", "channel"},
    "flickr": {"photos", "people", "groups"},
}
_NOT_ACCOUNTS = {"share", "sharer.php", "search", "hashtag", "intent", "home", "watch", "login"}


@dataclass(frozen=True)
class Hit:
    """An account found in a sentence; offsets are within the sentence."""

    start: int
    end: int
    platform: str
    kind: Literal["handle", "url", "phrase"]
    key: str | None = None  # None for a phrase until its owner is known
    handle: str | None = None
    url: str | None = None
    name: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Word:
    """A platform named by a word: "Twitter", "facebookpagina", "LinkedIn-pagina"."""

    start: int
    end: int  # end of the whole phrase when `phrase`
    platform: str
    phrase: bool  # names an account ("twitter-account", "page Facebook"), not just the platform


def find_urls(sentence: str, folded: str, patterns: Patterns) -> list[Hit]:
    hits: list[Hit] = []
    if not any(host in folded for host in patterns.host_platform):
        return hits  # no URL without its host: a substring test is far cheaper than the pattern
    for match in patterns.url.finditer(folded):
        end = match.end()
        while end > match.start() and sentence[end - 1] in _TRAILING:
            end -= 1
        url = sentence[match.start() : end]
        platform = patterns.host_platform[match.group("host").lower()]
        named = _name_from_url(url, platform)
        if named is None:
            continue  # the platform's home page or a share link: no account
        handle = named if platform in ("twitter", "instagram") else None
        hits.append(
            Hit(
                match.start(),
                end,
                platform,
                "url",
                key=_key(named),
                handle=handle,
                url=url,
                name=None if handle else named,
                language=_language(named),
            )
        )
    return hits


def find_handles(sentence: str, taken: list[tuple[int, int]]) -> list[Hit]:
    """`@name` handles outside the URLs already found; the platform is settled later."""
    hits: list[Hit] = []
    if "@" not in sentence:
        return hits
    for match in HANDLE.finditer(sentence):
        if any(start <= match.start() < end for start, end in taken):
            continue
        handle = match.group(1)
        hits.append(
            Hit(match.start(), match.end(), "", "handle", key=_key(handle), handle=handle, language=_language(handle))
        )
    return hits


def find_words(folded: str, patterns: Patterns, taken: list[tuple[int, int]]) -> list[Word]:
    words = []
    for match in patterns.platform_word.finditer(folded):
        if any(start <= match.start() < end for start, end in taken):
            continue
        platform = next(
            patterns.word_platform[name]
            for name, value in match.groupdict().items()
            if value is not None and name != "word"
        )
        start, end, phrase = match.start(), match.end(), False
        word_end = end
        while word_end < len(folded) and (folded[word_end].isalnum() or folded[word_end] == "-"):
            word_end += 1
        suffix = patterns.account_suffix.match(folded, end)
        if suffix is not None and suffix.end() >= word_end:
            end, phrase = suffix.end(), True
        else:
            window = max(0, start - 40)
            noun = patterns.account_noun.search(folded[window:start])
            if noun is not None and _no_plural(folded, word_end):
                start, phrase = window + noun.start(), True
            end = word_end
        words.append(Word(start, end, platform, phrase))
    return words


def phrase_key(name: str | None, owner: str | None) -> str | None:
    """The key of an account named by a phrase: its quoted page name, else its owner's."""
    if name:
        return _key(name)
    return f"of-{owner}" if owner else None


def _no_plural(folded: str, end: int) -> bool:
    return not folded.startswith(("'s", "s "), end)


def _name_from_url(url: str, platform: str) -> str | None:
    parts = urlsplit(url if "://" in url else "https://" + url)
    path = parts.path
    if parts.fragment.startswith("!/") and path in ("", "/"):
        path = parts.fragment[1:]  # the old "twitter.com/#!/name" form
    segments = [segment for segment in path.split("/") if segment]
    if platform == "facebook" and segments[:1] == ["profile.php"]:
        ids = parse_qs(parts.query).get("id")
        return f"id-{ids[0]}" if ids and ids[0].isdigit() else None
    if not segments or segments[0].lower() in _NOT_ACCOUNTS:
        return None
    if segments[0].lower() in _PREFIXES.get(platform, ()) and len(segments) > 1:
        name = segments[1]
    else:
        name = segments[0]
    name = name.lstrip("@+")
    try:
        slugify(name)
    except ValueError:
        return None
    return name


def _key(name: str) -> str:
    return slugify(name)


def _language(name: str) -> str | None:
    match = LANGUAGE_SUFFIX.search(name)
    return match.group(1).lower() if match else None
