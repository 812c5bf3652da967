"""The command line, run as users run it: a real subprocess of the installed console script."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from supplywatch.config import SEEDS_DIR


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "supplywatch", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_analyze_seed_writes_documents_csv(tmp_path):
    out = tmp_path / "OUT"
    proc = run("analyze", str(SEEDS_DIR), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader((out / "documents.csv").open(encoding="utf-8")))
    assert len(rows) == 1
    row = rows[0]
    assert row["doc_id"] == "000_1104217bbaa1ffe6"
    assert row["date"] == "2025-06-12"
    assert "Telegraph" in row["source"]
    assert "text" not in row
    assert set(row) >= {"doc_id", "path", "date", "title", "source", "url", "sha256", "n_chars", "problems"}


def test_analyze_defaults_to_the_seeds(tmp_path):
    proc = run("analyze", "--out", "o", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "000_1104217bbaa1ffe6" in (tmp_path / "o" / "documents.csv").read_text()


def test_corpus_check_names_every_bad_file_and_strict_fails(hostile_corpus):
    proc = run("corpus", "check", str(hostile_corpus))
    assert proc.returncode == 0, proc.stderr
    lines = {line.split()[1]: line for line in proc.stdout.splitlines() if len(line.split()) > 1 and not line[0].isdigit()}
    for name, words in {
        "good.txt": "ok", "latin1.txt": "not valid UTF-8", "empty.txt": "empty file", "binary.txt": "binary",
        "feed.jsonl": "line 2: malformed JSON", "rows.csv": "line 3: malformed CSV row",
        "baddate.txt": "unparseable date", "notes.docx": "not a readable Word document",
        "sub/copy.txt": "duplicate", "gone.txt": "unreadable",
    }.items():
        assert name in lines, f"{name} missing from:\n{proc.stdout}"
        assert words in lines[name], lines[name]
    assert "6 article(s) loaded" in proc.stdout
    strict = run("corpus", "check", str(hostile_corpus), "--strict")
    assert strict.returncode == 1


def test_analyze_strict_exit_code(hostile_corpus, tmp_path):
    assert run("analyze", str(hostile_corpus), "--out", str(tmp_path / "a")).returncode == 0
    assert run("analyze", str(hostile_corpus), "--out", str(tmp_path / "b"), "--strict").returncode == 1


def test_missing_corpus_is_a_message_not_a_traceback(tmp_path):
    proc = run("analyze", str(tmp_path / "missing"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr and "Traceback" not in proc.stderr


def test_help_on_every_command():
    for args in (["--help"], ["analyze", "--help"], ["corpus", "--help"], ["corpus", "check", "--help"]):
        proc = run(*args)
        assert proc.returncode == 0 and "usage: supplywatch" in proc.stdout


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("supplywatch")
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "analyze" in proc.stdout
