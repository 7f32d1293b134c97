"""The reader's language: Accept-Language negotiation, label choice, dates and interface words.

The data is bilingual (Dutch and French) and the vocabulary also speaks English, so pages offer
those three; a label missing in the reader's language falls back in a fixed order rather than
showing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pyoxigraph import Literal

from kg.text import MONTH_NAMES

LANGUAGES = ("en", "nl", "fr")
DEFAULT_LANGUAGE = "en"
_FALLBACK = ("en", "nl", "fr")
MAX_HEADER_LENGTH = 1024


def negotiate_language(header: str | None) -> str:
    """The offered language the reader prefers (`nl-BE;q=0.8, fr;q=0.9` -> "fr").

    Region subtags count for their language; `*` accepts the default; junk is skipped, never an
    error. Ties go to the order the reader listed them in.
    """
    if not header:
        return DEFAULT_LANGUAGE
    best: tuple[float, int] | None = None
    chosen = DEFAULT_LANGUAGE
    for index, item in enumerate(header[:MAX_HEADER_LENGTH].split(",")[:32]):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        name, eq, value = params.strip().partition("=")
        if eq and name.strip().lower() == "q":
            try:
                q = min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                q = 1.0
        if primary == "*":
            primary = DEFAULT_LANGUAGE
        if primary not in LANGUAGES or q <= 0:
            continue
        key = (q, -index)
        if best is None or key > best:
            best, chosen = key, primary
    return chosen


def language_order(language: str) -> tuple[str, ...]:
    """Which language tags to try, best first: the reader's, then en, nl, fr, then untagged ("")."""
    order = [language] + [tag for tag in _FALLBACK if tag != language]
    return (*order, "")


def local_name(iri: str) -> str:
    """The last segment of an IRI (after `#` or `/`): the label of last resort."""
    trimmed = iri.rstrip("/#")
    for separator in ("#", "/"):
        if separator in trimmed:
            trimmed = trimmed.rsplit(separator, 1)[1]
    return trimmed or iri


def best_literal(literals: Iterable[Literal], language: str) -> Literal | None:
    """The literal to show a reader of `language`, following `language_order`; literals in other
    languages only when nothing in the order exists. Within one language the first given wins."""
    by_tag: dict[str, Literal] = {}
    others: list[Literal] = []
    for literal in literals:  # callers order them by preference; the first of each tag wins
        tag = (literal.language or "").lower().split("-")[0]
        if tag in LANGUAGES or tag == "":
            by_tag.setdefault(tag, literal)
        else:
            others.append(literal)
    for tag in language_order(language):
        if tag in by_tag:
            return by_tag[tag]
    return others[0] if others else None


def best_label(literals: Iterable[Literal], language: str, iri: str | None = None) -> str:
    """The label text to show, or the IRI's last segment when there is no label at all."""
    literal = best_literal(literals, language)
    if literal is not None:
        return literal.value
    return local_name(iri) if iri else ""


def format_date(value: date, language: str) -> str:
    """ "30 april 2013" (nl), "30 avril 2013" (fr), "30 April 2013" (en); "1er" in French."""
    months = MONTH_NAMES.get(language, MONTH_NAMES[DEFAULT_LANGUAGE])
    day = "1er" if language == "fr" and value.day == 1 else str(value.day)
    return f"{day} {months[value.month - 1]} {value.year}"


# Interface words. Keys are used by the templates through `ui`; a missing key falls back to English.
_UI: dict[str, dict[str, str]] = {
    "en": {
        "site": "Senate written questions",
        "navigation": "Navigation",
        "home": "Home",
        "search": "Search",
        "dumps": "Dumps",
        "dataset": "Dataset",
        "vocabulary": "Vocabulary",
        "list_questions": "Questions",
        "list_people": "People",
        "list_parties": "Parties",
        "list_offices": "Offices",
        "list_agencies": "Agencies",
        "list_accounts": "Accounts",
        "list_concepts": "Concepts",
        "stats": "Answer times",
        "other_formats": "This page in other formats",
        "properties": "Properties",
        "parts": "Parts",
        "incoming": "Referred to by",
        "linked": "Labels and types of linked resources",
        "about_document": "About this document",
        "page": "Page",
        "of": "of",
        "first": "First",
        "previous": "Previous",
        "next": "Next",
        "last": "Last",
        "not_found": "Not found",
        "not_found_text": "The dataset says nothing about",
        "question": "Question",
        "answer": "Answer",
        "holds": "This dataset holds",
        "latest": "Latest questions",
        "examples": "Example queries",
        "query_endpoint": "Query the SPARQL endpoint",
        "download": "Download the whole graph",
        "resources": "resources",
        "sort_by": "Sort by",
        "sort_label": "name",
        "sort_date": "date",
        "ascending": "ascending",
        "descending": "descending",
        "empty_list": "Nothing here yet.",
        "classes": "Classes",
        "properties_heading": "Properties",
        "domain": "Domain",
        "range": "Range",
        "subclass_of": "Subclass of",
        "subproperty_of": "Subproperty of",
        "type": "Type",
        "accounts": "Accounts",
        "facts": "Facts",
        "named_in": "Named in",
        "date": "Date",
        "name": "Name",
    },
    "nl": {
        "site": "Schriftelijke vragen van de Senaat",
        "navigation": "Navigatie",
        "home": "Start",
        "search": "Zoeken",
        "dumps": "Downloads",
        "dataset": "Dataset",
        "vocabulary": "Vocabularium",
        "list_questions": "Vragen",
        "list_people": "Personen",
        "list_parties": "Partijen",
        "list_offices": "Ambten",
        "list_agencies": "Diensten",
        "list_accounts": "Accounts",
        "list_concepts": "Begrippen",
        "stats": "Antwoordtijden",
        "other_formats": "Deze pagina in andere formaten",
        "properties": "Eigenschappen",
        "parts": "Onderdelen",
        "incoming": "Verwezen door",
        "linked": "Labels en types van gelinkte bronnen",
        "about_document": "Over dit document",
        "page": "Pagina",
        "of": "van",
        "first": "Eerste",
        "previous": "Vorige",
        "next": "Volgende",
        "last": "Laatste",
        "not_found": "Niet gevonden",
        "not_found_text": "De dataset zegt niets over",
        "question": "Vraag",
        "answer": "Antwoord",
        "holds": "Deze dataset bevat",
        "latest": "Recentste vragen",
        "examples": "Voorbeeldqueries",
        "query_endpoint": "Bevraag het SPARQL-endpoint",
        "download": "Download de hele graaf",
        "resources": "bronnen",
        "sort_by": "Sorteer op",
        "sort_label": "naam",
        "sort_date": "datum",
        "ascending": "oplopend",
        "descending": "aflopend",
        "empty_list": "Hier is nog niets.",
        "classes": "Klassen",
        "properties_heading": "Eigenschappen",
        "domain": "Domein",
        "range": "Bereik",
        "subclass_of": "Subklasse van",
        "subproperty_of": "Subeigenschap van",
        "type": "Type",
        "accounts": "Accounts",
        "facts": "Feiten",
        "named_in": "Genoemd in",
        "date": "Datum",
        "name": "Naam",
    },
    "fr": {
        "site": "Questions écrites du Sénat",
        "navigation": "Navigation",
        "home": "Accueil",
        "search": "Recherche",
        "dumps": "Téléchargements",
        "dataset": "Jeu de données",
        "vocabulary": "Vocabulaire",
        "list_questions": "Questions",
        "list_people": "Personnes",
        "list_parties": "Partis",
        "list_offices": "Fonctions",
        "list_agencies": "Services",
        "list_accounts": "Comptes",
        "list_concepts": "Concepts",
        "stats": "Délais de réponse",
        "other_formats": "Cette page dans d'autres formats",
        "properties": "Propriétés",
        "parts": "Parties",
        "incoming": "Référencé par",
        "linked": "Libellés et types des ressources liées",
        "about_document": "À propos de ce document",
        "page": "Page",
        "of": "sur",
        "first": "Première",
        "previous": "Précédente",
        "next": "Suivante",
        "last": "Dernière",
        "not_found": "Introuvable",
        "not_found_text": "Le jeu de données ne dit rien sur",
        "question": "Question",
        "answer": "Réponse",
        "holds": "Ce jeu de données contient",
        "latest": "Questions les plus récentes",
        "examples": "Exemples de requêtes",
        "query_endpoint": "Interroger le point d'accès SPARQL",
        "download": "Télécharger le graphe entier",
        "resources": "ressources",
        "sort_by": "Trier par",
        "sort_label": "nom",
        "sort_date": "date",
        "ascending": "croissant",
        "descending": "décroissant",
        "empty_list": "Rien ici pour l'instant.",
        "classes": "Classes",
        "properties_heading": "Propriétés",
        "domain": "Domaine",
        "range": "Portée",
        "subclass_of": "Sous-classe de",
        "subproperty_of": "Sous-propriété de",
        "type": "Type",
        "accounts": "Comptes",
        "facts": "Faits",
        "named_in": "Cité dans",
        "date": "Date",
        "name": "Nom",
    },
}


def ui_strings(language: str) -> dict[str, str]:
    """Interface words in `language`, English where a translation is missing."""
    return {**_UI[DEFAULT_LANGUAGE], **_UI.get(language, {})}


# The words of the answer-time pages (/stats), apart from the rest: one dict per language.
_STATS_UI: dict[str, dict[str, str]] = {
    "en": {
        "title": "Answer times",
        "stats": "Answer times",
        "intro": "How long ministers take to answer written questions, from the deadlines, answers and "
        "reminders the questions' documents print. Figures as of",
        "no_data": "The graph holds no answer-time figures: build it with kg build.",
        "statuses": "Questions by status",
        "status": "Status",
        "questions_n": "Questions",
        "group_by": "Group by",
        "chart_title": "Median days to answer (bar) and 90th percentile (mark)",
        "chart_desc": "Median calendar days from question to answer per group, for the first groups of the table "
        "below, which holds the same numbers.",
        "overdue": "Open past the deadline",
        "overdue_csv": "Overdue questions (CSV)",
        "overdue_more": "The %d oldest of %d; all of them:",
        "overdue_none": "No question is open past its deadline.",
        "deadline": "Deadline",
        "question": "Question",
        "days_overdue": "Days overdue",
        "unknown": "unknown",
        "not_loaded_note": "Questions known only by their number (siblings without a document) are counted apart, "
        "never as unanswered.",
        "grouping_minister": "Minister",
        "grouping_office": "Office",
        "grouping_government": "Government",
        "grouping_legislature": "Legislature",
        "grouping_party": "Party of the asker",
        "grouping_asker": "Asker",
        "grouping_year": "Year",
        "grouping_month": "Month",
        "col_group": "Group",
        "col_questions": "Questions",
        "col_answered": "Answered",
        "col_answered_share": "Answered share",
        "col_median_days": "Median days",
        "col_p90_days": "90th percentile days",
        "col_median_working_days": "Median working days",
        "col_p90_working_days": "90th percentile working days",
        "col_on_time_share": "On time",
        "col_open_past_deadline": "Open past deadline",
        "status_AnsweredOnTime": "answered on time",
        "status_AnsweredLate": "answered late",
        "status_AnsweredDeadlineUnknown": "answered, deadline unknown",
        "status_OpenWithinDeadline": "open within the deadline",
        "status_OpenPastDeadline": "open past the deadline",
        "status_OpenDeadlineUnknown": "open, deadline unknown",
        "status_ClosedWithoutAnswer": "closed without answer",
        "status_LapsedAtEndOfLegislature": "lapsed at the end of the legislature",
        "status_NotLoaded": "not loaded",
        "overdue_all": "All questions open past the deadline, with filters",
        "overdue_feed": "Feed of questions newly past the deadline (Atom)",
        "overdue_intro": "Questions still unanswered after their deadline, oldest deadline first. Figures as of",
        "overdue_matching": "%d of %d questions",
        "overdue_entry": "Asked by {asker} to {to} on {asked}; deadline {deadline}, {days} days overdue.",
        "filters": "Filters",
        "apply": "Apply",
        "clear_filters": "Clear the filters",
        "asked": "Asked",
        "addressed": "Addressed to",
        "asker": "Asked by",
        "previous": "Previous",
        "next": "Next",
        "page_of": "Page %d of %d",
        "filter_minister": "Minister",
        "filter_office": "Office",
        "filter_government": "Government",
        "filter_legislature": "Legislature",
        "filter_asker": "Asker",
        "filter_party": "Party of the asker",
        "charts": "Charts",
        "chart_table": "The numbers of this chart",
        "chart_download": "Download",
        "chart_minister_days": "Days to answer per minister",
        "chart_minister_days_desc": "For the ministers with the most answers: the middle half of their answers' days to answer (box, 25th to 75th percentile), the median (white dot) and the 90th percentile (end of the line).",
        "chart_government_on_time": "Share answered on time per government and year",
        "chart_government_on_time_desc": "Among the answers with a known deadline, the share that came by the deadline, per government addressed and year asked.",
        "chart_backlog": "Open questions over time",
        "chart_backlog_desc": "Questions open at the end of each month (the current month: on the reference date), and those of them past their deadline.",
        "chart_minister": "Minister",
        "chart_days": "Days to answer",
        "chart_year": "Year asked",
        "chart_month": "Month",
        "chart_open": "open",
        "chart_open_late": "open past the deadline",
        "chart_col_minister": "Minister",
        "chart_col_answered": "Answers",
        "chart_col_p25": "25th percentile",
        "chart_col_median": "Median",
        "chart_col_p75": "75th percentile",
        "chart_col_p90": "90th percentile",
        "chart_col_government": "Government",
        "chart_col_year": "Year",
        "chart_col_answers": "Answers with a deadline",
        "chart_col_on_time_share": "On time",
        "chart_col_month": "Month",
        "chart_col_open": "Open",
        "chart_col_open_past_deadline": "Open past the deadline",
    },
    "nl": {
        "title": "Antwoordtijden",
        "stats": "Antwoordtijden",
        "intro": "Hoe lang ministers erover doen om schriftelijke vragen te beantwoorden, volgens de termijnen, "
        "antwoorden en rappels in de documenten van de vragen. Cijfers op",
        "no_data": "De graaf bevat geen cijfers over antwoordtijden: bouw hem met kg build.",
        "statuses": "Vragen per stand",
        "status": "Stand",
        "questions_n": "Vragen",
        "group_by": "Groeperen per",
        "chart_title": "Mediaan dagen tot het antwoord (balk) en 90e percentiel (streep)",
        "chart_desc": "Mediaan van de kalenderdagen van vraag tot antwoord per groep, voor de eerste groepen van de "
        "tabel eronder, die dezelfde cijfers bevat.",
        "overdue": "Open na de termijn",
        "overdue_csv": "Achterstallige vragen (CSV)",
        "overdue_more": "De %d oudste van %d; allemaal:",
        "overdue_none": "Geen enkele vraag is open na haar termijn.",
        "deadline": "Termijn",
        "question": "Vraag",
        "days_overdue": "Dagen te laat",
        "unknown": "onbekend",
        "not_loaded_note": "Vragen die enkel bij nummer bekend zijn (verwante vragen zonder document) worden apart "
        "geteld, nooit als onbeantwoord.",
        "grouping_minister": "Minister",
        "grouping_office": "Ambt",
        "grouping_government": "Regering",
        "grouping_legislature": "Zittingsperiode",
        "grouping_party": "Partij van de vraagsteller",
        "grouping_asker": "Vraagsteller",
        "grouping_year": "Jaar",
        "grouping_month": "Maand",
        "col_group": "Groep",
        "col_questions": "Vragen",
        "col_answered": "Beantwoord",
        "col_answered_share": "Aandeel beantwoord",
        "col_median_days": "Mediaan dagen",
        "col_p90_days": "90e percentiel dagen",
        "col_median_working_days": "Mediaan werkdagen",
        "col_p90_working_days": "90e percentiel werkdagen",
        "col_on_time_share": "Tijdig",
        "col_open_past_deadline": "Open na termijn",
        "status_AnsweredOnTime": "tijdig beantwoord",
        "status_AnsweredLate": "laattijdig beantwoord",
        "status_AnsweredDeadlineUnknown": "beantwoord, termijn onbekend",
        "status_OpenWithinDeadline": "open binnen de termijn",
        "status_OpenPastDeadline": "open na de termijn",
        "status_OpenDeadlineUnknown": "open, termijn onbekend",
        "status_ClosedWithoutAnswer": "gesloten zonder antwoord",
        "status_LapsedAtEndOfLegislature": "vervallen bij het einde van de zittingsperiode",
        "status_NotLoaded": "niet geladen",
        "overdue_all": "Alle vragen open na de termijn, met filters",
        "overdue_feed": "Feed van vragen die net over de termijn zijn (Atom)",
        "overdue_intro": "Vragen die na hun termijn nog onbeantwoord zijn, oudste termijn eerst. Cijfers op",
        "overdue_matching": "%d van %d vragen",
        "overdue_entry": "Gesteld door {asker} aan {to} op {asked}; termijn {deadline}, {days} dagen te laat.",
        "filters": "Filters",
        "apply": "Toepassen",
        "clear_filters": "Filters wissen",
        "asked": "Gesteld op",
        "addressed": "Gericht aan",
        "asker": "Gesteld door",
        "previous": "Vorige",
        "next": "Volgende",
        "page_of": "Pagina %d van %d",
        "filter_minister": "Minister",
        "filter_office": "Ambt",
        "filter_government": "Regering",
        "filter_legislature": "Zittingsperiode",
        "filter_asker": "Vraagsteller",
        "filter_party": "Partij van de vraagsteller",
        "charts": "Grafieken",
        "chart_table": "De cijfers van deze grafiek",
        "chart_download": "Downloaden",
        "chart_minister_days": "Dagen tot het antwoord per minister",
        "chart_minister_days_desc": "Voor de ministers met de meeste antwoorden: de middelste helft van hun antwoordtijden (balk, 25e tot 75e percentiel), de mediaan (witte stip) en het 90e percentiel (einde van de lijn).",
        "chart_government_on_time": "Aandeel tijdig beantwoord per regering en jaar",
        "chart_government_on_time_desc": "Van de antwoorden met een gekende termijn, het aandeel dat binnen de termijn kwam, per ondervraagde regering en jaar van de vraag.",
        "chart_backlog": "Openstaande vragen door de tijd",
        "chart_backlog_desc": "Vragen die op het einde van elke maand open zijn (de huidige maand: op de referentiedatum), en daarvan die na hun termijn.",
        "chart_minister": "Minister",
        "chart_days": "Dagen tot het antwoord",
        "chart_year": "Jaar van de vraag",
        "chart_month": "Maand",
        "chart_open": "open",
        "chart_open_late": "open na de termijn",
        "chart_col_minister": "Minister",
        "chart_col_answered": "Antwoorden",
        "chart_col_p25": "25e percentiel",
        "chart_col_median": "Mediaan",
        "chart_col_p75": "75e percentiel",
        "chart_col_p90": "90e percentiel",
        "chart_col_government": "Regering",
        "chart_col_year": "Jaar",
        "chart_col_answers": "Antwoorden met termijn",
        "chart_col_on_time_share": "Tijdig",
        "chart_col_month": "Maand",
        "chart_col_open": "Open",
        "chart_col_open_past_deadline": "Open na de termijn",
    },
    "fr": {
        "title": "Délais de réponse",
        "stats": "Délais de réponse",
        "intro": "Le temps que mettent les ministres à répondre aux questions écrites, d'après les délais, réponses "
        "et rappels que publient les documents des questions. Chiffres au",
        "statuses": "Questions par état",
        "status": "État",
        "questions_n": "Questions",
        "group_by": "Grouper par",
        "overdue": "Ouvertes après le délai",
        "deadline": "Délai",
        "question": "Question",
        "days_overdue": "Jours de retard",
        "unknown": "inconnu",
        "grouping_minister": "Ministre",
        "grouping_office": "Fonction",
        "grouping_government": "Gouvernement",
        "grouping_legislature": "Législature",
        "grouping_party": "Parti de l'auteur",
        "grouping_asker": "Auteur",
        "grouping_year": "Année",
        "grouping_month": "Mois",
        "status_AnsweredOnTime": "réponse dans le délai",
        "status_AnsweredLate": "réponse tardive",
        "status_OpenPastDeadline": "ouverte après le délai",
        "status_NotLoaded": "non chargée",
        "status_AnsweredDeadlineUnknown": "répondue, délai inconnu",
        "status_OpenWithinDeadline": "ouverte dans le délai",
        "status_OpenDeadlineUnknown": "ouverte, délai inconnu",
        "status_ClosedWithoutAnswer": "clôturée sans réponse",
        "status_LapsedAtEndOfLegislature": "caduque à la fin de la législature",
        "no_data": "Le graphe ne contient aucun chiffre de délai de réponse : construisez-le avec kg build.",
        "chart_title": "Médiane des jours jusqu'à la réponse (barre) et 90e centile (trait)",
        "chart_desc": "Médiane des jours calendrier de la question à la réponse par groupe, pour les premiers "
        "groupes du tableau ci-dessous, qui contient les mêmes chiffres.",
        "overdue_csv": "Questions en retard (CSV)",
        "overdue_more": "Les %d plus anciennes sur %d ;",
        "overdue_none": "Aucune question n'est ouverte après son délai.",
        "not_loaded_note": "Les questions connues seulement par leur numéro (questions liées sans document) sont "
        "comptées à part, jamais comme sans réponse.",
        "col_group": "Groupe",
        "col_questions": "Questions",
        "col_answered": "Répondues",
        "col_answered_share": "Part répondue",
        "col_median_days": "Médiane des jours",
        "col_p90_days": "90e centile des jours",
        "col_median_working_days": "Médiane des jours ouvrables",
        "col_p90_working_days": "90e centile des jours ouvrables",
        "col_on_time_share": "Dans le délai",
        "col_open_past_deadline": "Ouvertes après le délai",
        "overdue_all": "Toutes les questions ouvertes après le délai, avec filtres",
        "overdue_feed": "Flux des questions qui viennent de dépasser le délai (Atom)",
        "overdue_intro": "Questions toujours sans réponse après leur délai, le plus ancien délai d'abord. Chiffres au",
        "overdue_matching": "%d questions sur %d",
        "overdue_entry": "Posée par {asker} à {to} le {asked} ; délai {deadline}, {days} jours de retard.",
        "filters": "Filtres",
        "apply": "Appliquer",
        "clear_filters": "Effacer les filtres",
        "asked": "Posée le",
        "addressed": "Adressée à",
        "asker": "Posée par",
        "previous": "Précédente",
        "next": "Suivante",
        "page_of": "Page %d sur %d",
        "filter_minister": "Ministre",
        "filter_office": "Fonction",
        "filter_government": "Gouvernement",
        "filter_legislature": "Législature",
        "filter_asker": "Auteur",
        "filter_party": "Parti de l'auteur",
        "charts": "Graphiques",
        "chart_table": "Les chiffres de ce graphique",
        "chart_download": "Télécharger",
        "chart_minister_days": "Jours jusqu'à la réponse par ministre",
        "chart_minister_days_desc": "Pour les ministres qui ont le plus répondu : la moitié centrale de leurs délais de réponse (barre, du 25e au 75e centile), la médiane (point blanc) et le 90e centile (bout de la ligne).",
        "chart_government_on_time": "Part des réponses dans le délai par gouvernement et par année",
        "chart_government_on_time_desc": "Parmi les réponses dont le délai est connu, la part arrivée dans le délai, par gouvernement interrogé et année de la question.",
        "chart_backlog": "Questions ouvertes au fil du temps",
        "chart_backlog_desc": "Questions ouvertes à la fin de chaque mois (le mois en cours : à la date de référence), et parmi elles celles dont le délai est dépassé.",
        "chart_minister": "Ministre",
        "chart_days": "Jours jusqu'à la réponse",
        "chart_year": "Année de la question",
        "chart_month": "Mois",
        "chart_open": "ouvertes",
        "chart_open_late": "ouvertes après le délai",
        "chart_col_minister": "Ministre",
        "chart_col_answered": "Réponses",
        "chart_col_p25": "25e centile",
        "chart_col_median": "Médiane",
        "chart_col_p75": "75e centile",
        "chart_col_p90": "90e centile",
        "chart_col_government": "Gouvernement",
        "chart_col_year": "Année",
        "chart_col_answers": "Réponses avec délai",
        "chart_col_on_time_share": "Dans le délai",
        "chart_col_month": "Mois",
        "chart_col_open": "Ouvertes",
        "chart_col_open_past_deadline": "Ouvertes après le délai",
    },
}


def stats_strings(language: str) -> dict[str, str]:
    """The answer-time pages' words in `language`, English where a translation is missing."""
    return {**_STATS_UI[DEFAULT_LANGUAGE], **_STATS_UI.get(language, {})}
