"""supplywatch: who supply-chain news talks about, and what market shares it claims.

Importing the package has no side effects: no downloads, no logging set-up, no file reads or writes.
"""

from .corpus import Corpus, Document, LoadReport, Problem, clean_text, iter_corpus, load_corpus, parse_date
from .exceptions import (
    CorpusError,
    GazetteerError,
    LockError,
    ParameterError,
    RenderError,
    ResourceError,
    SupplywatchError,
)
from .pipeline import AnalysisResult, analyze_corpus, write_tables
from .render import RenderResult
from .render import render as render_reports
from .text import Sentence, split_sentences

__version__ = "0.1.0"

__all__ = [
    "AnalysisResult", "Corpus", "CorpusError", "Document", "GazetteerError", "LoadReport", "LockError",
    "ParameterError", "Problem", "RenderResult", "RenderError", "ResourceError", "Sentence", "SupplywatchError",
    "__version__", "analyze_corpus", "clean_text", "iter_corpus", "load_corpus", "parse_date", "render_reports",
    "split_sentences", "write_tables",
]
