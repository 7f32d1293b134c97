"""Realistic written-question documents, for tests, benchmarks and demonstrations.

`generate(count, seed)` yields (file name, text) pairs in all three renderings of
`kg.parse.layout`, in Dutch and French; `generate_documents` yields the same documents with the
QuestionRecords they state (`SynthDocument.records`) and the agency facts their answers mention
(`SynthDocument.facts`), so tests compare the parser's output with the values put in, not with
re-parsed text. Output depends only on (count, seed): `random.Random(seed)`, no clock, no hash
randomisation, so the same arguments give byte-identical documents.

The questions follow the seeds: a senator asks the same question about federal agencies' use of
social media to several members of the government in office on the question's date (Leterme I,
Van Rompuy I, Leterme II, Di Rupo; office titles as printed in both languages), each question
linked to its siblings. Answers name the agencies under the office, their Twitter handles and
Facebook pages, follower counts on a date, or that they do not use social media. Some questions
stay unanswered, get a reminder, are closed, lapse at the end of the legislature and are
resubmitted in the next one; some question texts carry the encoding damage of the seeds.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import cast

from kg.parse.dates import format_date, format_numeric
from kg.parse.phrases import (
    BILINGUAL_AUTHOR,
    BILINGUAL_AUTHOR_NO_PARTY,
    BILINGUAL_HEAD,
    BILINGUAL_RULE,
    DOUBLE_RULE,
    EVENT_LABEL_LANGUAGE,
    PHRASES,
    RULE,
)
from kg.parse.records import (
    Answer,
    ChronologyEvent,
    EventKind,
    Language,
    NumberedPart,
    Office,
    OfficeKind,
    Paragraph,
    QuestionLink,
    QuestionNumber,
    QuestionRecord,
    Rendering,
    SourceDocument,
    Text,
)
from kg.parse.repair import AFTER_LOWER, ALWAYS

LANGUAGES: tuple[Language, Language] = ("nl", "fr")

# --------------------------------------------------------------------------------------------
# Reference data: offices of the federal governments 2008-2014, as their titles are printed.


@dataclass(frozen=True)
class Competence:
    """One competence as printed in each language. The French form carries its article ("la
    Justice"), which the preposition before it contracts ("de la Justice", "au Budget"); the
    canonical forms are what an office's portfolio lists."""

    nl: str
    fr: str
    nl_name: str = ""
    fr_name: str = ""

    @property
    def nl_canonical(self) -> str:
        return self.nl_name or self.nl

    @property
    def fr_canonical(self) -> str:
        if self.fr_name:
            return self.fr_name
        for article in ("l'", "la ", "le ", "les "):
            if self.fr.startswith(article):
                return self.fr[len(article) :]
        return self.fr


def c(nl: str, fr: str, nl_name: str = "", fr_name: str = "") -> Competence:
    return Competence(nl, fr, nl_name, fr_name)


@dataclass(frozen=True)
class OfficeSpec:
    kind: OfficeKind
    competences: tuple[Competence, ...] = ()
    charged: tuple[Competence, ...] = ()  # "belast met" / "chargé de"
    attached: OfficeSpec | None = None
    female: bool = False
    agencies: tuple[str, ...] = ()  # keys of AGENCIES under this office
    nl_preposition: str = ""  # "van" / "voor": the default follows the kind
    fr_preposition: str = ""  # "de" / "à" / "pour"


def office(
    kind: OfficeKind,
    competences: Sequence[Competence] = (),
    *,
    charged: Sequence[Competence] = (),
    attached: OfficeSpec | None = None,
    female: bool = False,
    agencies: Sequence[str] = (),
    nl_preposition: str = "",
    fr_preposition: str = "",
) -> OfficeSpec:
    return OfficeSpec(
        kind, tuple(competences), tuple(charged), attached, female, tuple(agencies), nl_preposition, fr_preposition
    )


BUDGET = c("Begroting", "le Budget")
JUSTICE = c("Justitie", "la Justice")
INTERIOR = c("Binnenlandse Zaken", "l'Intérieur")
EQUAL = c("Gelijke Kansen", "l'Égalité des chances")
EMPLOYMENT = c("Werk", "l'Emploi")
FINANCE = c("Financiën", "les Finances")
REFORMS = c("Institutionele Hervormingen", "les Réformes institutionnelles")
SOCIAL = c("Sociale Zaken", "les Affaires sociales")
HEALTH = c("Volksgezondheid", "la Santé publique")
FOREIGN = c("Buitenlandse Zaken", "les Affaires étrangères")
DEFENCE = c("Landsverdediging", "la Défense")
PENSIONS = c("Pensioenen", "les Pensions")
CLIMATE = c("Klimaat", "le Climat")
ENERGY = c("Energie", "l'Énergie")
MOBILITY = c("Mobiliteit", "la Mobilité")
CIVIL_SERVICE = c("Ambtenarenzaken", "la Fonction publique")
PUBLIC_COMPANIES = c("Overheidsbedrijven", "les Entreprises publiques")
SCIENCE = c("Wetenschapsbeleid", "la Politique scientifique")
DEVELOPMENT = c("Ontwikkelingssamenwerking", "la Coopération au développement")
MIGRATION_POLICY = c("het Migratie- en asielbeleid", "la Politique de migration et d'asile", "Migratie- en asielbeleid")
SMES = c("KMO's", "les PME")
SELF_EMPLOYED = c("Zelfstandigen", "les Indépendants")
AGRICULTURE = c("Landbouw", "l'Agriculture")
BIG_CITIES = c("Grote Steden", "les Grandes Villes")
SOCIAL_INTEGRATION = c("Maatschappelijke Integratie", "l'Intégration sociale")
POVERTY = c("Armoedebestrijding", "la Lutte contre la pauvreté")
ENVIRONMENT = c("Leefmilieu", "l'Environnement")

PM_LETERME = office("prime-minister", agencies=("kanselarij",))
PM_VAN_ROMPUY = office("prime-minister", agencies=("kanselarij",))
PM_DI_RUPO = office("prime-minister", agencies=("kanselarij",))

_FINANCE_REFORMS = office("deputy-prime-minister", (FINANCE, REFORMS), agencies=("financien",))
_EMPLOYMENT_EQUAL = office(
    "deputy-prime-minister",
    (EMPLOYMENT, EQUAL),
    charged=(MIGRATION_POLICY,),
    female=True,
    agencies=("werk", "dvz", "cgvs", "fedasil"),
)
_SOCIAL_HEALTH = office(
    "deputy-prime-minister",
    (SOCIAL, HEALTH),
    female=True,
    agencies=("volksgezondheid", "sociale-zekerheid", "riziv", "favv"),
)
_JUSTICE = office("minister", (JUSTICE,), agencies=("justitie",))
_DEFENCE = office("minister", (DEFENCE,), agencies=("defensie",))
_CLIMATE = office("minister", (CLIMATE, ENERGY), agencies=("economie",))
_ENTERPRISE = office(
    "minister",
    (c("Ondernemen", "l'Entreprise"), c("Vereenvoudigen", "la Simplification")),
    nl_preposition="voor",
    fr_preposition="pour",
    agencies=("economie", "fedict"),
)
_SMES_SCIENCE = office(
    "minister", (SMES, SELF_EMPLOYED, AGRICULTURE, SCIENCE), female=True, agencies=("favv", "belspo")
)
_CIVIL_SERVICE = office(
    "minister", (CIVIL_SERVICE, PUBLIC_COMPANIES), female=True, agencies=("personeel", "selor", "bpost", "nmbs")
)
_PENSIONS_CITIES = office("minister", (PENSIONS, BIG_CITIES), agencies=("pensioendienst",))
_FOREIGN = office("minister", (FOREIGN,), agencies=("buitenlandse-zaken",))
_MOBILITY_TO_PM = office("state-secretary", (MOBILITY,), attached=PM_LETERME, agencies=("mobiliteit", "nmbs"))
_FRAUD_COORDINATION = office(
    "state-secretary",
    (
        c(
            "de Coördinatie van de fraudebestrijding",
            "la Coordination de la lutte contre la fraude",
            "Coördinatie van de fraudebestrijding",
        ),
    ),
    attached=PM_LETERME,
    agencies=("financien", "sociale-zekerheid"),
)

LETERME_I: tuple[OfficeSpec, ...] = (
    PM_LETERME,
    _FINANCE_REFORMS,
    office("deputy-prime-minister", (JUSTICE, REFORMS), agencies=("justitie",)),
    office("deputy-prime-minister", (INTERIOR,), agencies=("binnenlandse-zaken", "politie", "crisiscentrum")),
    _EMPLOYMENT_EQUAL,
    _SOCIAL_HEALTH,
    _DEFENCE,
    _CLIMATE,
    _ENTERPRISE,
    _SMES_SCIENCE,
    _CIVIL_SERVICE,
    _PENSIONS_CITIES,
    office("minister", (FOREIGN,), agencies=("buitenlandse-zaken",)),
    office(
        "minister",
        (c("het Migratie- en asielbeleid", "la Politique de migration et d'asile", "Migratie- en asielbeleid"),),
        female=True,
        agencies=("dvz", "cgvs", "fedasil"),
    ),
    _MOBILITY_TO_PM,
    _FRAUD_COORDINATION,
)

VAN_ROMPUY_I: tuple[OfficeSpec, ...] = (
    PM_VAN_ROMPUY,
    _FINANCE_REFORMS,
    _EMPLOYMENT_EQUAL,
    _SOCIAL_HEALTH,
    office("deputy-prime-minister", (BUDGET,), agencies=("budget",)),
    _JUSTICE,
    office("minister", (INTERIOR,), agencies=("binnenlandse-zaken", "politie", "crisiscentrum")),
    _DEFENCE,
    _CLIMATE,
    _ENTERPRISE,
    _SMES_SCIENCE,
    _CIVIL_SERVICE,
    _PENSIONS_CITIES,
    _FOREIGN,
    office("state-secretary", (MOBILITY,), attached=PM_VAN_ROMPUY, agencies=("mobiliteit", "nmbs")),
    office("state-secretary", (SOCIAL_INTEGRATION, POVERTY), attached=_EMPLOYMENT_EQUAL, agencies=("pod-mi",)),
)

PM_LETERME_II = office("prime-minister", agencies=("kanselarij",))
LETERME_II: tuple[OfficeSpec, ...] = (
    PM_LETERME_II,
    _FINANCE_REFORMS,
    _EMPLOYMENT_EQUAL,
    _SOCIAL_HEALTH,
    office("deputy-prime-minister", (BUDGET,), agencies=("budget",)),
    office("deputy-prime-minister", (FOREIGN, REFORMS), agencies=("buitenlandse-zaken",)),
    _JUSTICE,
    office("minister", (INTERIOR,), female=True, agencies=("binnenlandse-zaken", "politie", "crisiscentrum")),
    _DEFENCE,
    _CLIMATE,
    _ENTERPRISE,
    _SMES_SCIENCE,
    _CIVIL_SERVICE,
    _PENSIONS_CITIES,
    office("minister", (DEVELOPMENT,), agencies=("buitenlandse-zaken",)),
    office("state-secretary", (MOBILITY,), attached=PM_LETERME_II, agencies=("mobiliteit", "nmbs")),
    office(
        "state-secretary",
        (
            BUDGET,
            c("Migratie- en Asielbeleid", "la Politique de migration et d'asile"),
            c("Gezinsbeleid", "la Politique des familles"),
            c("Federale Culturele Instellingen", "les Institutions culturelles fédérales"),
        ),
        attached=PM_LETERME_II,
        agencies=("dvz", "fedasil"),
    ),
    office("state-secretary", (SOCIAL_INTEGRATION, POVERTY), attached=_EMPLOYMENT_EQUAL, agencies=("pod-mi",)),
    office(
        "state-secretary",
        (SOCIAL,),
        charged=(c("Personen met een handicap", "les Personnes handicapées"),),
        attached=_SOCIAL_HEALTH,
        agencies=("sociale-zekerheid",),
    ),
    office(
        "state-secretary",
        (
            c(
                "de Coördinatie van de fraudebestrijding",
                "la Coordination de la lutte contre la fraude",
                "Coördinatie van de fraudebestrijding",
            ),
        ),
        attached=PM_LETERME_II,
        agencies=("financien", "sociale-zekerheid"),
    ),
)

_DR_INTERIOR = office(
    "deputy-prime-minister", (INTERIOR, EQUAL), female=True, agencies=("binnenlandse-zaken", "politie", "crisiscentrum")
)
_DR_FINANCE = office(
    "deputy-prime-minister",
    (FINANCE, c("Duurzame Ontwikkeling", "le Développement durable")),
    charged=(CIVIL_SERVICE,),
    agencies=("financien", "personeel"),
)
_DR_JUSTICE = office("minister", (JUSTICE,), female=True, agencies=("justitie",))
DI_RUPO: tuple[OfficeSpec, ...] = (
    PM_DI_RUPO,
    office(
        "deputy-prime-minister",
        (c("Economie", "l'Économie"), c("Consumenten", "les Consommateurs"), c("Noordzee", "la Mer du Nord")),
        agencies=("economie", "bipt"),
    ),
    _DR_FINANCE,
    office("deputy-prime-minister", (PENSIONS,), agencies=("pensioendienst",)),
    office(
        "deputy-prime-minister",
        (FOREIGN, c("Buitenlandse Handel", "le Commerce extérieur"), c("Europese Zaken", "les Affaires européennes")),
        agencies=("buitenlandse-zaken",),
    ),
    _DR_INTERIOR,
    office(
        "deputy-prime-minister",
        (SOCIAL, HEALTH),
        charged=(
            c("Beliris", "Beliris"),
            c(
                "de Federale Culturele Instellingen",
                "les Institutions culturelles fédérales",
                "Federale Culturele Instellingen",
            ),
        ),
        female=True,
        agencies=("volksgezondheid", "sociale-zekerheid", "riziv", "favv"),
    ),
    _DR_JUSTICE,
    _DEFENCE,
    office("minister", (EMPLOYMENT,), female=True, agencies=("werk", "rva")),
    office(
        "minister",
        (c("Middenstand", "les Classes moyennes"), SMES, SELF_EMPLOYED, AGRICULTURE),
        female=True,
        agencies=("favv", "economie"),
    ),
    office(
        "minister",
        (BUDGET, c("Administratieve Vereenvoudiging", "la Simplification administrative")),
        agencies=("budget", "fedict"),
    ),
    office(
        "minister",
        (PUBLIC_COMPANIES, SCIENCE, DEVELOPMENT),
        charged=(BIG_CITIES,),
        agencies=("belspo", "bpost", "nmbs"),
    ),
    office(
        "state-secretary",
        (ENVIRONMENT, ENERGY, MOBILITY),
        attached=_DR_INTERIOR,
        agencies=("mobiliteit", "volksgezondheid"),
    ),
    office(
        "state-secretary",
        (c("Asiel en Migratie", "l'Asile et la Migration", fr_name="Asile et Migration"), SOCIAL_INTEGRATION, POVERTY),
        attached=_DR_JUSTICE,
        female=True,
        agencies=("dvz", "cgvs", "fedasil", "pod-mi"),
    ),
    office(
        "state-secretary",
        (CIVIL_SERVICE, c("Modernisering van de Openbare Diensten", "la Modernisation des Services publics")),
        attached=_DR_FINANCE,
        agencies=("personeel", "selor", "fedict"),
    ),
    office(
        "state-secretary",
        (
            c(
                "de Bestrijding van de sociale en de fiscale fraude",
                "la Lutte contre la fraude sociale et fiscale",
                "Bestrijding van de sociale en de fiscale fraude",
            ),
        ),
        attached=PM_DI_RUPO,
        agencies=("financien", "sociale-zekerheid"),
    ),
)

# Mr Wathelet's double office under Di Rupo: one addressee, two offices (as seed 5-8913).
DOUBLE_OFFICE: tuple[OfficeSpec, OfficeSpec] = (
    office(
        "state-secretary",
        (ENVIRONMENT, ENERGY, MOBILITY),
        attached=office("minister", (INTERIOR, EQUAL), female=True),
        agencies=("mobiliteit", "volksgezondheid", "economie"),
    ),
    office("state-secretary", (c("Staatshervorming", "les Réformes institutionnelles"),), attached=PM_DI_RUPO),
)


@dataclass(frozen=True)
class Government:
    name: str
    start: date
    offices: tuple[OfficeSpec, ...]


GOVERNMENTS: tuple[Government, ...] = (
    Government("Leterme I", date(2008, 3, 20), LETERME_I),
    Government("Van Rompuy I", date(2008, 12, 30), VAN_ROMPUY_I),
    Government("Leterme II", date(2009, 11, 25), LETERME_II),
    Government("Di Rupo", date(2011, 12, 6), DI_RUPO),
)

FIRST_DAY = date(2008, 3, 25)
LAST_DAY = date(2014, 3, 31)
LEGISLATURES = {4: (date(2007, 7, 6), date(2010, 5, 7)), 5: (date(2010, 7, 6), date(2014, 4, 25))}


def government_on(day: date) -> Government:
    current = GOVERNMENTS[0]
    for government in GOVERNMENTS:
        if government.start <= day:
            current = government
    return current


def legislature_on(day: date) -> int:
    return 4 if day <= LEGISLATURES[4][1] else 5


# --------------------------------------------------------------------------------------------
# Agencies and senators.


@dataclass(frozen=True)
class Agency:
    key: str
    nl: str  # full name with its abbreviation, as an answer introduces it
    fr: str
    nl_short: str  # as a header or a sentence's subject refers to it
    fr_short: str
    twitter: tuple[str, ...] = ()
    facebook: str | None = None
    plans: str | None = None  # the platform it plans to open when it uses none


AGENCIES: dict[str, Agency] = {
    agency.key: agency
    for agency in (
        Agency(
            "kanselarij",
            "de Federale Overheidsdienst Kanselarij van de Eerste Minister",
            "le Service public fédéral Chancellerie du Premier Ministre",
            "FOD Kanselarij",
            "SPF Chancellerie",
            ("belgiumbe",),
            "https://www.facebook.com/belgium.be",
        ),
        Agency(
            "financien",
            "de Federale Overheidsdienst (FOD) Financiën",
            "le Service public fédéral (SPF) Finances",
            "FOD Financiën",
            "SPF Finances",
            ("FOD_Financien", "SPF_Finances"),
        ),
        Agency(
            "economie",
            "de FOD Economie, KMO, Middenstand en Energie",
            "le SPF Économie, PME, Classes moyennes et Énergie",
            "FOD Economie",
            "SPF Économie",
            ("FODEconomie", "SPFEconomie", "statbel_nl"),
            "https://www.facebook.com/Pasoplichting",
        ),
        Agency(
            "mobiliteit",
            "de FOD Mobiliteit en Vervoer",
            "le SPF Mobilité et Transports",
            "FOD Mobiliteit",
            "SPF Mobilité",
            ("MobilitBE",),
        ),
        Agency(
            "volksgezondheid",
            "de FOD Volksgezondheid, Veiligheid van de Voedselketen en Leefmilieu",
            "le SPF Santé publique, Sécurité de la Chaîne alimentaire et Environnement",
            "FOD Volksgezondheid",
            "SPF Santé publique",
            ("FODVolksgezondh",),
            "https://www.facebook.com/FODVolksgezondheid",
        ),
        Agency("justitie", "de FOD Justitie", "le SPF Justice", "FOD Justitie", "SPF Justice", plans="Twitter"),
        Agency(
            "binnenlandse-zaken",
            "de FOD Binnenlandse Zaken (IBZ)",
            "le SPF Intérieur (IBZ)",
            "FOD Binnenlandse Zaken",
            "SPF Intérieur",
            (),
            "https://www.facebook.com/IBZ.Belgium",
        ),
        Agency(
            "politie",
            "de federale politie",
            "la police fédérale",
            "federale politie",
            "police fédérale",
            ("federalepolitie", "policefederale"),
            "https://www.facebook.com/federalepolitie",
        ),
        Agency(
            "crisiscentrum",
            "het Crisiscentrum",
            "le Centre de crise",
            "Crisiscentrum",
            "Centre de crise",
            ("CrisiscenterBE",),
        ),
        Agency("dvz", "de Dienst Vreemdelingenzaken (DVZ)", "l'Office des étrangers (OE)", "DVZ", "OE"),
        Agency(
            "cgvs",
            "het Commissariaat-generaal voor de Vluchtelingen en de Staatlozen (CGVS)",
            "le Commissariat général aux réfugiés et aux apatrides (CGRA)",
            "CGVS",
            "CGRA",
            plans="Facebook",
        ),
        Agency(
            "fedasil", "Fedasil", "Fedasil", "Fedasil", "Fedasil", ("fedasilbe",), "https://www.facebook.com/fedasil"
        ),
        Agency(
            "pod-mi",
            "de POD Maatschappelijke Integratie",
            "le SPP Intégration sociale",
            "POD MI",
            "SPP IS",
            ("PODMI_SPPIS",),
            "https://www.facebook.com/mi.is.be",
        ),
        Agency(
            "werk",
            "de FOD Werkgelegenheid, Arbeid en Sociaal Overleg",
            "le SPF Emploi, Travail et Concertation sociale",
            "FOD Werk",
            "SPF Emploi",
            plans="LinkedIn",
        ),
        Agency(
            "rva", "de Rijksdienst voor Arbeidsvoorziening (RVA)", "l'Office national de l'emploi (ONEM)", "RVA", "ONEM"
        ),
        Agency(
            "sociale-zekerheid",
            "de FOD Sociale Zekerheid",
            "le SPF Sécurité sociale",
            "FOD Sociale Zekerheid",
            "SPF Sécurité sociale",
            ("FODSocZek",),
        ),
        Agency("riziv", "het RIZIV", "l'INAMI", "RIZIV", "INAMI", plans="Twitter"),
        Agency(
            "favv",
            "het Federaal Agentschap voor de Veiligheid van de Voedselketen (FAVV)",
            "l'Agence fédérale pour la Sécurité de la Chaîne alimentaire (AFSCA)",
            "FAVV",
            "AFSCA",
            ("FAVV_AFSCA",),
        ),
        Agency(
            "defensie",
            "Defensie",
            "la Défense",
            "Defensie",
            "Défense",
            ("BelgianDefence",),
            "https://www.facebook.com/BelgianDefence",
        ),
        Agency(
            "buitenlandse-zaken",
            "de FOD Buitenlandse Zaken",
            "le SPF Affaires étrangères",
            "FOD Buitenlandse Zaken",
            "SPF Affaires étrangères",
            ("BelgiumMFA", "diplomatie_be"),
            "https://www.facebook.com/diplomatie.belgium",
        ),
        Agency(
            "personeel",
            "de FOD Personeel en Organisatie",
            "le SPF Personnel et Organisation",
            "FOD P&O",
            "SPF P&O",
            plans="LinkedIn",
        ),
        Agency("selor", "Selor", "Selor", "Selor", "Selor", ("Selor",), "https://www.facebook.com/selor.be"),
        Agency("fedict", "Fedict", "Fedict", "Fedict", "Fedict", ("Fedict",)),
        Agency("bpost", "bpost", "bpost", "bpost", "bpost", ("bpost",), "https://www.facebook.com/bpost"),
        Agency("nmbs", "de NMBS", "la SNCB", "NMBS", "SNCB", ("NMBS", "SNCB"), "https://www.facebook.com/NMBS.SNCB"),
        Agency(
            "pensioendienst",
            "de Rijksdienst voor Pensioenen (RVP)",
            "l'Office national des Pensions (ONP)",
            "RVP",
            "ONP",
            plans="Facebook",
        ),
        Agency(
            "budget",
            "de FOD Budget en Beheerscontrole",
            "le SPF Budget et Contrôle de la gestion",
            "FOD Budget",
            "SPF Budget",
        ),
        Agency(
            "belspo",
            "de POD Wetenschapsbeleid (Belspo)",
            "le SPP Politique scientifique (Belspo)",
            "Belspo",
            "Belspo",
            ("BELSPO_be",),
        ),
        Agency("bipt", "het BIPT", "l'IBPT", "BIPT", "IBPT", plans="Twitter"),
    )
}


@dataclass(frozen=True)
class Senator:
    name: str
    party: str | None
    language: Language
    legislatures: tuple[int, ...]
    female: bool


SENATORS: tuple[Senator, ...] = (
    Senator("Martine Taelman", "Open Vld", "nl", (4, 5), True),
    Senator("Nele Lijnen", "Open Vld", "nl", (5,), True),
    Senator("Bart Tommelein", "Open Vld", "nl", (5,), False),
    Senator("Rik Daems", "Open Vld", "nl", (5,), False),
    Senator("Bert Anciaux", "sp.a", "nl", (5,), False),
    Senator("Fauzaya Talhaoui", "sp.a", "nl", (4, 5), True),
    Senator("Guy Swennen", "sp.a", "nl", (4,), False),
    Senator("Louis Ide", "N-VA", "nl", (4, 5), False),
    Senator("Elke Sleurs", "N-VA", "nl", (5,), True),
    Senator("Karl Vanlouwe", "N-VA", "nl", (5,), False),
    Senator("Huub Broers", "N-VA", "nl", (5,), False),
    Senator("Bart Laeremans", "Vlaams Belang", "nl", (5,), False),
    Senator("Anke Van dermeersch", "Vlaams Belang", "nl", (4, 5), True),
    Senator("Sabine de Bethune", "CD&V", "nl", (4, 5), True),
    Senator("Cindy Franssen", "CD&V", "nl", (5,), True),
    Senator("Freya Piryns", "Groen!", "nl", (4, 5), True),
    Senator("Dirk Claes", "CD&V", "nl", (4,), False),
    Senator("Zakia Khattabi", "Ecolo", "fr", (4, 5), True),
    Senator("Jacky Morael", "Ecolo", "fr", (5,), False),
    Senator("Richard Miller", "MR", "fr", (5,), False),
    Senator("Alain Courtois", "MR", "fr", (4, 5), False),
    Senator("Christine Defraigne", "MR", "fr", (4, 5), True),
    Senator("Vanessa Matz", "cdH", "fr", (5,), True),
    Senator("Francis Delpérée", "cdH", "fr", (4, 5), False),
    Senator("Philippe Mahoux", "PS", "fr", (4, 5), False),
    Senator("Olga Zrihen", "PS", "fr", (4, 5), True),
    Senator("Fatiha Saïdi", "PS", "fr", (4, 5), True),
    Senator("Jurgen Ceder", None, "nl", (4,), False),
)


# --------------------------------------------------------------------------------------------
# Office titles, printed and as records.

_CONTRACTIONS = {("de", "le "): "du ", ("de", "les "): "des ", ("à", "le "): "au ", ("à", "les "): "aux "}


def _with_preposition(preposition: str, printed: str) -> str:
    """ "de" + "la Justice" -> "de la Justice"; "à" + "les Affaires" -> "aux Affaires"."""
    for article in ("le ", "les "):
        if printed.startswith(article):
            return _CONTRACTIONS[(preposition, article)] + printed[len(article) :]
    return f"{preposition} {printed}"


def _join(items: Sequence[str], conjunction: str) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _noun(spec: OfficeSpec, language: Language) -> str:
    if language == "nl":
        return {
            "prime-minister": "eerste minister",
            "deputy-prime-minister": "vice-eersteminister en minister",
            "minister": "minister",
            "state-secretary": "staatssecretaris",
            "other": "regering",
        }[spec.kind]
    if spec.kind == "prime-minister":
        return "Première ministre" if spec.female else "Premier ministre"
    if spec.kind == "deputy-prime-minister":
        return ("vice-première" if spec.female else "vice-premier") + " ministre et ministre"
    return {"minister": "ministre", "state-secretary": "secrétaire d'État", "other": "gouvernement"}[spec.kind]


def office_text(spec: OfficeSpec, language: Language) -> str:
    """The office as an addressee line prints it, without its article."""
    noun = _noun(spec, language)
    if language == "nl":
        text = noun
        if spec.competences:
            preposition = spec.nl_preposition or ("voor" if spec.kind == "state-secretary" else "van")
            text += f" {preposition} " + _join([item.nl for item in spec.competences], "en")
        if spec.charged:
            text += ", belast met " + _join([item.nl for item in spec.charged], "en")
        if spec.attached is not None:
            text += ", toegevoegd aan de " + office_text(spec.attached, "nl")
        return text
    text = noun
    if spec.competences:
        preposition = spec.fr_preposition or ("à" if spec.kind == "state-secretary" else "de")
        if preposition == "pour":
            text += " pour " + _join([item.fr for item in spec.competences], "et")
        else:
            text += " " + _join([_with_preposition(preposition, item.fr) for item in spec.competences], "et")
    if spec.charged:
        text += ", chargée " if spec.female else ", chargé "
        text += _join([_with_preposition("de", item.fr) for item in spec.charged], "et")
    if spec.attached is not None:
        text += ", adjointe " if spec.female else ", adjoint "
        text += ("à la " if spec.attached.female else "au ") + office_text(spec.attached, "fr")
    return text


def office_record(spec: OfficeSpec, language: Language) -> Office:
    """The Office a parser must read from `office_text(spec, language)`."""
    if language == "nl":
        portfolio = tuple(item.nl_canonical for item in spec.competences + spec.charged)
    else:
        portfolio = tuple(item.fr_canonical for item in spec.competences + spec.charged)
    attached = office_record(spec.attached, language) if spec.attached is not None else None
    return Office(office_text(spec, language), spec.kind, portfolio, attached, language)


def addressee(specs: Sequence[OfficeSpec], language: Language) -> tuple[str, str]:
    """(the addressee line, the addressee as a record holds it: the text after "aan"/"à")."""
    if language == "nl":
        text = "de " + ", en ".join(office_text(spec, "nl") for spec in specs)
        return "aan " + text, text
    body = ", et ".join(office_text(spec, "fr") for spec in specs)
    if specs[0].female:
        return "à la " + body, "la " + body
    return "au " + body, body


# --------------------------------------------------------------------------------------------
# What questions ask and answers say, in both languages.


@dataclass(frozen=True)
class Topic:
    title: dict[Language, str]
    descriptors: tuple[tuple[str, str], ...]  # (nl, fr)
    intro: dict[Language, tuple[str, ...]]
    lead: dict[Language, str]  # the sentence before the numbered questions
    questions: dict[Language, tuple[str, ...]]
    answers: tuple[str, ...]  # what each numbered answer part is about (keys of _SENTENCES)


TOPICS: tuple[Topic, ...] = (
    Topic(
        title={
            "nl": "Federale overheidsdiensten - Communicatie met burgers - Gebruik van sociale media",
            "fr": "Services publics fédéraux - Communication avec les citoyens - Utilisation des médias sociaux",
        },
        descriptors=(
            ("ministerie", "ministère"),
            ("virtuele gemeenschap", "communauté virtuelle"),
            ("bewustmaking van de burgers", "sensibilisation du public"),
            ("betrekking tussen overheid en burger", "relation citoyen-administration"),
            ("sociale media", "média social"),
        ),
        intro={
            "nl": (
                "Bedrijven en overheden hebben de afgelopen jaren de kracht van de sociale media ontdekt om op "
                "een vlotte en toegankelijke manier contact te onderhouden met (potentiële) klanten of burgers. "
                "Enkele federale overheidsdiensten maken intussen ook gebruik van sociale media, zo kan men via "
                "@FOD_Financien nieuws volgen over en contact opnemen met deze federale overheidsdienst via "
                "Twitter en worden via @belgiumbe de officiële persberichten verspreid via ditzelfde medium.",
            ),
            "fr": (
                "Ces dernières années, les entreprises et les pouvoirs publics ont découvert la force des médias "
                "sociaux pour entretenir de manière souple et accessible des contacts avec leurs clients ou "
                "citoyens (potentiels). Quelques services publics fédéraux utilisent déjà les médias sociaux : "
                "@FOD_Financien permet de suivre l'actualité du SPF Finances et de le contacter via Twitter, et "
                "les communiqués de presse officiels sont diffusés via @belgiumbe sur ce même média.",
            ),
        },
        lead={
            "nl": "Graag kreeg ik dan ook een antwoord op de volgende vragen:",
            "fr": "Je souhaiterais dès lors obtenir une réponse aux questions suivantes :",
        },
        questions={
            "nl": (
                "Maken de FOD's die onder uw bevoegdheid vallen gebruik van sociale media voor de communicatie "
                "met burgers? Zo ja, welke? Indien niet, zijn er plannen om dat in de toekomst te doen?",
                "Hoe evalueert u het gebruik van sociale media door de FOD's die onder uw bevoegdheid vallen? "
                "Welke reacties worden er van burgers ontvangen?",
                "Hoe wordt de informatie geselecteerd die via de sociale media wordt verspreid? Is hier een "
                "specifiek beleid voor?",
                "Zijn er gevallen van misbruik bekend, waarbij foutieve informatie door derden verspreid wordt "
                "die ogenschijnlijk vanuit de federale overheid afkomstig zou zijn?",
            ),
            "fr": (
                "Les SPF relevant de vos compétences utilisent-ils les médias sociaux pour communiquer avec "
                "les citoyens ? Dans l'affirmative, lesquels ? Dans la négative, envisage-t-on de le faire ?",
                "Comment évaluez-vous l'utilisation des médias sociaux par ces SPF ? Quelles réactions "
                "reçoivent-ils des citoyens ?",
                "Comment sont sélectionnées les informations diffusées via les médias sociaux ? Existe-t-il "
                "une politique spécifique à cet égard ?",
                "A-t-on connaissance de cas d'abus où des tiers diffusent des informations erronées "
                "semblant émaner de l'autorité fédérale ?",
            ),
        },
        answers=("accounts", "evaluation", "selection", "abuse"),
    ),
    Topic(
        title={
            "nl": "Overheidsdiensten - Twitter - Officiële accounts - Aantal volgers",
            "fr": "Services publics - Twitter - Comptes officiels - Nombre d'abonnés",
        },
        descriptors=(
            ("sociale media", "média social"),
            ("openbare dienst", "service public"),
            ("informatieverspreiding", "diffusion de l'information"),
            ("internet", "Internet"),
        ),
        intro={
            "nl": (
                "Steeds meer overheidsdiensten communiceren via Twitter. Een officiële account biedt de burger "
                "snelle en betrouwbare informatie, maar vergt ook een doordachte aanpak en voldoende personeel.",
            ),
            "fr": (
                "De plus en plus de services publics communiquent via Twitter. Un compte officiel offre au "
                "citoyen une information rapide et fiable, mais exige aussi une approche réfléchie et un "
                "personnel suffisant.",
            ),
        },
        lead={
            "nl": "Ik had graag van de geachte minister het volgende vernomen:",
            "fr": "J'aimerais obtenir les informations suivantes :",
        },
        questions={
            "nl": (
                "Welke diensten onder uw bevoegdheid beschikken over een officiële Twitter-account? Graag "
                "een overzicht met hun gebruikersnaam.",
                "Hoeveel volgers hebben deze accounts op dit moment?",
                "Wie beheert deze accounts en hoeveel personeelsleden zijn daarmee belast?",
            ),
            "fr": (
                "Quels services relevant de vos compétences disposent d'un compte Twitter officiel ? "
                "Pourriez-vous en donner la liste avec leur nom d'utilisateur ?",
                "Combien d'abonnés ces comptes ont-ils actuellement ?",
                "Qui gère ces comptes et combien de membres du personnel en sont chargés ?",
            ),
        },
        answers=("accounts", "followers", "staff"),
    ),
    Topic(
        title={
            "nl": "Sociale netwerksites - Facebook - Beleid van de federale overheid",
            "fr": "Sites de réseaux sociaux - Facebook - Politique de l'administration fédérale",
        },
        descriptors=(
            ("sociale media", "média social"),
            ("administratieve informatie", "information administrative"),
            ("elektronische overheid", "administration électronique"),
        ),
        intro={
            "nl": (
                "Facebook is uitgegroeid tot een belangrijk communicatiekanaal. Verschillende federale "
                "instellingen hebben intussen een eigen pagina, terwijl andere nog twijfelen over het nut "
                "ervan of vrezen voor de reacties die ze er zullen krijgen.",
                "Een coherent beleid lijkt mij dan ook aangewezen.",
            ),
            "fr": (
                "Facebook est devenu un canal de communication important. Plusieurs institutions fédérales "
                "disposent déjà de leur propre page, tandis que d'autres s'interrogent encore sur son utilité "
                "ou redoutent les réactions qu'elles y recevront.",
                "Une politique cohérente me semble dès lors indiquée.",
            ),
        },
        lead={
            "nl": "Kan de minister mij antwoorden op de volgende vragen?",
            "fr": "Le ministre peut-il répondre aux questions suivantes ?",
        },
        questions={
            "nl": (
                "Welke instellingen onder uw bevoegdheid hebben een Facebookpagina?",
                "Hoe evalueert u de ervaringen met deze pagina's?",
                "Bestaan er richtlijnen voor wat op deze pagina's gepubliceerd wordt?",
            ),
            "fr": (
                "Quelles institutions relevant de vos compétences disposent d'une page Facebook ?",
                "Comment évaluez-vous l'expérience de ces pages ?",
                "Existe-t-il des directives sur ce qui est publié sur ces pages ?",
            ),
        },
        answers=("accounts", "evaluation", "selection"),
    ),
)

_SENTENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "evaluation": (
        (
            "De reacties van burgers zijn overwegend positief.",
            "Les réactions des citoyens sont majoritairement positives.",
        ),
        (
            "De kanalen laten toe om snel op de actualiteit in te spelen en vormen een extra kanaal voor burgers om de "
            "dienst te bereiken.",
            "Ces canaux permettent de réagir rapidement à l'actualité et offrent aux citoyens un "
            "canal supplémentaire pour joindre le service.",
        ),
        (
            "Het gebruik wordt als positief geëvalueerd, al blijft het aantal vragen via dit kanaal beperkt.",
            "L'utilisation est évaluée positivement, même si le nombre de questions posées par ce canal reste limité.",
        ),
    ),
    "selection": (
        (
            "De informatie die via sociale media wordt verspreid, valt onder de verantwoordelijkheid van de dienst "
            "communicatie.",
            "Les informations diffusées via les médias sociaux relèvent de la responsabilité du service communication.",
        ),
        (
            "In beginsel worden enkel berichten gepost die ook via een persbericht of op de website worden verspreid.",
            "En principe, seuls sont publiés des messages également diffusés par communiqué de presse ou sur le site "
            "internet.",
        ),
        (
            "Er werd een richtlijn opgesteld die doelstellingen, doelpubliek, type van informatie en "
            "verantwoordelijkheden bepaalt.",
            "Une directive fixant les objectifs, le public cible, le type d'information "
            "et les responsabilités a été rédigée.",
        ),
    ),
    "abuse": (
        ("Er zijn geen gevallen van misbruik bekend.", "Aucun cas d'abus n'est connu."),
        (
            "Er werden geen misbruiken vastgesteld. De accounts worden dagelijks gemonitord.",
            "Aucun abus n'a été constaté. Les comptes font l'objet d'un suivi quotidien.",
        ),
    ),
    "staff": (
        (
            "De accounts worden beheerd door {n} medewerkers van de dienst communicatie.",
            "Les comptes sont gérés par {n} collaborateurs du service communication.",
        ),
        (
            "Het beheer gebeurt door de woordvoerder, bijgestaan door {n} medewerkers.",
            "La gestion est assurée par le porte-parole, assisté de {n} collaborateurs.",
        ),
    ),
}


@dataclass(frozen=True)
class AgencyFact:
    """What one answer states about one agency: the values a social-media extractor should find."""

    number: QuestionNumber
    language: Language
    agency: str  # key in AGENCIES
    name: str  # as the answer names it
    uses_social_media: bool
    accounts: tuple[tuple[str, str], ...] = ()  # ("twitter", "FODEconomie"), ("facebook", url)
    followers: tuple[tuple[str, str, int, date], ...] = ()  # (platform, account, count, on)
    plans: tuple[str, ...] = ()  # platforms it plans to use


def _article(name: str) -> str:
    for article in ("de ", "het ", "le ", "la ", "les ", "l'"):
        if name.startswith(article):
            return article
    return ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _count(value: int, language: Language) -> str:
    """Follower counts as Belgian texts write them: "12.345" in Dutch, "12 345" in French."""
    if value < 1000:
        return str(value)
    return f"{value:,}".replace(",", "." if language == "nl" else " ")


# --------------------------------------------------------------------------------------------
# Plans: every random choice about one question, made once, so both languages say the same.


@dataclass
class AgencyPlan:
    agency: Agency
    header: bool
    numbered: bool
    followers: list[tuple[str, str, int, date]] = field(default_factory=list)
    plan_year: int | None = None
    choices: dict[str, int] = field(default_factory=dict)  # sentence pool key -> index
    staff: int = 2

    @property
    def uses(self) -> bool:
        return bool(self.agency.twitter or self.agency.facebook)


@dataclass
class QuestionPlan:
    number: QuestionNumber
    day: date
    senator: Senator
    topic: Topic
    offices: tuple[OfficeSpec, ...]
    question_label: str  # "{n})"
    answer_label: str
    damaged: bool
    answer_date: date | None
    intro: bool
    deflect_to: OfficeSpec | None
    agencies: list[AgencyPlan]
    events: list[tuple[str, date, date | None]]  # (kind, date, deadline)
    links: list[tuple[str, QuestionNumber]]  # (kind, target)
    printed: date  # drawn, though not printed: the real print versions print the question's date;
    # drawn still, so a seed plans the same questions as before
    renderings: tuple[tuple[Rendering, Language | None], ...]


def _damage(text: str) -> str:
    """Windows-1252 text misread as Mac Central European, the way the seeds show it, limited to
    the words `kg.parse.repair` can tell apart from correct text."""
    if text.isascii():
        return text
    words = []
    for word in text.split(" "):
        words.append(_damage_word(word))
    return " ".join(words)


_DAMAGE_ALWAYS = {char.encode("mac_latin2").decode("cp1252"): char for char in ALWAYS if char != "\xa0"}
_DAMAGE_AFTER_LOWER = {char.encode("mac_latin2").decode("cp1252"): char for char in AFTER_LOWER}


def _damage_word(word: str) -> str:
    out = []
    for index, char in enumerate(word):
        if char.isascii():
            out.append(char)
            continue
        before = word[index - 1] if index else ""
        if char in _DAMAGE_ALWAYS and (char != "ë" or before.isalpha()):
            out.append(_DAMAGE_ALWAYS[char])
        elif char in _DAMAGE_AFTER_LOWER and before.islower():
            out.append(_DAMAGE_AFTER_LOWER[char])
        else:
            return word
    return "".join(out)


@dataclass(frozen=True)
class Profile:
    """What a corpus looks like. "mixed" is the record as a whole (most answers name an agency or
    two, a quarter are never answered); "seeds" is shaped like the seed documents, for benchmarks
    on realistic sizes: answered questions whose long answers describe many agencies, each with
    its accounts and audience figures (about as many triples per question as the seeds give)."""

    name: str
    agencies: tuple[int, int] | None = None  # agencies an answer describes; None: one to three of the offices'
    every_account: bool = False  # each agency's accounts all named, with their audience


PROFILES = {"mixed": Profile("mixed"), "seeds": Profile("seeds", agencies=(7, 12), every_account=True)}


class _Planner:
    """Plans questions in date order, numbering them per legislature."""

    def __init__(self, count: int, seed: int, profile: Profile = PROFILES["mixed"]):
        self.rng = Random(seed)
        self.profile = profile
        self.expected_series = max(1, count * 10 // 23)  # a series yields 2.3 documents on average
        self.series = 0
        self.next_number = {4: 351, 5: 1}

    def _day(self) -> date:
        span = (LAST_DAY - FIRST_DAY).days
        offset = self.series * span // self.expected_series + self.rng.randint(0, 3)
        day = FIRST_DAY + timedelta(days=min(offset, span))
        if LEGISLATURES[4][1] < day < LEGISLATURES[5][0]:
            day = LEGISLATURES[5][0] + timedelta(days=self.rng.randint(1, 20))
        return day

    def _take_numbers(self, legislature: int, count: int) -> list[QuestionNumber]:
        first = self.next_number[legislature]
        self.next_number[legislature] = first + count + self.rng.randint(0, 3)
        return [QuestionNumber(legislature, first + index) for index in range(count)]

    def plan_series(self) -> list[QuestionPlan]:
        """One question asked to one or several members of the government (siblings), and its
        resubmission in the next legislature when it lapsed."""
        rng = self.rng
        day = self._day()
        self.series += 1
        legislature = legislature_on(day)
        government = government_on(day)
        senator = rng.choice([s for s in SENATORS if legislature in s.legislatures])
        topic = rng.choice(TOPICS)
        roll = rng.random()
        size = (
            1
            if roll < 0.6
            else rng.randint(2, 4)
            if roll < 0.85
            else rng.randint(5, 8)
            if roll < 0.95
            else rng.randint(9, 16)
        )
        chosen = rng.sample(government.offices, min(size, len(government.offices)))
        addressees: list[tuple[OfficeSpec, ...]] = [(spec,) for spec in chosen]
        if government.name == "Di Rupo" and rng.random() < 0.08:
            addressees[0] = DOUBLE_OFFICE
        numbers = self._take_numbers(legislature, len(addressees))
        damaged = rng.random() < 0.12
        question_label = rng.choice(("{n})", "{n})", "{n}."))
        plans = []
        for number, offices in zip(numbers, addressees, strict=True):
            siblings = [("sibling", other) for other in numbers if other != number]
            plans.append(
                self._plan_question(number, day, senator, topic, offices, siblings, question_label, damaged, government)
            )
        lapsed = plans[0]
        if (
            len(plans) == 1
            and legislature == 4
            and lapsed.answer_date is None
            and any(kind == "end-of-legislature" for kind, _, _ in lapsed.events)
            and rng.random() < 0.6
        ):
            plans.append(self._resubmission(lapsed))
        return plans

    def _plan_question(
        self,
        number: QuestionNumber,
        day: date,
        senator: Senator,
        topic: Topic,
        offices: tuple[OfficeSpec, ...],
        links: list[tuple[str, QuestionNumber]],
        question_label: str,
        damaged: bool,
        government: Government,
        answer_after: date | None = None,
    ) -> QuestionPlan:
        rng = self.rng
        legislature_end = LEGISLATURES[number.legislature][1]
        deadline = day + timedelta(days=30) if rng.random() < 0.5 else None
        events: list[tuple[str, date, date | None]] = [("sent", day, deadline)]
        roll = rng.random()
        answer_date = None
        if roll < 0.72:
            answer_date = day + timedelta(days=rng.randint(12, 240))
            if answer_date > legislature_end or answer_date > LAST_DAY + timedelta(days=20):
                answer_date = None
                events.append(("end-of-legislature", legislature_end, None))
            else:
                if (answer_date - day).days > 75 and rng.random() < 0.6:
                    events.append(("reminder", day + timedelta(days=rng.randint(45, 70)), None))
                events.append(("answer", answer_date, None))
        elif roll < 0.84:
            closed = day + timedelta(days=rng.randint(90, 400))
            if closed >= legislature_end:
                events.append(("end-of-legislature", legislature_end, None))
            else:
                events.append(("closed", closed, None))
        elif number.legislature == 4 and day > date(2009, 9, 1) or day > date(2013, 10, 1):
            events.append(("end-of-legislature", legislature_end, None))
        elif rng.random() < 0.5:
            events.append(("reminder", day + timedelta(days=rng.randint(45, 70)), None))
        events.sort(key=lambda event: event[1])
        agencies: list[AgencyPlan] = []
        deflect_to = None
        if answer_date is not None:
            if rng.random() < 0.05:
                deflect_to = rng.choice([spec for spec in government.offices if spec not in offices])
            else:
                agencies = self._plan_agencies(offices, topic, answer_date)
        last = max(when for _, when, _ in events)
        printed = min(last + timedelta(days=rng.randint(1, 300)), date(2014, 12, 31))
        renderings = self._renderings()
        return QuestionPlan(
            number,
            day,
            senator,
            topic,
            offices,
            question_label,
            rng.choice(("{n}.", "{n}/", "{n})")),
            damaged,
            answer_date,
            rng.random() < 0.4,
            deflect_to,
            agencies,
            events,
            list(links),
            printed,
            renderings,
        )

    def _renderings(self) -> tuple[tuple[Rendering, Language | None], ...]:
        roll = self.rng.random()
        if roll < 0.33:
            return (("web", "nl"),)
        if roll < 0.53:
            return (("web", "fr"),)
        if roll < 0.63:
            return (("print", "nl"),)
        if roll < 0.72:
            return (("print", "fr"),)
        if roll < 0.9:
            return (("print-bilingual", None),)
        return (("web", "nl"), ("web", "fr"))

    def _plan_agencies(self, offices: tuple[OfficeSpec, ...], topic: Topic, answer_date: date) -> list[AgencyPlan]:
        rng = self.rng
        pool: list[str] = []
        for spec in offices:
            pool.extend(key for key in spec.agencies if key not in pool)
        if self.profile.agencies is None:
            count = min(len(pool), rng.choice((1, 1, 2, 2, 3)))
        else:  # the answer goes beyond the offices' own agencies, as the seeds' answers do
            count = rng.randint(*self.profile.agencies)
            others = [key for key in sorted(AGENCIES) if key not in pool]
            pool.extend(rng.sample(others, max(0, min(len(others), count - len(pool)))))
            count = min(len(pool), count)
        picked = sorted(rng.sample(range(len(pool)), count))
        plans = []
        for index in picked:
            agency = AGENCIES[pool[index]]
            plan = AgencyPlan(agency, header=count > 1 or rng.random() < 0.3, numbered=rng.random() < 0.7)
            if plan.uses:
                handles = agency.twitter[: rng.randint(1, 2)]
                if self.profile.every_account:
                    handles = agency.twitter
                for position, handle in enumerate(handles):
                    if position == 0 or self.profile.every_account or rng.random() < 0.5:
                        plan.followers.append(
                            (
                                "twitter",
                                handle,
                                rng.randint(120, 25000),
                                answer_date - timedelta(days=rng.randint(3, 40)),
                            )
                        )
                if agency.facebook and (self.profile.every_account or rng.random() < 0.5):
                    plan.followers.append(
                        (
                            "facebook",
                            agency.facebook,
                            rng.randint(200, 40000),
                            answer_date - timedelta(days=rng.randint(3, 40)),
                        )
                    )
                if not plan.followers and "followers" in topic.answers:
                    platform, account = (
                        ("twitter", agency.twitter[0]) if agency.twitter else ("facebook", agency.facebook or "")
                    )
                    plan.followers.append((platform, account, rng.randint(120, 25000), answer_date))
            elif agency.plans:
                plan.plan_year = answer_date.year + rng.randint(0, 1)
            plan.choices = {key: rng.randrange(len(pool_)) for key, pool_ in _SENTENCES.items()}
            plan.choices["followers"] = rng.randrange(2)
            plan.staff = rng.randint(1, 6)
            plans.append(plan)
        return plans

    def _resubmission(self, lapsed: QuestionPlan) -> QuestionPlan:
        """The lapsed question asked again early in the next legislature."""
        rng = self.rng
        (number,) = self._take_numbers(5, 1)
        lapsed.links.append(("resubmitted-as", number))
        day = LEGISLATURES[5][0] + timedelta(days=rng.randint(2, 60))
        government = government_on(day)
        offices = (
            lapsed.offices
            if all(spec in government.offices for spec in lapsed.offices)
            else (rng.choice(government.offices),)
        )
        return self._plan_question(
            number,
            day,
            lapsed.senator,
            lapsed.topic,
            offices,
            [("resubmission-of", lapsed.number)],
            lapsed.question_label,
            lapsed.damaged,
            government,
        )


# --------------------------------------------------------------------------------------------
# Plans -> records (the values) -> documents (the text).


class _Body:
    """Paragraphs and numbered parts of one text, built in order."""

    def __init__(self, damaged: bool = False):
        self.paragraphs: list[Paragraph] = []
        self.parts: list[NumberedPart] = []
        self.damaged = damaged
        self.repaired = False

    def add(self, text: str) -> Paragraph:
        printed = _damage(text) if self.damaged else text
        if printed != text:
            self.repaired = True
            paragraph = Paragraph(text, printed)
        else:
            paragraph = Paragraph(text)
        self.paragraphs.append(paragraph)
        return paragraph

    def add_part(self, label_format: str, number: int, texts: Sequence[str]) -> None:
        label = label_format.format(n=number)
        first = self.add(f"{label} {texts[0]}")
        rest = [self.add(text) for text in texts[1:]]
        self.parts.append(NumberedPart(label, number, (first, *rest)))

    def text(self) -> Text:
        return Text(tuple(self.paragraphs), tuple(self.parts))


def _question_text(plan: QuestionPlan, language: Language) -> tuple[Text, bool]:
    body = _Body(plan.damaged)
    topic = plan.topic
    for paragraph in topic.intro[language]:
        body.add(paragraph)
    body.add(topic.lead[language])
    for index, question in enumerate(topic.questions[language], start=1):
        body.add_part(plan.question_label, index, [question])
    return body.text(), body.repaired


def _agency_sentences(plan: AgencyPlan, key: str, language: Language) -> list[str]:
    agency = plan.agency
    nl = language == "nl"
    subject = _capital(agency.nl if nl else agency.fr)
    if key == "accounts":
        items = []
        if agency.twitter:
            handles = ", ".join("@" + handle for handle in agency.twitter)
            items.append(f"Twitter ({handles})")
        if agency.facebook:
            items.append(f"Facebook ({agency.facebook})")
        sentence = f"{subject} maakt gebruik van " if nl else f"{subject} utilise "
        return [sentence + _join(items, "en" if nl else "et") + "."]
    if key == "followers":
        return (
            [_followers(plan, language)]
            if plan.followers
            else ["Er zijn geen cijfers beschikbaar." if nl else "Aucun chiffre n'est disponible."]
        )
    if key == "staff":
        template = _SENTENCES["staff"][plan.choices["staff"]][0 if nl else 1]
        return [template.format(n=plan.staff)]
    return [_SENTENCES[key][plan.choices[key]][0 if nl else 1]]


def _followers(plan: AgencyPlan, language: Language) -> str:
    sentences = []
    for platform, account, count, on in plan.followers:
        amount, day = _count(count, language), format_date(on, language)
        if language == "nl":
            if platform == "facebook":
                sentences.append(f"De Facebookpagina {account} telde op {day} {amount} fans.")
            elif plan.choices["followers"] == 0:
                sentences.append(f"De Twitter-account @{account} telde op {day} {amount} volgers.")
            else:
                sentences.append(f"De Twitter-account @{account} heeft op dit moment (de dato {day}) {amount} volgers.")
        elif platform == "facebook":
            sentences.append(f"La page Facebook {account} comptait {amount} fans au {day}.")
        elif plan.choices["followers"] == 0:
            sentences.append(f"Le compte Twitter @{account} comptait {amount} abonnés au {day}.")
        else:
            sentences.append(f"Le compte Twitter @{account} compte actuellement (à la date du {day}) {amount} abonnés.")
    return " ".join(sentences)


def _answer_text(plan: QuestionPlan, language: Language) -> tuple[Text, list[AgencyFact]]:
    body = _Body()
    nl = language == "nl"
    facts: list[AgencyFact] = []
    if plan.intro:
        body.add(
            (
                "Het geachte lid vindt hieronder het antwoord op "
                + ("haar" if plan.senator.female else "zijn")
                + " vragen."
            )
            if nl
            else "L'honorable membre trouvera ci-dessous la réponse à ses questions."
        )
    if plan.deflect_to is not None:
        other = plan.deflect_to
        if nl:
            body.add(
                "Deze vraag behoort niet tot mijn bevoegdheid. Ik verwijs het geachte lid naar het antwoord "
                f"van mijn collega, de {office_text(other, 'nl')}."
            )
        else:
            colleague = "ma collègue, la " if other.female else "mon collègue, le "
            body.add(
                "Cette question ne relève pas de mes compétences. Je renvoie l'honorable membre à la "
                f"réponse de {colleague}{office_text(other, 'fr')}."
            )
    for agency_plan in plan.agencies:
        agency = agency_plan.agency
        name = agency.nl if nl else agency.fr
        if agency_plan.header:
            short = _article(name) + (agency.nl_short if nl else agency.fr_short)
            body.add(f"Voor wat {short} betreft :" if nl else f"En ce qui concerne {short} :")
        if not agency_plan.uses:
            body.add(
                f"{_capital(name)} maakt geen gebruik van sociale media."
                if nl
                else f"{_capital(name)} n'utilise pas les médias sociaux."
            )
            plans: tuple[str, ...] = ()
            if agency_plan.plan_year is not None and agency.plans:
                plans = (agency.plans.lower(),)
                body.add(
                    f"Er zijn plannen om in de loop van {agency_plan.plan_year} een {agency.plans}-account te openen."
                    if nl
                    else f"Il est prévu d'ouvrir un compte {agency.plans} dans le courant de {agency_plan.plan_year}."
                )
            facts.append(AgencyFact(plan.number, language, agency.key, name, False, plans=plans))
            continue
        keys = plan.topic.answers
        if agency_plan.numbered:
            for index, key in enumerate(keys, start=1):
                sentences = _agency_sentences(agency_plan, key, language)
                if key == "accounts" and "followers" not in keys and agency_plan.followers:
                    sentences.append(_followers(agency_plan, language))
                body.add_part(plan.answer_label, index, sentences)
        else:
            body.add(_agency_sentences(agency_plan, "accounts", language)[0])
            if agency_plan.followers:
                body.add(_followers(agency_plan, language))
            body.add(_agency_sentences(agency_plan, "evaluation", language)[0])
        accounts = tuple(("twitter", handle) for handle in agency.twitter)
        if agency.facebook:
            accounts += (("facebook", agency.facebook),)
        facts.append(AgencyFact(plan.number, language, agency.key, name, True, accounts, tuple(agency_plan.followers)))
    if not body.paragraphs:
        body.add(
            "Geen enkele dienst onder mijn bevoegdheid maakt gebruik van sociale media."
            if nl
            else "Aucun service relevant de mes compétences n'utilise les médias sociaux."
        )
    return body.text(), facts


def _session(day: date) -> str:
    start = day.year if day.month >= 10 else day.year - 1
    return f"{start}-{start + 1}"


@dataclass(frozen=True)
class _Version:
    """One language version: its record (source still to be set) and its addressee line."""

    record: QuestionRecord
    addressee_line: str
    facts: tuple[AgencyFact, ...]
    repaired: bool


_PLACEHOLDER = SourceDocument("", "", "web")


def _version(plan: QuestionPlan, language: Language) -> _Version:
    phrases = PHRASES[language]
    line, text = addressee(plan.offices, language)
    question, repaired = _question_text(plan, language)
    answer = facts = None
    if plan.answer_date is not None:
        answer_text, facts = _answer_text(plan, language)
        answer = Answer(plan.answer_date, answer_text)
    chronology = tuple(
        ChronologyEvent(when, cast(EventKind, kind), phrases.events[cast(EventKind, kind)], deadline)
        for kind, when, deadline in plan.events
    )
    links = tuple(
        QuestionLink(kind, target, phrases.links[kind])  # type: ignore[arg-type, index]
        for kind, target in plan.links
    )
    title = plan.topic.title[language]
    record = QuestionRecord(
        number=plan.number,
        language=language,
        original_language=plan.senator.language,
        author=plan.senator.name,
        party=plan.senator.party,
        date=plan.day,
        addressee=text,
        offices=tuple(office_record(spec, language) for spec in plan.offices),
        title=title,
        title_parts=tuple(title.split(" - ")),
        descriptors=tuple(pair[0 if language == "nl" else 1] for pair in plan.topic.descriptors),
        chronology=chronology,
        links=links,
        question=question,
        answer=answer,
        source=_PLACEHOLDER,
    )
    return _Version(record, line, tuple(facts or ()), repaired)


def _event_line(event: ChronologyEvent, language: Language, separator: str) -> str:
    line = f"{format_numeric(event.date)}{separator}{event.label}"
    if event.deadline is not None:
        line += f" ({PHRASES[language].deadline}: {format_numeric(event.deadline)})"
    return line


def _link_line(link: QuestionLink, language: Language) -> str:
    return f"{link.label} : {PHRASES[language].link_noun} {link.target}"


def _author_line(record: QuestionRecord, language: Language) -> str:
    phrases = PHRASES[language]
    when = format_date(record.date, language)
    if record.party is None:
        return phrases.author_no_party.format(author=record.author, date=when)
    return phrases.author.format(author=record.author, party=record.party, date=when)


def _print_author_line(record: QuestionRecord, template: str, no_party: str) -> str:
    if record.party is None:
        return no_party.format(author=record.author)
    return template.format(author=record.author, party=record.party)


def _question_line(record: QuestionRecord, language: Language, printed: bool = False) -> str:
    phrases = PHRASES[language]
    template = phrases.print_question if printed else phrases.question
    line = template.format(number=record.number, date=format_date(record.date, language))
    if record.original_language is not None:
        line += " " + phrases.original[record.original_language]
    return line


def _answer_line(record: QuestionRecord, language: Language) -> str:
    assert record.answer is not None
    return PHRASES[language].answer.format(date=format_date(record.answer.date, language))


def _paragraph_lines(text: Text) -> list[str]:
    lines: list[str] = []
    for paragraph in text.paragraphs:
        if lines:
            lines.append("")
        lines.append(paragraph.source_text if paragraph.source_text is not None else paragraph.text)
    return lines


def render_web(version: _Version) -> str:
    record, language = version.record, version.record.language
    phrases = PHRASES[language]
    lines = [
        phrases.toolbar,
        "",
        phrases.number.format(number=record.number),
        "",
        _author_line(record, language),
        "",
        version.addressee_line,
        "",
        record.title,
        "",
    ]
    if record.descriptors:
        lines += [*record.descriptors, ""]
    if record.chronology:
        lines += ["Chronologie", "", *(_event_line(event, language, "") for event in record.chronology), ""]
    if record.links:
        lines += [*(_link_line(link, language) for link in record.links), ""]
    lines += [_question_line(record, language), "", *_paragraph_lines(record.question)]
    if record.answer is not None:
        lines += ["", _answer_line(record, language), "", *_paragraph_lines(record.answer.text)]
    return "\n".join(lines) + "\n"


def render_print(version: _Version, session: str) -> str:
    """The one-language print version as the Senate prints it (layout 2 in `kg.parse.layout`)."""
    record, language = version.record, version.record.language
    phrases = PHRASES[language]
    lines = [
        phrases.head,
        RULE,
        phrases.session.format(session=session),
        RULE,
        format_date(record.date, language),
        RULE,
        phrases.senate + " " + phrases.number.format(number=record.number),
        "",
        _print_author_line(record, phrases.print_author, phrases.print_author_no_party),
        "",
        version.addressee_line,
        RULE,
        record.title,
        RULE,
    ]
    if record.descriptors:
        lines += [*record.descriptors, RULE]
    if record.chronology:
        lines += [*(_event_line(event, language, "") for event in record.chronology), RULE]
    if record.links:
        lines += [*(_link_line(link, language) for link in record.links), RULE]
    lines += [_question_line(record, language, True), "", *_paragraph_lines(record.question), RULE]
    if record.answer is not None:
        lines += [_answer_line(record, language), "", *_paragraph_lines(record.answer.text), RULE]
    return "\n".join(lines) + "\n"


def bilingual_french(fr: _Version, nl: _Version) -> _Version:
    """The French version as the bilingual print version prints it: its chronology and links
    carry the Dutch labels, as in the French blocks of the real ones."""
    chronology = tuple(
        ChronologyEvent(
            event.date, event.kind, event.label, event.deadline, EVENT_LABEL_LANGUAGE.get(event.label.lower())
        )
        for event in nl.record.chronology
    )
    record = QuestionRecord(**{**fr.record.__dict__, "chronology": chronology, "links": nl.record.links})
    return _Version(record, fr.addressee_line, fr.facts, fr.repaired)


def render_bilingual(fr: _Version, nl: _Version, session: str) -> str:
    """The bilingual print version as the Senate prints it (layout 3 in `kg.parse.layout`);
    `fr` as `bilingual_french` makes it."""
    f, n = fr.record, nl.record
    lines = [
        BILINGUAL_HEAD,
        BILINGUAL_RULE,
        f"Session {session} Zitting {session}",
        BILINGUAL_RULE,
        f"{format_date(f.date, 'fr')} {format_date(n.date, 'nl')}",
        BILINGUAL_RULE,
        f"{PHRASES['fr'].number.format(number=f.number)} {PHRASES['nl'].number.format(number=n.number)}",
        "",
        _print_author_line(f, BILINGUAL_AUTHOR["fr"], BILINGUAL_AUTHOR_NO_PARTY["fr"]),
        "",
        _print_author_line(n, BILINGUAL_AUTHOR["nl"], BILINGUAL_AUTHOR_NO_PARTY["nl"]),
        "",
        fr.addressee_line,
        "",
        nl.addressee_line,
        BILINGUAL_RULE,
        f"{f.title} {n.title} ",
        BILINGUAL_RULE,
    ]
    if f.descriptors and n.descriptors:
        lines += [*f.descriptors, *n.descriptors]
    lines.append(DOUBLE_RULE)
    if f.chronology:
        lines += [
            *(_event_line(event, "nl", "") for event in f.chronology),
            *(_event_line(event, "nl", "") for event in n.chronology),
            DOUBLE_RULE,
        ]
    if f.links:
        lines += [
            *(_link_line(link, "nl") for link in f.links),
            *(_link_line(link, "nl") for link in n.links),
            BILINGUAL_RULE,
        ]
    lines += [
        _question_line(f, "fr", True),
        "",
        *_paragraph_lines(f.question),
        BILINGUAL_RULE,
        _question_line(n, "nl", True),
        "",
        *_paragraph_lines(n.question),
        BILINGUAL_RULE,
    ]
    if f.answer is not None and n.answer is not None:
        lines += [
            _answer_line(f, "fr"),
            "",
            *_paragraph_lines(f.answer.text),
            BILINGUAL_RULE,
            _answer_line(n, "nl"),
            "",
            *_paragraph_lines(n.answer.text),
            BILINGUAL_RULE,
        ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# The public API.


@dataclass(frozen=True)
class SynthDocument:
    """One generated document: its file name and text, the records a parser must read from it,
    and the agency facts its answers state."""

    name: str
    rendering: Rendering
    text: str
    records: tuple[QuestionRecord, ...]
    facts: tuple[AgencyFact, ...]


def _finish(
    name: str, rendering: Rendering, text: str, versions: Sequence[_Version], session: str | None, printed: date | None
) -> SynthDocument:
    source = SourceDocument(
        name,
        hashlib.sha256(text.encode("utf-8")).hexdigest(),
        rendering,
        any(version.repaired for version in versions),
        "utf-8",
        printed,
    )
    records = tuple(
        QuestionRecord(**{**version.record.__dict__, "source": source, "session": session}) for version in versions
    )
    facts = tuple(fact for version in versions for fact in version.facts)
    return SynthDocument(name, rendering, text, records, facts)


def _documents(plan: QuestionPlan) -> Iterator[SynthDocument]:
    number = plan.number
    versions: dict[Language, _Version] = {}

    def version(language: Language) -> _Version:
        if language not in versions:
            versions[language] = _version(plan, language)
        return versions[language]

    session = _session(plan.day)
    for rendering, language in plan.renderings:
        if rendering == "web":
            assert language is not None
            yield _finish(
                f"{number}-{language}.txt", "web", render_web(version(language)), [version(language)], None, None
            )
        elif rendering == "print":
            assert language is not None
            text = render_print(version(language), session)
            yield _finish(f"{number}-{language}-print.txt", "print", text, [version(language)], session, None)
        else:
            fr, nl = bilingual_french(version("fr"), version("nl")), version("nl")
            text = render_bilingual(fr, nl, session)
            yield _finish(f"{number}-nlfr-print.txt", "print-bilingual", text, [fr, nl], session, None)


def generate_documents(count: int, seed: int = 0, profile: str = "mixed") -> Iterator[SynthDocument]:
    """`count` documents with the values they state; the same (count, seed, profile), the same output."""
    if count < 0:
        raise ValueError("count must be zero or more")
    if profile not in PROFILES:
        raise ValueError(f"no profile {profile!r}; the profiles are {', '.join(PROFILES)}")
    planner = _Planner(count, seed, PROFILES[profile])
    made = 0
    while made < count:
        for plan in planner.plan_series():
            for document in _documents(plan):
                yield document
                made += 1
                if made >= count:
                    return


def generate(count: int, seed: int = 0, profile: str = "mixed") -> Iterator[tuple[str, str]]:
    """(file name, text) of `count` documents in all renderings and both languages."""
    for document in generate_documents(count, seed, profile):
        yield document.name, document.text


def write_corpus(
    count: int, out_dir: Path, seed: int = 0, *, progress: bool = False, profile: str = "mixed"
) -> list[Path]:
    """Write `count` documents as UTF-8 files into `out_dir` (created if missing); report
    progress on stderr every 10,000 documents when asked."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, (name, text) in enumerate(generate(count, seed, profile), start=1):
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
        if progress and (index % 10_000 == 0 or index == count):
            print(f"synth: {index}/{count} documents", file=sys.stderr, flush=True)
    return paths
