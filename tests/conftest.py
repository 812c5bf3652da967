"""Shared fixtures. Tests that need the public corpora skip with a reason where ../shared is absent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from supplywatch.config import PROJECT_ROOT, SEEDS_DIR

SHARED_CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
SEED_FILE = SEEDS_DIR / "000_1104217bbaa1ffe6.txt"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The public corpora beside the project (../shared/corpora), or skip with a reason."""
    if not SHARED_CORPORA.is_dir():
        pytest.skip(f"public corpora not found at {SHARED_CORPORA} (a user's own checkout); CI has them")
    return SHARED_CORPORA


@pytest.fixture(scope="session")
def reuters_docs(shared_corpora: Path) -> list:
    """The 925 articles of one real Reuters-21578 file (reut2-000.sgm), as Documents."""
    from supplywatch.corpus.reuters import iter_reuters

    return list(iter_reuters(shared_corpora / "reuters21578" / "reut2-000.sgm"))


@pytest.fixture(scope="session")
def seed_file() -> Path:
    return SEED_FILE


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed article's cleaned text, through the real loader."""
    from supplywatch.corpus.loader import load_corpus

    return load_corpus(SEED_FILE).documents.iloc[0]["text"]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium, or skip with a reason."""
    if not CHROMIUM:
        pytest.skip("chromium not installed (apt-get install -y chromium; .ci/run does this in CI)")
    return CHROMIUM


GOOD = "date 2025-06-12 China said it would talk to India.\n\nADVERTISEMENT\n\nThe talks begin on Monday.\n"


def write(path: Path, data: str | bytes) -> Path:
    """Write a fixture file (text as UTF-8, or raw bytes), creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.fixture()
def hostile_corpus(tmp_path: Path) -> Path:
    """One good article and one file of every kind of bad input the loader must survive."""
    root = tmp_path / "corpus"
    write(root / "good.txt", GOOD)
    write(root / "latin1.txt", "Caf\xe9 owners in Z\xfcrich bought rare earth magnets.".encode("latin-1"))
    write(root / "empty.txt", "   \n")
    write(root / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" + bytes(range(256)))
    write(root / "feed.jsonl", '{"text": "Gallium exports halted."}\n{"text": broken\n{"text": "Germanium too."}\n')
    write(root / "rows.csv", "text,date\n\"Antimony prices doubled.\",2024-01-01\n\"too\",\"many\",\"fields\"\n")
    write(root / "baddate.txt", "date: someday soon\n\nTungsten supply is tight.\n")
    write(root / "notes.docx", b"PK\x03\x04 not really a document")
    write(root / "sub" / "copy.txt", GOOD)  # exact duplicate of good.txt
    (root / "gone.txt").symlink_to(root / "does-not-exist.txt")  # unreadable
    return root
