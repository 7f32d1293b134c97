"""Full-text search over the questions, in Dutch and French.

The build hands every record it converts to `kg.search.notes` (in its worker processes), and at
its end `kg.search.writer` turns what was noted into a Tantivy index beside the graph files,
swapped in atomically. The web layer only reads it, through `kg.search.reader`; user queries are
parsed by `kg.search.query` and turned into engine queries term by term, never as text.
"""
