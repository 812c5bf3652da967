"""Fetch news articles from RSS/Atom feeds or URL lists into a JSON Lines corpus folder.

``supplywatch fetch SOURCE... --out CORPUS_DIR``. A SOURCE is

* an ``http(s)`` URL of an RSS or Atom feed;
* a saved feed file (``.xml``, ``.rss``, ``.atom`` or any file whose content is a feed);
* an ``http(s)`` URL of one article page (fetched as an article when the URL is not a feed);
* a text file listing URLs, one per line (``#`` starts a comment): each URL is fetched once and is
  read as a feed when it is one, else as an article page; a line that is not an http(s) URL is
  refused and listed as ``FILE, line N: reason``.

Every feed item's link is fetched with :class:`~supplywatch.corpus.http.HttpClient` (timeouts,
retries with backoff, User-Agent, per-host delay, robots.txt, size limit, http/https only); its
text, title, date and site name are extracted with trafilatura (the loader's own HTML reader).
When the page cannot give the text for good (404/410, robots.txt disallows it, not a web page,
nothing extractable), the feed's own content is used instead and the record says so
(``text_from: feed`` and ``fetch_note``).

Records are appended to ``CORPUS_DIR/fetched-YYYY-MM-DD.jsonl`` (the UTC day of the fetch), one
JSON object per line: ``id``, ``url``, ``title``, ``date``, ``source``, ``text``, ``fetched_at``,
``feed``, ``text_from`` (``page`` or ``feed``), ``truncated`` and ``fetch_note``. ``supplywatch
analyze CORPUS_DIR`` reads them like any JSON Lines corpus (the last four become ``meta_`` columns).

State lives in ``CORPUS_DIR/.fetch/state.json`` (hidden: the loader never reads it): every URL
written (never fetched again), every URL that failed (retried on the next run) and every URL
refused (not http/https). A run is idempotent: a second run adds only URLs not seen before. One
failing page never costs the rest. A run killed half-way loses nothing written: records are
appended line by line, a cut last line is removed on the next run, and every URL in the day files
counts as seen even when the state file is older.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from supplywatch.corpus.pages import Item, extract_page, html_to_text, is_html, parse_feed, read_url_list
from supplywatch.corpus.http import FetchFailed, FetchOptions, HttpClient, RefusedURL, check_scheme
from supplywatch.exceptions import SupplywatchError

#: Hidden folder in CORPUS_DIR holding the fetch state.
STATE_DIR = ".fetch"
STATE_FILE = "state.json"
STATE_FORMAT = 1
#: Day files written by fetch.
DAY_FILE = "fetched-{day}.jsonl"
_DAY_RE = re.compile(r"^fetched-\d{4}-\d{2}-\d{2}\.jsonl$")
#: Runs a transient failure is retried before the feed's content is used instead.
MAX_ATTEMPTS = 3


class FetchError(SupplywatchError):
    """fetch cannot start: a SOURCE file is missing or unreadable, or CORPUS_DIR is unusable."""


@dataclass
class Outcome:
    """What happened to one URL (``status``: added, skipped, failed, refused)."""

    url: str
    status: str
    reason: str = ""
    feed: str = ""
    text_from: str = ""
    truncated: bool = False


@dataclass
class FetchReport:
    """Everything one run did: per-URL outcomes and per-source problems."""

    out: Path
    outcomes: list[Outcome] = field(default_factory=list)
    source_errors: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def added(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "added"]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "refused"]

    def summary(self) -> str:
        feed = sum(1 for o in self.added if o.text_from == "feed")
        cut = sum(1 for o in self.added if o.truncated)
        return (f"{self.count('added')} article(s) added ({feed} from feed content, {cut} cut at the size "
                f"limit), {self.count('skipped')} already fetched, {self.count('failed')} failed (retried next "
                f"run), {self.count('refused')} refused; {len(self.source_errors)} source(s) unreadable")


# ---- URLs and state --------------------------------------------------------------------------


def canonical_url(url: str) -> str:
    """The URL as a state key: scheme and host lower-cased, default port and fragment dropped."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc.lower()
    if (parts.scheme.lower(), parts.port) in (("http", 80), ("https", 443)):
        netloc = netloc.rsplit(":", 1)[0]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def _now() -> datetime:
    return datetime.now(timezone.utc)


class FetchState:
    """``CORPUS_DIR/.fetch/state.json``: URLs written, failed, refused (atomic writes)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / STATE_DIR / STATE_FILE
        self.seen: dict[str, str] = {}        # canonical url -> day file it was written to
        self.failed: dict[str, dict] = {}     # canonical url -> {url, feed, reason, attempts, last}
        self.refused: dict[str, dict] = {}    # canonical url -> {url, feed, reason}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise FetchError(f"{self.path}: unreadable fetch state ({exc}); move it aside to start "
                                 "afresh (the URLs in the day files still count as fetched)") from None
            self.seen = dict(data.get("seen", {}))
            self.failed = dict(data.get("failed", {}))
            self.refused = dict(data.get("refused", {}))

    def absorb_day_files(self, report: FetchReport) -> None:
        """Count every URL in the day files as seen; cut a last line a killed run left half-written."""
        for file in sorted(self.out.glob("fetched-*.jsonl")):
            if not _DAY_RE.match(file.name):
                continue
            _repair_tail(file, report)
            with file.open("rb") as fh:
                for raw in fh:
                    try:
                        url = json.loads(raw).get("url")
                    except (ValueError, AttributeError):
                        continue
                    if isinstance(url, str) and url:
                        self.seen.setdefault(canonical_url(url), file.name)

    def save(self) -> None:
        from supplywatch.io import atomic_write_text

        data = {"format": STATE_FORMAT, "seen": dict(sorted(self.seen.items())),
                "failed": dict(sorted(self.failed.items())), "refused": dict(sorted(self.refused.items()))}
        atomic_write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def _repair_tail(file: Path, report: FetchReport) -> None:
    """Remove a last line without its newline (a run killed while appending)."""
    size = file.stat().st_size
    if not size:
        return
    with file.open("rb+") as fh:
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        step = min(size, 1 << 16)
        pos = size
        cut = 0
        while pos > 0:
            pos = max(0, pos - step)
            fh.seek(pos)
            block = fh.read(min(step, size - pos))
            i = block.rfind(b"\n")
            if i >= 0:
                cut = pos + i + 1
                break
        fh.truncate(cut)
    report.repaired.append(f"{file.name}: removed a half-written last line ({size - cut} bytes) left by an "
                           "interrupted run")


# ---- sources ----------------------------------------------------------------------------------


def check_sources(sources: Iterable[str]) -> list[str]:
    """Validate SOURCE arguments before anything is fetched.

    Raises:
        FetchError: a local file is missing or unreadable, or a URL is not http(s).
    """
    checked = []
    for source in sources:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source) or source.lower().startswith(("file:", "javascript:", "data:")):
            try:
                check_scheme(source)
            except RefusedURL as exc:
                raise FetchError(f"source {source!r}: {exc.reason}") from None
        else:
            path = Path(source)
            if not path.is_file():
                raise FetchError(f"source {source!r} is neither an http(s) URL nor a file; give a feed URL, "
                                 "a saved feed file or a text file listing URLs")
            if not os.access(path, os.R_OK):
                raise FetchError(f"source file {source!r} is not readable; check its permissions")
        checked.append(source)
    return checked


# ---- the run ----------------------------------------------------------------------------------


def _prepare_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise FetchError(f"--out {str(out)!r} is a file; give a folder for the fetched corpus")
    try:
        (out / STATE_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(f"cannot create {str(out / STATE_DIR)!r} ({exc.strerror or exc}); give a writable "
                         "folder with --out") from None
    if not os.access(out, os.W_OK) or not os.access(out / STATE_DIR, os.W_OK):
        raise FetchError(f"--out {str(out)!r} is not writable; give a writable folder")


class _Writer:
    """Appends records to today's day file, one whole line per write."""

    def __init__(self, out: Path, day: str) -> None:
        self.path = out / DAY_FILE.format(day=day)
        self._fh = None

    def write(self, record: dict) -> None:
        try:
            if self._fh is None:
                self._fh = self.path.open("a", encoding="utf-8", newline="\n")
            self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._fh.flush()
        except OSError as exc:
            raise FetchError(f"cannot append to {self.path} ({exc.strerror or exc}); free some space or give "
                             "another --out (what was written so far is kept)") from None

    def close(self) -> None:
        if self._fh is not None:
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None


def _record(item: Item, fields: dict, *, url: str, fetched_at: str, text_from: str, truncated: bool,
            note: str) -> dict:
    from supplywatch.corpus.cleaning import parse_date

    date = parse_date(fields.get("date")) or parse_date(item.date) or ""
    host = urlsplit(url).hostname or ""
    return {
        "id": hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16],
        "url": url,
        "title": str(fields.get("title") or item.title or "").strip(),
        "date": date,
        "source": str(fields.get("source") or item.feed_title or host).strip(),
        "text": fields.get("text", ""),
        "fetched_at": fetched_at,
        "feed": item.feed,
        "text_from": text_from,
        "truncated": truncated,
        "fetch_note": note,
    }


def fetch(sources: Iterable[str], out: str | os.PathLike, *, options: FetchOptions | None = None,
          progress: bool = False, now: datetime | None = None) -> FetchReport:
    """Fetch every article of ``sources`` not fetched before into ``out``; return what happened.

    Args:
        sources: feed URLs, saved feed files, or text files listing feed or article URLs.
        out: the corpus folder (created if needed); records go to ``fetched-YYYY-MM-DD.jsonl``.
        options: timeouts, retries, delay, size limit (:class:`FetchOptions`).
        progress: a progress bar at a terminal.
        now: the fetch time (UTC; default: now), which names the day file.

    Raises:
        FetchError: a source file is missing, a source URL is not http(s), or ``out`` is unusable.
    """
    sources = check_sources(list(sources))
    out = Path(out)
    _prepare_out(out)
    report = FetchReport(out=out)
    state = FetchState(out)
    state.absorb_day_files(report)
    now = now or _now()
    writer = _Writer(out, now.strftime("%Y-%m-%d"))
    fetched_at = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    client = HttpClient(options)
    try:
        items = _gather(sources, client, state, report)
        if progress:
            from supplywatch.progress import progress_bar

            items = progress_bar(items, desc="fetching", unit="page", total=len(items))
        done: set[str] = set()
        for item, page in items:
            try:
                outcome = _fetch_item(item, page, client, state, writer, fetched_at, done)
            except FetchError:
                raise
            except Exception as exc:  # noqa: BLE001 - one page never costs the rest
                reason = f"could not be processed ({type(exc).__name__}: {str(exc)[:200]})"
                state.failed[canonical_url(item.url)[:500]] = {"url": item.url[:500], "feed": item.feed,
                                                               "reason": reason, "attempts": 1, "last": fetched_at}
                outcome = Outcome(item.url, "failed", reason, item.feed)
            if outcome is not None:
                report.outcomes.append(outcome)
    finally:
        client.close()
        writer.close()
        state.save()
    if writer.path.is_file():
        report.files.append(writer.path)
    return report


def _gather(sources: list[str], client: HttpClient, state: FetchState, report: FetchReport):
    """Every (item, already fetched page or None) of the sources, in order."""
    gathered: list[tuple[Item, object]] = []
    for source in sources:
        if "://" in source or source.lower().startswith(("http:", "https:")):
            gathered.extend(_source_url(source, client, state, report))
            continue
        path = Path(source)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise FetchError(f"cannot read source file {source!r} ({exc.strerror or exc})") from None
        parsed = parse_feed(body, feed_url=source) if body.lstrip()[:1] == b"<" else None
        if parsed is not None:
            gathered.extend((item, None) for item in parsed[1])
            continue
        for number, url in read_url_list(path):
            gathered.extend(_list_entry(url, f"{source}, line {number}", source, client, state, report))
    return gathered


def _source_url(source: str, client: HttpClient, state: FetchState, report: FetchReport):
    """A SOURCE given as a URL: the items of its feed, or the article itself when it is a web page."""
    item = Item(url=source, feed=source)
    try:
        key = canonical_url(check_scheme(source))
    except RefusedURL as exc:
        report.source_errors.append(f"{source}: {exc.reason}")
        return []
    if key in state.seen:
        return [(item, None)]  # an article fetched before: listed as skipped
    try:
        resp = client.get(source)
    except FetchFailed as exc:
        report.source_errors.append(f"{source}: {exc.reason}")
        return []
    parsed = parse_feed(resp.body, feed_url=source)
    if parsed is not None:
        return [(i, None) for i in parsed[1]]
    if is_html(resp.content_type, resp.body):
        return [(item, resp)]  # an article page, not a feed
    report.source_errors.append(f"{source}: neither an RSS/Atom feed nor a web page "
                                f"({resp.content_type or 'no content type'})")
    return []


def _list_entry(url: str, where: str, source: str, client: HttpClient, state: FetchState,
                report: FetchReport):
    """A listed URL (``where``: "FILE, line N"): the items of a feed, or the article itself (its page kept,
    not fetched twice). A URL that is not http(s) is refused and listed with its line."""
    item = Item(url=url, feed=source)
    try:
        key = canonical_url(check_scheme(url))
    except RefusedURL as exc:
        reason = f"{where}: {exc.reason}"
        state.refused[canonical_url(url)[:500]] = {"url": url[:500], "feed": source, "reason": reason}
        report.outcomes.append(Outcome(url, "refused", reason, source))
        return []
    if key in state.seen:
        return [(item, None)]
    try:
        resp = client.get(url)
    except FetchFailed as exc:
        return [(item, exc)]
    parsed = parse_feed(resp.body, feed_url=url) if not is_html(resp.content_type, resp.body) else None
    if parsed is not None:
        return [(i, None) for i in parsed[1]]
    return [(item, resp)]


def _fetch_item(item: Item, page, client: HttpClient, state: FetchState, writer: _Writer, fetched_at: str,
                done: set[str]) -> Outcome | None:
    try:
        key = canonical_url(check_scheme(item.url))
    except RefusedURL as exc:
        state.refused[canonical_url(item.url)[:500]] = {"url": item.url[:500], "feed": item.feed, "reason": exc.reason}
        return Outcome(item.url, "refused", exc.reason, item.feed)
    if key in done:
        return None
    done.add(key)
    if key in state.seen:
        return Outcome(item.url, "skipped", feed=item.feed)
    failure: FetchFailed | None = page if isinstance(page, FetchFailed) else None
    fields: dict = {}
    resp = None
    if failure is None:
        try:
            resp = page or client.get(item.url)
        except RefusedURL as exc:
            state.refused[key] = {"url": item.url, "feed": item.feed, "reason": exc.reason}
            state.failed.pop(key, None)
            return Outcome(item.url, "refused", exc.reason, item.feed)
        except FetchFailed as exc:
            failure = exc
    if resp is not None:
        if not is_html(resp.content_type, resp.body):
            failure = FetchFailed(item.url, f"not a web page ({resp.content_type or 'no content type'})",
                                  permanent=True)
        else:
            fields = extract_page(resp.body, encoding=resp.encoding)
            if not fields.get("text", "").strip():
                failure = FetchFailed(item.url, "no article text found on the page", permanent=True)
    url = resp.final_url if resp is not None else item.url
    truncated = bool(resp is not None and resp.truncated)
    cut_note = "page cut at the size limit" if truncated else ""
    if failure is None:
        record = _record(item, fields, url=url, fetched_at=fetched_at, text_from="page", truncated=truncated,
                         note=cut_note)
    else:
        attempts = int(state.failed.get(key, {}).get("attempts", 0)) + 1
        feed_text = html_to_text(item.content_html) if item.content_html else ""
        if not feed_text or not (failure.permanent or attempts >= MAX_ATTEMPTS):
            state.failed[key] = {"url": item.url, "feed": item.feed, "reason": failure.reason,
                                 "attempts": attempts, "last": fetched_at}
            return Outcome(item.url, "failed", failure.reason, item.feed)
        note = f"page not used ({failure.reason}); text from the feed"
        record = _record(item, {"text": feed_text}, url=item.url, fetched_at=fetched_at, text_from="feed", truncated=False,
                         note=note)
    writer.write(record)
    state.seen[key] = writer.path.name
    state.seen.setdefault(canonical_url(record["url"]), writer.path.name)
    state.failed.pop(key, None)
    return Outcome(item.url, "added", record["fetch_note"], item.feed, record["text_from"], truncated)
