"""`kg build` over the documents as they come: real print versions that stop early, documents cut
inside their header, and web pages saved as HTML, side by side with the seeds. The summary and
build.json count each kind, the graph says which documents stop early, and it conforms."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_build import BASE, run_command
from test_parse_html import TEXT, saved_page

from kg.paths import SEEDS_DIR
from kg.validate import validate_file

DOCUMENTS = Path(__file__).parent / "documents"
SAMPLES = ("sample-print-nl-5-8902.txt", "sample-bilingual-5-8916.txt")
CUT_IN_HEADER = "Schriftelijke vraag nr. 5-9001\n\nvan Iemand (Partij) d.d. 3 mei 2013\n\naan de minister van Just"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    folder = tmp_path_factory.mktemp("in")
    shutil.copy(SEEDS_DIR / "5-8916-nl.txt", folder)
    for name in SAMPLES:
        shutil.copy(DOCUMENTS / name, folder)
    (folder / "5-8913-nl.html").write_bytes(saved_page(TEXT, "windows-1252"))
    (folder / "cut-in-header.txt").write_text(CUT_IN_HEADER, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    result = run_command("build", str(folder), "--out", str(out), "--quiet")
    assert result.returncode == 1, result.stderr  # one document failed
    return out, result.stdout, result.stderr


def test_summary_counts_documents_that_stop_early(built: tuple[Path, str, str]) -> None:
    _, stdout, stderr = built
    assert "converted 4, failed 1; stopping early: 2 converted incomplete, 1 failed in its header" in stdout
    assert "cut-in-header.txt:5: expected the addressee line 'aan ...', found 'aan de minister van Just'" not in stderr
    errors = [line for line in stderr.splitlines() if "cut-in-header.txt" in line]
    assert len(errors) == 1 and errors[0].endswith("(the document stops inside its header)")
    warnings = sorted(line for line in stderr.splitlines() if line.startswith("kg build: warning: "))
    assert [line.split(": ")[2].rsplit("/", 1)[-1] for line in warnings] == [
        "sample-bilingual-5-8916.txt:54",
        "sample-print-nl-5-8902.txt:50",
    ]


def test_build_json_lists_the_warnings(built: tuple[Path, str, str]) -> None:
    info = json.loads((built[0] / "build.json").read_text(encoding="utf-8"))
    assert (info["converted"], info["failed"], info["incomplete"], info["stopped_in_header"]) == (4, 1, 2, 1)
    assert sorted(Path(w["path"]).name for w in info["warnings"]) == sorted(SAMPLES)
    assert all("the document stops early" in w["message"] for w in info["warnings"])


def test_graph_says_which_documents_stop_early(built: tuple[Path, str, str]) -> None:
    store = ox.Store()
    store.load(path=str(built[0] / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    rows = store.query("""PREFIX kg: <https://w3id.org/written-questions/kg#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?id ?path ?flag { ?q prov:wasDerivedFrom ?d ; <http://purl.org/dc/terms/identifier> ?id .
                                  ?d kg:path ?path OPTIONAL { ?d kg:incomplete ?flag } }""")
    found = sorted(
        (row["id"].value, Path(row["path"].value).name, row["flag"].value if row["flag"] else None) for row in rows
    )
    assert found == [
        ("5-8902", "sample-print-nl-5-8902.txt", "true"),
        ("5-8913", "5-8913-nl.html", None),
        ("5-8916", "5-8916-nl.txt", None),
        ("5-8916", "sample-bilingual-5-8916.txt", "true"),
    ]
    # the French block's Dutch chronology labels keep their language
    labels = {
        (row["label"].value, row["label"].language)
        for row in store.query(
            f"""PREFIX kg: <https://w3id.org/written-questions/kg#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label {{ <{BASE}id/question/5-8916> kg:event/rdfs:label ?label }}"""
        )
    }
    assert ("Verzending vraag", "fr") not in labels and ("Verzending vraag", "nl") in labels


def test_graph_with_documents_that_stop_early_conforms(built: tuple[Path, str, str]) -> None:
    result = validate_file(built[0] / "graph.ttl")
    assert result.conforms, str(result)


def test_an_incremental_build_counts_them_again(tmp_path: Path) -> None:
    from kg.build.pipeline import build

    folder = tmp_path / "in"
    folder.mkdir()
    for name in SAMPLES:
        shutil.copy(DOCUMENTS / name, folder)
    (folder / "cut-in-header.txt").write_text(CUT_IN_HEADER, encoding="utf-8")
    first = build([folder], tmp_path / "out")
    info = (tmp_path / "out" / "build.json").read_bytes()
    second = build([folder], tmp_path / "out")  # nothing changed: every document from the cache
    assert second.reused == 3
    assert (
        (len(second.incomplete), second.stopped_in_header) == (len(first.incomplete), first.stopped_in_header) == (2, 1)
    )
    assert second.incomplete == first.incomplete
    assert (tmp_path / "out" / "build.json").read_bytes() == info


def test_a_question_cut_before_its_answer_is_not_listed_as_unanswered(built: tuple[Path, str, str]) -> None:
    from kg.paths import QUERIES_DIR
    from kg.rdf.vocab import prefixes
    from kg.uris import UriMinter

    store = ox.Store()
    store.load(path=str(built[0] / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    query = (QUERIES_DIR / "unanswered-questions.rq").read_text(encoding="utf-8")
    assert list(store.query(query, prefixes=prefixes(UriMinter(BASE).ns_iri))) == []
    # without its chronology's answer and with a whole source, it would be listed
    store.update(f"""DELETE WHERE {{ <{BASE}id/question/5-8902> <https://w3id.org/written-questions/kg#event> ?e }} ;
                     DELETE WHERE {{ ?d <https://w3id.org/written-questions/kg#incomplete> ?flag }}""")
    rows = list(store.query(query, prefixes=prefixes(UriMinter(BASE).ns_iri)))
    assert [row["question"].value for row in rows] == [f"{BASE}id/question/5-8902"]
