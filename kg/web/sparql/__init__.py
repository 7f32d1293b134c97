"""The SPARQL 1.1 endpoint, one module a concern: `protocol` reads a request, `endpoint` routes it,
`pool` runs public queries in `worker` processes (closed to the network by `sandbox`), `results`
writes their answers, `cache` keeps them per store version, `page` is the query page and `service`
the service description. Query text is read by `kg.sparql_reader` alone."""
