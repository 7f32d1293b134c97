"""What a real RDFa reader (pyRdfa, the W3C's RDFa 1.1 distiller) reads from a page: the test of
whether an HTML page states the same triples as the RDF document of its resource."""

from __future__ import annotations

from io import StringIO

import rdflib
from pyRdfa import pyRdfa


def rdfa_graph(html: str, url: str) -> rdflib.Graph:
    """The triples `html`, served at `url`, carries as RDFa 1.1 (HTML5 host language)."""
    graph = pyRdfa(media_type="text/html", base=url).graph_from_source(StringIO(html), rdfOutput=True)
    # pyRdfa states processing problems as triples in a graph of their own, never in this one;
    # an empty graph from a page that has facts is caught by the comparisons.
    return graph


def same_triples(html_graph: rdflib.Graph, rdf_graph: rdflib.Graph) -> tuple[set, set]:
    """(missing from the page, extra on the page), blank nodes matched by graph isomorphism."""
    from rdflib.compare import graph_diff, to_isomorphic

    _, missing, extra = graph_diff(to_isomorphic(rdf_graph), to_isomorphic(html_graph))
    return set(missing), set(extra)
