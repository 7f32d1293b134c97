"""The web layer: SPARQL endpoint, linked-data documents, HTML pages, dumps. It reads the store;
it never parses documents."""
