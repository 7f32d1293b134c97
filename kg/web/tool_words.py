"""The words of the tool pages (the query page, the dumps and the API explorer) in the three
interface languages; a missing word falls back to English, like `kg.web.i18n.ui_strings`."""

from __future__ import annotations

from kg.web.i18n import DEFAULT_LANGUAGE

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "page_size": "Rows per page",
        "chart": "Chart",
        "dump_graph.nt.gz": "The knowledge graph, sorted N-Triples, gzip-compressed",
        "dump_graph.ttl": "The knowledge graph, Turtle",
        "dump_ontology.ttl": "The kg vocabulary and its SHACL shapes, Turtle",
        "sparql_title": "SPARQL query",
        "sparql_intro": "Query the knowledge graph with %s.",
        "sparql_limits": "Queries stop after %s s and return at most %s rows.",
        "sparql_protocol": "Programs use this same address with the SPARQL 1.1 Protocol.",
        "editor_help": "The editor completes prefixes, classes and properties of this dataset (Ctrl+Space); "
        "each example query opens in a tab; results show as a table or a chart, and download as CSV.",
        "query": "Query",
        "results_as": "Results as",
        "run": "Run query",
        "results": "Results",
        "row": "row",
        "rows": "rows",
        "cut_short": "cut at the result limit of %s",
        "cut_long": "The results were cut at the result limit of %s rows: add a LIMIT or narrow the query to see the rest.",
        "examples": "Example queries",
        "format_table": "Table",
        "service_description": "Service description (Turtle)",
        "dumps_title": "Dumps",
        "dumps_intro": "The whole dataset for download. Check a file with its SHA-256 (%s). Licence:",
        "dumps_file": "File",
        "dumps_content": "Content",
        "dumps_bytes": "Bytes",
        "dumps_modified": "Modified",
        "dumps_listing_json": "This listing as JSON",
        "api_title": "API",
        "api_intro": "Every operation of this server, described in OpenAPI; try each one from this page.",
        "api_description": "The OpenAPI description (JSON)",
        "api_no_script": "The interactive explorer needs JavaScript; the description itself is plain JSON.",
    },
    "nl": {
        "page_size": "Rijen per pagina",
        "chart": "Grafiek",
        "dump_graph.nt.gz": "De kennisgraaf, gesorteerde N-Triples, gzip-gecomprimeerd",
        "dump_graph.ttl": "De kennisgraaf, Turtle",
        "dump_ontology.ttl": "Het kg-vocabularium en zijn SHACL-vormen, Turtle",
        "sparql_title": "SPARQL-query",
        "sparql_intro": "Bevraag de kennisgraaf met %s.",
        "sparql_limits": "Queries stoppen na %s s en geven hoogstens %s rijen terug.",
        "sparql_protocol": "Programma's gebruiken hetzelfde adres met het SPARQL 1.1-protocol.",
        "editor_help": "De editor vult prefixen, klassen en eigenschappen van deze dataset aan (Ctrl+Spatie); "
        "elke voorbeeldquery opent in een tabblad; resultaten verschijnen als tabel of grafiek en zijn als CSV "
        "te downloaden.",
        "query": "Query",
        "results_as": "Resultaten als",
        "run": "Query uitvoeren",
        "results": "Resultaten",
        "row": "rij",
        "rows": "rijen",
        "cut_short": "afgekapt op de limiet van %s",
        "cut_long": "De resultaten zijn afgekapt op de limiet van %s rijen: voeg een LIMIT toe of verfijn de query "
        "om de rest te zien.",
        "examples": "Voorbeeldqueries",
        "format_table": "Tabel",
        "service_description": "Beschrijving van de dienst (Turtle)",
        "dumps_title": "Downloads",
        "dumps_intro": "De hele dataset om te downloaden. Controleer een bestand met zijn SHA-256 (%s). Licentie:",
        "dumps_file": "Bestand",
        "dumps_content": "Inhoud",
        "dumps_bytes": "Bytes",
        "dumps_modified": "Gewijzigd",
        "dumps_listing_json": "Deze lijst als JSON",
        "api_title": "API",
        "api_intro": "Alle bewerkingen van deze server, beschreven in OpenAPI; probeer ze op deze pagina uit.",
        "api_description": "De OpenAPI-beschrijving (JSON)",
        "api_no_script": "De interactieve verkenner heeft JavaScript nodig; de beschrijving zelf is gewone JSON.",
    },
    "fr": {
        "page_size": "Lignes par page",
        "chart": "Graphique",
        "dump_graph.nt.gz": "Le graphe de connaissances, N-Triples triés, compressés en gzip",
        "dump_graph.ttl": "Le graphe de connaissances, Turtle",
        "dump_ontology.ttl": "Le vocabulaire kg et ses formes SHACL, Turtle",
        "sparql_title": "Requête SPARQL",
        "sparql_intro": "Interrogez le graphe de connaissances avec %s.",
        "sparql_limits": "Les requêtes s'arrêtent après %s s et renvoient au plus %s lignes.",
        "sparql_protocol": "Les programmes utilisent cette même adresse avec le protocole SPARQL 1.1.",
        "editor_help": "L'éditeur complète les préfixes, classes et propriétés de ce jeu de données (Ctrl+Espace) ; "
        "chaque exemple s'ouvre dans un onglet ; les résultats s'affichent en tableau ou en graphique, et se "
        "téléchargent en CSV.",
        "query": "Requête",
        "results_as": "Résultats en",
        "run": "Exécuter la requête",
        "results": "Résultats",
        "row": "ligne",
        "rows": "lignes",
        "cut_short": "coupés à la limite de %s",
        "cut_long": "Les résultats ont été coupés à la limite de %s lignes : ajoutez un LIMIT ou précisez la requête "
        "pour voir la suite.",
        "examples": "Exemples de requêtes",
        "format_table": "Tableau",
        "service_description": "Description du service (Turtle)",
        "dumps_title": "Téléchargements",
        "dumps_intro": "Le jeu de données entier à télécharger. Vérifiez un fichier avec son SHA-256 (%s). Licence :",
        "dumps_file": "Fichier",
        "dumps_content": "Contenu",
        "dumps_bytes": "Octets",
        "dumps_modified": "Modifié",
        "dumps_listing_json": "Cette liste en JSON",
        "api_title": "API",
        "api_intro": "Toutes les opérations de ce serveur, décrites en OpenAPI ; essayez-les depuis cette page.",
        "api_description": "La description OpenAPI (JSON)",
        "api_no_script": "L'explorateur interactif a besoin de JavaScript ; la description elle-même est du JSON.",
    },
}


def tool_strings(language: str) -> dict[str, str]:
    """The tool pages' words in `language`, English where a translation is missing."""
    return {**_WORDS[DEFAULT_LANGUAGE], **_WORDS.get(language, {})}
