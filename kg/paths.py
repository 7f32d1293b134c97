"""Where kg's own files live: ontology, example queries, reference data, seed documents.

In the source tree they are the folders at its top (`ontology/`, `queries/`, `reference/`,
`seeds/`); an installed kg carries a copy of them as `kg/data/` (setup.py puts it there), so it
runs from any folder with no checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_INSTALLED = PACKAGE / "data"
DATA_ROOT = _INSTALLED if _INSTALLED.is_dir() else PACKAGE.parent

ONTOLOGY_DIR = DATA_ROOT / "ontology"
QUERIES_DIR = DATA_ROOT / "queries"
REFERENCE_DIR = DATA_ROOT / "reference"  # government compositions, agency gazetteer, extraction patterns
SEEDS_DIR = DATA_ROOT / "seeds"
