"""The cues of `reference/extraction-patterns.toml`, compiled once.

Every pattern is matched against folded, lower-cased text (`kg.extract.fold.fold_lower`), which
makes them case-insensitive without the cost of re.IGNORECASE; a list of patterns becomes one
alternation, so a cue test is one regex search.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.paths import REFERENCE_DIR

PATTERNS_FILE = REFERENCE_DIR / "extraction-patterns.toml"
_FLAGS = 0


class PatternsError(ValueError):
    """A pattern that does not compile or a missing section: names which."""


@dataclass(frozen=True)
class Platform:
    key: str  # "twitter"
    label: str  # "Twitter"
    homepage: str  # foaf:accountServiceHomepage
    hosts: tuple[str, ...]


@dataclass(frozen=True)
class Patterns:
    platforms: dict[str, Platform]
    platform_word: re.Pattern[str]  # group "word"; lastgroup names the platform
    word_platform: dict[str, str]  # group name -> platform key
    host_platform: dict[str, str]
    url: re.Pattern[str]
    account_suffix: re.Pattern[str]
    account_noun: re.Pattern[str]
    account_owner: re.Pattern[str]
    quoted_name: re.Pattern[str]
    social_media: re.Pattern[str]
    negation: re.Pattern[str]
    plan: re.Pattern[str]
    uses: re.Pattern[str]
    uses_platform: re.Pattern[str]
    cues: re.Pattern[str]  # negation, plan, uses, uses_platform as groups neg/plan/uses/weak
    relevant: re.Pattern[str]  # anything a fact could rest on; other sentences are skipped
    conditional: re.Pattern[str]
    this_year: re.Pattern[str]
    next_year: re.Pattern[str]
    named_year: re.Pattern[str]
    since: re.Pattern[str]
    active: re.Pattern[str]
    abuse_word: re.Pattern[str]
    abuse_negative: re.Pattern[str]
    abuse_known: re.Pattern[str]
    abuse_reply: re.Pattern[str]
    audience: re.Pattern[str]  # groups: count, lang1, noun, lang2
    audience_nouns: dict[str, re.Pattern[str]]  # interaction -> noun pattern
    audience_languages: dict[str, re.Pattern[str]]
    policies: dict[str, re.Pattern[str]]
    policy_any: re.Pattern[str]  # all policies, one group per kind (its key with _ for -)
    header: re.Pattern[str]
    section: re.Pattern[str]
    label: re.Pattern[str]
    anaphora: re.Pattern[str]


def _compile(source: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(source, _FLAGS)
    except re.error as error:
        raise PatternsError(f"{PATTERNS_FILE.name}: {where}: {error}: {source!r}") from None


def _join(sources: list[str]) -> str:
    """One alternation of `sources`, with the word boundary most of them start with taken out
    in front: Python's engine then tests the boundary once per position instead of once per
    pattern, which makes a long list of cues some twenty times faster to search."""
    bounded = [source[2:] for source in sources if source.startswith(r"\b")]
    rest = [source for source in sources if not source.startswith(r"\b")]
    parts = [r"\b(?:" + "|".join(f"(?:{source})" for source in bounded) + ")"] if bounded else []
    return "|".join(parts + [f"(?:{source})" for source in rest])


def _named(groups: list[tuple[str, list[str]]], where: str) -> re.Pattern[str]:
    """One regex with a named group per list; the shared leading word boundary again in front.
    A match's `lastgroup` is the list it is from: no pattern may name a group of its own."""
    if any("(?P<" in source for _, sources in groups for source in sources):
        raise PatternsError(f"{PATTERNS_FILE.name}: {where}: a pattern names a group")
    if all(source.startswith(r"\b") for _, sources in groups for source in sources):
        inner = "|".join(
            f"(?P<{name}>" + "|".join(f"(?:{source[2:]})" for source in sources) + ")" for name, sources in groups
        )
        return _compile(r"\b(?:" + inner + ")", where)
    return _compile("|".join(f"(?P<{name}>{_join(sources)})" for name, sources in groups), where)


def _any(sources: list[str], where: str) -> re.Pattern[str]:
    if not sources:
        raise PatternsError(f"{PATTERNS_FILE.name}: {where}: no patterns")
    return _compile(_join(sources), where)


def _load(path: Path) -> Patterns:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        platforms_table = data["platform"]
        account, cues, abuse = data["account"], data["cues"], data["abuse"]
        audience, policy, structure = data["audience"], data["policy"], data["structure"]
    except KeyError as missing:
        raise PatternsError(f"{path.name}: section {missing} is missing") from None

    platforms: dict[str, Platform] = {}
    word_groups: list[str] = []
    word_platform: dict[str, str] = {}
    host_platform: dict[str, str] = {}
    for key, table in platforms_table.items():
        platforms[key] = Platform(key, table["label"], table["homepage"], tuple(table["hosts"]))
        group = f"p{len(word_platform)}"
        word_platform[group] = key
        word_groups.append(f"(?P<{group}>{'|'.join(table['words'])})")
        for host in table["hosts"]:
            host_platform[host] = key
    platform_word = _compile(r"(?<![\w@/.])(?P<word>" + "|".join(word_groups) + r")", "platform words")
    hosts = "|".join(re.escape(host) for host in sorted(host_platform, key=len, reverse=True))
    url = _compile(
        r"(?<![\w@/.-])(?:https?://)?(?:[\w-]+\.)*(?P<host>"
        + hosts
        + r")(?![\w.-])(?P<path>/[^\s<>\"\u201c\u201d\u00ab\u00bb()\[\]]*)?",
        "urls",
    )

    nouns = {kind: _any(words, f"audience nouns {kind}") for kind, words in audience["nouns"].items()}
    languages = {lang: _any(words, f"audience languages {lang}") for lang, words in audience["languages"].items()}
    noun_any = "|".join(f"(?:{p.pattern})" for p in nouns.values())
    lang_any = "|".join(f"(?:{p.pattern})" for p in languages.values())
    audience_re = _compile(
        audience["number"] + rf"\s+(?:(?P<lang1>{lang_any})\s+)?(?P<noun>{noun_any})\b"
        rf"(?:\s+(?P<lang2>{lang_any})\b)?",
        "audience",
    )

    policies = {kind: _any(sources, f"policy {kind}") for kind, sources in policy.items()}
    cue_groups = [
        ("neg", cues["negation"]),
        ("plan", cues["plan"]),
        ("uses", cues["uses"]),
        ("weak", cues["uses_platform"]),
    ]
    combined_cues = _named(cue_groups, "cues")
    policy_any = _named([(kind.replace("-", "_"), sources) for kind, sources in policy.items()], "policy")
    all_words = [word for table in platforms_table.values() for word in table["words"]]
    relevant = _compile(
        _join(
            [
                *(r"\b" + word for word in all_words),
                hosts,
                "@",
                *cues["social_media"],
                *abuse["word"],
                *abuse["reply"],
                *(source for sources in policy.values() for source in sources),
                *(r"\b" + noun for nouns in audience["nouns"].values() for noun in nouns),
                r"\b(?:sinds|sedert|vanaf|depuis|des)\b",
            ]
        ),
        "relevant",
    )

    return Patterns(
        platforms=platforms,
        platform_word=platform_word,
        word_platform=word_platform,
        host_platform=host_platform,
        url=url,
        account_suffix=_compile(account["suffix"], "account suffix"),
        account_noun=_compile(account["noun"], "account noun"),
        account_owner=_compile(account["owner"], "account owner"),
        quoted_name=_compile(account["quoted_name"], "account quoted_name"),
        social_media=_any(cues["social_media"], "cues social_media"),
        negation=_any(cues["negation"], "cues negation"),
        plan=_any(cues["plan"], "cues plan"),
        uses=_any(cues["uses"], "cues uses"),
        uses_platform=_any(cues["uses_platform"], "cues uses_platform"),
        cues=combined_cues,
        relevant=relevant,
        policy_any=policy_any,
        conditional=_any(cues["conditional"], "cues conditional"),
        this_year=_any(cues["this_year"], "cues this_year"),
        next_year=_any(cues["next_year"], "cues next_year"),
        named_year=_compile(cues["named_year"], "cues named_year"),
        since=_compile(cues["since"], "cues since"),
        active=_any(cues["active"], "cues active"),
        abuse_word=_any(abuse["word"], "abuse word"),
        abuse_negative=_any(abuse["negative"], "abuse negative"),
        abuse_known=_any(abuse["known"], "abuse known"),
        abuse_reply=_any(abuse["reply"], "abuse reply"),
        audience=audience_re,
        audience_nouns=nouns,
        audience_languages=languages,
        policies=policies,
        header=_any(structure["header"], "structure header"),
        section=_any(structure["section"], "structure section"),
        label=_compile(structure["label"], "structure label"),
        anaphora=_any(structure["anaphora"], "structure anaphora"),
    )


@lru_cache(maxsize=4)
def load_patterns(path: Path = PATTERNS_FILE) -> Patterns:
    return _load(path)
