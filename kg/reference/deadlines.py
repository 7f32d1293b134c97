"""The Senate's rules for answer deadlines (`reference/deadlines.toml`): used only where a
question's chronology prints no deadline, and only when a rule with its source covers the
question's legislature. No rule: no deadline, never a guess."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.paths import REFERENCE_DIR

DEADLINES_FILE = REFERENCE_DIR / "deadlines.toml"


@dataclass(frozen=True)
class DeadlineRule:
    legislatures: tuple[int, ...]
    days: int
    unit: str  # "working" or "calendar"
    article: str
    source: str


def parse_rules(table: dict, where: str) -> tuple[DeadlineRule, ...]:
    """The rules of a parsed file; a rule lacking a field or with a bad value names its place."""
    rules = []
    for index, raw in enumerate(table.get("rule", []), start=1):
        place = f"{where}: rule {index}"
        legislatures = raw.get("legislatures")
        if not isinstance(legislatures, list) or not legislatures or not all(isinstance(n, int) for n in legislatures):
            raise ValueError(f"{place}: needs legislatures, a list of numbers")
        if not isinstance(raw.get("days"), int) or raw["days"] <= 0:
            raise ValueError(f"{place}: needs days, a positive number")
        if raw.get("unit") not in ("working", "calendar"):
            raise ValueError(f'{place}: unit must be "working" or "calendar"')
        for key in ("article", "source"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise ValueError(f"{place}: needs {key}")
        rules.append(DeadlineRule(tuple(legislatures), raw["days"], raw["unit"], raw["article"], raw["source"]))
    return tuple(rules)


def load_deadline_rules(path: Path | None = None) -> tuple[DeadlineRule, ...]:
    """The rules of `path` (default: the shipped reference data); ValueError naming the file
    when it is not valid TOML or a rule is wrong."""
    return _load(path or DEADLINES_FILE)


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[DeadlineRule, ...]:
    if not path.is_file():
        return ()
    with path.open("rb") as handle:
        try:
            table = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: {error}") from None
    return parse_rules(table, str(path))


def rule_for(rules: tuple[DeadlineRule, ...], legislature: int) -> DeadlineRule | None:
    for rule in rules:
        if legislature in rule.legislatures:
            return rule
    return None
