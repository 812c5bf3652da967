"""supplywatch fetch against a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from supplywatch.corpus.fetch import FetchError, FetchState, fetch
from supplywatch.corpus.http import FetchOptions

PARAGRAPH = ("China produced about 70 % of the world's mined rare earths in 2024, the geological survey "
             "said, while Australia's Lynas expanded its Malaysian refinery. ")


def _page(title: str, body_marker: str, *, date: str = "2026-11-28", site: str = "Mining Wire") -> bytes:
    paras = "".join(f"<p>{PARAGRAPH}Paragraph {i} of {title}.</p>" for i in range(6))
    return (f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{date}T08:00:00Z">
<script>document.body.setAttribute('data-ran', '1')</script></head>
<body><nav>Home | World | Markets</nav><article><h1>{title}</h1>{paras}<p>{body_marker}</p></article>
<footer>Copyright</footer></body></html>""").encode("utf-8")


class Site:
    """The loopback server's content and request log."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.extra_items: list[str] = []
        self.slow_seconds = 3.0
        self.feed_status = 200

    def feed(self, base: str) -> bytes:
        links = [("Rare earth output rises", f"{base}/news/a1", "Summary one."),
                 ("Magnet plant opens", f"{base}/news/a2", "Summary two."),
                 ("Gone story", f"{base}/news/missing", "Feed text of the gone story about Chinese rare earths."),
                 ("Slow story", f"{base}/news/slow", ""),
                 ("Moved story", f"{base}/old/a3", "Summary three."),
                 ("Sneaky redirect", f"{base}/news/to-file", "Summary four."),
                 ("Private story", f"{base}/private/p1", "Feed text of the private story: India's quota."),
                 ("Huge story", f"{base}/news/big", "Summary big."),
                 ("Local file", "file:///etc/passwd", "Summary file."),
                 ("Script link", "javascript:alert(1)", "Summary js.")]
        links += [(f"Extra {u}", f"{base}{u}", "Extra summary.") for u in self.extra_items]
        items = "".join(f"<item><title>{t}</title><link>{link}</link><description>{d}</description>"
                        f"<pubDate>Fri, 27 Nov 2026 10:00:00 GMT</pubDate></item>" for t, link, d in links)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire feed</title>'
                f"<link>{base}/</link>{items}</channel></rss>").encode("utf-8")


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self):  # noqa: N802 - http.server API
            site.hits.append(self.path)
            base = f"http://{self.headers['Host']}"
            path = self.path
            if path == "/robots.txt":
                return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            if path == "/feed.xml":
                if site.feed_status != 200:
                    return self._send(site.feed_status, b"down")
                return self._send(200, site.feed(base), "application/rss+xml")
            if path in ("/news/a1", "/news/a2", "/news/a3") or path.startswith("/news/extra"):
                name = path.rsplit("/", 1)[1]
                return self._send(200, _page(f"Story {name}", f"Full text marker {name}."))
            if path == "/old/a3":
                return self._send(301, location=f"{base}/news/a3")
            if path == "/news/to-file":
                return self._send(302, location="file:///etc/passwd")
            if path == "/news/slow":
                time.sleep(site.slow_seconds)
                return self._send(200, _page("Slow", "Full text marker slow."))
            if path == "/news/big":
                return self._send(200, _page("Big", "Full text marker big.") + b"<!--" + b"x" * 300_000 + b"-->")
            if path.startswith("/private/"):
                return self._send(200, _page("Private", "Full text marker private."))
            return self._send(404, b"<html><body>not found</body></html>")

    return Handler


@pytest.fixture
def no_internet(monkeypatch):
    """Connections anywhere but 127.0.0.1 fail the test."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "localhost"), f"test tried to reach {address}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@pytest.fixture
def server(no_internet):
    site = Site()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    site.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield site
    httpd.shutdown()
    httpd.server_close()


FAST = FetchOptions(timeout=0.5, retries=1, backoff=0.0, delay=0.0, max_bytes=200_000, max_seconds=5.0)
DAY1 = datetime(2026, 11, 30, 6, 0, tzinfo=timezone.utc)
DAY2 = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)


def _records(out: Path) -> list[dict]:
    return [json.loads(line) for f in sorted(out.glob("fetched-*.jsonl")) for line in f.read_text().splitlines()]


def test_fetch_twice_gives_each_article_once_with_full_text(server, tmp_path):
    out = tmp_path / "corpus"
    first = fetch([f"{server.base}/feed.xml"], out, options=FAST, now=DAY1)
    records = _records(out)
    by_url = {r["url"]: r for r in records}
    a1 = by_url[f"{server.base}/news/a1"]
    assert "Full text marker a1." in a1["text"] and a1["text"].count("Paragraph") == 6
    assert (a1["title"], a1["date"], a1["source"], a1["text_from"]) == ("Story a1", "2026-11-28", "Mining Wire", "page")
    assert a1["feed"] == f"{server.base}/feed.xml" and a1["fetched_at"] == "2026-11-30T06:00:00Z"
    assert "document.body" not in a1["text"] and "Home | World" not in a1["text"]
    # the redirect is followed (http -> http) and the record names where the text came from
    assert "Full text marker a3." in by_url[f"{server.base}/news/a3"]["text"]
    # 404 and robots.txt-disallowed pages: the feed's own text, flagged
    gone = by_url[f"{server.base}/news/missing"]
    assert gone["text_from"] == "feed" and "HTTP 404" in gone["fetch_note"] and "gone story" in gone["text"]
    private = by_url[f"{server.base}/private/p1"]
    assert private["text_from"] == "feed" and "robots.txt" in private["fetch_note"]
    assert "/private/p1" not in server.hits  # never requested
    # the oversized page is cut and flagged
    big = by_url[f"{server.base}/news/big"]
    assert big["truncated"] is True and "size limit" in big["fetch_note"] and "Full text marker big." in big["text"]
    # refused: a file: link and a redirect to file:, never followed
    refused = {o.url: o.reason for o in first.refused}
    assert any(u.startswith("file:") for u in refused) and "javascript:alert(1)" in refused
    assert "redirected to 'file:///etc/passwd'" in refused[f"{server.base}/news/to-file"]
    # the slow page failed without costing the rest
    assert [o.url for o in first.failed] == [f"{server.base}/news/slow"]
    assert "timed out" in first.failed[0].reason
    assert first.count("added") == 6 and len(records) == 6

    server.extra_items = ["/news/extra1"]
    second = fetch([f"{server.base}/feed.xml"], out, options=FAST, now=DAY2)
    records = _records(out)
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls)) == 7
    assert [o.url for o in second.added] == [f"{server.base}/news/extra1"]
    assert second.count("skipped") == 6
    assert (out / "fetched-2026-12-01.jsonl").read_text().count("\n") == 1
    assert server.hits.count("/news/slow") >= 2 * 2  # retried on the next run (1 retry each run)
    state = FetchState(out)
    assert list(state.failed) == [f"{server.base}/news/slow"] and state.failed[f"{server.base}/news/slow"]["attempts"] == 2


def test_failed_page_is_fetched_on_the_next_run(server, tmp_path):
    out = tmp_path / "c"
    fetch([f"{server.base}/feed.xml"], out, options=FAST, now=DAY1)
    server.slow_seconds = 0.0
    report = fetch([f"{server.base}/feed.xml"], out, options=FAST, now=DAY2)
    assert [o.url for o in report.added] == [f"{server.base}/news/slow"]
    assert not FetchState(out).failed


def test_url_list_and_saved_feed(server, tmp_path):
    out = tmp_path / "c"
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# my sources\n{server.base}/news/a2\n\n{server.base}/feed.xml\nftp://example.org/x\n")
    saved = tmp_path / "saved.xml"
    saved.write_bytes(server.feed(server.base))
    report = fetch([str(listing), str(saved)], out, options=FAST, now=DAY1)
    urls = [r["url"] for r in _records(out)]
    assert len(urls) == len(set(urls)) == 6
    assert server.hits.count("/news/a2") == 1  # listed and in the feed: fetched once
    assert "ftp://example.org/x" in {o.url for o in report.refused}


def test_loader_reads_the_fetched_corpus(server, tmp_path):
    from supplywatch.corpus import load_corpus

    out = tmp_path / "c"
    fetch([f"{server.base}/feed.xml"], out, options=FAST, now=DAY1)
    corpus = load_corpus(out)
    assert corpus.report.ok, corpus.report.problems
    docs = corpus.documents
    assert len(docs) == 6 and set(docs["date"]) >= {"2026-11-28"}
    assert set(docs["meta_text_from"]) == {"page", "feed"}


def test_half_written_line_is_repaired(server, tmp_path):
    out = tmp_path / "c"
    fetch([f"{server.base}/feed.xml"], out, options=FAST, now=DAY1)
    day = out / "fetched-2026-11-30.jsonl"
    good = day.read_text()
    day.write_text(good + '{"id": "x", "url": "http://127.0.0.1/cut", "te')
    report = fetch([f"{server.base}/feed.xml"], out, options=FAST, now=DAY1)
    assert report.repaired and day.read_text() == good
    assert report.count("added") == 0


def test_missing_source_and_bad_scheme_stop_before_anything(tmp_path):
    with pytest.raises(FetchError, match="neither an http"):
        fetch([str(tmp_path / "nope.txt")], tmp_path / "c")
    with pytest.raises(FetchError, match="scheme file:"):
        fetch(["file:///etc/passwd"], tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_unreachable_feed_is_listed(server, tmp_path):
    server.feed_status = 503
    report = fetch([f"{server.base}/feed.xml"], tmp_path / "c", options=FAST, now=DAY1)
    assert report.source_errors and "HTTP 503" in report.source_errors[0]
    assert not report.outcomes


def test_cli_exit_codes(server, tmp_path, capsys):
    from supplywatch.cli import main

    out = tmp_path / "c"
    fast = ["--timeout", "0.5", "--retries", "0", "--delay", "0"]
    assert main(["fetch", f"{server.base}/feed.xml", "--out", str(out), *fast]) == 0
    captured = capsys.readouterr()
    assert "6 article(s) added" in captured.out and "failed (retried next run)" in captured.err
    assert "refused: javascript:alert(1)" in captured.err
    assert main(["fetch", f"{server.base}/feed.xml", "--out", str(out), "--strict", *fast]) == 1
    server.feed_status = 503
    assert main(["fetch", f"{server.base}/feed.xml", "--out", str(out), *fast]) == 1
    assert "source unreadable" in capsys.readouterr().err
    assert main(["fetch", str(tmp_path / "missing.txt"), "--out", str(out)]) == 2
    assert "supplywatch: error: source" in capsys.readouterr().err


def test_a_page_that_breaks_the_extractor_costs_only_itself(server, tmp_path, monkeypatch):
    from supplywatch.corpus import fetch as fetch_mod

    real = fetch_mod.extract_page

    def fragile(body, **kwargs):
        if b"Story a2" in body:
            raise RecursionError("maximum recursion depth exceeded")
        return real(body, **kwargs)

    monkeypatch.setattr(fetch_mod, "extract_page", fragile)
    report = fetch([f"{server.base}/feed.xml"], tmp_path / "c", options=FAST, now=DAY1)
    failed = {o.url: o.reason for o in report.failed}
    assert "RecursionError" in failed[f"{server.base}/news/a2"]
    assert report.count("added") == 5
    assert f"{server.base}/news/a2" in FetchState(tmp_path / "c").failed


def test_an_article_url_given_as_source_is_fetched_as_an_article(server, tmp_path):
    out = tmp_path / "c"
    report = fetch([f"{server.base}/news/a1"], out, options=FAST, now=DAY1)
    assert not report.source_errors
    records = _records(out)
    assert [r["url"] for r in records] == [f"{server.base}/news/a1"]
    assert "Full text marker a1." in records[0]["text"] and records[0]["text_from"] == "page"
    again = fetch([f"{server.base}/news/a1"], out, options=FAST, now=DAY2)
    assert again.count("skipped") == 1 and again.count("added") == 0
    assert server.hits.count("/news/a1") == 1  # a URL fetched before is not fetched again


def test_a_source_url_that_is_neither_feed_nor_page_is_a_source_error(server, tmp_path):
    report = fetch([f"{server.base}/robots.txt"], tmp_path / "c", options=FAST, now=DAY1)
    assert report.source_errors and "neither an RSS/Atom feed nor a web page (text/plain)" in report.source_errors[0]
    assert not report.outcomes


def test_a_bad_line_of_a_url_list_is_refused_with_its_line_number(server, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# sources\n\n{server.base}/news/a1\nwww.example.org/no-scheme\n")
    report = fetch([str(listing)], tmp_path / "c", options=FAST, now=DAY1)
    assert [o.url for o in report.added] == [f"{server.base}/news/a1"]
    (refused,) = report.refused
    assert refused.url == "www.example.org/no-scheme"
    assert refused.reason.startswith(f"{listing}, line 4: ") and "only http and https" in refused.reason
    state = FetchState(tmp_path / "c")
    assert state.refused["www.example.org/no-scheme"]["reason"] == refused.reason
