"""Extraction of agencies, social media accounts and facts from written questions and answers.

Works on `kg.parse.records.QuestionRecord`s and returns `kg.extract.facts.Extraction`s; knows no
RDF. The gazetteer (`reference/agencies.toml`) and the cues (`reference/extraction-patterns.toml`)
are data, so the rules grow without code.
"""

from __future__ import annotations

from kg.extract.extractor import Extractor, extract
from kg.extract.facts import Account, AccountRef, AgencyMention, Evidence, Extraction, Fact

__all__ = ["Account", "AccountRef", "AgencyMention", "Evidence", "Extraction", "Extractor", "Fact", "extract"]
