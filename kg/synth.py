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

from kg.parse.dates import format_date, format_numeric
from kg.parse.phrases import BILINGUAL_HEAD, PHRASES, RULE
from kg.parse.repair import ALWAYS, AFTER_LOWER
from kg.records import (Answer, ChronologyEvent, Language, NumberedPart, Office, OfficeKind,
                        Paragraph, QuestionLink, QuestionNumber, QuestionRecord, Rendering,
                        SourceDocument, Text)

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
                return self.fr[len(article):]
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


def office(kind: OfficeKind, competences: Sequence[Competence] = (), *, charged: Sequence[Competence] = (),
           attached: OfficeSpec | None = None, female: bool = False, agencies: Sequence[str] = (),
           nl_preposition: str = "", fr_preposition: str = "") -> OfficeSpec:
    return OfficeSpec(kind, tuple(competences), tuple(charged), attached, female, tuple(agencies),
                      nl_preposition, fr_preposition)


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
MIGRATION_POLICY = c("het Migratie- en asielbeleid", "la Politique de migration et d'asile",
                     "Migratie- en asielbeleid")
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
_EMPLOYMENT_EQUAL = office("deputy-prime-minister", (EMPLOYMENT, EQUAL), charged=(MIGRATION_POLICY,),
                           female=True, agencies=("werk", "dvz", "cgvs", "fedasil"))
_SOCIAL_HEALTH = office("deputy-prime-minister", (SOCIAL, HEALTH), female=True,
                        agencies=("volksgezondheid", "sociale-zekerheid", "riziv", "favv"))
_JUSTICE = office("minister", (JUSTICE,), agencies=("justitie",))
_DEFENCE = office("minister", (DEFENCE,), agencies=("defensie",))
_CLIMATE = office("minister", (CLIMATE, ENERGY), agencies=("economie",))
_ENTERPRISE = office("minister", (c("Ondernemen", "l'Entreprise"), c("Vereenvoudigen", "la Simplification")),
                     nl_preposition="voor", fr_preposition="pour", agencies=("economie", "fedict"))
_SMES_SCIENCE = office("minister", (SMES, SELF_EMPLOYED, AGRICULTURE, SCIENCE), female=True,
                       agencies=("favv", "belspo"))
_CIVIL_SERVICE = office("minister", (CIVIL_SERVICE, PUBLIC_COMPANIES), female=True,
                        agencies=("personeel", "selor", "bpost", "nmbs"))
_PENSIONS_CITIES = office("minister", (PENSIONS, BIG_CITIES), agencies=("pensioendienst",))
_FOREIGN = office("minister", (FOREIGN,), agencies=("buitenlandse-zaken",))
_MOBILITY_TO_PM = office("state-secretary", (MOBILITY,), attached=PM_LETERME, agencies=("mobiliteit", "nmbs"))
_FRAUD_COORDINATION = office("state-secretary", (c("de Coördinatie van de fraudebestrijding",
                                                   "la Coordination de la lutte contre la fraude",
                                                   "Coördinatie van de fraudebestrijding"),),
                             attached=PM_LETERME, agencies=("financien", "sociale-zekerheid"))

LETERME_I: tuple[OfficeSpec, ...] = (
    PM_LETERME,
    _FINANCE_REFORMS,
    office("deputy-prime-minister", (JUSTICE, REFORMS), agencies=("justitie",)),
    office("deputy-prime-minister", (INTERIOR,), agencies=("binnenlandse-zaken", "politie", "crisiscentrum")),
    _EMPLOYMENT_EQUAL, _SOCIAL_HEALTH, _DEFENCE, _CLIMATE, _ENTERPRISE, _SMES_SCIENCE,
    _CIVIL_SERVICE, _PENSIONS_CITIES,
    office("minister", (FOREIGN,), agencies=("buitenlandse-zaken",)),
    office("minister", (c("het Migratie- en asielbeleid", "la Politique de migration et d'asile",
                          "Migratie- en asielbeleid"),), female=True, agencies=("dvz", "cgvs", "fedasil")),
    _MOBILITY_TO_PM, _FRAUD_COORDINATION,
)

VAN_ROMPUY_I: tuple[OfficeSpec, ...] = (
    PM_VAN_ROMPUY,
    _FINANCE_REFORMS, _EMPLOYMENT_EQUAL, _SOCIAL_HEALTH,
    office("deputy-prime-minister", (BUDGET,), agencies=("budget",)),
    _JUSTICE,
    office("minister", (INTERIOR,), agencies=("binnenlandse-zaken", "politie", "crisiscentrum")),
    _DEFENCE, _CLIMATE, _ENTERPRISE, _SMES_SCIENCE, _CIVIL_SERVICE, _PENSIONS_CITIES, _FOREIGN,
    office("state-secretary", (MOBILITY,), attached=PM_VAN_ROMPUY, agencies=("mobiliteit", "nmbs")),
    office("state-secretary", (SOCIAL_INTEGRATION, POVERTY), attached=_EMPLOYMENT_EQUAL, agencies=("pod-mi",)),
)

PM_LETERME_II = office("prime-minister", agencies=("kanselarij",))
LETERME_II: tuple[OfficeSpec, ...] = (
    PM_LETERME_II,
    _FINANCE_REFORMS, _EMPLOYMENT_EQUAL, _SOCIAL_HEALTH,
    office("deputy-prime-minister", (BUDGET,), agencies=("budget",)),
    office("deputy-prime-minister", (FOREIGN, REFORMS), agencies=("buitenlandse-zaken",)),
    _JUSTICE,
    office("minister", (INTERIOR,), female=True, agencies=("binnenlandse-zaken", "politie", "crisiscentrum")),
    _DEFENCE, _CLIMATE, _ENTERPRISE, _SMES_SCIENCE, _CIVIL_SERVICE, _PENSIONS_CITIES,
    office("minister", (DEVELOPMENT,), agencies=("buitenlandse-zaken",)),
    office("state-secretary", (MOBILITY,), attached=PM_LETERME_II, agencies=("mobiliteit", "nmbs")),
    office("state-secretary", (BUDGET, c("Migratie- en Asielbeleid", "la Politique de migration et d'asile"),
                               c("Gezinsbeleid", "la Politique des familles"),
                               c("Federale Culturele Instellingen", "les Institutions culturelles fédérales")),
           attached=PM_LETERME_II, agencies=("dvz", "fedasil")),
    office("state-secretary", (SOCIAL_INTEGRATION, POVERTY), attached=_EMPLOYMENT_EQUAL, agencies=("pod-mi",)),
    office("state-secretary", (SOCIAL,), charged=(c("Personen met een handicap", "les Personnes handicapées"),),
           attached=_SOCIAL_HEALTH, agencies=("sociale-zekerheid",)),
    office("state-secretary", (c("de Coördinatie van de fraudebestrijding", "la Coordination de la lutte contre la fraude",
                                 "Coördinatie van de fraudebestrijding"),),
           attached=PM_LETERME_II, agencies=("financien", "sociale-zekerheid")),
)

_DR_INTERIOR = office("deputy-prime-minister", (INTERIOR, EQUAL), female=True,
                      agencies=("binnenlandse-zaken", "politie", "crisiscentrum"))
_DR_FINANCE = office("deputy-prime-minister", (FINANCE, c("Duurzame Ontwikkeling", "le Développement durable")),
                     charged=(CIVIL_SERVICE,), agencies=("financien", "personeel"))
_DR_JUSTICE = office("minister", (JUSTICE,), female=True, agencies=("justitie",))
DI_RUPO: tuple[OfficeSpec, ...] = (
    PM_DI_RUPO,
    office("deputy-prime-minister", (c("Economie", "l'Économie"), c("Consumenten", "les Consommateurs"),
                                     c("Noordzee", "la Mer du Nord")), agencies=("economie", "bipt")),
    _DR_FINANCE,
    office("deputy-prime-minister", (PENSIONS,), agencies=("pensioendienst",)),
    office("deputy-prime-minister", (FOREIGN, c("Buitenlandse Handel", "le Commerce extérieur"),
                                     c("Europese Zaken", "les Affaires européennes")),
           agencies=("buitenlandse-zaken",)),
    _DR_INTERIOR,
    office("deputy-prime-minister", (SOCIAL, HEALTH),
           charged=(c("Beliris", "Beliris"), c("de Federale Culturele Instellingen", "les Institutions culturelles fédérales",
                                              "Federale Culturele Instellingen")),
           female=True, agencies=("volksgezondheid", "sociale-zekerheid", "riziv", "favv")),
    _DR_JUSTICE,
    _DEFENCE,
    office("minister", (EMPLOYMENT,), female=True, agencies=("werk", "rva")),
    office("minister", (c("Middenstand", "les Classes moyennes"), SMES, SELF_EMPLOYED, AGRICULTURE),
           female=True, agencies=("favv", "economie")),
    office("minister", (BUDGET, c("Administratieve Vereenvoudiging", "la Simplification administrative")),
           agencies=("budget", "fedict")),
    office("minister", (PUBLIC_COMPANIES, SCIENCE, DEVELOPMENT), charged=(BIG_CITIES,),
           agencies=("belspo", "bpost", "nmbs")),
    office("state-secretary", (ENVIRONMENT, ENERGY, MOBILITY), attached=_DR_INTERIOR,
           agencies=("mobiliteit", "volksgezondheid")),
    office("state-secretary", (c("Asiel en Migratie", "l'Asile et la Migration", fr_name="Asile et Migration"),
                               SOCIAL_INTEGRATION, POVERTY),
           attached=_DR_JUSTICE, female=True, agencies=("dvz", "cgvs", "fedasil", "pod-mi")),
    office("state-secretary", (CIVIL_SERVICE, c("Modernisering van de Openbare Diensten",
                                                "la Modernisation des Services publics")),
           attached=_DR_FINANCE, agencies=("personeel", "selor", "fedict")),
    office("state-secretary", (c("de Bestrijding van de sociale en de fiscale fraude",
                                 "la Lutte contre la fraude sociale et fiscale",
                                 "Bestrijding van de sociale en de fiscale fraude"),),
           attached=PM_DI_RUPO, agencies=("financien", "sociale-zekerheid")),
)

# Mr Wathelet's double office under Di Rupo: one addressee, two offices (as seed 5-8913).
DOUBLE_OFFICE: tuple[OfficeSpec, OfficeSpec] = (
    office("state-secretary", (ENVIRONMENT, ENERGY, MOBILITY),
           attached=office("minister", (INTERIOR, EQUAL), female=True),
           agencies=("mobiliteit", "volksgezondheid", "economie")),
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


AGENCIES: dict[str, Agency] = {agency.key: agency for agency in (
    Agency("kanselarij", "de Federale Overheidsdienst Kanselarij van de Eerste Minister",
           "le Service public fédéral Chancellerie du Premier Ministre", "FOD Kanselarij", "SPF Chancellerie",
           ("belgiumbe",), "https://www.facebook.com/belgium.be"),
    Agency("financien", "de Federale Overheidsdienst (FOD) Financiën", "le Service public fédéral (SPF) Finances",
           "FOD Financiën", "SPF Finances", ("FOD_Financien", "SPF_Finances")),
    Agency("economie", "de FOD Economie, KMO, Middenstand en Energie", "le SPF Économie, PME, Classes moyennes et Énergie",
           "FOD Economie", "SPF Économie", ("FODEconomie", "SPFEconomie", "statbel_nl"),
           "https://www.facebook.com/Pasoplichting"),
    Agency("mobiliteit", "de FOD Mobiliteit en Vervoer", "le SPF Mobilité et Transports", "FOD Mobiliteit",
           "SPF Mobilité", ("MobilitBE",)),
    Agency("volksgezondheid", "de FOD Volksgezondheid, Veiligheid van de Voedselketen en Leefmilieu",
           "le SPF Santé publique, Sécurité de la Chaîne alimentaire et Environnement", "FOD Volksgezondheid",
           "SPF Santé publique", ("FODVolksgezondh",), "https://www.facebook.com/FODVolksgezondheid"),
    Agency("justitie", "de FOD Justitie", "le SPF Justice", "FOD Justitie", "SPF Justice", plans="Twitter"),
    Agency("binnenlandse-zaken", "de FOD Binnenlandse Zaken (IBZ)", "le SPF Intérieur (IBZ)", "FOD Binnenlandse Zaken",
           "SPF Intérieur", (), "https://www.facebook.com/IBZ.Belgium"),
    Agency("politie", "de federale politie", "la police fédérale", "federale politie", "police fédérale",
           ("federalepolitie", "policefederale"), "https://www.facebook.com/federalepolitie"),
    Agency("crisiscentrum", "het Crisiscentrum", "le Centre de crise", "Crisiscentrum", "Centre de crise",
           ("CrisiscenterBE",)),
    Agency("dvz", "de Dienst Vreemdelingenzaken (DVZ)", "l'Office des étrangers (OE)", "DVZ", "OE"),
    Agency("cgvs", "het Commissariaat-generaal voor de Vluchtelingen en de Staatlozen (CGVS)",
           "le Commissariat général aux réfugiés et aux apatrides (CGRA)", "CGVS", "CGRA", plans="Facebook"),
    Agency("fedasil", "Fedasil", "Fedasil", "Fedasil", "Fedasil", ("fedasilbe",), "https://www.facebook.com/fedasil"),
    Agency("pod-mi", "de POD Maatschappelijke Integratie", "le SPP Intégration sociale", "POD MI", "SPP IS",
           ("PODMI_SPPIS",), "https://www.facebook.com/mi.is.be"),
    Agency("werk", "de FOD Werkgelegenheid, Arbeid en Sociaal Overleg", "le SPF Emploi, Travail et Concertation sociale",
           "FOD Werk", "SPF Emploi", plans="LinkedIn"),
    Agency("rva", "de Rijksdienst voor Arbeidsvoorziening (RVA)", "l'Office national de l'emploi (ONEM)", "RVA", "ONEM"),
    Agency("sociale-zekerheid", "de FOD Sociale Zekerheid", "le SPF Sécurité sociale", "FOD Sociale Zekerheid",
           "SPF Sécurité sociale", ("FODSocZek",)),
    Agency("riziv", "het RIZIV", "l'INAMI", "RIZIV", "INAMI", plans="Twitter"),
    Agency("favv", "het Federaal Agentschap voor de Veiligheid van de Voedselketen (FAVV)",
           "l'Agence fédérale pour la Sécurité de la Chaîne alimentaire (AFSCA)", "FAVV", "AFSCA", ("FAVV_AFSCA",)),
    Agency("defensie", "Defensie", "la Défense", "Defensie", "Défense", ("BelgianDefence",),
           "https://www.facebook.com/BelgianDefence"),
    Agency("buitenlandse-zaken", "de FOD Buitenlandse Zaken", "le SPF Affaires étrangères", "FOD Buitenlandse Zaken",
           "SPF Affaires étrangères", ("BelgiumMFA", "diplomatie_be"), "https://www.facebook.com/diplomatie.belgium"),
    Agency("personeel", "de FOD Personeel en Organisatie", "le SPF Personnel et Organisation", "FOD P&O", "SPF P&O",
           plans="LinkedIn"),
    Agency("selor", "Selor", "Selor", "Selor", "Selor", ("Selor",), "https://www.facebook.com/selor.be"),
    Agency("fedict", "Fedict", "Fedict", "Fedict", "Fedict", ("Fedict",)),
    Agency("bpost", "bpost", "bpost", "bpost", "bpost", ("bpost",), "https://www.facebook.com/bpost"),
    Agency("nmbs", "de NMBS", "la SNCB", "NMBS", "SNCB", ("NMBS", "SNCB"), "https://www.facebook.com/NMBS.SNCB"),
    Agency("pensioendienst", "de Rijksdienst voor Pensioenen (RVP)", "l'Office national des Pensions (ONP)", "RVP",
           "ONP", plans="Facebook"),
    Agency("budget", "de FOD Budget en Beheerscontrole", "le SPF Budget et Contrôle de la gestion", "FOD Budget",
           "SPF Budget"),
    Agency("belspo", "de POD Wetenschapsbeleid (Belspo)", "le SPP Politique scientifique (Belspo)", "Belspo",
           "Belspo", ("BELSPO_be",)),
    Agency("bipt", "het BIPT", "l'IBPT", "BIPT", "IBPT", plans="Twitter"),
)}


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
    """"de" + "la Justice" -> "de la Justice"; "à" + "les Affaires" -> "aux Affaires"."""
    for article in ("le ", "les "):
        if printed.startswith(article):
            return _CONTRACTIONS[(preposition, article)] + printed[len(article):]
    return f"{preposition} {printed}"


def _join(items: Sequence[str], conjunction: str) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _noun(spec: OfficeSpec, language: Language) -> str:
    if language == "nl":
        return {"prime-minister": "eerste minister", "deputy-prime-minister": "vice-eersteminister en minister",
                "minister": "minister", "state-secretary": "staatssecretaris", "other": "regering"}[spec.kind]
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
