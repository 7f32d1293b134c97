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

2. One-language print version, "print". RULE is a line of underscores (at least 10; kg writes
   72). In the head a rule counts as a blank line; a rule ends a question or answer text.

       Zitting 2012-2013                                  (FR: Session 2012-2013)
       Afgedrukt op 14 maart 2014                         (FR: Imprimé le 14 mars 2014)
       RULE
       SENAAT Schriftelijke vraag nr. 5-8913              (FR: SÉNAT Question écrite n° 5-8913)
       (blank) van AUTHOR (PARTY) d.d. DATE
       (blank) aan ADDRESSEE
       RULE
       TITLE
       (blank) descriptors, one per line
       RULE
       Chronologie
       (blank) events, one per line "30/4/2013 Verzending vraag"
       (blank) links, one per line
       RULE
       Vraag nr. 5-8913 d.d. 30 april 2013 : (Vraag gesteld in het Nederlands)
       (blank) question paragraphs
       RULE
       Antwoord ontvangen op 6 september 2013 :
       (blank) answer paragraphs
       RULE

3. Bilingual print version, "print-bilingual": every head line in French, then Dutch; both
   texts. It yields two records, fr then nl.

       SÉNAT DE BELGIQUE BELGISCHE SENAAT
       Session 2012-2013 Zitting 2012-2013
       Imprimé le 14 mars 2014 Afgedrukt op 14 maart 2014
       RULE
       Question écrite n° 5-8913 Schriftelijke vraag nr. 5-8913
       (blank) de AUTHOR (PARTY) du DATE
               van AUTHOR (PARTY) d.d. DATE
       (blank) à ADDRESSEE
               aan ADDRESSEE
       RULE
       FRENCH TITLE
       DUTCH TITLE
       RULE                                               (descriptor block, left out if none)
       French descriptors, one per line
       (blank) Dutch descriptors, one per line
       RULE
       Chronologie Chronologie
       (blank) each event as a French line, then the Dutch line, same date
       (blank) each link as a French line, then the Dutch line, same target
       RULE
       Question n° 5-8913 du 30 avril 2013 : (Question posée en néerlandais)
       (blank) French question paragraphs
       RULE
       Vraag nr. 5-8913 d.d. 30 april 2013 : (Vraag gesteld in het Nederlands)
       (blank) Dutch question paragraphs
       RULE
       Réponse reçue le 6 septembre 2013 :                (this and the next block if answered)
       (blank) French answer paragraphs
       RULE
       Antwoord ontvangen op 6 september 2013 :
       (blank) Dutch answer paragraphs
       RULE
"""

from __future__ import annotations

from kg.records import Rendering

RENDERINGS: tuple[Rendering, ...] = ("web", "print", "print-bilingual")
