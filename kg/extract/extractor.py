"""Reading agencies, accounts and facts out of one question record.

The text is walked paragraph by paragraph, keeping what a reader keeps in mind: the agency the
current section is about (set by headers such as "Voor wat de FOD Mobiliteit betreft :" or a
paragraph that is only an agency's name), and the numbered sub-question being answered. Each
sentence is then read clause by clause: a clause that denies use, plans use or states use, with
the platforms and accounts it names. Rules are deliberately narrow: a fact is only made when the
sentence names both who and what (or the section does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import TypeVar

from kg.extract.accounts import Hit, Word, find_handles, find_urls, find_words, phrase_key
from kg.extract.dates import find_dates
from kg.extract.facts import Account, AccountRef, AgencyMention, Evidence, Extraction, Fact, TextKind
from kg.extract.fold import fold, fold_lower
from kg.extract.gazetteer import AgencyHit, Gazetteer, load_gazetteer
from kg.extract.patterns import Patterns, load_patterns
from kg.extract.sentences import split_sentences
from kg.parse.records import Paragraph, QuestionRecord, Text

# Clause boundaries outside parentheses: ";", ", maar", " mais ", and " en"/" et" before a
# future verb ("maakt gebruik van Facebook en zal later ook Twitter gebruiken").
_CLAUSE = re.compile(
    r";|,\s+(?:maar|mais|doch|terwijl|tandis\s+que)\b|\s(?:maar|mais)\s"
    r"|\s(?:en|et)\s+(?=(?:zal|zullen|plant|overweegt|wil|va|vont|sera|seront|prevoit|envisage)\b)"
)
_ARTICLES = {"", "de", "het", "la", "le", "l'", "les"}
_LABEL_JOINERS = re.compile(r"^(?:en|et|and|of|ou)\s+")
_NON_DIGIT = re.compile(r"\D")

T = TypeVar("T")


@dataclass(frozen=True)
class _Ref:
    """An agency reference in a sentence: named (explicit) or "de FOD" (anaphora)."""

    start: int
    end: int
    agency: str | None
    explicit: bool


@dataclass
class _Context:
    kind: TextKind
    year: int  # the year "dit jaar" means
    abuse_parts: frozenset[int]
    header: str | None = None  # the agency of the current section
    current: str | None = None  # the agency "de FOD" means
    part: int | None = None  # the numbered sub-question being answered


@dataclass
class _Clause:
    start: int
    end: int
    negated: bool
    planned: bool
    uses: bool  # a cue of use ("maakt gebruik van", "utilise")
    uses_platform: bool  # that, or a cue that only counts with a platform named ("via")
    since: date | None = None  # "actief sinds 1 maart 2012": the day the clause says use began


@dataclass
class _AccountState:
    ref: AccountRef
    evidence: Evidence
    handle: str | None = None
    url: str | None = None
    name: str | None = None
    owner: str | None = None
    language: str | None = None
    topics: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Figure:
    """An audience figure as the sentence gives it: "474 Nederlandstalige volgers"."""

    start: int  # of the whole figure
    count_start: int  # of its number
    count: int
    interaction: str  # "follow", "like", "join"
    language: str | None


@dataclass(frozen=True)
class _Details:
    """The rest of what a relevant sentence says whatever its context, read when a fact could
    rest on it: the year it names, audience figures and dates, policies, abuse."""

    next_year: bool  # "volgend jaar"
    this_year: bool  # "dit jaar"
    named_year: int | None  # "in 2014"
    audience: list[_Figure]
    dates: list[tuple[int, int, date]]  # the sentence's dates, where it gives audience figures
    policies: list[str]  # policy kinds it states ("posting-schedule")
    policy_platform: str | None  # the one platform it names, if only one
    abuse: str | None  # "no-abuse" or "abuse" where it speaks of abuse and says which
    abuse_reply: bool  # a bare reply ("Neen.") that answers a question about abuse


@dataclass
class _Reading:
    """What a sentence says whatever its context: agencies named, accounts (URLs, handles) and
    platform words, the cues that make it worth reading on, its clauses. Answers repeat their
    sentences (stock phrasings, the same list of accounts in every sibling's answer), so
    readings are kept per sentence text and the context-dependent part is all that runs again."""

    hits: list[AgencyHit]
    named: list[Hit]
    words: list[Word]
    relevant: bool
    clauses: list[_Clause] | None  # None where not relevant
    # Agency references in order, explicit or anaphoric ("de FOD": agency None, the context's)
    refs: list[_Ref]
    about_abuse: bool = False
    details: _Details | None = None  # filled on first need
    # Per named account, what its owner and topic are apart from the context: the agency its
    # name spells, the agency heading its list, the list's topic (`_Run._named_accounts`).
    owners: list[tuple[str | None, str | None, str | None]] | None = None


class _Memo:
    """Bounded memory of paragraph splits and sentence readings: emptied when full, which costs
    far less than keeping an order of use and still keeps what a batch of documents repeats."""

    SIZE = 4096

    def __init__(self) -> None:
        self.paragraphs: dict[str, tuple[str, str, list[tuple[int, int]]]] = {}
        self.sentences: dict[tuple[str, str, str], _Reading] = {}

    def keep(self, table: dict, key: object, value: object) -> None:
        if len(table) >= self.SIZE:
            table.clear()
        table[key] = value


class Extractor:
    def __init__(self, gazetteer: Gazetteer | None = None, patterns: Patterns | None = None):
        self.gazetteer = gazetteer or load_gazetteer()
        self.patterns = patterns or load_patterns()
        self.memo = _Memo()
        # Caches of this extractor's own: a cache on the class would keep every extractor alive.
        self._question_run = lru_cache(maxsize=512)(self._read_question)
        self._abuse_parts = lru_cache(maxsize=512)(self._find_abuse_parts)

    def extract(self, record: QuestionRecord) -> Extraction:
        question = tuple(paragraph.text for paragraph in record.question.paragraphs)
        run = self._question_run(question, record.date.year).copy(record, self.memo)
        if record.answer is not None:
            abuse_parts = self._abuse_parts(question)
            run.walk(record.answer.text, _Context("answer", record.answer.date.year, abuse_parts))
        return run.result()

    def _read_question(self, paragraphs: tuple[str, ...], year: int) -> _Run:
        """The question text read once: the same question is asked of many ministers (18
        siblings in the seeds), and only its answers differ."""
        run = _Run(self.gazetteer, self.patterns, None, self.memo)
        run.walk(Text(tuple(Paragraph(text) for text in paragraphs)), _Context("question", year, frozenset()))
        return run

    def _find_abuse_parts(self, paragraphs: tuple[str, ...]) -> frozenset[int]:
        """Numbers of the sub-questions that ask about abuse ("4) Zijn er ... misbruik ...").
        Cached as the question's reading is: siblings ask the same question."""
        parts = set()
        for text in paragraphs:
            folded = fold(text)
            label = self.patterns.label.match(folded)
            if label and self.patterns.abuse_word.search(folded):
                parts.add(int(label.group(1)))
        return frozenset(parts)


class _Run:
    """The extraction of one record: walks its texts and collects what it finds."""

    def __init__(self, gazetteer: Gazetteer, patterns: Patterns, record: QuestionRecord | None, memo: _Memo):
        self.gaz = gazetteer
        self.pat = patterns
        self.record = record
        self.memo = memo
        self.agencies: dict[str, AgencyMention] = {}
        self.accounts: dict[AccountRef, _AccountState] = {}
        self.facts: dict[TextKind, list[Fact]] = {"question": [], "answer": []}
        self.reported: list[str] = []

    def copy(self, record: QuestionRecord, memo: _Memo) -> _Run:
        """This run's findings so far, for `record`: the cached question's, to go on with."""
        other = _Run(self.gaz, self.pat, record, memo)
        other.agencies = dict(self.agencies)
        other.accounts = {ref: replace(state, topics=list(state.topics)) for ref, state in self.accounts.items()}
        other.facts = {kind: list(facts) for kind, facts in self.facts.items()}
        other.reported = list(self.reported)
        return other

    # -- results ---------------------------------------------------------------------------

    def result(self) -> Extraction:
        accounts = tuple(
            Account(
                ref=state.ref,
                evidence=state.evidence,
                handle=state.handle,
                url=state.url,
                name=state.name,
                owner=state.owner,
                language=state.language,
                topics=tuple(state.topics),
            )
            for state in self.accounts.values()
        )
        for account in accounts:
            if account.owner:
                self._mention(
                    account.owner,
                    account.handle and "@" + account.handle or account.name or account.url or str(account.ref),
                    account.evidence,
                )
        assert self.record is not None
        return Extraction(
            language=self.record.language,
            agencies=tuple(self.agencies.values()),
            accounts=accounts,
            question_facts=self._final(self.facts["question"]),
            answer_facts=self._final(self.facts["answer"]),
            reported=tuple(dict.fromkeys(self.reported + [fact.agency for fact in self.facts["answer"]])),
        )

    @staticmethod
    def _final(facts: list[Fact]) -> tuple[Fact, ...]:
        """First statement of each fact only; "uses social media" dropped for an agency whose
        platforms are known (it says less than "uses Twitter")."""
        specific = {fact.agency for fact in facts if fact.kind == "uses" and fact.platform}
        seen: dict[tuple, Fact] = {}
        for fact in facts:
            if fact.kind == "uses" and fact.platform is None and fact.agency in specific:
                continue
            seen.setdefault(fact.key(), fact)
        return tuple(seen.values())

    def _mention(self, agency: str, surface: str, evidence: Evidence) -> None:
        if agency not in self.agencies:
            self.agencies[agency] = AgencyMention(agency, surface, evidence)

    def _fact(self, ctx: _Context, fact: Fact) -> None:
        self.facts[ctx.kind].append(fact)

    def _account(self, hit: Hit, key: str, owner: str | None, topic: str | None, evidence: Evidence) -> AccountRef:
        ref = AccountRef(hit.platform, key)
        state = self.accounts.get(ref)
        if state is None:
            state = self.accounts[ref] = _AccountState(ref, evidence)
        state.handle = state.handle or hit.handle
        state.url = state.url or hit.url
        state.name = state.name or hit.name
        state.owner = state.owner or owner
        state.language = state.language or hit.language
        if topic and topic not in state.topics:
            state.topics.append(topic)
        return ref

    # -- paragraphs ------------------------------------------------------------------------

    def walk(self, text: Text, ctx: _Context) -> None:
        for index, paragraph in enumerate(text.paragraphs):
            raw = paragraph.text
            cased, folded, spans = self._split(raw)
            label = self.pat.label.match(folded)
            if label:
                ctx.part = int(label.group(1))
            if ctx.kind == "answer" and (
                self._header(raw, cased, folded, index, ctx) or self._list_item(raw, folded, index, ctx)
            ):
                continue
            for start, end in spans:
                self._sentence(
                    raw[start:end],
                    cased[start:end],
                    folded[start:end],
                    Evidence(ctx.kind, index, start, end, raw[start:end]),
                    ctx,
                )

    def _split(self, raw: str) -> tuple[str, str, list[tuple[int, int]]]:
        """A paragraph folded (`cased` for the gazetteer, whose abbreviations are case-sensitive;
        `folded` for every other pattern) and cut into sentences."""
        known = self.memo.paragraphs.get(raw)
        if known is None:
            cased = fold(raw)
            folded = cased.lower()
            if len(folded) != len(cased):
                folded = fold_lower(raw)
            known = (cased, folded, split_sentences(raw))
            self.memo.keep(self.memo.paragraphs, raw, known)
        return known

    def _read(self, raw: str, cased: str, folded: str) -> _Reading:
        key = (raw, cased, folded)
        reading = self.memo.sentences.get(key)
        if reading is None:
            hits = self.gaz.find(cased, folded)
            urls = find_urls(raw, folded, self.pat)
            taken = [(hit.start, hit.end) for hit in urls]
            handles = find_handles(raw, taken)
            taken += [(hit.start, hit.end) for hit in handles]
            words = find_words(folded, self.pat, taken)
            handles = [replace(hit, platform=self._handle_platform(hit, words)) for hit in handles]
            named = sorted(urls + handles, key=lambda hit: hit.start)
            relevant = self.pat.relevant.search(folded) is not None
            reading = _Reading(
                hits,
                named,
                words,
                relevant,
                self._clauses(folded) if relevant else None,
                self._refs(folded, hits),
                relevant and self.pat.abuse_word.search(folded) is not None,
            )
            self.memo.keep(self.memo.sentences, key, reading)
        return reading

    def _details(self, reading: _Reading, folded: str) -> _Details:
        """`reading.details`, read from the sentence the first time they are needed."""
        details = reading.details
        if details is None:
            pat = self.pat
            named_year = pat.named_year.search(folded)
            audience = [self._figure(match) for match in pat.audience.finditer(folded)]
            platforms = _unique([word.platform for word in reading.words] + [hit.platform for hit in reading.named])
            # One named group per kind, nothing around them: the group a match took is its kind.
            policies = _unique([match.lastgroup for match in pat.policy_any.finditer(folded) if match.lastgroup])
            abuse = None
            if reading.about_abuse:
                abuse = (
                    "no-abuse"
                    if pat.abuse_negative.search(folded)
                    else "abuse"
                    if pat.abuse_known.search(folded)
                    else None
                )
            details = reading.details = _Details(
                next_year=pat.next_year.search(folded) is not None,
                this_year=pat.this_year.search(folded) is not None,
                named_year=int(named_year.group(1)) if named_year else None,
                audience=audience,
                dates=list(find_dates(folded)) if audience else [],
                policies=[name.replace("_", "-") for name in policies],
                policy_platform=platforms[0] if len(platforms) == 1 else None,
                abuse=abuse,
                abuse_reply=not reading.about_abuse and pat.abuse_reply.search(folded) is not None,
            )
        return details

    def _figure(self, match: re.Match[str]) -> _Figure:
        noun = match.group("noun")
        interaction = next(kind for kind, pattern in self.pat.audience_nouns.items() if pattern.fullmatch(noun))
        language_word = match.group("lang1") or match.group("lang2")
        language = (
            next(
                (lang for lang, pattern in self.pat.audience_languages.items() if pattern.fullmatch(language_word)),
                None,
            )
            if language_word
            else None
        )
        return _Figure(match.start(), match.start(1), int(_NON_DIGIT.sub("", match.group(1))), interaction, language)

    def _header(self, raw: str, cased: str, folded: str, index: int, ctx: _Context) -> bool:
        """A paragraph that opens an agency's section: "Voor wat de FOD Economie betreft :",
        "Dienst Vreemdelingenzaken (DVZ)", "Fedasil"."""
        stripped = folded.strip()
        if not stripped or len(stripped) > 160 or stripped[-1] in ".?!":
            return False
        hits = self.gaz.find(cased, folded)
        if not hits or len({hit.agency for hit in hits}) > 1:
            if self.pat.section.search(folded):
                # a section about a body the gazetteer does not know (or about several): what
                # follows is not about the agency of the section before
                ctx.header = ctx.current = None
                ctx.part = None
                return True
            return False
        if not self.pat.header.search(folded):
            rest = folded
            for hit in reversed(hits):
                rest = rest[: hit.start] + rest[hit.end :]
            left = re.sub(r"\([^()]{0,15}\)|[^\w']+", " ", rest).split()
            if any(word.lower() not in _ARTICLES for word in left):
                return False
        agency = hits[0].agency
        evidence = Evidence(ctx.kind, index, 0, len(raw), raw)
        self._mention(agency, raw[hits[0].start : hits[0].end], evidence)
        ctx.header = ctx.current = agency
        ctx.part = None
        self.reported.append(agency)
        return True

    def _list_item(self, raw: str, folded: str, index: int, ctx: _Context) -> bool:
        """A paragraph that is only a platform's name, in a section: the answer lists the
        platforms the agency uses (a flattened table: "Facebook", "Twitter", "LinkedIn")."""
        if ctx.current is None:
            return False
        body = self.pat.label.sub("", folded).strip().rstrip(":").strip()
        match = self.pat.platform_word.fullmatch(body)
        if match is None:
            return False
        platform = next(
            self.pat.word_platform[name]
            for name, value in match.groupdict().items()
            if value is not None and name != "word"
        )
        evidence = Evidence(ctx.kind, index, 0, len(raw), raw)
        self._fact(ctx, Fact("uses", ctx.current, evidence, platform=platform))
        return True

    # -- sentences -------------------------------------------------------------------------

    def _sentence(self, raw: str, cased: str, folded: str, evidence: Evidence, ctx: _Context) -> None:
        reading = self._read(raw, cased, folded)
        hits, named, words = reading.hits, reading.named, reading.words
        for agency_hit in hits:
            self._mention(agency_hit.agency, raw[agency_hit.start : agency_hit.end], evidence)
        refs = [ref if ref.explicit else _Ref(ref.start, ref.end, ctx.current, False) for ref in reading.refs]

        owners: dict[int, _Ref] = {}  # phrase start -> owner reference after it
        for word in words:
            if word.phrase:
                possessor = self._possessive(folded, word.end, refs)
                if possessor is not None:
                    owners[word.start] = possessor
        possessive = {(ref.start, ref.end) for ref in owners.values()}
        subject = next((ref.agency for ref in refs if (ref.start, ref.end) not in possessive), None) or ctx.current
        first = next((ref for ref in refs if (ref.start, ref.end) not in possessive), None)
        if first is not None and first.explicit and ctx.header is None:
            ctx.current = first.agency

        if not reading.relevant:
            return  # names no platform, account, social media, policy, abuse or date of start
        question_form = raw.rstrip().endswith("?")
        about_abuse = reading.about_abuse
        clauses = reading.clauses
        assert clauses is not None
        accounts = self._named_accounts(reading, raw, folded, subject, evidence)
        consumed = {hit.platform for hit in named}
        phrase_accounts: dict[int, AccountRef] = {}
        for word in words:
            clause = self._in_clause(word.start, clauses)
            if not word.phrase or clause.negated or clause.planned or about_abuse:
                continue  # "heeft geen twitter-account", "een LinkedIn-pagina zal ...": none yet;
                # "een valse Facebook-pagina op naam van de dienst": not the agency's
            if any(hit.platform == word.platform and 0 <= hit.start - word.end <= 60 for hit in named):
                continue  # "de Facebookpagina (www.facebook.com/x)": the URL names it
            name_match = self.pat.quoted_name.match(folded[word.end :])
            name = raw[word.end + name_match.start(1) : word.end + name_match.end(1)] if name_match else None
            owner_ref = owners.get(word.start)
            owner = owner_ref.agency if owner_ref else subject
            key = phrase_key(name, owner)
            if key is None:
                continue
            hit = Hit(word.start, word.end, word.platform, "phrase", key=key, name=name)
            phrase_accounts[word.start] = self._account(hit, key, owner, None, evidence)
        if question_form:
            return

        details = self._details(reading, folded)
        year_hint = self._year(details, ctx)
        previous_platforms: list[str] = []
        for clause in clauses:
            inside = [w for w in words if clause.start <= w.start < clause.end]
            text = folded[clause.start : clause.end]
            generic = self.pat.social_media.search(text) is not None
            if clause.negated:
                platforms = _unique(
                    [w.platform for w in inside] + [h.platform for h in named if clause.start <= h.start < clause.end]
                )
                for platform in _or_social_media(platforms, generic):
                    if subject:
                        self._fact(ctx, Fact("does-not-use", subject, evidence, platform=platform))
                previous_platforms = platforms
                continue
            if clause.planned:
                # None: a plan for social media, no platform named
                planned: list[str | None] = _unique(
                    [w.platform for w in inside] + [h.platform for h in named if clause.start <= h.start < clause.end]
                )
                if not planned and self.pat.uses.search(text):
                    planned = _or_social_media(previous_platforms, generic)
                conditional = self.pat.conditional.search(text) is not None
                for platform in planned:
                    if subject:
                        self._fact(
                            ctx,
                            Fact(
                                "plans", subject, evidence, platform=platform, year=year_hint, conditional=conditional
                            ),
                        )
                previous_platforms = [p for p in planned if p]
                continue
            # a clause that states a present fact
            for hit, ref in accounts:
                if not clause.start <= hit.start < clause.end:
                    continue
                owner = self.accounts[ref].owner
                if owner:
                    self._fact(ctx, Fact("uses", owner, evidence, platform=ref.platform, account=ref))
                if clause.uses_platform and subject and owner and not self.gaz.related(subject, owner):
                    self._fact(ctx, Fact("uses", subject, evidence, platform=ref.platform, account=ref))
            for start, ref in phrase_accounts.items():
                if clause.start <= start < clause.end:
                    owner = self.accounts[ref].owner
                    if owner:
                        self._fact(ctx, Fact("uses", owner, evidence, platform=ref.platform, account=ref))
                    if clause.uses_platform and subject and owner and not self.gaz.related(subject, owner):
                        self._fact(ctx, Fact("uses", subject, evidence, platform=ref.platform, account=ref))
            loose = _unique([w.platform for w in inside if not w.phrase and w.platform not in consumed])
            if subject and clause.uses_platform:
                for platform in loose:
                    self._fact(ctx, Fact("uses", subject, evidence, platform=platform))
            if subject and clause.uses and generic and not inside and not named:
                self._fact(ctx, Fact("uses", subject, evidence))
            self._active_since(clause, inside, subject, evidence, ctx)
            previous_platforms = loose

        self._audience(details, words, accounts, phrase_accounts, subject, evidence, ctx)
        if ctx.kind == "answer" and subject:
            self._policies(details, subject, evidence, ctx)
            self._abuse(details, subject, evidence, ctx)

    def _refs(self, folded: str, hits: list[AgencyHit]) -> list[_Ref]:
        """The sentence's agency references in order; an anaphora's agency is left None, for the
        context to fill in."""
        refs = [_Ref(hit.start, hit.end, hit.agency, True) for hit in hits]
        for match in self.pat.anaphora.finditer(folded):
            if any(hit.start < match.end() and match.start() < hit.end for hit in hits):
                continue  # "de FOD Economie": named, not a pronoun
            refs.append(_Ref(match.start(), match.end(), None, False))
        return sorted(refs, key=lambda ref: ref.start)

    def _possessive(self, folded: str, end: int, refs: list[_Ref]) -> _Ref | None:
        """The agency after an account phrase: "de Facebook-pagina van de FOD IBZ"."""
        match = self.pat.account_owner.match(folded[end:])
        if match is None:
            return None
        after = end + match.end()
        for ref in refs:
            if (
                ref.start <= after + 6
                and ref.end > after
                and folded[after : max(after, ref.start)].strip().lower() in _ARTICLES
            ):
                return ref
        return None

    def _handle_platform(self, hit: Hit, words: list[Word]) -> str:
        """A handle's platform: the platform word nearest before it, else after it, else
        Twitter (where "@name" comes from)."""
        before = [word for word in words if word.end <= hit.start]
        if before:
            return before[-1].platform
        after = [word for word in words if word.start >= hit.end]
        return after[0].platform if after else "twitter"

    def _named_accounts(
        self, reading: _Reading, raw: str, folded: str, subject: str | None, evidence: Evidence
    ) -> list[tuple[Hit, AccountRef]]:
        """Accounts with a handle or URL, with their owner and topic: the agency the name spells
        ("@statbel_nl"), else the agency heading the list they are in ("Dienst Continentaal
        Plat (Facebook: ...)"), else the sentence's subject; the list's heading is the topic
        when it is not an agency ("consumentenbedrog (Facebook : ...)")."""
        owners = reading.owners
        if owners is None:
            owners = reading.owners = [self._account_owner(raw, folded, hit, reading.hits) for hit in reading.named]
        found = []
        for hit, (spelled, label_agency, label) in zip(reading.named, owners, strict=True):
            assert hit.key is not None
            found.append((hit, self._account(hit, hit.key, spelled or label_agency or subject, label, evidence)))
        return found

    def _account_owner(
        self, raw: str, folded: str, hit: Hit, hits: list[AgencyHit]
    ) -> tuple[str | None, str | None, str | None]:
        """For `_named_accounts`: the agency the account's name spells, the agency heading its
        list, and the list's heading as a topic (None where it is a clause or an agency)."""
        label, label_start = _group_label(raw, hit.start)
        label_agency = None
        if label is not None:
            inside = [h for h in hits if label_start <= h.start < label_start + len(label)]
            folded_label = folded[label_start : label_start + len(label)]
            if inside and _covers(label, inside, label_start):
                label_agency, label = inside[0].agency, None
            elif (
                inside
                or self.pat.platform_word.search(folded_label)
                or self.pat.cues.search(folded_label)
                or self.pat.label.match(folded_label)
            ):
                label = None  # "De FOD maakt gebruik van Twitter (@x)": a clause, no topic
        return self.gaz.by_account_name(hit.platform, hit.handle or hit.name or ""), label_agency, label

    def _clauses(self, folded: str) -> list[_Clause]:
        bounds = [0]
        for match in _CLAUSE.finditer(folded):
            if folded.count("(", 0, match.start()) <= folded.count(")", 0, match.start()):
                bounds.append(match.end())  # not inside parentheses
        bounds.append(len(folded))
        clauses = []
        for start, end in pairwise(bounds):
            found = {match.lastgroup for match in self.pat.cues.finditer(folded, start, end)}  # as policies
            negated = "neg" in found
            planned = not negated and "plan" in found
            uses = "uses" in found
            clauses.append(
                _Clause(start, end, negated, planned, uses, uses or "weak" in found, self._since(folded[start:end]))
            )
        return clauses

    def _since(self, text: str) -> date | None:
        """The day a clause says use began: "actief sinds 1 maart 2012"."""
        for start, _, day in find_dates(text):
            if self.pat.since.search(text[max(0, start - 20) : start]) and self.pat.active.search(text):
                return day
        return None

    @staticmethod
    def _in_clause(position: int, clauses: list[_Clause]) -> _Clause:
        return next((c for c in clauses if c.start <= position < c.end), clauses[-1])

    @staticmethod
    def _year(details: _Details, ctx: _Context) -> int | None:
        if details.next_year:
            return ctx.year + 1
        if details.this_year:
            return ctx.year
        return details.named_year

    def _active_since(
        self, clause: _Clause, inside: list[Word], subject: str | None, evidence: Evidence, ctx: _Context
    ) -> None:
        if subject is None or clause.since is None:
            return
        platforms = _unique([word.platform for word in inside])
        self._fact(
            ctx,
            Fact(
                "active-since",
                subject,
                evidence,
                platform=platforms[0] if len(platforms) == 1 else None,
                date=clause.since,
            ),
        )

    def _audience(
        self,
        details: _Details,
        words: list[Word],
        accounts: list[tuple[Hit, AccountRef]],
        phrase_accounts: dict[int, AccountRef],
        subject: str | None,
        evidence: Evidence,
        ctx: _Context,
    ) -> None:
        """ "474 Nederlandstalige volgers en 136 Franstalige volgers" on the account the
        sentence names (or the subject's account on the platform it names), dated by the date
        the sentence gives."""
        matches = details.audience
        if not matches:
            return
        located = sorted(
            [(hit.start, ref) for hit, ref in accounts] + list(phrase_accounts.items()), key=lambda item: item[0]
        )
        found_dates = details.dates
        dates = [day for _, _, day in found_dates]
        for figure in matches:
            if any(s <= figure.count_start < e for s, e, _ in found_dates):
                continue  # "2 mei 2013" is no audience of 2
            before = [ref for start, ref in located if start < figure.start]
            ref = before[-1] if before else (located[0][1] if located else None)
            if ref is None:
                platforms = _unique([word.platform for word in words])
                if len(platforms) != 1 or subject is None:
                    continue
                hit = Hit(0, 0, platforms[0], "phrase")
                ref = self._account(hit, f"of-{subject}", subject, None, evidence)
                self._fact(ctx, Fact("uses", subject, evidence, platform=ref.platform, account=ref))
            owner = self.accounts[ref].owner
            if owner is None:
                continue
            self._fact(
                ctx,
                Fact(
                    "audience",
                    owner,
                    evidence,
                    platform=ref.platform,
                    account=ref,
                    count=figure.count,
                    interaction=figure.interaction,  # type: ignore[arg-type]
                    audience_language=figure.language,
                    date=dates[0] if dates else None,
                ),
            )

    def _policies(self, details: _Details, subject: str, evidence: Evidence, ctx: _Context) -> None:
        for policy in details.policies:
            self._fact(ctx, Fact("policy", subject, evidence, policy=policy, platform=details.policy_platform))

    def _abuse(self, details: _Details, subject: str, evidence: Evidence, ctx: _Context) -> None:
        if details.abuse is not None:
            self._fact(ctx, Fact(details.abuse, subject, evidence))  # type: ignore[arg-type]
        elif details.abuse_reply and ctx.part in ctx.abuse_parts:
            self._fact(ctx, Fact("no-abuse", subject, evidence))


def _unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))


def _or_social_media(platforms: list[str], generic: bool) -> list[str | None]:
    """The platforms a clause names; if none, None (social media in general) where the clause
    speaks of social media."""
    return [*platforms] if platforms else [None] if generic else []


def _group_label(raw: str, position: int) -> tuple[str | None, int]:
    """The words heading the parenthesised list that `position` is in: for
    "consumentenbedrog (Facebook : https://...)" that is "consumentenbedrog"."""
    depth = 0
    for index in range(position - 1, -1, -1):
        char = raw[index]
        if char == ")":
            depth += 1
        elif char == "(":
            if depth == 0:
                start = index
                while start > 0 and raw[start - 1] not in ":,;()":
                    start -= 1
                label = raw[start:index]
                stripped = label.strip()
                joined = _LABEL_JOINERS.sub("", stripped)
                offset = start + (len(label) - len(label.lstrip())) + (len(stripped) - len(joined))
                if not joined or len(joined.split()) > 6:
                    return None, 0
                return joined, offset
            depth -= 1
    return None, 0


def _covers(label: str, hits: list[AgencyHit], offset: int) -> bool:
    """Whether the agency names in `label` are all it says (articles aside)."""
    rest = label
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        rest = rest[: hit.start - offset] + rest[hit.end - offset :]
    return all(word.lower() in _ARTICLES for word in re.sub(r"[^\w']+", " ", rest).split())


_DEFAULT: Extractor | None = None
_RECENT: dict[int, tuple[QuestionRecord, Extraction]] = {}  # the last records extracted, by identity


def extract(record: QuestionRecord) -> Extraction:
    """Agencies, accounts and facts of one record, with the reference data of `reference/`.
    The last few records' extractions are kept: the build's mapping and its search index both
    ask for the same record's, one after the other."""
    global _DEFAULT
    held = _RECENT.get(id(record))
    if held is not None and held[0] is record:
        return held[1]
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    extraction = _DEFAULT.extract(record)
    if len(_RECENT) >= 8:
        _RECENT.clear()
    _RECENT[id(record)] = (record, extraction)
    return extraction
