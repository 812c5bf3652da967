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
def seed_file() -> Path:
    return SEED_FILE


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed article's cleaned text, through the real loader."""
    from supplywatch.corpus import load_corpus

    return load_corpus(SEED_FILE).documents.iloc[0]["text"]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium, or skip with a reason."""
    if not CHROMIUM:
        pytest.skip("chromium not installed (apt-get install -y chromium; .ci/run does this in CI)")
    return CHROMIUM
