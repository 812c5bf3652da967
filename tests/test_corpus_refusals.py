"""Issue 14 through the analysis and the command line: a corpus where no article loads is refused
with exit code 2 and nothing published, and ``corpus check`` shows the right status for each kind
of file an analyst has (with ``--field`` for other record shapes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from supplywatch.analysis.pipeline import analyze_corpus
from supplywatch.exceptions import CorpusError

from conftest import write


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "supplywatch", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def _nothing_loads(root: Path) -> Path:
    write(root / "scan.pdfx", "not an article format")
    write(root / "prices.csv", "a;b\n1;2\n")  # no text column
    write(root / "photo.txt", b"\x89PNG\r\n\x1a\n" + b"IHDR" * 10)
    return root


# ---------------------------------------------------------------- nothing loads


def test_analysis_of_a_corpus_where_nothing_loads_is_refused_with_the_reasons(tmp_path):
    root = _nothing_loads(tmp_path / "c")
    with pytest.raises(CorpusError) as info:
        analyze_corpus(root, cache=False)
    message = str(info.value)
    assert "no article loaded" in message and "3 file(s) found" in message
    assert "prices.csv" in message and "no text column" in message and "PNG image" in message
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="holds no files"):
        analyze_corpus(tmp_path / "empty", cache=False)


def test_cli_analyze_and_check_exit_2_and_write_nothing(tmp_path):
    root = _nothing_loads(tmp_path / "c")
    out = tmp_path / "out"
    proc = run("analyze", str(root), "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("supplywatch: error: no article loaded") and "Traceback" not in proc.stderr
    assert not out.exists()
    check = run("corpus", "check", str(root))
    assert check.returncode == 2 and "Traceback" not in check.stderr
    assert "0 article(s) loaded from 3 file(s)" in check.stdout


@pytest.mark.slow
def test_render_of_a_corpus_where_nothing_loads_publishes_nothing(tmp_path):
    root = _nothing_loads(tmp_path / "c")
    out = tmp_path / "reports"
    proc = run("render", str(root), "--out", str(out))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "no article loaded" in proc.stderr and "nothing was published" in proc.stderr
    assert not list(out.glob("*/run.json")) and not (out / "index.html").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


# ---------------------------------------------------------------- corpus check, one line per kind


def test_corpus_check_shows_the_right_status_for_each_kind(tmp_path):
    root = tmp_path / "c"
    write(root / "excel.csv", "title;text\r\nA;China mined gallium.\r\n".encode("utf-8-sig"))
    write(root / "broken.csv", 'text\n"India said\nJapan sold gallium.\n')
    write(root / "newsapi.json", json.dumps({"status": "ok", "totalResults": 1, "articles": [
        {"source": {"id": None, "name": "Reuters"}, "title": "T", "publishedAt": "2025-06-12T10:00:00Z",
         "content": "China curbed gallium… [+120 chars]"}]}))
    write(root / "odd.json", json.dumps([{"words": "x", "when": "2025-06-12"}, {"words": "y"}]))
    write(root / "wire.rss", "<rss version='2.0'><channel><title>W</title><item><title>T</title>"
                             "<description>Korea bought gallium.</description></item></channel></rss>")
    write(root / "sitemap.xml", "<?xml version='1.0'?><urlset><url><loc>x</loc></url></urlset>")
    write(root / "scan.txt", b"%PDF-1.4\n%comment\n1 0 obj\n")
    write(root / "undecided.csv", "text,date\nBrazil said.,06/11/2025\n")
    write(root / "export.txt", "1 of 1 DOCUMENTS\n\n   The Times\n\n   June 12, 2025 Thursday\n\nGallium\n\n"
                               "LENGTH: 3 words\n\nChina mined it.\n\nLOAD-DATE: June 13, 2025\n")
    proc = run("corpus", "check", str(root))
    assert proc.returncode == 0, proc.stderr
    lines = {line.split()[1]: line for line in proc.stdout.splitlines() if len(line.split()) > 1
             and not line[0].isdigit()}
    expect = {
        "excel.csv": ("ok", "delimiter semicolon"),
        "broken.csv": ("partial", "line 2: a quote opened"),
        "newsapi.json": ("warning", "truncated"),
        "odd.json": ("error", "no record has a text field"),
        "wire.rss": ("warning", "description"),
        "sitemap.xml": ("skipped", "not an RSS or Atom feed"),
        "scan.txt": ("error", "PDF document"),
        "undecided.csv": ("warning", "day-first or month-first"),
        "export.txt": ("ok", "lexisnexis export: 1 article"),
    }
    for name, (status, words) in expect.items():
        assert lines[name].split()[0] == status, lines[name]
        assert words in lines[name], lines[name]
    mapped = run("corpus", "check", str(root / "odd.json"), "--field", "text=words")
    assert mapped.returncode == 0 and "2 article(s) loaded" in mapped.stdout, mapped.stdout + mapped.stderr
    bad = run("corpus", "check", str(root), "--field", "txt=words")
    assert bad.returncode == 2 and "unknown article field 'txt'" in bad.stderr


# ---------------------------------------------------------------- field mappings


def test_a_field_mapping_is_part_of_the_cache_key_and_a_bad_one_stops_render_before_it_runs(tmp_path):
    from supplywatch.analysis.cache import resources_key

    assert resources_key(None, {"text": "words"}) != resources_key(None)
    assert resources_key(None, {"text": "words"}) != resources_key(None, {"text": "story"})
    out = tmp_path / "reports"
    proc = run("render", str(tmp_path), "--out", str(out), "--field", "txt=words")
    assert proc.returncode == 2 and "unknown article field 'txt'" in proc.stderr
    assert not out.exists()


def test_analyze_reads_mapped_fields(tmp_path):
    write(tmp_path / "c" / "odd.jsonl", json.dumps({"words": "China mined gallium.", "when": "12/06/2025"}) + "\n")
    out = tmp_path / "out"
    proc = run("analyze", str(tmp_path / "c"), "--out", str(out), "--field", "text=words", "--field", "date=when",
               "--no-cache")
    assert proc.returncode == 0, proc.stderr
    documents = (out / "documents.csv").read_text(encoding="utf-8")
    assert "odd/1" in documents and "2025-06-12" in documents
