"""Paths and settings, all built from the package's own location.

Nothing here reads or writes files; importing this module has no side effects.
Set ``SUPPLYWATCH_HOME`` to point the defaults at another project checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The package version (also ``supplywatch.__version__``).
VERSION = "0.1.0"
#: The installed package's own folder (its source files are hashed into cache keys and provenance).
PACKAGE_DIR = Path(__file__).resolve().parent
#: The project checkout (the folder holding ``src/``, ``data/``, ``seeds/``).
PROJECT_ROOT = Path(os.environ.get("SUPPLYWATCH_HOME", Path(__file__).resolve().parents[2]))
#: The project's own resources: gazetteer, lexicons, stop words, reference figures.
DATA_DIR = PROJECT_ROOT / "data"
#: The bundled seed corpus; every command defaults to it.
SEEDS_DIR = PROJECT_ROOT / "seeds"
#: Rendered output (git-ignored).
REPORTS_DIR = PROJECT_ROOT / "reports"
#: Parameterised notebooks that ``supplywatch render`` runs.
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
#: Analysis cache (git-ignored).
CACHE_DIR = DATA_DIR / "cache"

#: Resource files inside DATA_DIR.
GAZETTEER_FILE = DATA_DIR / "actors.yaml"
STOPWORDS_FILE = DATA_DIR / "stopwords_en.txt"
TOPICS_FILE = DATA_DIR / "topics.yaml"
CONTEXT_CUES_FILE = DATA_DIR / "context_cues.yaml"
REFERENCE_FILE = DATA_DIR / "reference_shares.csv"

#: File extensions the corpus loader reads.
TEXT_EXTENSIONS = (".txt", ".md")
JSON_EXTENSIONS = (".jsonl", ".json")
CSV_EXTENSIONS = (".csv", ".tsv")
HTML_EXTENSIONS = (".html", ".htm")
FEED_EXTENSIONS = (".rss", ".atom", ".xml")
#: Word and RTF files: one article, or a LexisNexis / Nexis Uni / Factiva export of many.
OFFICE_EXTENSIONS = (".docx", ".rtf")
SUPPORTED_EXTENSIONS = (TEXT_EXTENSIONS + JSON_EXTENSIONS + CSV_EXTENSIONS + HTML_EXTENSIONS + FEED_EXTENSIONS
                        + OFFICE_EXTENSIONS)

#: Fallback encoding for text that is not valid UTF-8 (declared in every warning).
FALLBACK_ENCODING = "cp1252"
