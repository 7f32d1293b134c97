"""Gathering the Senate's written questions: `kg fetch`.

Walks a legislature's question numbers at the publisher's addresses (`addresses`), one polite
request at a time (`polite`, `client`), reads each answer's text (`charset`, `markup`), tells
questions from missing numbers and other pages (`pages`), writes each question's pages as text files `kg build` reads, and keeps every exchange
in WARC files and a manifest (`archive`), with a journal that makes runs resumable and
incremental (`state`). `walk.fetch` is the run. Sits beside `kg.parse`, below everything else:
it reads pages with the parser, and knows nothing of RDF, builds, stores or the web layer.
"""

from __future__ import annotations

from kg.fetch.addresses import Addresses, Target
from kg.fetch.client import Politeness
from kg.fetch.walk import FetchOptions, FetchReport, fetch

__all__ = ["Addresses", "FetchOptions", "FetchReport", "Politeness", "Target", "fetch"]
