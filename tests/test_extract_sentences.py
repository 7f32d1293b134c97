"""Extraction on sentences written in the style of answers to written questions, Dutch and French:
each case lists EVERY fact it must yield, so a missed fact and an extra one both fail."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract import extract
from kg.parse.records import Answer, Paragraph, QuestionNumber, QuestionRecord, SourceDocument, Text

ABUSE_QUESTION = "4) Zijn er gevallen van misbruik bekend, waarbij foutieve informatie door derden verspreid wordt?"


def make_record(
    answer: list[str], *, language: str = "nl", question: list[str] | None = None, answered: date = date(2013, 6, 4)
) -> QuestionRecord:
    """A record carrying `answer` as answer paragraphs; the rest is what any record has."""
    paragraphs = (
        question
        if question is not None
        else ["1) Maken de FOD's die onder uw bevoegdheid vallen gebruik van sociale media?", ABUSE_QUESTION]
    )
    return QuestionRecord(
        number=QuestionNumber(5, 9999),
        language=language,  # type: ignore[arg-type]
        original_language=language,  # type: ignore[arg-type]
        author="Martine Taelman",
        party="Open Vld",
        date=date(2013, 4, 30),
        addressee="de minister van Justitie",
        offices=(),
        title="Gebruik van sociale media",
        title_parts=("Gebruik van sociale media",),
        descriptors=(),
        chronology=(),
        links=(),
        question=Text(tuple(Paragraph(p) for p in paragraphs)),
        answer=Answer(answered, Text(tuple(Paragraph(p) for p in answer))),
        source=SourceDocument("test.txt", "0" * 64, "web"),
    )


Key = tuple[str, str, "str | None", "str | None", "str | None"]

CASES: list[tuple[str, list[str], set[Key]]] = [
    # --- Dutch ------------------------------------------------------------------------------
    (
        "nl-uses-two",
        ["Fedasil maakt gebruik van Facebook en Twitter."],
        {("uses", "fedasil", "facebook", None, None), ("uses", "fedasil", "twitter", None, None)},
    ),
    (
        "nl-no-social-media",
        ["De Dienst Vreemdelingenzaken maakt geen gebruik van sociale media."],
        {("does-not-use", "dvz", None, None, None)},
    ),
    (
        "nl-not-yet-twitter",
        ["De FOD Justitie maakt nog geen gebruik van Twitter."],
        {("does-not-use", "fod-justitie", "twitter", None, None)},
    ),
    (
        "nl-no-own-page",
        ["De FOD Financiën heeft geen eigen Facebook-pagina."],
        {("does-not-use", "fod-financien", "facebook", None, None)},
    ),
    (
        "nl-plan-this-year",
        ["Later dit jaar zal de FOD Sociale Zekerheid ook een YouTube-kanaal openen."],
        {("plans", "fod-sociale-zekerheid", "youtube", None, "2013")},
    ),
    (
        "nl-plan-named-year",
        ["In 2014 zal de FOD Werkgelegenheid een LinkedIn-pagina lanceren."],
        {("plans", "fod-werkgelegenheid", "linkedin", None, "2014")},
    ),
    (
        "nl-plan-next-year-conditional",
        [
            "Het Commissariaat-generaal voor de Vluchtelingen en de Staatlozen overweegt volgend jaar een "
            "Twitter-account te openen, indien de middelen het toelaten."
        ],
        {("plans", "cgvs", "twitter", None, "2014 conditional")},
    ),
    (
        "nl-active-since",
        ["De FOD Economie is sinds 1 maart 2012 actief op Twitter."],
        {
            ("uses", "fod-economie", "twitter", None, None),
            ("active-since", "fod-economie", "twitter", None, "2012-03-01"),
        },
    ),
    (
        "nl-handles",
        ["Statbel verspreidt zijn cijfers via @statbel_nl en @statbel_fr."],
        {
            ("uses", "statbel", "twitter", "twitter/statbel-nl", None),
            ("uses", "statbel", "twitter", "twitter/statbel-fr", None),
        },
    ),
    (
        "nl-fans-dated",
        ["De Facebook-pagina van Fedasil telt 1.250 fans (toestand op 15 mei 2013)."],
        {
            ("uses", "fedasil", "facebook", "facebook/of-fedasil", None),
            ("audience", "fedasil", "facebook", "facebook/of-fedasil", "1250 like 2013-05-15"),
        },
    ),
    (
        "nl-handle-followers",
        ["De twitteraccount @FOD_Mobiliteit heeft 2 000 volgers."],
        {
            ("uses", "fod-mobiliteit", "twitter", "twitter/fod-mobiliteit", None),
            ("audience", "fod-mobiliteit", "twitter", "twitter/fod-mobiliteit", "2000 follow"),
        },
    ),
    (
        "nl-no-abuse-section",
        ["Fedasil", "Er zijn geen gevallen van misbruik bekend."],
        {("no-abuse", "fedasil", None, None, None)},
    ),
    (
        "nl-abuse-fake-page",
        [
            "Dienst Vreemdelingenzaken (DVZ)",
            "Er werd één geval van misbruik vastgesteld: een valse Facebook-pagina op naam van de dienst.",
        ],
        {("abuse", "dvz", None, None, None)},
    ),
    (
        "nl-bare-no-to-abuse-question",
        ["Voor wat de FOD Volksgezondheid betreft :", "4/ Nee, dat is nog nooit gebeurd."],
        {("no-abuse", "fod-volksgezondheid", None, None, None)},
    ),
    (
        "nl-uses-and-plans",
        ["De POD Maatschappelijke Integratie gebruikt Facebook sinds kort en zal binnenkort ook Twitter gebruiken."],
        {
            ("uses", "pod-maatschappelijke-integratie", "facebook", None, None),
            ("plans", "pod-maatschappelijke-integratie", "twitter", None, None),
        },
    ),
    (
        "nl-own-channel-and-account",
        ["De FOD Buitenlandse Zaken heeft een eigen YouTube-kanaal en een Flickr-account."],
        {
            ("uses", "fod-buitenlandse-zaken", "youtube", "youtube/of-fod-buitenlandse-zaken", None),
            ("uses", "fod-buitenlandse-zaken", "flickr", "flickr/of-fod-buitenlandse-zaken", None),
        },
    ),
    (
        "nl-guide",
        ["De FOD Economie, K.M.O., Middenstand en Energie heeft een conversatiegids opgesteld voor de medewerkers."],
        {("policy", "fod-economie", None, None, "guidelines")},
    ),
    (
        "nl-monitoring-not-use",
        [
            "Voor wat de FOD Kanselarij betreft :",
            "De berichten worden opgevolgd via een dagelijkse monitoring van de sociale media.",
        ],
        {("policy", "fod-kanselarij", None, None, "monitoring")},
    ),
    (
        "nl-planning-on-platform",
        [
            "Voor wat de FOD Economie betreft :",
            "Er wordt gewerkt met een tweewekelijkse planning voor de berichten op Facebook.",
        ],
        {("policy", "fod-economie", "facebook", None, "posting-schedule")},
    ),
    (
        "nl-since-first",
        ["Sinds 3 december 2012 zijn de centrale kanalen van de FOD Economie actief."],
        {("active-since", "fod-economie", None, None, "2012-12-03")},
    ),
    (
        "nl-not-but",
        ["De FOD Mobiliteit en Vervoer is niet actief op Facebook, maar wel op Twitter."],
        {("does-not-use", "fod-mobiliteit", "facebook", None, None), ("uses", "fod-mobiliteit", "twitter", None, None)},
    ),
    (
        "nl-named-group",
        ["Fedasil", "Via de Facebookgroep “Opvang Info” worden vrijwilligers geïnformeerd."],
        {("uses", "fedasil", "facebook", "facebook/opvang-info", None)},
    ),
    (
        "nl-url-without-scheme",
        ["De FOD Binnenlandse Zaken (IBZ) beheert de pagina www.facebook.com/IBZ.be"],
        {("uses", "fod-binnenlandse-zaken", "facebook", "facebook/ibz-be", None)},
    ),
    (
        "nl-urls",
        [
            "De FOD Financiën verspreidt nieuws via https://twitter.com/FOD_Financien en "
            "https://www.youtube.com/user/FODFinancien."
        ],
        {
            ("uses", "fod-financien", "twitter", "twitter/fod-financien", None),
            ("uses", "fod-financien", "youtube", "youtube/fodfinancien", None),
        },
    ),
    (
        "nl-plan-course-of-year",
        ["Er zijn plannen om in de loop van 2014 een Facebook-account te openen voor de FOD Justitie."],
        {("plans", "fod-justitie", "facebook", None, "2014")},
    ),
    (
        "nl-plan-in-section",
        [
            "Voor wat de FOD Justitie betreft :",
            "De nieuwe Instagram-account zal in de loop van het jaar gelanceerd worden.",
        ],
        {("plans", "fod-justitie", "instagram", None, "2013")},
    ),
    (
        "nl-followers-on-platform",
        ["Het Federaal Agentschap voor de opvang van asielzoekers heeft 3.400 volgers op Twitter."],
        {
            ("uses", "fedasil", "twitter", "twitter/of-fedasil", None),
            ("audience", "fedasil", "twitter", "twitter/of-fedasil", "3400 follow"),
        },
    ),
    (
        "nl-misbruiken-gekend",
        ["Raad voor Vreemdelingenbetwistingen (RVV)", "Er zijn ons geen misbruiken gekend."],
        {("no-abuse", "rvv", None, None, None)},
    ),
    (
        "nl-management-note",
        ["Fedasil", "Een directienota legt de doelstellingen en verantwoordelijkheden vast."],
        {("policy", "fedasil", None, None, "management-note")},
    ),
    ("nl-evaluation-only", ["De FOD Economie evalueert het gebruik van sociale media als positief."], set()),
    (
        "nl-no-budget",
        [
            "Voor wat de FOD Mobiliteit betreft :",
            "Op dit moment is er geen budget om de vermeldingen op sociale media op te volgen.",
        ],
        set(),
    ),
    (
        "nl-abuse-known",
        [
            "Voor wat de FOD Financiën betreft :",
            "Er zijn wel gevallen van misbruik bekend: in maart 2013 verscheen een valse Twitter-account "
            "op naam van de FOD.",
        ],
        {("abuse", "fod-financien", None, None, None)},
    ),
    (
        "nl-posts-on-other-agency-page",
        ["Het CGVS plaatst berichten op de Facebook-pagina van de FOD IBZ."],
        {
            ("uses", "fod-binnenlandse-zaken", "facebook", "facebook/of-fod-binnenlandse-zaken", None),
            ("uses", "cgvs", "facebook", "facebook/of-fod-binnenlandse-zaken", None),
        },
    ),
    # --- French -----------------------------------------------------------------------------
    (
        "fr-no-social-media",
        ["L'Office des Étrangers n'utilise pas les médias sociaux."],
        {("does-not-use", "dvz", None, None, None)},
    ),
    (
        "fr-uses-since",
        ["Fedasil utilise Facebook depuis le 1er mars 2012."],
        {("uses", "fedasil", "facebook", None, None), ("active-since", "fedasil", "facebook", None, "2012-03-01")},
    ),
    (
        "fr-handle-audience-by-language",
        [
            "Le SPF Mobilité et Transports dispose d'un compte Twitter (@MobilitBE) qui compte 500 abonnés "
            "néerlandophones et 300 abonnés francophones au 2 mai 2013."
        ],
        {
            ("uses", "fod-mobiliteit", "twitter", "twitter/mobilitbe", None),
            ("audience", "fod-mobiliteit", "twitter", "twitter/mobilitbe", "500 follow nl 2013-05-02"),
            ("audience", "fod-mobiliteit", "twitter", "twitter/mobilitbe", "300 follow fr 2013-05-02"),
        },
    ),
    (
        "fr-plan-next-year",
        ["Le SPF Finances lancera une page Facebook l'année prochaine."],
        {("plans", "fod-financien", "facebook", None, "2014")},
    ),
    (
        "fr-posts-on-other-agency-page",
        ["Le CGRA publie des messages sur la page Facebook du SPF Intérieur."],
        {
            ("uses", "fod-binnenlandse-zaken", "facebook", "facebook/of-fod-binnenlandse-zaken", None),
            ("uses", "cgvs", "facebook", "facebook/of-fod-binnenlandse-zaken", None),
        },
    ),
    (
        "fr-no-abuse",
        ["Fedasil", "Aucun abus n'a été constaté jusqu'à présent."],
        {("no-abuse", "fedasil", None, None, None)},
    ),
    (
        "fr-no-networks",
        ["Le Conseil du Contentieux des Étrangers ne fait pas usage des réseaux sociaux."],
        {("does-not-use", "rvv", None, None, None)},
    ),
    (
        "fr-present-on-two",
        ["Le SPP Intégration sociale est présent sur Facebook et sur Twitter."],
        {
            ("uses", "pod-maatschappelijke-integratie", "facebook", None, None),
            ("uses", "pod-maatschappelijke-integratie", "twitter", None, None),
        },
    ),
    (
        "fr-url",
        ["Statbel diffuse ses chiffres via https://twitter.com/statbel_fr."],
        {("uses", "statbel", "twitter", "twitter/statbel-fr", None)},
    ),
    (
        "fr-plan-conditional",
        ["Le SPF Economie envisage de créer une chaîne YouTube si les moyens le permettent."],
        {("plans", "fod-economie", "youtube", None, "conditional")},
    ),
    (
        "fr-charter",
        ["Le SPF Santé publique a élaboré une charte pour l'utilisation des médias sociaux."],
        {("policy", "fod-volksgezondheid", None, None, "guidelines")},
    ),
    (
        "fr-monitoring-in-section",
        [
            "En ce qui concerne le SPF Sécurité sociale :",
            "Une veille quotidienne des réseaux sociaux est assurée par le service de communication.",
        ],
        {("policy", "fod-sociale-zekerheid", None, None, "monitoring")},
    ),
    (
        "fr-likes",
        ["La page Facebook de Fedasil compte 2.300 mentions J'aime au 1er juin 2013."],
        {
            ("uses", "fedasil", "facebook", "facebook/of-fedasil", None),
            ("audience", "fedasil", "facebook", "facebook/of-fedasil", "2300 like 2013-06-01"),
        },
    ),
    (
        "fr-no-account",
        ["Le SPF Justice n'a pas de compte Twitter."],
        {("does-not-use", "fod-justitie", "twitter", None, None)},
    ),
    (
        "fr-videos",
        ["Le Ministère de la Défense publie ses vidéos sur YouTube."],
        {("uses", "defensie", "youtube", None, None)},
    ),
    (
        "fr-bare-no-to-abuse-question",
        ["Fedasil", "4. Non, cela ne s'est jamais produit."],
        {("no-abuse", "fedasil", None, None, None)},
    ),
    (
        "fr-plan-this-year",
        ["L'Office des Étrangers prévoit d'ouvrir un compte Twitter dans le courant de l'année."],
        {("plans", "dvz", "twitter", None, "2013")},
    ),
    (
        "fr-subscribers-on-platform",
        ["Le SPF Emploi, Travail et Concertation sociale compte 800 abonnés sur LinkedIn."],
        {
            ("uses", "fod-werkgelegenheid", "linkedin", "linkedin/of-fod-werkgelegenheid", None),
            ("audience", "fod-werkgelegenheid", "linkedin", "linkedin/of-fod-werkgelegenheid", "800 follow"),
        },
    ),
    ("fr-question-form", ["Le SPF Finances est-il présent sur Twitter ?"], set()),
]


@pytest.mark.parametrize(("name", "paragraphs", "expected"), CASES, ids=[name for name, _, _ in CASES])
def test_sentence_yields_exactly_its_facts(name: str, paragraphs: list[str], expected: set[Key]) -> None:
    extraction = extract(make_record(paragraphs, language=name[:2]))
    assert {fact.key() for fact in extraction.answer_facts} == expected


def test_there_are_at_least_forty_cases_in_both_languages() -> None:
    names = [name for name, _, _ in CASES]
    assert len(names) >= 40 and len(set(names)) == len(names)
    assert sum(name.startswith("fr-") for name in names) >= 15


def test_evidence_quotes_the_sentence_at_its_offsets() -> None:
    paragraphs = [
        "Fedasil",
        "1. Fedasil maakt gebruik van Facebook. Later dit jaar zal Fedasil ook gebruik maken van Twitter.",
    ]
    extraction = extract(make_record(paragraphs))
    for fact in extraction.answer_facts:
        evidence = fact.evidence
        assert paragraphs[evidence.paragraph][evidence.start : evidence.end] == evidence.quote
    quotes = [fact.evidence.quote for fact in extraction.answer_facts]
    assert quotes == [
        "1. Fedasil maakt gebruik van Facebook.",
        "Later dit jaar zal Fedasil ook gebruik maken van Twitter.",
    ]


def test_accounts_carry_language_topic_and_owner() -> None:
    extraction = extract(
        make_record(
            [
                "Voor wat de FOD Economie betreft :",
                "De FOD lanceerde kanalen rond thema's: statistieken (Twitter via @statbel_nl en @statbel_fr), "
                "consumentenbedrog (Facebook : https://www.facebook.com/Pasoplichting).",
            ]
        )
    )
    accounts = {str(a.ref): (a.owner, a.language, a.topics) for a in extraction.accounts}
    assert accounts == {
        "twitter/statbel-nl": ("statbel", "nl", ("statistieken",)),
        "twitter/statbel-fr": ("statbel", "fr", ("statistieken",)),
        "facebook/pasoplichting": ("fod-economie", None, ("consumentenbedrog",)),
    }


def test_a_plan_or_a_denial_names_no_account() -> None:
    extraction = extract(
        make_record(
            [
                "De FOD Justitie heeft geen Twitter-account.",
                "De eerste volgende stap zal de ontwikkeling van een LinkedIn-pagina zijn.",
            ]
        )
    )
    assert extraction.accounts == ()


def test_a_question_names_accounts_but_states_no_facts_in_question_form() -> None:
    record = make_record([], question=["Is de FOD Financiën actief via @FOD_Financien?"])
    extraction = extract(record)
    assert [str(a.ref) for a in extraction.accounts] == ["twitter/fod-financien"]
    assert extraction.question_facts == ()


def test_the_same_fact_twice_is_kept_once_at_its_first_sentence() -> None:
    extraction = extract(
        make_record(
            ["Fedasil", "Er zijn geen gevallen van misbruik bekend.", "Tot op heden werd geen misbruik vastgesteld."]
        )
    )
    assert [(f.kind, f.evidence.paragraph) for f in extraction.answer_facts] == [("no-abuse", 1)]


def test_uses_social_media_gives_way_to_named_platforms() -> None:
    extraction = extract(
        make_record(["De FOD Economie maakt gebruik van sociale media.", "De FOD Economie gebruikt Facebook."])
    )
    assert {f.key() for f in extraction.answer_facts} == {("uses", "fod-economie", "facebook", None, None)}


def test_a_repeated_sentence_is_read_in_its_own_context() -> None:
    """Sentences are read once and remembered; what "de FOD" means still comes from each
    answer's own section, and a memory emptied when full gives the same facts."""
    from kg.extract.extractor import Extractor, _Memo

    shared = "De FOD maakt gebruik van Twitter."
    answers = [
        ["Voor wat de FOD Economie betreft :", shared],
        ["Voor wat de FOD Financiën betreft :", shared],
        ["Voor wat de FOD Economie betreft :", shared],
    ]
    expected = [
        {("uses", agency, "twitter", None, None)} for agency in ("fod-economie", "fod-financien", "fod-economie")
    ]
    extractor = Extractor()
    assert [{f.key() for f in extractor.extract(make_record(a)).answer_facts} for a in answers] == expected
    assert any(key[0] == shared for key in extractor.memo.sentences)  # it was remembered
    small = Extractor()
    small.memo.SIZE = 1  # forgets at every new sentence
    assert [{f.key() for f in small.extract(make_record(a)).answer_facts} for a in answers] == expected
    assert isinstance(small.memo, _Memo) and len(small.memo.sentences) <= 1
