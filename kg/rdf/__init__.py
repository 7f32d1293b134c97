"""Records -> RDF triples. Nothing here parses text or speaks HTTP."""
