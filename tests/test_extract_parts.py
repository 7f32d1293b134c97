"""The pieces of the extraction: folding, sentence splitting, the gazetteer, account names in
URLs and handles, dates, and the checks on the reference files."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract import dates
from kg.extract.accounts import find_handles, find_urls
from kg.extract.dates import find_dates
from kg.extract.fold import compact, fold, fold_lower
from kg.extract.gazetteer import GAZETTEER_FILE, GazetteerError, load_gazetteer
from kg.extract.patterns import PATTERNS_FILE, PatternsError, load_patterns
from kg.extract.sentences import _token_before, split_sentences

# --- folding ---------------------------------------------------------------------------------


def test_fold_removes_accents_and_keeps_offsets() -> None:
    text = "FOD Financiën – “Pasoplichting” l’Office des Étrangers\u00a0!"
    folded = fold(text)
    assert folded == 'FOD Financien - "Pasoplichting" l\'Office des Etrangers !'
    assert len(folded) == len(text)


@given(st.text())
def test_fold_never_changes_the_length(text: str) -> None:
    assert len(fold(text)) == len(text)


def test_compact_makes_handles_and_names_comparable() -> None:
    assert compact("FOD_Financien") == compact("FOD Financiën") == "fodfinancien"


# --- sentences -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "1. Fedasil maakt gebruik van Facebook. Later dit jaar zal Fedasil ook Twitter gebruiken.",
            ["1. Fedasil maakt gebruik van Facebook.", "Later dit jaar zal Fedasil ook Twitter gebruiken."],
        ),
        (
            "Vraag nr. 5-8913 d.d. 30 april 2013. Zie bv. Twitter. Klaar!",
            ["Vraag nr. 5-8913 d.d. 30 april 2013.", "Zie bv. Twitter.", "Klaar!"],
        ),
        (
            "De FOD Economie, K.M.O., Middenstand en Energie is actief. M. Wathelet antwoordt.",
            ["De FOD Economie, K.M.O., Middenstand en Energie is actief.", "M. Wathelet antwoordt."],
        ),
        (
            "Thema’s (orgaandonatie, Ecolabel, enz.) lokken reacties uit. Nee.",
            ["Thema’s (orgaandonatie, Ecolabel, enz.) lokken reacties uit.", "Nee."],
        ),
        (
            "Zie https://www.facebook.com/Marnaque. Daarna meer.",
            ["Zie https://www.facebook.com/Marnaque.", "Daarna meer."],
        ),
        ("  Een zin zonder punt  ", ["Een zin zonder punt"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert [text[start:end] for start, end in split_sentences(text)] == sentences


@given(st.text(alphabet=" a.\u00a0\n(b"), st.integers(0, 12), st.integers(0, 12))
def test_the_token_before_a_stop_is_the_one_the_pattern_finds(text: str, start: int, end: int) -> None:
    start, end = min(start, len(text)), min(max(start, end), len(text))
    match = re.compile(r"(\S+)$").search(text, start, end)
    assert _token_before(text, start, end) == (match.group(1) if match else None)


@given(st.text(alphabet=st.sampled_from("ab .!?\n1()Nr")))
def test_sentence_spans_are_ordered_stripped_and_inside(text: str) -> None:
    previous = 0
    for start, end in split_sentences(text):
        assert previous <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous = end


# --- gazetteer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("FOD Mobiliteit", "fod-mobiliteit"),
        ("FOD Mobiliteit en Vervoer", "fod-mobiliteit"),
        ("Federale Overheidsdienst (FOD) Mobiliteit", "fod-mobiliteit"),
        ("SPF Mobilité et Transports", "fod-mobiliteit"),
        ("FPS Mobility and Transport", "fod-mobiliteit"),
        ("IBZ", "fod-binnenlandse-zaken"),
        ("SPF Intérieur", "fod-binnenlandse-zaken"),
        ("FOD Volksgezondheid en Leefmilieu", "fod-volksgezondheid"),
        ("FOD Volksgezondheid, Veiligheid van de Voedselketen en Leefmilieu", "fod-volksgezondheid"),
        ("Statbel", "statbel"),
        ("Statistics Belgium", "statbel"),
        ("DVZ", "dvz"),
        ("Office des étrangers", "dvz"),
        ("CGRA", "cgvs"),
        ("Conseil du Contentieux des Étrangers", "rvv"),
        ("Dienst Continentaal Plat", "dienst-continentaal-plat"),
        ("POD MI", "pod-maatschappelijke-integratie"),
        ("Belspo", "pod-wetenschapsbeleid"),
        ("Fedict", "fod-ict"),
    ],
)
def test_every_variant_names_one_agency(text: str, key: str) -> None:
    hits = load_gazetteer().find(fold(f"Volgens de {text} is dat zo."))
    assert [(hit.agency, hit.end - hit.start) for hit in hits] == [(key, len(text))]


def test_abbreviations_match_whole_words_in_their_case() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.find(fold("de dvz, de OEsofagus en CGVSX")) == []
    assert [hit.agency for hit in gazetteer.find(fold("de DVZ, het OE en CGVS."))] == ["dvz", "dvz", "cgvs"]


def test_the_longest_name_wins() -> None:
    (hit,) = load_gazetteer().find(fold("De FOD Mobiliteit en Vervoer heeft"))
    assert (hit.start, hit.end) == (3, 28)


def test_account_names_spell_their_agency() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.by_account_name("twitter", "FOD_Financien") == "fod-financien"
    assert gazetteer.by_account_name("twitter", "statbel_nl") == "statbel"
    assert gazetteer.by_account_name("facebook", "Statistics-Belgium-FR") == "statbel"
    assert gazetteer.by_account_name("twitter", "belgiumbe") == "fod-kanselarij"  # a known handle
    assert gazetteer.by_account_name("facebook", "Pasoplichting") is None


def test_parents_relate_agencies() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.ancestors("statbel") == ["fod-economie"]
    assert gazetteer.related("statbel", "fod-economie") and gazetteer.related("fod-economie", "statbel")
    assert not gazetteer.related("cgvs", "fod-binnenlandse-zaken")


def test_every_agency_has_dutch_french_and_english_names() -> None:
    for agency in load_gazetteer().agencies.values():
        assert {"nl", "fr", "en"} <= agency.names.keys(), agency.key


def test_no_two_agencies_share_a_name() -> None:
    seen: dict[str, str] = {}
    for agency in load_gazetteer().agencies.values():
        names = [*agency.names.values(), *(label for label, _ in agency.labels())]
        for name in {fold(n).lower() for n in names}:
            assert seen.setdefault(name, agency.key) == agency.key, name


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agencies.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[agency.x]\nkind = "federal-public-service"\nname = { nl = "X" }\n', "name needs nl and fr"),
        ('[agency.x]\nkind = "club"\nname = { nl = "X", fr = "X" }\n', "kind 'club'"),
        ('[agency.x]\nkind = "court"\nparent = "y"\nname = { nl = "X", fr = "X" }\n', "parent 'y'"),
        ('[agency.x]\nkind = "court"\ncbe = "12"\nname = { nl = "X", fr = "X" }\n', "enterprise number"),
        ('[agency.x]\nkind = "court"\ncbe = "0123.456.789"\nname = { nl = "X", fr = "X" }\n', "cbe_source"),
        ('[agency.X_1]\nkind = "court"\nname = { nl = "X", fr = "X" }\n', "must be a slug"),
    ],
)
def test_a_wrong_gazetteer_says_what_is_wrong(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(write(tmp_path, table))


def test_a_new_agency_is_a_new_table(tmp_path: Path) -> None:
    text = GAZETTEER_FILE.read_text(encoding="utf-8") + (
        '\n[agency.fod-test]\nkind = "federal-public-service"\n'
        'name = { nl = "Federale Overheidsdienst Proef", fr = "Service public fédéral Essai", en = "FPS Test" }\n'
        'aliases = { nl = ["FOD Proef"] }\n'
    )
    gazetteer = load_gazetteer(write(tmp_path, text))
    assert [hit.agency for hit in gazetteer.find(fold("de FOD Proef"))] == ["fod-test"]


def test_a_pattern_that_does_not_compile_is_named(tmp_path: Path) -> None:
    broken = PATTERNS_FILE.read_text(encoding="utf-8").replace(
        "monitoring = ['\\bmonitoring',", "monitoring = ['(unclosed',", 1
    )
    path = tmp_path / "patterns.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(PatternsError, match="policy monitoring"):
        load_patterns(path)


# --- accounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "platform", "key", "handle", "language"),
    [
        (
            "https://www.facebook.com/pages/Statistics-Belgium-NL/276179792458308",
            "facebook",
            "statistics-belgium-nl",
            None,
            "nl",
        ),
        ("https://www.facebook.com/Pasoplichting", "facebook", "pasoplichting", None, None),
        ("www.facebook.com/groups/opvanginfo", "facebook", "opvanginfo", None, None),
        ("https://twitter.com/statbel_fr", "twitter", "statbel-fr", "statbel_fr", "fr"),
        ("http://twitter.com/#!/FOD_Financien", "twitter", "fod-financien", "FOD_Financien", None),
        ("https://www.youtube.com/user/FODFinancien", "youtube", "fodfinancien", None, None),
        (
            "https://www.linkedin.com/company/fod-mobiliteit-en-vervoer",
            "linkedin",
            "fod-mobiliteit-en-vervoer",
            None,
            None,
        ),
        ("flickr.com/photos/belgianfederalpolice", "flickr", "belgianfederalpolice", None, None),
    ],
)
def test_account_urls(url: str, platform: str, key: str, handle: str | None, language: str | None) -> None:
    sentence = f"Zie {url}, dank u."
    (hit,) = find_urls(sentence, fold(sentence), load_patterns())
    assert (hit.platform, hit.key, hit.handle, hit.language, hit.url) == (platform, key, handle, language, url)


def test_home_pages_and_share_links_are_no_accounts() -> None:
    sentence = "Zie https://www.facebook.com/ en https://twitter.com/share en www.example.be/twitter."
    assert find_urls(sentence, fold(sentence), load_patterns()) == []


def test_handles_are_not_email_addresses() -> None:
    hits = find_handles("Mail info@fedasil.be of volg @Fedasil_be en @statbel_nl.", [])
    assert [(hit.handle, hit.key, hit.language) for hit in hits] == [
        ("Fedasil_be", "fedasil-be", None),
        ("statbel_nl", "statbel-nl", "nl"),
    ]


# --- dates -----------------------------------------------------------------------------------


def test_dates_in_words_and_numbers() -> None:
    text = fold_lower("op 3 December 2012, le 1er mars 2013, 2/5/2013 en 31 februari 2013")
    assert [day for _, _, day in find_dates(text)] == [date(2012, 12, 3), date(2013, 3, 1), date(2013, 5, 2)]


_DATE_PIECES = st.sampled_from(
    [
        "1",
        "12",
        "3",
        "2013",
        "er",
        "e",
        " ",
        "  ",
        "mei",
        "mars",
        "/",
        ".",
        "a",
        "x1",
        "31 ",
        "decembre",
        "/5/",
        "2/5/2013",
        "1.2.2014",
    ]
)


@given(st.lists(_DATE_PIECES, max_size=20).map("".join))
def test_dates_found_are_those_the_full_patterns_find_everywhere(text: str) -> None:
    """`find_dates` skips ahead to where a date can start; it finds what trying the patterns
    at every position finds."""
    found = []
    for match in dates._WORDS.finditer(text):
        with contextlib.suppress(ValueError):
            found.append((match.start(), match.end(), date(int(match[3]), dates.MONTHS[match[2]], int(match[1]))))
    for match in dates._NUMERIC.finditer(text):
        with contextlib.suppress(ValueError):
            found.append((match.start(), match.end(), date(int(match[3]), int(match[2]), int(match[1]))))
    assert list(find_dates(text)) == sorted(found, key=lambda item: item[0])
