"""What a running server is configured with. One frozen object, built once by `kg serve` (or a
test) and read everywhere else, so no module reads the environment on its own."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kg.stores.sources import recorded_base
from kg.uris import DEFAULT_BASE, normalize_base
from kg.web.i18n import DEFAULT_LANGUAGE
from kg.web.i18n import LANGUAGES as PAGE_LANGUAGES
from kg.web.publisher import Publisher

UPDATE_TOKEN_ENV = "KG_UPDATE_TOKEN"

# The dataset is published under CC0: the Senate's questions are public records and the graph adds
# structure, not creative work, so nothing should stand in the way of reuse.
LICENSE = "http://creativecommons.org/publicdomain/zero/1.0/"
CACHE_CONTROL = "public, no-cache"
TITLE = "Belgian Senate written questions"
DESCRIPTION = (
    "Written questions of the Belgian Senate and their answers, with their authors, addressed "
    "offices, subjects, chronology and the agencies and social-media accounts they mention."
)


def check_page_languages(codes: tuple[str, ...]) -> tuple[str, ...]:
    """`codes` if each is a language pages are written in, given once; else ValueError."""
    if set(codes) - set(PAGE_LANGUAGES) or len(set(codes)) != len(codes):
        raise ValueError(f"languages of pages written ahead: each once, among {', '.join(PAGE_LANGUAGES)}")
    return codes


@dataclass(frozen=True)
class Settings:
    """Server configuration. `base` is where the graph's URIs live; request paths are mapped onto
    it whatever host and port the server actually answers on."""

    data_dir: Path
    base: str = DEFAULT_BASE
    query_timeout: float = 10.0  # seconds a SPARQL query may run before its worker is killed
    result_limit: int = 10_000  # rows (or triples) a SPARQL query may return
    workers: int = 2  # query worker processes
    search_workers: int = 2  # search worker processes; 0: searches run in the server's process
    query_memory: int = 2048  # MiB a query may take in its worker beyond the open store's; 0: no cap
    queue_timeout: float | None = None  # seconds a query may wait for a worker; None: 3 x timeout
    update_token: str | None = field(default=None, repr=False)
    # What documents and pages tell caches. They carry an ETag and Last-Modified, so by default a
    # cache may keep them but asks again each time (a 304 when unchanged): an update is seen at once.
    cache_control: str = CACHE_CONTROL
    # Count what the home page and VoID show before listening instead of meanwhile: a slower start
    # (a minute at 10,000 seed-like questions), but the first requests compete with nothing.
    prepare_first: bool = False
    # Write every resource's Turtle and N-Triples document and its HTML page before listening,
    # served from disk (`kg.web.document_pack`): a crawler's documents cost what cached ones do.
    prepare_documents: bool = False
    # The languages of the pages written ahead: by default the one a client naming none gets.
    prepared_languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    license: str = LICENSE
    title: str = TITLE
    description: str = DESCRIPTION
    queries: tuple[Path, ...] = ()  # operators' folders of stored queries, served beside kg's own
    publisher: Publisher | None = None  # who runs the deployment (`kg.web.publisher`); None: not said

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        object.__setattr__(self, "base", normalize_base(self.base))
        object.__setattr__(self, "queries", tuple(Path(p) for p in self.queries))
        if self.query_timeout <= 0:
            raise ValueError("query timeout must be positive")
        if self.result_limit < 1:
            raise ValueError("result limit must be at least 1")
        if self.workers < 1:
            raise ValueError("at least one query worker is needed")
        if self.search_workers < 0:
            raise ValueError("search workers must be 0 (searches in the server's process) or more")
        value = self.cache_control
        if not value.strip() or not value.isascii() or not value.isprintable():
            raise ValueError("Cache-Control must be one line of directives, e.g. 'public, max-age=300'")
        if self.query_memory < 0:
            raise ValueError("query memory must be 0 (no cap) or more")
        check_page_languages(self.prepared_languages)

    @property
    def wait_limit(self) -> float:
        return self.queue_timeout if self.queue_timeout is not None else 3 * self.query_timeout

    @classmethod
    def for_data(cls, data_dir: Path, **overrides: object) -> Settings:
        """Settings for serving `data_dir`: the base URI recorded in its build.json (unless
        overridden) and the update token from the environment."""
        values: dict[str, object] = {}
        recorded = recorded_base(Path(data_dir))
        if recorded:
            values["base"] = recorded
        token = os.environ.get(UPDATE_TOKEN_ENV)
        if token:
            values["update_token"] = token
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(data_dir=Path(data_dir), **values)  # type: ignore[arg-type]
