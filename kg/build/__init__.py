"""The build: documents in, graph files out (`graph.ttl`, `graph.nt.gz`, `ontology.ttl`,
`build.json`), fast and incremental. `pipeline` runs it (`build()`); `pieces` cuts the sorted graph
into pieces an incremental build rewrites alone; `lines` and the C loops (`_native.c`, switched
by `native`) move the lines in blocks of bytes."""
