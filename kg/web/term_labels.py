"""Names for people of the vocabulary terms pages show, in Dutch, French and English: the reused
vocabularies' terms (which carry no label in kg's graph, so pages showed `dct:creator`) and kg's
own terms where its ontology gives no label in a language (French pages showed English).

Interface words only: these labels are never written into the graph, so the RDF documents stay
what the ontology says. The ontology's own label in the reader's language wins over this table.
"""

from __future__ import annotations

DCT = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "http://schema.org/"
QB = "http://purl.org/linked-data/cube#"
ELI = "http://data.europa.eu/eli/ontology#"
ELI_DL = "http://data.europa.eu/eli/eli-draft-legislation-ontology#"
SIOC = "http://rdfs.org/sioc/ns#"
OWL = "http://www.w3.org/2002/07/owl#"
OA = "http://www.w3.org/ns/oa#"
VOID = "http://rdfs.org/ns/void#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
PERSON = "http://www.w3.org/ns/person#"
EPVOC = "https://data.europarl.europa.eu/def/epvoc#"

# (en, nl, fr) per term; kg's own terms by local name (their namespace is fixed, KG_NS).
_REUSED: dict[str, tuple[str, str, str]] = {
    DCT + "title": ("title", "titel", "titre"),
    DCT + "date": ("date", "datum", "date"),
    DCT + "dateSubmitted": ("date sent", "datum van verzending", "date d'envoi"),
    DCT + "creator": ("asked by", "gesteld door", "posée par"),
    DCT + "identifier": ("number", "nummer", "numéro"),
    DCT + "source": ("source", "bron", "source"),
    DCT + "subject": ("descriptor", "descriptor", "descripteur"),
    DCT + "language": ("language", "taal", "langue"),
    DCT + "isPartOf": ("part of", "deel van", "fait partie de"),
    DCT + "modified": ("modified", "gewijzigd", "modifié"),
    RDF + "type": ("type", "type", "type"),
    RDF + "value": ("text", "tekst", "texte"),
    RDFS + "label": ("label", "label", "libellé"),
    RDFS + "comment": ("description", "beschrijving", "description"),
    SKOS + "prefLabel": ("name", "naam", "nom"),
    SKOS + "altLabel": ("other name", "andere naam", "autre nom"),
    SKOS + "inScheme": ("in scheme", "in schema", "dans le schéma"),
    SKOS + "Concept": ("concept", "begrip", "concept"),
    SKOS + "ConceptScheme": ("concept scheme", "begrippenschema", "schéma de concepts"),
    FOAF + "name": ("name", "naam", "nom"),
    FOAF + "page": ("web page", "webpagina", "page web"),
    FOAF + "homepage": ("home page", "startpagina", "page d'accueil"),
    FOAF + "account": ("account", "account", "compte"),
    FOAF + "accountName": ("account name", "accountnaam", "nom du compte"),
    FOAF + "accountServiceHomepage": ("service", "dienst", "service"),
    FOAF + "OnlineAccount": ("online account", "online account", "compte en ligne"),
    FOAF + "Person": ("person", "persoon", "personne"),
    FOAF + "primaryTopic": ("about", "over", "à propos de"),
    FOAF + "isPrimaryTopicOf": ("described in", "beschreven in", "décrit dans"),
    DCT + "license": ("licence", "licentie", "licence"),
    DCT + "description": ("description", "beschrijving", "description"),
    FOAF + "Document": ("document", "document", "document"),
    PERSON + "Person": ("person", "persoon", "personne"),
    ORG + "memberOf": ("member of", "lid van", "membre de"),
    ORG + "member": ("member", "lid", "membre"),
    ORG + "organization": ("organisation", "organisatie", "organisation"),
    ORG + "heldBy": ("held by", "bekleed door", "occupé par"),
    ORG + "holds": ("holds", "bekleedt", "occupe"),
    ORG + "postIn": ("office in", "ambt in", "fonction dans"),
    ORG + "subOrganizationOf": ("part of", "onderdeel van", "fait partie de"),
    ORG + "Post": ("office", "ambt", "fonction"),
    ORG + "Membership": ("membership", "lidmaatschap", "affiliation"),
    ORG + "Organization": ("organisation", "organisatie", "organisation"),
    ORG + "FormalOrganization": ("organisation", "organisatie", "organisation"),
    PROV + "wasDerivedFrom": ("taken from", "overgenomen uit", "tiré de"),
    PROV + "wasGeneratedBy": ("made by", "gemaakt door", "produit par"),
    PROV + "wasAssociatedWith": ("run by", "uitgevoerd door", "exécuté par"),
    PROV + "Activity": ("activity", "activiteit", "activité"),
    PROV + "Entity": ("entity", "entiteit", "entité"),
    PROV + "SoftwareAgent": ("software", "software", "logiciel"),
    SCHEMA + "birthDate": ("born", "geboren", "né le"),
    SCHEMA + "startDate": ("from", "vanaf", "depuis"),
    SCHEMA + "endDate": ("until", "tot", "jusqu'au"),
    SCHEMA + "endTime": ("counted on", "geteld op", "compté le"),
    SCHEMA + "interactionStatistic": ("audience figure", "publiekscijfer", "chiffre d'audience"),
    SCHEMA + "userInteractionCount": ("count", "aantal", "nombre"),
    SCHEMA + "interactionType": ("kind of count", "soort telling", "type de comptage"),
    SCHEMA + "interactionService": ("platform", "platform", "plateforme"),
    SCHEMA + "softwareVersion": ("version", "versie", "version"),
    SCHEMA + "InteractionCounter": ("audience figure", "publiekscijfer", "chiffre d'audience"),
    SCHEMA + "name": ("name", "naam", "nom"),
    ELI + "Work": ("work", "werk", "œuvre"),
    ELI_DL + "answers_to": ("answers", "antwoordt op", "répond à"),
    ELI_DL + "Activity": ("activity", "activiteit", "activité"),
    SIOC + "account_of": ("account of", "account van", "compte de"),
    SIOC + "UserAccount": ("user account", "gebruikersaccount", "compte utilisateur"),
    OWL + "sameAs": ("same as", "dezelfde als", "identique à"),
    OWL + "Class": ("class", "klasse", "classe"),
    OA + "exact": ("quoted text", "geciteerde tekst", "texte cité"),
    VOID + "inDataset": ("in dataset", "in dataset", "dans le jeu de données"),
    VOID + "Dataset": ("dataset", "dataset", "jeu de données"),
    HYDRA + "view": ("page", "pagina", "page"),
    HYDRA + "first": ("first page", "eerste pagina", "première page"),
    HYDRA + "last": ("last page", "laatste pagina", "dernière page"),
    HYDRA + "next": ("next page", "volgende pagina", "page suivante"),
    HYDRA + "previous": ("previous page", "vorige pagina", "page précédente"),
    HYDRA + "totalItems": ("items", "aantal", "nombre"),
    HYDRA + "PartialCollectionView": ("page", "pagina", "page"),
    ELI + "Expression": ("language version", "taalversie", "version linguistique"),
    ELI + "Manifestation": ("published form", "publicatievorm", "forme publiée"),
    ELI + "WorkType": ("kind of document", "soort document", "type de document"),
    ELI + "date_document": ("date of the document", "datum van het document", "date du document"),
    ELI + "format": ("format", "formaat", "format"),
    ELI + "is_about": ("about", "gaat over", "porte sur"),
    ELI + "is_embodied_by": ("published as", "gepubliceerd als", "publiée comme"),
    ELI + "is_exemplified_by": ("published form", "publicatievorm", "forme publiée"),
    ELI + "is_realized_by": ("language version", "taalversie", "version linguistique"),
    ELI + "realizes": ("version of", "versie van", "version de"),
    ELI + "language": ("language", "taal", "langue"),
    ELI + "media_type": ("media type", "mediatype", "type de média"),
    ELI + "title": ("title", "titel", "titre"),
    ELI + "work_type": ("kind of document", "soort document", "type de document"),
    ELI_DL + "ParliamentaryTerm": ("parliamentary term", "zittingsperiode", "législature"),
    ELI_DL + "Participation": ("participation", "deelname", "participation"),
    ELI_DL + "had_participant_person": ("person", "persoon", "personne"),
    ELI_DL + "parliamentary_term": ("parliamentary term", "zittingsperiode", "législature"),
    ELI_DL + "participation_role": ("role", "rol", "rôle"),
    ELI_DL + "answers_to": ("answers", "antwoordt op", "répond à"),
    EPVOC + "originalLanguage": ("original language", "oorspronkelijke taal", "langue originale"),
    EPVOC + "workHadParticipation": ("participation", "deelname", "participation"),
    OA + "SpecificResource": ("passage", "passage", "passage"),
    OA + "TextPositionSelector": ("position in the text", "plaats in de tekst", "position dans le texte"),
    OA + "TextQuoteSelector": ("quotation", "citaat", "citation"),
    OA + "hasSelector": ("where in the text", "waar in de tekst", "où dans le texte"),
    OA + "hasSource": ("in", "in", "dans"),
    OA + "start": ("from character", "vanaf teken", "à partir du caractère"),
    OA + "end": ("to character", "tot teken", "jusqu'au caractère"),
    OA + "prefix": ("text before", "tekst ervoor", "texte avant"),
    OA + "suffix": ("text after", "tekst erna", "texte après"),
    SKOS + "exactMatch": ("same concept elsewhere", "zelfde begrip elders", "même concept ailleurs"),
    SKOS + "closeMatch": ("close concept elsewhere", "verwant begrip elders", "concept proche ailleurs"),
    SKOS + "definition": ("definition", "definitie", "définition"),
    RDFS + "domain": ("applies to", "geldt voor", "s'applique à"),
    RDFS + "range": ("values", "waarden", "valeurs"),
    RDFS + "seeAlso": ("see also", "zie ook", "voir aussi"),
    RDFS + "subClassOf": ("kind of", "soort van", "sorte de"),
    RDFS + "subPropertyOf": ("kind of", "soort van", "sorte de"),
    RDF + "Property": ("property", "eigenschap", "propriété"),
    OWL + "ObjectProperty": ("property", "eigenschap", "propriété"),
    OWL + "DatatypeProperty": ("property", "eigenschap", "propriété"),
    OWL + "Ontology": ("vocabulary", "vocabularium", "vocabulaire"),
    OWL + "inverseOf": ("inverse of", "omgekeerde van", "inverse de"),
    OWL + "versionInfo": ("version", "versie", "version"),
    QB + "dataSet": ("data set", "dataset", "jeu de données"),
    QB + "structure": ("structure", "structuur", "structure"),
    QB + "component": ("component", "component", "composant"),
    QB + "dimension": ("dimension", "dimensie", "dimension"),
    QB + "measure": ("measure", "meetwaarde", "mesure"),
    QB + "order": ("order", "volgorde", "ordre"),
    QB + "DataSet": ("data set", "dataset", "jeu de données"),
    QB + "Observation": ("observation", "waarneming", "observation"),
    QB + "DataStructureDefinition": ("data structure", "datastructuur", "structure de données"),
    QB + "ComponentSpecification": ("component", "component", "composant"),
}

_KG: dict[str, tuple[str, str, str]] = {
    "AnswerReceived": ("answer received", "antwoord ontvangen", "réponse reçue"),
    "Sent": ("question sent", "vraag verzonden", "question envoyée"),
    "Reminder": ("reminder", "rappel", "rappel"),
    "Closed": ("file closed", "dossier gesloten", "dossier clôturé"),
    "EndOfLegislature": ("end of the legislature", "einde van de zittingsperiode", "fin de la législature"),
    "OtherEvent": ("other event", "andere gebeurtenis", "autre événement"),
    "WebRendering": ("web page", "webpagina", "page web"),
    "PrintRendering": ("print version", "printerversie", "version à imprimer"),
    "BilingualPrintRendering": ("bilingual print version", "tweetalige printerversie", "version à imprimer bilingue"),
    "Rendering": ("rendering", "weergave", "rendu"),
    "AnswerStatus": ("answer status", "stand van het antwoord", "état de la réponse"),
    "AnswerStatuses": ("answer statuses", "standen van het antwoord", "états de la réponse"),
    "AnsweredOnTime": ("answered on time", "tijdig beantwoord", "réponse dans le délai"),
    "AnsweredLate": ("answered late", "laattijdig beantwoord", "réponse tardive"),
    "AnsweredDeadlineUnknown": (
        "answered, deadline unknown",
        "beantwoord, termijn onbekend",
        "réponse reçue, délai inconnu",
    ),
    "OpenWithinDeadline": ("open within the deadline", "open binnen de termijn", "ouverte dans le délai"),
    "OpenPastDeadline": ("open past the deadline", "open na de termijn", "ouverte après le délai"),
    "OpenDeadlineUnknown": ("open, deadline unknown", "open, termijn onbekend", "ouverte, délai inconnu"),
    "ClosedWithoutAnswer": ("closed without answer", "gesloten zonder antwoord", "clôturée sans réponse"),
    "LapsedAtEndOfLegislature": (
        "lapsed at the end of the legislature",
        "vervallen bij het einde van de zittingsperiode",
        "caduque à la fin de la législature",
    ),
    "NotLoaded": ("not loaded", "niet geladen", "non chargée"),
    "EventKind": ("kind of event", "soort gebeurtenis", "type d'événement"),
    "EventKinds": ("kinds of chronology events", "soorten gebeurtenissen", "types d'événements"),
    "PrintedDeadline": (
        "deadline printed in the chronology",
        "termijn gedrukt in de chronologie",
        "délai imprimé dans la chronologie",
    ),
    "addresseeText": ("addressee as printed", "geadresseerde zoals gedrukt", "destinataire tel qu'imprimé"),
    "answerStatus": ("answer status", "stand van het antwoord", "état de la réponse"),
    "answerText": ("answer text", "tekst van het antwoord", "texte de la réponse"),
    "answeredCount": ("answered", "beantwoord", "avec réponse"),
    "answeredShare": ("answered share", "aandeel beantwoord", "part avec réponse"),
    "answeredWithDeadlineCount": (
        "answered with a known deadline",
        "beantwoord met gekende termijn",
        "réponses à délai connu",
    ),
    "daysToAnswer": ("days to answer", "dagen tot het antwoord", "jours avant la réponse"),
    "deadlineSource": ("deadline source", "bron van de termijn", "source du délai"),
    "encoding": ("character encoding", "tekencodering", "encodage"),
    "encodingRepaired": ("encoding repaired", "codering hersteld", "encodage réparé"),
    "eventKind": ("kind of event", "soort gebeurtenis", "type d'événement"),
    "incumbency": ("incumbency", "ambtsbekleding", "mandat"),
    "legislatureNumber": ("legislature number", "nummer van de zittingsperiode", "numéro de la législature"),
    "medianDaysToAnswer": ("median days to answer", "mediaan dagen tot antwoord", "médiane des jours avant réponse"),
    "medianWorkingDaysToAnswer": (
        "median working days to answer",
        "mediaan werkdagen tot antwoord",
        "médiane des jours ouvrables avant réponse",
    ),
    "notLoadedCount": ("not loaded", "niet geladen", "non chargées"),
    "onTimeShare": ("share answered on time", "aandeel tijdig beantwoord", "part de réponses dans le délai"),
    "openPastDeadlineCount": ("open past the deadline", "open na de termijn", "ouvertes après le délai"),
    "p90DaysToAnswer": (
        "90th percentile of days to answer",
        "90e percentiel dagen tot antwoord",
        "90e centile des jours avant réponse",
    ),
    "p90WorkingDaysToAnswer": (
        "90th percentile of working days to answer",
        "90e percentiel werkdagen tot antwoord",
        "90e centile des jours ouvrables avant réponse",
    ),
    "paragraph": ("paragraph", "alinea", "paragraphe"),
    "part": ("numbered part", "genummerd deel", "partie numérotée"),
    "partLabel": ("part label", "label van het deel", "libellé de la partie"),
    "path": ("path", "pad", "chemin"),
    "position": ("position", "positie", "position"),
    "questionCount": ("questions", "vragen", "questions"),
    "questionText": ("question text", "tekst van de vraag", "texte de la question"),
    "referenceDate": ("reference date", "referentiedatum", "date de référence"),
    "remindersSent": ("reminders sent", "verstuurde rappels", "rappels envoyés"),
    "rendering": ("rendering", "weergave", "rendu"),
    "sha256": ("SHA-256", "SHA-256", "SHA-256"),
    "sourceText": ("text as printed", "tekst zoals gedrukt", "texte tel qu'imprimé"),
    "statAsker": ("asker", "vraagsteller", "auteur"),
    "statGovernment": ("government", "regering", "gouvernement"),
    "statGrouping": ("grouped by", "gegroepeerd per", "groupé par"),
    "statLegislature": ("legislature", "zittingsperiode", "législature"),
    "statMinister": ("minister addressed", "ondervraagde minister", "ministre interrogé"),
    "statMonth": ("month asked", "maand van de vraag", "mois de la question"),
    "statOffice": ("office addressed", "ondervraagd ambt", "fonction interrogée"),
    "statParty": ("party of the asker", "partij van de vraagsteller", "parti de l'auteur"),
    "statYear": ("year asked", "jaar van de vraag", "année de la question"),
    "titlePart": ("title part", "titeldeel", "partie du titre"),
    "workingDaysToAnswer": ("working days to answer", "werkdagen tot het antwoord", "jours ouvrables avant la réponse"),
}

_INDEX = {"en": 0, "nl": 1, "fr": 2}


def term_label(iri: str, language: str, kg_namespace: str) -> str | None:
    """The name of a vocabulary term in `language` (nl, fr or en), or None when this table has none."""
    index = _INDEX.get(language)
    if index is None:
        return None
    names = _REUSED.get(iri)
    if names is None and iri.startswith(kg_namespace):
        names = _KG.get(iri[len(kg_namespace) :])
    return names[index] if names is not None else None
