"""Links out and one concept per descriptor, on real builds of the seeds with the Senate's two
print versions in `tests/documents/` (the bilingual one lists the descriptors in both languages)."""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import rdflib

from kg.build.pipeline import build
from kg.paths import SEEDS_DIR
from kg.reference import descriptors as descriptor_reference
from tests.conftest import ROOT

DOCUMENTS = ROOT / "tests" / "documents"
# The Senate's two real print versions (tests/documents/SOURCES.md): one-language and bilingual.
BILINGUAL = DOCUMENTS / "sample-bilingual-5-8916.txt"
SAMPLES = (DOCUMENTS / "sample-print-nl-5-8902.txt", BILINGUAL)
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
OWL_SAME_AS = rdflib.OWL.sameAs
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
BASE = "http://localhost:8000/"
WIKIDATA = "http://www.wikidata.org/entity/"
SEED_DESCRIPTORS = {
    "ministerie",
    "virtuele gemeenschap",
    "bewustmaking van de burgers",
    "betrekking tussen overheid en burger",
    "sociale media",
}
SEED_DESCRIPTORS_FR = {
    "ministère",
    "communauté virtuelle",
    "sensibilisation du public",
    "relation administration-administré",
    "médias sociaux",
}


def folder(tmp: Path, *sources: Path) -> Path:
    documents = tmp / "documents"
    documents.mkdir(exist_ok=True)
    for source in sources:
        for path in [source] if source.is_file() else sorted(source.glob("*.txt")):
            shutil.copy2(path, documents / path.name)
    return documents


def graph_of(out: Path) -> rdflib.Graph:
    with gzip.open(out / "graph.nt.gz", "rt", encoding="utf-8") as lines:
        return rdflib.Graph().parse(data=lines.read(), format="nt")


def concepts(graph: rdflib.Graph) -> dict[str, dict[str, set[str]]]:
    """Each concept's preferred labels per language."""
    found: dict[str, dict[str, set[str]]] = {}
    for concept in graph.subjects(rdflib.RDF.type, SKOS.Concept):
        labels: dict[str, set[str]] = {}
        for label in graph.objects(concept, SKOS.prefLabel):
            labels.setdefault(label.language, set()).add(str(label))
        found[str(concept)] = labels
    return found


@pytest.fixture(scope="module")
def seeds_and_samples(tmp_path_factory: pytest.TempPathFactory) -> rdflib.Graph:
    tmp = tmp_path_factory.mktemp("links")
    report = build([folder(tmp, SEEDS_DIR, *SAMPLES)], tmp / "out")
    assert not report.failed, report.failed
    return graph_of(tmp / "out")


def test_seeds_and_samples_give_five_bilingual_concepts(seeds_and_samples) -> None:
    found = concepts(seeds_and_samples)
    assert len(found) == 5
    assert {label for labels in found.values() for label in labels["nl"]} == SEED_DESCRIPTORS
    assert {label for labels in found.values() for label in labels["fr"]} == SEED_DESCRIPTORS_FR
    for labels in found.values():
        assert sorted(labels) == ["fr", "nl"] and all(len(one) == 1 for one in labels.values())
    ministerie = rdflib.URIRef(BASE + "id/concept/ministerie")
    assert found[str(ministerie)] == {"nl": {"ministerie"}, "fr": {"ministère"}}
    eurovoc = {str(concept): str(match) for concept, match in seeds_and_samples.subject_objects(SKOS.exactMatch)}
    assert eurovoc[str(ministerie)] == "http://eurovoc.europa.eu/5116"
    assert eurovoc[BASE + "id/concept/sociale-media"] == "http://eurovoc.europa.eu/c_324b44f1"
    assert set(eurovoc) == set(found)
    # every question of the seeds and samples is indexed with the same five concepts
    for question in (BASE + "id/question/5-8913", BASE + "id/question/5-8916", BASE + "id/question/5-8902"):
        assert {str(c) for c in seeds_and_samples.objects(rdflib.URIRef(question), DCT.subject)} == set(found)


def test_the_bilingual_document_alone_pairs_the_descriptors(tmp_path, no_descriptor_pairs) -> None:
    report = build([folder(tmp_path, SEEDS_DIR, *SAMPLES)], tmp_path / "out")
    assert not report.failed
    found = concepts(graph_of(tmp_path / "out"))
    assert len(found) == 5 and all(sorted(labels) == ["fr", "nl"] for labels in found.values())
    assert not report.unpaired


def test_a_descriptor_seen_in_dutch_only_stays_one_concept_with_one_label(tmp_path, no_descriptor_pairs) -> None:
    report = build([folder(tmp_path, SEEDS_DIR)], tmp_path / "out")
    assert not report.failed
    found = concepts(graph_of(tmp_path / "out"))
    assert len(found) == 5 and all(sorted(labels) == ["nl"] for labels in found.values())


def test_a_french_page_joins_the_dutch_concepts_through_the_reference_data(tmp_path) -> None:
    report = build([folder(tmp_path, SEEDS_DIR, DOCUMENTS / "web-fr-5-8914.txt")], tmp_path / "out")
    assert not report.failed and not report.unpaired
    found = concepts(graph_of(tmp_path / "out"))
    assert len(found) == 5
    assert found[BASE + "id/concept/virtuele-gemeenschap"] == {
        "nl": {"virtuele gemeenschap"},
        "fr": {"communauté virtuelle"},
    }


def test_a_french_descriptor_nothing_pairs_is_reported_and_kept_apart(tmp_path, no_descriptor_pairs) -> None:
    out = tmp_path / "out"
    report = build([folder(tmp_path, SEEDS_DIR, DOCUMENTS / "web-fr-5-8914.txt")], out)
    assert not report.failed
    assert dict(report.unpaired) == {"ministère": 1, "communauté virtuelle": 1, "sensibilisation du public": 1}
    assert "  unpaired descriptor (1): ministère" in report.summary().splitlines()
    listed = json.loads((out / "build.json").read_text(encoding="utf-8"))["unpaired_descriptors"]
    assert {entry["label"] for entry in listed} == {"ministère", "communauté virtuelle", "sensibilisation du public"}
    found = concepts(graph_of(out))
    assert found[BASE + "id/concept/ministere"] == {"fr": {"ministère"}}
    assert found[BASE + "id/concept/ministerie"] == {"nl": {"ministerie"}}


def test_an_incremental_build_gives_what_a_full_build_gives(tmp_path, no_descriptor_pairs) -> None:
    """Seeds first, then the samples added: the concepts gain their French labels, and the
    graph is byte-identical to one built from everything at once."""
    documents = folder(tmp_path, SEEDS_DIR)
    build([documents], tmp_path / "out")
    folder(tmp_path, *SAMPLES)
    report = build([documents], tmp_path / "out")
    assert report.reused > 0
    build([documents], tmp_path / "full")
    for name in ("graph.nt.gz", "graph.ttl"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    assert all(sorted(labels) == ["fr", "nl"] for labels in concepts(graph_of(tmp_path / "out")).values())


def wikidata_of(graph: rdflib.Graph, thing: str) -> set[str]:
    return {str(o) for o in graph.objects(rdflib.URIRef(BASE + thing), OWL_SAME_AS) if str(o).startswith(WIKIDATA)}


def test_ministers_addressed_and_their_parties_link_to_wikidata(seeds_and_samples) -> None:
    graph = seeds_and_samples
    # 5-8913: the state secretary for Environment, Energy and Mobility, Melchior Wathelet (born
    # 1977, not his father), 5-8916: Maggie De Block, 5-8902: Didier Reynders
    assert wikidata_of(graph, "id/person/melchior-wathelet") == {WIKIDATA + "Q212717"}
    assert wikidata_of(graph, "id/person/maggie-de-block") == {WIKIDATA + "Q2800268"}
    assert wikidata_of(graph, "id/person/didier-reynders") == {WIKIDATA + "Q978208"}
    assert wikidata_of(graph, "id/party/cdh") == {WIKIDATA + "Q840814"}
    assert wikidata_of(graph, "id/party/open-vld") == {WIKIDATA + "Q1160192"}
    assert wikidata_of(graph, "id/party/mr") == {WIKIDATA + "Q533384"}
    # each link names where it was read
    assert graph.value(rdflib.URIRef(BASE + "id/party/mr"), DCT.source) is not None


def test_the_addressees_resolve_to_the_linked_people(seeds_and_samples) -> None:
    """The links sit on the people the questions are addressed to, not on namesakes."""
    graph = seeds_and_samples
    holders = {
        str(person)
        for question in ("5-8913", "5-8916", "5-8902")
        for office in graph.objects(rdflib.URIRef(BASE + f"id/question/{question}"), None)
        if str(office).startswith(BASE + "id/office/")
        for person in graph.objects(office, rdflib.URIRef("http://www.w3.org/ns/org#heldBy"))
    }
    linked = {person for person in holders if wikidata_of(graph, person[len(BASE) :])}
    assert {BASE + "id/person/melchior-wathelet", BASE + "id/person/maggie-de-block"} <= linked
    assert BASE + "id/person/melchior-wathelet-1949" not in holders


def test_a_french_record_without_pairs_keeps_its_own_concept() -> None:
    from kg.parse import parse_text
    from kg.rdf.concepts import document_pairs, resolve, unpaired

    document = parse_text(BILINGUAL.read_bytes(), BILINGUAL.name)
    pairs = document_pairs(document.questions)
    assert pairs["medias-sociaux"] == "sociale media"
    french = next(record for record in document.questions if record.language == "fr")
    empty = descriptor_reference.Descriptors(())
    assert resolve("médias sociaux", "fr", pairs, empty).key == "sociale media"
    assert resolve("médias sociaux", "fr", {}, descriptor_reference.load_descriptors()).key == "sociale media"
    odd = replace(french, descriptors=("descripteur inconnu",))
    assert unpaired(odd, pairs, empty) == ["descripteur inconnu"]
    assert resolve("descripteur inconnu", "fr", pairs, empty).key == "descripteur inconnu"


def test_reference_files_refuse_a_link_without_source_or_a_bad_identifier(tmp_path) -> None:
    from kg.reference.links import LinksError, read_links

    links = tmp_path / "links.toml"
    links.write_text('[party.MR]\nwikidata = "Q533384"\n', encoding="utf-8")
    with pytest.raises(LinksError, match=r"links\.toml: party 'MR': a link needs its source"):
        read_links(links)
    links.write_text('[party.MR]\nwikidata = "533384"\nsource = "https://example.org/"\n', encoding="utf-8")
    with pytest.raises(LinksError, match="is not a Wikidata item"):
        read_links(links)
    pairs = tmp_path / "descriptors.toml"
    pairs.write_text('[[descriptor]]\nnl = "ministerie"\nfr = "ministère"\nsource = "https://x.org/"\neurovoc = "12"\n')
    with pytest.raises(descriptor_reference.DescriptorsError, match="descriptor 1: eurovoc without eurovoc_source"):
        descriptor_reference.read_descriptors(pairs)
    pairs.write_text('[[descriptor]]\nnl = "ministerie"\nfr = "ministère"\n')
    with pytest.raises(descriptor_reference.DescriptorsError, match="needs `source`"):
        descriptor_reference.read_descriptors(pairs)


def test_the_shipped_reference_links_load() -> None:
    from kg.reference.links import load_links

    links = load_links()
    assert links.parties["Open Vld"].wikidata == "Q1160192"
    assert all(link.source.startswith("https://") for link in links.parties.values())
    assert len(descriptor_reference.load_descriptors().pairs) >= 5


def test_kg_build_lists_unpaired_descriptors_and_refuses_a_bad_links_file(tmp_path) -> None:
    """Through the command line: the unpaired descriptors on stdout; a links file without a
    source stops the build before any document, with exit status 2 and the file named."""
    import subprocess
    import sys

    documents = folder(tmp_path, DOCUMENTS / "web-fr-5-8914.txt")
    empty = tmp_path / "reference"
    shutil.copytree(ROOT / "reference", empty)
    (empty / "descriptors.toml").write_text("", encoding="utf-8")
    env_code = (
        "import sys, kg.paths, kg.reference.descriptors as d, kg.reference.links as l;"
        f"d.DESCRIPTORS_FILE = kg.paths.Path({str(empty / 'descriptors.toml')!r});"
        f"l.LINKS_FILE = kg.paths.Path({str(empty / 'links.toml')!r});"
        "from kg.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    command = [sys.executable, "-c", env_code, "build", str(documents), "--out", str(tmp_path / "out"), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "  unpaired descriptor (1): ministère" in result.stdout.splitlines()
    (empty / "links.toml").write_text('[party.MR]\nwikidata = "Q533384"\n', encoding="utf-8")
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert f"{empty / 'links.toml'}: party 'MR': a link needs its source" in result.stderr
    assert "Traceback" not in result.stderr


def dutch_version_of_5_8914(folder_path: Path) -> Path:
    """The seed's Dutch page made into the Dutch version of 5-8914 (whose French page is in
    tests/documents), with that page's three descriptors, in the same order."""
    text = (SEEDS_DIR / "5-8913-nl.txt").read_text(encoding="utf-8")
    text = text.replace("5-8913", "5-8914").replace("betrekking tussen overheid en burger\nsociale media\n", "")
    target = folder_path / "5-8914-nl.txt"
    target.write_text(text, encoding="utf-8")
    return target


def test_the_dutch_version_of_a_question_pairs_its_french_page_into_one_concept_per_descriptor(
    tmp_path, no_descriptor_pairs
) -> None:
    """The French page of 5-8914 and its Dutch version, two documents, nothing in the reference
    data: each descriptor is one concept with both labels, and nothing is reported unpaired."""
    documents = folder(tmp_path, DOCUMENTS / "web-fr-5-8914.txt")
    dutch_version_of_5_8914(documents)
    out = tmp_path / "out"
    report = build([documents], out)
    assert not report.failed and not report.unpaired
    assert json.loads((out / "build.json").read_text(encoding="utf-8"))["unpaired_descriptors"] == []
    found = concepts(graph_of(out))
    assert found[BASE + "id/concept/ministerie"] == {"nl": {"ministerie"}, "fr": {"ministère"}}
    assert found[BASE + "id/concept/virtuele-gemeenschap"] == {
        "nl": {"virtuele gemeenschap"},
        "fr": {"communauté virtuelle"},
    }
    assert BASE + "id/concept/ministere" not in found
    assert all(sorted(labels) == ["fr", "nl"] for labels in found.values())
    question = rdflib.URIRef(BASE + "id/question/5-8914")
    subjects = {str(c) for c in graph_of(out).objects(question, DCT.subject)}
    assert BASE + "id/concept/ministerie" in subjects and BASE + "id/concept/ministere" not in subjects


def test_pairing_from_another_document_gives_the_same_bytes_incrementally_and_in_full(
    tmp_path, no_descriptor_pairs
) -> None:
    """The French page alone (unpaired), then its Dutch version added (paired), then removed
    again (unpaired): each incremental build writes the bytes a full build of the same documents
    writes."""
    documents = folder(tmp_path, DOCUMENTS / "web-fr-5-8914.txt")
    out = tmp_path / "out"
    first = build([documents], out)
    assert dict(first.unpaired) == {"ministère": 1, "communauté virtuelle": 1, "sensibilisation du public": 1}
    dutch = dutch_version_of_5_8914(documents)
    (documents / "unrelated.txt").write_bytes((SEEDS_DIR / "5-8916-nl.txt").read_bytes())
    paired = build([documents], out)
    assert paired.reused >= 1 and not paired.unpaired

    def full_build_equals_out(name: str) -> None:
        build([documents], tmp_path / name)
        for graph in ("graph.nt.gz", "graph.ttl"):
            assert (out / graph).read_bytes() == (tmp_path / name / graph).read_bytes(), graph

    full_build_equals_out("full-paired")
    dutch.unlink()
    unpaired_again = build([documents], out)
    assert dict(unpaired_again.unpaired) == dict(first.unpaired)
    full_build_equals_out("full-unpaired")
    assert concepts(graph_of(out))[BASE + "id/concept/ministere"] == {"fr": {"ministère"}}


def test_corpus_pairs_take_the_partner_most_versions_give_and_skip_unequal_lists() -> None:
    from kg.rdf.concepts import corpus_pairs

    versions = [
        ("5-1", "fr", ("ministère", "police")),
        ("5-1", "nl", ("ministerie", "politie")),
        ("5-2", "fr", ("ministère",)),
        ("5-2", "nl", ("ministerie",)),
        ("5-3", "fr", ("ministère",)),
        ("5-3", "nl", ("departement",)),
        ("5-4", "fr", ("santé", "police")),
        ("5-4", "nl", ("gezondheid",)),  # fewer descriptors: no pair from this question
    ]
    assert corpus_pairs(versions) == {"ministere": "ministerie", "police": "politie"}


def test_a_government_link_is_emitted_with_its_source_and_an_unknown_key_refused(tmp_path) -> None:
    """No government item is in the shipped file yet (no public source gave one); the mechanism
    is checked on a file made for the test."""
    from kg.rdf.links import link_lines
    from kg.reference.governments import load_governments
    from kg.reference.links import read_links
    from kg.uris import UriMinter

    links = tmp_path / "links.toml"
    links.write_text('[government.di-rupo]\nwikidata = "Q1"\nsource = "https://example.org/test"\n', encoding="utf-8")
    lines = set(link_lines(read_links(links), load_governments(), UriMinter()))
    government = f"<{BASE}id/government/di-rupo>"
    assert f"{government} <http://www.w3.org/2002/07/owl#sameAs> <{WIKIDATA}Q1> ." in lines
    assert f"{government} <http://purl.org/dc/terms/source> <https://example.org/test> ." in lines
    links.write_text('[government.nobody]\nwikidata = "Q1"\nsource = "https://example.org/test"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="government 'nobody' is not in reference/governments/"):
        set(link_lines(read_links(links), load_governments(), UriMinter()))
