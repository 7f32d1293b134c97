"""The search page's words in Dutch, French and English (English where one is missing)."""

from __future__ import annotations

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Search",
        "placeholder": 'words, "a phrase", -excluded, soci*, title:…',
        "go": "Search",
        "found": "{count} questions",
        "found_one": "1 question",
        "none": "No question matches.",
        "took": "{ms} ms",
        "sort": "Sort",
        "sort_relevance": "relevance",
        "sort_date": "newest first",
        "sort_date_asc": "oldest first",
        "previous": "previous",
        "next": "next",
        "pages": "Pages",
        "per_year": "Hits per year",
        "filters": "Narrowed to",
        "remove": "remove",
        "asked": "asked",
        "answered": "answered",
        "by": "by",
        "to": "to",
        "as_sparql": "These hits in a SPARQL query",
        "syntax": "How to search",
        "error": "This query cannot be read",
        "facets": "Narrow",
        "help": "Words are found in Dutch and French, whatever their form (ministeries, ministerie); "
        '"quotes" find an exact phrase, -word excludes, OR gives either, soci* a beginning, '
        "title:, question:, answer:, descriptor:, asker:, party:, office: and agency: one field.",
    },
    "nl": {
        "title": "Zoeken",
        "placeholder": 'woorden, "een zinsdeel", -uitgesloten, soci*, title:…',
        "go": "Zoeken",
        "found": "{count} vragen",
        "found_one": "1 vraag",
        "none": "Geen enkele vraag voldoet.",
        "took": "{ms} ms",
        "sort": "Sorteren",
        "sort_relevance": "relevantie",
        "sort_date": "nieuwste eerst",
        "sort_date_asc": "oudste eerst",
        "previous": "vorige",
        "next": "volgende",
        "pages": "Pagina's",
        "per_year": "Treffers per jaar",
        "filters": "Beperkt tot",
        "remove": "verwijderen",
        "asked": "gesteld",
        "answered": "beantwoord",
        "by": "door",
        "to": "aan",
        "as_sparql": "Deze treffers in een SPARQL-query",
        "syntax": "Hoe zoeken",
        "error": "Deze zoekvraag is onleesbaar",
        "facets": "Verfijnen",
        "help": "Woorden worden in het Nederlands en het Frans gevonden, in elke vorm (ministeries, ministerie); "
        '"aanhalingstekens" zoeken een zinsdeel, -woord sluit uit, OR geeft het ene of het andere, '
        "soci* een begin, title:, question:, answer:, descriptor:, asker:, party:, office: en agency: "
        "één veld.",
    },
    "fr": {
        "title": "Recherche",
        "placeholder": 'mots, "une expression", -exclu, soci*, title:…',
        "go": "Chercher",
        "found": "{count} questions",
        "found_one": "1 question",
        "none": "Aucune question ne correspond.",
        "took": "{ms} ms",
        "sort": "Trier",
        "sort_relevance": "pertinence",
        "sort_date": "plus récentes d'abord",
        "sort_date_asc": "plus anciennes d'abord",
        "previous": "précédente",
        "next": "suivante",
        "pages": "Pages",
        "per_year": "Résultats par année",
        "filters": "Limité à",
        "remove": "retirer",
        "asked": "posée",
        "answered": "répondue",
        "by": "par",
        "to": "à",
        "as_sparql": "Ces résultats dans une requête SPARQL",
        "syntax": "Comment chercher",
        "error": "Cette requête est illisible",
        "facets": "Affiner",
        "help": "Les mots sont trouvés en néerlandais et en français, quelle que soit leur forme "
        '(médias sociaux, média social) ; les "guillemets" cherchent une expression, -mot exclut, '
        "OR donne l'un ou l'autre, soci* un début, title:, question:, answer:, descriptor:, asker:, "
        "party:, office: et agency: un seul champ.",
    },
}

_FACETS: dict[str, dict[str, str]] = {
    "en": {
        "legislature": "Legislature",
        "year": "Year",
        "status": "Status",
        "asker": "Asked by",
        "party": "Party",
        "office": "Addressed to",
        "minister": "Minister",
        "government": "Government",
        "descriptor": "Descriptor",
        "agency": "Agency",
    },
    "nl": {
        "legislature": "Zittingsperiode",
        "year": "Jaar",
        "status": "Status",
        "asker": "Gesteld door",
        "party": "Partij",
        "office": "Gericht aan",
        "minister": "Minister",
        "government": "Regering",
        "descriptor": "Descriptor",
        "agency": "Overheidsdienst",
    },
    "fr": {
        "legislature": "Législature",
        "year": "Année",
        "status": "Statut",
        "asker": "Posée par",
        "party": "Parti",
        "office": "Adressée à",
        "minister": "Ministre",
        "government": "Gouvernement",
        "descriptor": "Descripteur",
        "agency": "Organisme",
    },
}

_STATUS: dict[str, dict[str, str]] = {
    "en": {"answered": "answered", "answered-late": "answered late", "unanswered": "unanswered"},
    "nl": {"answered": "beantwoord", "answered-late": "laat beantwoord", "unanswered": "onbeantwoord"},
    "fr": {"answered": "répondue", "answered-late": "répondue en retard", "unanswered": "sans réponse"},
}


def text(language: str) -> dict[str, str]:
    return {**_TEXT["en"], **_TEXT.get(language, {})}


def facet_label(facet: str, language: str) -> str:
    return _FACETS.get(language, _FACETS["en"]).get(facet, facet)


def status_label(code: str, language: str) -> str:
    return _STATUS.get(language, _STATUS["en"]).get(code, code)
