"""supplywatch: who supply-chain news talks about, and what market shares it claims.

Importing the package has no side effects: no downloads, no logging set-up, no file reads or writes.
"""

from supplywatch.analysis.pipeline import analyze_corpus, write_tables
from supplywatch.analysis.result import AnalysisResult
from supplywatch.config import VERSION
from supplywatch.corpus.cleaning import clean_text, parse_date
from supplywatch.corpus.loader import iter_corpus, load_corpus
from supplywatch.corpus.model import Corpus, Document, LoadReport, Problem
from supplywatch.exceptions import (
    CorpusError,
    GazetteerError,
    LockError,
    ParameterError,
    RenderError,
    ResourceError,
    SupplywatchError,
)
from supplywatch.reports.render import RenderResult
from supplywatch.reports.render import render as render_reports
from supplywatch.text.sentences import Sentence, split_sentences

__version__ = VERSION

__all__ = [
    "AnalysisResult", "Corpus", "CorpusError", "Document", "GazetteerError", "LoadReport", "LockError",
    "ParameterError", "Problem", "RenderResult", "RenderError", "ResourceError", "Sentence", "SupplywatchError",
    "__version__", "analyze_corpus", "clean_text", "iter_corpus", "load_corpus", "parse_date", "render_reports",
    "split_sentences", "write_tables",
]
