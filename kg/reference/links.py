"""Links out of the reference data: the Wikidata items of parties and governments.

The facts live in `reference/links.toml`, each item with the public source it was read in; a
party or government the file does not list has no link (kg never guesses an identifier).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.paths import REFERENCE_DIR

LINKS_FILE = REFERENCE_DIR / "links.toml"
WIKIDATA_ITEM = re.compile(r"Q[1-9][0-9]*")


class LinksError(ValueError):
    """The links file breaks its format; the message names the file and the entry."""


@dataclass(frozen=True)
class Link:
    wikidata: str  # "Q1160192"
    source: str  # where the item was read


@dataclass(frozen=True)
class Links:
    parties: dict[str, Link]  # by the party's printed name
    governments: dict[str, Link]  # by the government's key


def read_links(path: Path) -> Links:
    """The links of one file; a `LinksError` naming the file and entry for a bad one."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LinksError(f"{path}: {error}") from error
    unknown = set(data) - {"party", "government"}
    if unknown:
        raise LinksError(f"{path}: unknown tables {sorted(unknown)}; expected party and government")
    return Links(
        _entries(path, "party", data.get("party", {})), _entries(path, "government", data.get("government", {}))
    )


def _entries(path: Path, kind: str, tables: dict[str, dict]) -> dict[str, Link]:
    links = {}
    for name, table in tables.items():
        where = f"{path}: {kind} {name!r}"
        item, source = table.get("wikidata"), table.get("source")
        if not isinstance(item, str) or not WIKIDATA_ITEM.fullmatch(item):
            raise LinksError(f"{where}: wikidata {item!r} is not a Wikidata item (Q followed by digits)")
        if not isinstance(source, str) or not source.startswith(("https://", "http://")):
            raise LinksError(f"{where}: a link needs its source, an http(s) URL")
        links[name] = Link(item, source)
    return links


def check_governments(links: Links, keys: set[str], path: Path = LINKS_FILE) -> None:
    """A `LinksError` when the file links a government the government files do not have."""
    for key in sorted(set(links.governments) - keys):
        raise LinksError(f"{path}: government {key!r} is not in reference/governments/")


@lru_cache(maxsize=1)
def load_links() -> Links:
    return read_links(LINKS_FILE)
