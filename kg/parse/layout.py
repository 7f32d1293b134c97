"""The three renderings the Senate publishes, as kg reads them and `kg.synth` writes them.

Common to all three: a chronology line is `d/m/yyyy` and a label, touching ("30/4/2013Verzending
vraag") or after a space, optionally followed by "(Einde van de antwoordtermijn: d/m/yyyy)" /
"(Fin du délai de réponse: d/m/yyyy)"; a link line is "LABEL : schriftelijke vraag 5-8900" /
"LABEL : question écrite 5-8900"; texts are paragraphs separated by blank lines.

1. Web page, "web" (the seeds), one language, every line below separated by a blank line except
   within the descriptor, event and link blocks:

       Tweetalige printerversie Eentalige printerversie   (FR: Version à imprimer bilingue Version à imprimer unilingue)
       Schriftelijke vraag nr. 5-8913                     (FR: Question écrite n° 5-8913)
       van AUTHOR (PARTY) d.d. 30 april 2013              (FR: de AUTHOR (PARTY) du 30 avril 2013)
       aan ADDRESSEE                                      (FR: à ADDRESSEE, au ..., aux ...)
       TITLE - IN - PARTS
       descriptors, one per line
       Chronologie
       events, one per line
       links, one per line
       Vraag nr. 5-8913 d.d. 30 april 2013 : (Vraag gesteld in het Nederlands)
       question paragraphs
       Antwoord ontvangen op 6 september 2013 :           (FR: Réponse reçue le 6 septembre 2013 :)
       answer paragraphs, to the end of the document

   The toolbar line may be missing; descriptors, chronology, links and answer may be absent.

2. One-language print version, "print" (`SVPrint`), as the Senate prints it. RULE is a line of
   underscores: eight here, sixteen in the bilingual version, but any run of five or more is
   read as one, and so is a line of several runs ("________ ________"). Rules and blank lines in
   the head count alike; a rule ends a question or answer text.

       BELGISCHE SENAAT                                   (FR: SÉNAT DE BELGIQUE)
       RULE
       Zitting 2012-2013                                  (FR: Session 2012-2013)
       RULE
       30 april 2013                                      the question's date, alone
       RULE
       SENAAT Schriftelijke vraag nr. 5-8902              (FR: SÉNAT Question écrite n° 5-8902)
       (blank) de AUTHOR (PARTY)                          the French "de" even in Dutch; no date
       (blank) aan ADDRESSEE
       RULE
       TITLE
       RULE
       descriptors, one per line
       RULE
       events, one per line, date and label touching: "30/4/2013Verzending vraag"
       RULE
       links, one per line
       RULE
       SENAAT Schriftelijke vraag nr. 5-8902 d.d. 30 april 2013 : (Vraag gesteld in het Nederlands)
       (blank) question paragraphs                        (FR: SÉNAT Question écrite n° ... du ... :)
       RULE
       Antwoord ontvangen op 17 februari 2014 :           (FR: Réponse reçue le ... :)
       (blank) answer paragraphs
       RULE

   A block with nothing in it is left out. Also read: a print date line "Afgedrukt op DATE" /
   "Imprimé le DATE" instead of the date alone (the date is then on the author line, "van AUTHOR
   (PARTY) d.d. DATE"), no head line, a "Chronologie" heading, the question header "Vraag nr.
   ... d.d. ... :" of the web page.

3. Bilingual print version, "print-bilingual" (`SVPrintNLFR`): each head line in French, then
   Dutch; the lists one language after the other; both texts. It yields two records, fr then nl.

       SÉNAT DE BELGIQUE BELGISCHE SENAAT
       RULE
       Session 2012-2013 Zitting 2012-2013
       RULE
       30 avril 2013 30 april 2013
       RULE
       Question écrite n° 5-8916 Schriftelijke vraag nr. 5-8916
       (blank) de AUTHOR (PARTY)
       (blank) van AUTHOR (PARTY)
       (blank) à ADDRESSEE
       (blank) aan ADDRESSEE
       RULE
       FRENCH TITLE DUTCH TITLE                           one line, split by `kg.parse.languages`
       RULE
       French descriptors, then Dutch descriptors, one per line, nothing between them
       ________ ________
       the chronology, once per language: the French block, then the Dutch block; both print
       the Dutch labels ("30/4/2013Verzending vraag" twice)
       ________ ________
       the links, once per language, with the Dutch labels in both blocks
       RULE
       SÉNAT Question écrite n° 5-8916 du 30 avril 2013 : (Question posée en néerlandais)
       (blank) French question paragraphs
       RULE
       SENAAT Schriftelijke vraag nr. 5-8916 d.d. 30 april 2013 : (Vraag gesteld in het Nederlands)
       (blank) Dutch question paragraphs
       RULE
       Réponse reçue le 4 juin 2013 :                     (this and the next block if answered)
       (blank) French answer paragraphs
       RULE
       Antwoord ontvangen op 4 juni 2013 :
       (blank) Dutch answer paragraphs
       RULE

   The real samples (`tests/documents/SOURCES.md`) stop inside the links, so what follows them
   is read like the one-language version's, in French, then in Dutch. A French chronology label
   printed in Dutch keeps its language (`ChronologyEvent.label_language`). Also read: a print
   date line "Imprimé le DATE Afgedrukt op DATE" with the dates on the author lines, the two
   titles on two lines, and the lists French line, then Dutch line, under "Chronologie
   Chronologie".

Any of the three may stop early, cut off after its header: see `kg.parse.stops`. The web page
may also come as the page saved from a browser as HTML: see `kg.parse.html`.
"""

from __future__ import annotations

from kg.parse.records import Rendering

RENDERINGS: tuple[Rendering, ...] = ("web", "print", "print-bilingual")
