"""Where the project's own files live: ontology, example queries, reference data, seeds.

kg is installed editable from its source tree (see README), so these are found beside the package.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
REFERENCE_DIR = ROOT / "reference"  # government compositions, agency gazetteer, extraction patterns
SEEDS_DIR = ROOT / "seeds"
