"""One parsed question record -> triples, written as N-Triples lines (`kg.rdf.terms`).

The Dutch and French versions of a question are separate records with the same number; they map
onto the same URIs and differ only in language-tagged literals, so merging them is the union of
their triples. Every sub-resource has a minted URI (no blank nodes): pages link to paragraphs,
events and answers, and identical input must give byte-identical output.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from pyoxigraph import Triple

from kg import __version__
from kg.parse.records import ChronologyEvent, Office, QuestionNumber, QuestionRecord, SourceDocument, Text
from kg.rdf.concepts import Pairs, descriptor_lines
from kg.rdf.governments import LEGISLATURE_LABEL, OFFICE_CLASS, identity_uri, office_uri, person_triples
from kg.rdf.terms import (
    DCT,
    ELI,
    ELI_DL,
    EPVOC,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD_INTEGER,
    boolean,
    day,
    integer,
    iri,
    kg_vocab,
    lang,
    language_iri,
    language_tag,
    parse,
    plain,
    question_uri,
    quote,
)
from kg.reference.descriptors import load_descriptors
from kg.reference.governments import Governments, ResolvedOffice, normalize_title, office_name
from kg.text import slugify
from kg.uris import UriMinter

SENATE_PAGES = {
    "web": "/Vragen/SchriftelijkeVraag",
    "print": "/Vragen/SVPrint",
    "print-bilingual": "/Vragen/SVPrintNLFR",
}
RENDERINGS = {"web": "WebRendering", "print": "PrintRendering", "print-bilingual": "BilingualPrintRendering"}
EVENT_KINDS = {
    "sent": "Sent",
    "reminder": "Reminder",
    "answer": "AnswerReceived",
    "closed": "Closed",
    "end-of-legislature": "EndOfLegislature",
    "other": "OtherEvent",
}
QUESTION_LABEL = {"nl": "Schriftelijke vraag {}", "fr": "Question écrite {}"}
ANSWER_LABEL = {"nl": "Antwoord op schriftelijke vraag {}", "fr": "Réponse à la question écrite {}"}
SCHEME_LABEL = {"nl": "Descriptoren van de schriftelijke vragen", "fr": "Descripteurs des questions écrites"}

# ELI as the European Parliament publishes its written questions (docs/linked-data.md): the work
# type of a question is the EU authority's "written question" (the value of the EP's profile);
# an answer's is kg's own (the EU table has none for an answer to a national question).
QUESTION_WORK_TYPE = iri("http://publications.europa.eu/resource/authority/resource-type/QUEST_WRITTEN")
ANSWER_WORK_TYPE = "AnswerToWrittenQuestion"  # in kg's namespace
# Participation roles, the EP's own (parliamentary-questions shapes 2.3.0, eli-dl:participation_role).
ROLE_AUTHOR = iri("https://data.europarl.europa.eu/def/ep-roles/AUTHOR")
ROLE_ADDRESSEE = iri("https://data.europarl.europa.eu/def/ep-roles/ADDRESSEE")
# Every Senate page kg reads is HTML (IANA media type IRI, as in the EP's ELI profile).
HTML_MEDIA_TYPE = iri("https://www.iana.org/assignments/media-types/text/html")


def senate_url(number: QuestionNumber, rendering: str, language: str) -> str:
    """The senate.be page a rendering of a question comes from."""
    return (
        f"https://www.senate.be/www/?MIval={SENATE_PAGES[rendering]}"
        f"&LEG={number.legislature}&NR={number.number}&LANG={language}"
    )


@lru_cache(maxsize=8)
def conversion_activity(minter: UriMinter) -> str:
    return minter.mint_uri("activity", f"conversion-kg-{slugify(__version__)}")


def descriptor_scheme(minter: UriMinter) -> str:
    return minter.mint_uri("scheme", "descriptors")


def provenance_triples(minter: UriMinter) -> Iterator[Triple]:
    return parse(provenance_lines(minter))


def provenance_lines(minter: UriMinter) -> Iterator[str]:
    """The conversion activity and the software that ran it. No timestamp: identical input must
    give identical output, so the version is what identifies a conversion."""
    activity = iri(conversion_activity(minter))
    agent = iri(minter.mint_uri("agent", f"kg-{slugify(__version__)}"))
    yield f"{activity} {RDF.type} {kg_vocab(minter.ns_iri).Conversion} ."
    yield f"{activity} {RDF.type} {PROV.Activity} ."
    yield f"{activity} {PROV.wasAssociatedWith} {agent} ."
    yield f"{activity} {RDFS.label} {lang(f'Omzetting door kg {__version__}', 'nl')} ."
    yield f"{activity} {RDFS.label} {lang(f'Conversion par kg {__version__}', 'fr')} ."
    yield f"{activity} {RDFS.label} {lang(f'Conversion by kg {__version__}', 'en')} ."
    yield f"{agent} {RDF.type} {PROV.SoftwareAgent} ."
    yield f"{agent} {RDFS.label} {lang(f'kg {__version__}', 'en')} ."
    yield f"{agent} {SCHEMA.softwareVersion} {plain(__version__)} ."
    scheme = iri(descriptor_scheme(minter))
    yield f"{scheme} {RDF.type} {SKOS.ConceptScheme} ."
    for language, label in SCHEME_LABEL.items():
        yield f"{scheme} {SKOS.prefLabel} {lang(label, language)} ."
        yield f"{scheme} {RDFS.label} {lang(label, language)} ."


def question_stub_triples(number: QuestionNumber, minter: UriMinter) -> tuple[Triple, ...]:
    """What is known of any question by its number alone: enough for a linked sibling without a
    document of its own to be a proper resource."""
    return tuple(parse(_stub(number, minter)))


@lru_cache(maxsize=4096)
def _stub(number: QuestionNumber, minter: UriMinter) -> tuple[str, ...]:
    """Cached: sibling sets repeat in every member."""
    return tuple(_stub_triples(number, minter))


def _stub_triples(number: QuestionNumber, minter: UriMinter) -> Iterator[str]:
    ns = kg_vocab(minter.ns_iri)
    node = iri(question_uri(minter, number))
    legislature = iri(minter.legislature(number.legislature))
    yield f"{node} {RDF.type} {ns.Question} ."
    yield f"{node} {RDF.type} {ELI.Work} ."
    yield f"{node} {ELI.work_type} {QUESTION_WORK_TYPE} ."
    yield f"{node} {ns.number} {integer(number.number)} ."
    yield f"{node} {ns.legislature} {legislature} ."
    yield f"{node} {ELI_DL.parliamentary_term} {legislature} ."
    yield f"{node} {DCT.identifier} {plain(str(number))} ."
    for language, label in QUESTION_LABEL.items():
        yield f"{node} {RDFS.label} {lang(label.format(number), language)} ."
    yield f"{legislature} {RDF.type} {ns.Legislature} ."
    yield f"{legislature} {RDF.type} {ELI_DL.ParliamentaryTerm} ."
    yield f"{legislature} {ns.legislatureNumber} {integer(number.legislature)} ."
    for language, label in LEGISLATURE_LABEL.items():
        yield f"{legislature} {RDFS.label} {lang(label.format(number.legislature), language)} ."


def question_triples(
    record: QuestionRecord, minter: UriMinter, governments: Governments, descriptor_pairs: Pairs | None = None
) -> Iterator[Triple]:
    """The record's triples as pyoxigraph objects (the build uses `question_lines`)."""
    return parse(question_lines(record, minter, governments, descriptor_pairs))


def question_lines(
    record: QuestionRecord,
    minter: UriMinter,
    governments: Governments,
    descriptor_pairs: Pairs | None = None,
    *,
    defer_unpaired: bool = False,
) -> list[str]:
    """The record's triples as N-Triples lines (no newline), possibly with repeats.
    `descriptor_pairs`: the French-Dutch descriptor pairs its document gives (`kg.rdf.concepts`);
    `defer_unpaired`: leave out the French descriptors they do not pair (the build pairs them)."""
    out: list[str] = []
    add = out.append
    ns = kg_vocab(minter.ns_iri)
    language = record.language
    q_uri = question_uri(minter, record.number)
    q = iri(q_uri)
    out.extend(_stub(record.number, minter))

    add(f"{q} {DCT.title} {lang(record.title, language)} .")
    for part in record.title_parts:
        add(f"{q} {ns.titlePart} {lang(part, language)} .")
    add(f"{q} {DCT.dateSubmitted} {day(record.date)} .")
    add(f"{q} {ELI.date_document} {day(record.date)} .")
    add(f"{q} {DCT.source} {iri(senate_url(record.number, 'web', language))} .")
    if record.original_language is not None:
        add(f"{q} {ns.originalLanguage} {language_tag(record.original_language)} .")
        add(f"{q} {EPVOC.originalLanguage} {language_iri(record.original_language)} .")
    out.extend(_expression_triples(q, q_uri, record.title, record, minter))
    if record.session:
        add(f"{q} {ns.session} {plain(record.session)} .")

    identity = governments.people.identify(record.author, record.date)
    author = iri(identity_uri(minter, identity))
    out.extend(person_triples(minter, identity, record.party, record.author))
    add(f"{q} {DCT.creator} {author} .")
    out.extend(_participation_triples(q, minter.sub(q_uri, "participation", "author"), ROLE_AUTHOR, author))

    add(f"{q} {ns.addresseeText} {lang(record.addressee, language)} .")
    links, described = _addressees(record.offices, governments.period(record.date), minter, governments)
    for link in links:
        add(f"{q} {link}")
        if link.startswith(ns.addressee):
            person = link.split(" ", 2)[1]
            participation = minter.sub(q_uri, "participation", "addressee-" + person[1:-1].rpartition("/")[2])
            out.extend(_participation_triples(q, participation, ROLE_ADDRESSEE, person))
    out.extend(described)

    scheme = iri(descriptor_scheme(minter))
    out.extend(
        descriptor_lines(
            q, record, minter, scheme, descriptor_pairs or {}, load_descriptors(), defer_unpaired=defer_unpaired
        )
    )

    for event in record.chronology:
        out.extend(_event_triples(q, q_uri, event, language, minter))

    for question_link in record.links:
        other = iri(question_uri(minter, question_link.target))
        out.extend(_stub(question_link.target, minter))
        if question_link.kind == "sibling":
            add(f"{q} {ns.sibling} {other} .")
            add(f"{other} {ns.sibling} {q} .")
        elif question_link.kind == "resubmitted-as":
            add(f"{q} {ns.resubmittedAs} {other} .")
            add(f"{other} {ns.resubmissionOf} {q} .")
        else:
            add(f"{q} {ns.resubmissionOf} {other} .")
            add(f"{other} {ns.resubmittedAs} {q} .")

    out.extend(
        _text_triples(q, ns.questionText, minter.sub(q_uri, "text", language), record.question, language, minter)
    )

    if record.answer is not None:
        a_uri = minter.sub(q_uri, "answer")
        a = iri(a_uri)
        add(f"{a} {RDF.type} {ns.Answer} .")
        add(f"{a} {RDF.type} {ELI.Work} .")
        add(f"{a} {ELI.work_type} {ns[ANSWER_WORK_TYPE]} .")
        add(f"{a} {ELI_DL.answers_to} {q} .")
        add(f"{q} {ns.hasAnswer} {a} .")
        add(f"{a} {DCT.date} {day(record.answer.date)} .")
        add(f"{a} {ELI.date_document} {day(record.answer.date)} .")
        add(f"{a} {ELI_DL.parliamentary_term} {iri(minter.legislature(record.number.legislature))} .")
        # Published on the question's page, under the question's title.
        pages = minter.sub(q_uri, "expression", language)
        out.extend(_expression_triples(a, a_uri, record.title, record, minter, pages))
        add(f"{a} {RDFS.label} {lang(ANSWER_LABEL[language].format(record.number), language)} .")
        add(f"{a} {PROV.wasDerivedFrom} {iri(minter.source(record.source.sha256))} .")
        out.extend(
            _text_triples(a, ns.answerText, minter.sub(a_uri, "text", language), record.answer.text, language, minter)
        )

    out.extend(_source_triples(q, record, record.source, minter))
    return out


def _participation_triples(work: str, uri: str, role: str, person: str) -> list[str]:
    """An author or addressee of a question as the EP models one: an eli-dl:Participation with
    its role and person, linked from the work by the EP's shortcut epvoc:workHadParticipation."""
    out: list[str] = []
    add = out.append
    node = iri(uri)
    add(f"{work} {EPVOC.workHadParticipation} {node} .")
    add(f"{node} {RDF.type} {ELI_DL.Participation} .")
    add(f"{node} {ELI_DL.participation_role} {role} .")
    add(f"{node} {ELI_DL.had_participant_person} {person} .")
    return out


def _expression_triples(
    work: str, work_uri: str, title: str, record: QuestionRecord, minter: UriMinter, pages: str | None = None
) -> list[str]:
    """The record's language version of a work (an eli:Expression, `{work}/expression/{lang}`)
    and the Senate pages that carry it (eli:Manifestation, `{expression}/{rendering}`): the web
    page, which every question has, and the rendering the record was read from. An answer is on
    its question's pages: `pages` is the question's expression, whose manifestations embody both.
    Links are one way, as in the EP's data (no eli:realizes, eli:embodies)."""
    out: list[str] = []
    add = out.append
    ns = kg_vocab(minter.ns_iri)
    language = record.language
    e_uri = minter.sub(work_uri, "expression", language)
    e = iri(e_uri)
    add(f"{work} {ELI.is_realized_by} {e} .")
    add(f"{e} {RDF.type} {ELI.Expression} .")
    add(f"{e} {ELI.title} {lang(title, language)} .")
    add(f"{e} {ELI.language} {language_iri(language)} .")
    for rendering in sorted({"web", record.source.rendering}):
        m = iri(minter.sub(pages or e_uri, rendering))
        add(f"{e} {ELI.is_embodied_by} {m} .")
        if pages is None:
            add(f"{m} {RDF.type} {ELI.Manifestation} .")
            add(f"{m} {ELI.is_exemplified_by} {iri(senate_url(record.number, rendering, language))} .")
            add(f"{m} {ELI.format} {ns[RENDERINGS[rendering]]} .")
            add(f"{m} {ELI.media_type} {HTML_MEDIA_TYPE} .")
    return out


@lru_cache(maxsize=4096)
def _addressees(
    offices: tuple[Office, ...], period: date, minter: UriMinter, governments: Governments
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What an addressee line gives: the question's links to its offices and their holders
    (`predicate object .`, the question left out) and the lines describing those. Kept per
    period of the reference data (`Governments.period`): the same offices are addressed in
    question after question, and resolve alike on every day of a period."""
    links: list[str] = []
    described: list[str] = []
    for resolved in governments.resolve(offices, period):
        _addressee_triples(resolved, minter, governments, period, links, described)
    return tuple(links), tuple(described)


def _addressee_triples(
    resolved: ResolvedOffice,
    minter: UriMinter,
    governments: Governments,
    on: date,
    links: list[str],
    described: list[str],
) -> None:
    ns = kg_vocab(minter.ns_iri)
    if resolved.reference is not None:
        links.append(f"{ns.addressedTo} {iri(office_uri(minter, resolved.reference))} .")
        if resolved.holder is not None:
            identity = governments.holder(resolved.holder)
            links.append(f"{ns.addressee} {iri(identity_uri(minter, identity))} .")
            described.extend(person_triples(minter, identity, resolved.holder.party, resolved.holder.person))
        return
    node, triples = _printed_office(resolved.printed, minter, governments, on)
    links.append(f"{ns.addressedTo} {node} .")
    described.extend(triples)


def _printed_office(office: Office, minter: UriMinter, governments: Governments, on: date) -> tuple[str, list[str]]:
    """An office the reference data does not know: described from the print alone, under a URI
    made from its normalized wording (so the same wording is the same resource)."""
    ns = kg_vocab(minter.ns_iri)
    key = normalize_title(office.text)
    if office.attached_to is not None:
        key += " toegevoegd " + normalize_title(office.attached_to.text)
    node = iri(minter.office(key or office.text))
    # One name per language whichever print it comes from (the deputy prefix dropped); the
    # wording as printed stays findable as an alternative label.
    name = office_name(office.text)
    triples = [
        f"{node} {RDF.type} {ns[OFFICE_CLASS[office.kind]]} .",
        f"{node} {RDF.type} {ORG.Post} .",
        f"{node} {SKOS.prefLabel} {lang(name, office.language)} .",
        f"{node} {RDFS.label} {lang(name, office.language)} .",
    ]
    if name != office.text:
        triples.append(f"{node} {SKOS.altLabel} {lang(office.text, office.language)} .")
    triples.extend(f"{node} {ns.portfolio} {lang(item, office.language)} ." for item in office.portfolio)
    if office.attached_to is not None:
        attached = governments.resolve([office.attached_to], on)
        if attached and attached[0].reference is not None:
            triples.append(f"{node} {ns.attachedTo} {iri(office_uri(minter, attached[0].reference))} .")
        else:
            attached_node, more = _printed_office(office.attached_to, minter, governments, on)
            triples.append(f"{node} {ns.attachedTo} {attached_node} .")
            triples.extend(more)
    return node, triples


def _event_triples(q: str, q_uri: str, event: ChronologyEvent, language: str, minter: UriMinter) -> list[str]:
    out: list[str] = []
    add = out.append
    ns = kg_vocab(minter.ns_iri)
    # Keyed by date and kind, not by position, so the Dutch and French chronologies of the same
    # question describe the same events.
    node = iri(minter.sub(q_uri, "event", f"{event.date.isoformat()}-{event.kind}"))
    add(f"{q} {ns.event} {node} .")
    add(f"{node} {RDF.type} {ns.Event} .")
    add(f"{node} {RDF.type} {ELI_DL.Activity} .")
    add(f"{node} {ns.eventKind} {ns[EVENT_KINDS[event.kind]]} .")
    add(f"{node} {DCT.date} {day(event.date)} .")
    add(f"{node} {RDFS.label} {lang(event.label, event.label_language or language)} .")
    if event.deadline is not None:
        add(f"{node} {ns.deadline} {day(event.deadline)} .")
    return out


def _text_triples(owner: str, predicate: str, t_uri: str, text: Text, language: str, minter: UriMinter) -> list[str]:
    out: list[str] = []
    add = out.append
    ns = kg_vocab(minter.ns_iri)
    t = iri(t_uri)
    add(f"{owner} {predicate} {t} .")
    add(f"{t} {RDF.type} {ns.Text} .")
    add(f"{t} {DCT.language} {language_iri(language)} .")
    paragraph_uris = []
    # The hottest loop of the mapping: terms are local names, the position literal is inlined.
    has_paragraph, paragraph_type, position_of = ns.paragraph, f"{RDF.type} {ns.Paragraph} .", ns.position
    value, source_text, tag = RDF.value, ns.sourceText, f"@{language} ."
    for position, paragraph in enumerate(text.paragraphs, start=1):
        p = f"<{t_uri}/p/{position}>"  # minter.sub(t_uri, "p", str(position)), unchecked: digits
        paragraph_uris.append(p)
        add(f"{t} {has_paragraph} {p} .")
        add(f"{p} {paragraph_type}")
        add(f'{p} {position_of} "{position}"^^{XSD_INTEGER} .')
        add(f"{p} {value} {quote(paragraph.text)}{tag}")
        if paragraph.source_text is not None and paragraph.source_text != paragraph.text:
            add(f"{p} {source_text} {quote(paragraph.source_text)}{tag}")
    # Parts regroup paragraphs of the text, in order: find each one from where the last was.
    cursor = 0
    for position, part in enumerate(text.parts, start=1):
        node = iri(f"{t_uri}/part/{position}")  # as minter.sub would make it
        add(f"{t} {ns.part} {node} .")
        add(f"{node} {RDF.type} {ns.NumberedPart} .")
        add(f"{node} {ns.position} {integer(position)} .")
        add(f"{node} {ns.number} {integer(part.number)} .")
        add(f"{node} {ns.partLabel} {plain(part.label)} .")
        for paragraph in part.paragraphs:
            for index in range(cursor, len(text.paragraphs)):
                if text.paragraphs[index] == paragraph:
                    add(f"{node} {ns.paragraph} {paragraph_uris[index]} .")
                    cursor = index + 1
                    break
    return out


def _source_triples(q: str, record: QuestionRecord, source: SourceDocument, minter: UriMinter) -> list[str]:
    out: list[str] = []
    add = out.append
    ns = kg_vocab(minter.ns_iri)
    node = iri(minter.source(source.sha256))
    add(f"{q} {PROV.wasDerivedFrom} {node} .")
    add(f"{q} {PROV.wasGeneratedBy} {iri(conversion_activity(minter))} .")
    add(f"{node} {RDF.type} {ns.SourceDocument} .")
    add(f"{node} {RDF.type} {PROV.Entity} .")
    add(f"{node} {ns.path} {plain(source.path)} .")
    add(f"{node} {ns.sha256} {plain(source.sha256)} .")
    add(f"{node} {ns.rendering} {ns[RENDERINGS[source.rendering]]} .")
    add(f"{node} {ns.encodingRepaired} {boolean(source.encoding_repaired)} .")
    add(f"{node} {ns.encoding} {plain(source.encoding)} .")
    if source.printed is not None:
        add(f"{node} {ns.printedOn} {day(source.printed)} .")
    if record.incomplete:  # said only of a document that stops early: the others say nothing new
        add(f"{node} {ns.incomplete} {boolean(True)} .")
    add(f"{node} {DCT.language} {language_iri(record.language)} .")
    add(f"{node} {DCT.source} {iri(senate_url(record.number, source.rendering, record.language))} .")
    add(f"{node} {RDFS.label} {lang(f'{source.path}', 'en')} .")
    return out
