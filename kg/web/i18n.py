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
        "dumps_intro": "The whole dataset for download. Check a file with its SHA-256",
        "licence": "Licence",
        "file": "File",
        "content": "Content",
        "size": "Size",
        "modified": "Modified",
        "questions_per_year": "Questions asked per year",
        "offices_held": "Offices held",
        "questions_asked": "Questions asked",
        "questions_received": "Questions received",
        "parties": "Party",
        "governments": "Governments",
        "per_office": "Questions received per office",
        "oldest_open": "Oldest questions still open",
        "none_open": "No question addressed to this person is open.",
        "answered_n": "Answered",
        "open_n": "Open",
        "median_days": "Median days to answer",
        "from": "From",
        "until": "Until",
        "government": "Government",
        "office_unknown": "office not known",
        "col_date": "Date",
        "col_number": "Number",
        "col_title": "Title",
        "col_addressee": "Addressed to",
        "col_status": "Status",
        "col_days": "Days to answer",
        "names": "Names",
        "parent": "Part of",
        "enterprise_number": "Enterprise number",
        "accounts_per_platform": "Accounts per platform",
        "audience": "Audience",
        "no_figures": "no figures",
        "named_in_questions": "Questions that name it",
        "in_answer": "in the answer",
        "in_question": "in the question",
        "platform_unknown": "platform not known",
        "latest_shown": "The %d latest:",
        "facet_legislature": "Legislature",
        "facet_year": "Year",
        "facet_party": "Party",
        "facet_office": "Office",
        "facet_status": "Status",
        "all": "all",
        "filter": "Filter",
        "clear_filters": "Clear filters",
        "sort_number": "number",
        "written_question": "Written question",
        "asked_by": "Asked by",
        "sent": "Sent",
        "addressed_to": "Addressed to",
        "holder_unknown": "holder unknown",
        "status": "Status",
        "answered_on": "Answered",
        "days_to_answer": "Days to answer",
        "days": "days",
        "working_days": "working days",
        "not_answered_yet": "no answer yet",
        "deadline": "Deadline",
        "reminders": "Reminders",
        "senate_pages": "On the Senate's site",
        "senate_nl": "in Dutch",
        "senate_fr": "in French",
        "descriptors": "Descriptors",
        "also_asked": "The same question to other ministers",
        "office": "Office",
        "minister": "Minister",
        "not_loaded": "not loaded",
        "unknown": "unknown",
        "language_nl": "Dutch",
        "language_fr": "French",
        "language_en": "English",
        "extracted": "Found in the texts",
        "all_statements": "Every statement about this resource",
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
        "dumps_intro": "De hele dataset om te downloaden. Controleer een bestand met zijn SHA-256",
        "licence": "Licentie",
        "file": "Bestand",
        "content": "Inhoud",
        "size": "Grootte",
        "modified": "Gewijzigd",
        "questions_per_year": "Gestelde vragen per jaar",
        "offices_held": "Beklede ambten",
        "questions_asked": "Gestelde vragen",
        "questions_received": "Ontvangen vragen",
        "parties": "Partij",
        "governments": "Regeringen",
        "per_office": "Ontvangen vragen per ambt",
        "oldest_open": "Oudste nog open vragen",
        "none_open": "Geen enkele vraag aan deze persoon staat open.",
        "answered_n": "Beantwoord",
        "open_n": "Open",
        "median_days": "Mediaan dagen tot het antwoord",
        "from": "Van",
        "until": "Tot",
        "government": "Regering",
        "office_unknown": "ambt niet bekend",
        "col_date": "Datum",
        "col_number": "Nummer",
        "col_title": "Titel",
        "col_addressee": "Gericht aan",
        "col_status": "Stand",
        "col_days": "Dagen tot het antwoord",
        "names": "Namen",
        "parent": "Onderdeel van",
        "enterprise_number": "Ondernemingsnummer",
        "accounts_per_platform": "Accounts per platform",
        "audience": "Publiek",
        "no_figures": "geen cijfers",
        "named_in_questions": "Vragen die ze noemen",
        "in_answer": "in het antwoord",
        "in_question": "in de vraag",
        "platform_unknown": "platform niet bekend",
        "latest_shown": "De %d recentste:",
        "facet_legislature": "Zittingsperiode",
        "facet_year": "Jaar",
        "facet_party": "Partij",
        "facet_office": "Ambt",
        "facet_status": "Stand",
        "all": "alle",
        "filter": "Filteren",
        "clear_filters": "Filters wissen",
        "sort_number": "nummer",
        "written_question": "Schriftelijke vraag",
        "asked_by": "Gesteld door",
        "sent": "Verzonden",
        "addressed_to": "Gericht aan",
        "holder_unknown": "ambtsdrager onbekend",
        "status": "Stand",
        "answered_on": "Beantwoord",
        "days_to_answer": "Dagen tot het antwoord",
        "days": "dagen",
        "working_days": "werkdagen",
        "not_answered_yet": "nog geen antwoord",
        "deadline": "Termijn",
        "reminders": "Rappels",
        "senate_pages": "Op de site van de Senaat",
        "senate_nl": "in het Nederlands",
        "senate_fr": "in het Frans",
        "descriptors": "Descriptoren",
        "also_asked": "Dezelfde vraag aan andere ministers",
        "office": "Ambt",
        "minister": "Minister",
        "not_loaded": "niet geladen",
        "unknown": "onbekend",
        "language_nl": "Nederlands",
        "language_fr": "Frans",
        "language_en": "Engels",
        "extracted": "Gevonden in de teksten",
        "all_statements": "Alle uitspraken over deze bron",
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
        "dumps_intro": "Le jeu de données entier à télécharger. Vérifiez un fichier avec son SHA-256",
        "licence": "Licence",
        "file": "Fichier",
        "content": "Contenu",
        "size": "Taille",
        "modified": "Modifié",
        "questions_per_year": "Questions posées par an",
        "offices_held": "Fonctions exercées",
        "questions_asked": "Questions posées",
        "questions_received": "Questions reçues",
        "parties": "Parti",
        "governments": "Gouvernements",
        "per_office": "Questions reçues par fonction",
        "oldest_open": "Plus anciennes questions encore ouvertes",
        "none_open": "Aucune question adressée à cette personne n'est ouverte.",
        "answered_n": "Avec réponse",
        "open_n": "Ouvertes",
        "median_days": "Médiane des jours avant la réponse",
        "from": "Du",
        "until": "Au",
        "government": "Gouvernement",
        "office_unknown": "fonction inconnue",
        "col_date": "Date",
        "col_number": "Numéro",
        "col_title": "Titre",
        "col_addressee": "Adressée à",
        "col_status": "État",
        "col_days": "Jours avant la réponse",
        "names": "Noms",
        "parent": "Fait partie de",
        "enterprise_number": "Numéro d'entreprise",
        "accounts_per_platform": "Comptes par plateforme",
        "audience": "Audience",
        "no_figures": "pas de chiffres",
        "named_in_questions": "Questions qui le citent",
        "in_answer": "dans la réponse",
        "in_question": "dans la question",
        "platform_unknown": "plateforme inconnue",
        "latest_shown": "Les %d plus récentes :",
        "facet_legislature": "Législature",
        "facet_year": "Année",
        "facet_party": "Parti",
        "facet_office": "Fonction",
        "facet_status": "État",
        "all": "toutes",
        "filter": "Filtrer",
        "clear_filters": "Effacer les filtres",
        "sort_number": "numéro",
        "written_question": "Question écrite",
        "asked_by": "Posée par",
        "sent": "Envoyée le",
        "addressed_to": "Adressée à",
        "holder_unknown": "titulaire inconnu",
        "status": "État",
        "answered_on": "Réponse reçue le",
        "days_to_answer": "Jours avant la réponse",
        "days": "jours",
        "working_days": "jours ouvrables",
        "not_answered_yet": "pas encore de réponse",
        "deadline": "Délai",
        "reminders": "Rappels",
        "senate_pages": "Sur le site du Sénat",
        "senate_nl": "en néerlandais",
        "senate_fr": "en français",
        "descriptors": "Descripteurs",
        "also_asked": "La même question à d'autres ministres",
        "office": "Fonction",
        "minister": "Ministre",
        "not_loaded": "non chargée",
        "unknown": "inconnu",
        "language_nl": "Néerlandais",
        "language_fr": "Français",
        "language_en": "Anglais",
        "extracted": "Trouvé dans les textes",
        "all_statements": "Toutes les déclarations sur cette ressource",
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
        "status_AnsweredDeadlineUnknown": "réponse reçue, délai inconnu",
        "status_OpenWithinDeadline": "ouverte dans le délai",
        "status_OpenPastDeadline": "ouverte après le délai",
        "status_OpenDeadlineUnknown": "ouverte, délai inconnu",
        "status_ClosedWithoutAnswer": "clôturée sans réponse",
        "status_LapsedAtEndOfLegislature": "caduque à la fin de la législature",
        "status_NotLoaded": "non chargée",
    },
}


def stats_strings(language: str) -> dict[str, str]:
    """The answer-time pages' words in `language`, English where a translation is missing."""
    return {**_STATS_UI[DEFAULT_LANGUAGE], **_STATS_UI.get(language, {})}


_BYTE_UNITS = {
    "en": ("bytes", "KB", "MB", "GB", "TB"),
    "nl": ("bytes", "kB", "MB", "GB", "TB"),
    "fr": ("octets", "ko", "Mo", "Go", "To"),
}


def readable_bytes(size: int, language: str) -> str:
    """ "1.3 MB" (en), "1,3 MB" (nl), "1,3 Mo" (fr): powers of 1000, one decimal below 10."""
    units = _BYTE_UNITS.get(language, _BYTE_UNITS[DEFAULT_LANGUAGE])
    if size < 1000:
        return f"{size} {units[0]}"
    value = float(size)
    unit = 0
    while value >= 1000 and unit < len(units) - 1:
        value /= 1000
        unit += 1
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    if language in ("nl", "fr"):
        text = text.replace(".", ",")
    return f"{text} {units[unit]}"
