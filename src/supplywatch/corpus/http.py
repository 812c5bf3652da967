"""A polite, bounded HTTP client for fetching news pages: the only network code in supplywatch.

:class:`HttpClient` wraps one :class:`requests.Session` (pinned ``requests`` with urllib3's
``Retry``) and adds what a crawler owes the sites it reads and what a scheduled job owes its user:

* **Timeouts** on connecting and on every read (``FetchOptions.timeout``), and a deadline on the
  whole body (``FetchOptions.max_seconds``), so a page that trickles bytes cannot hold the job.
* **Retries with exponential backoff** (urllib3 ``Retry``) on connection errors, read errors and
  HTTP 429/500/502/503/504; a ``Retry-After`` header is honoured up to :data:`MAX_RETRY_AFTER` s.
* **A descriptive User-Agent** (:data:`USER_AGENT`) naming the tool and where to read about it.
* **A per-host delay**: at least ``FetchOptions.delay`` seconds between two requests to one host
  (or the host's robots.txt ``Crawl-delay`` when larger).
* **robots.txt honoured** (:mod:`urllib.robotparser`), read once per host and run: a 404 means
  everything is allowed, 401/403 nothing, and a robots.txt that cannot be read (timeout, 5xx)
  means the host is not fetched this run (the pages fail and are retried next time).
* **A size limit**: bodies are streamed and cut at ``FetchOptions.max_bytes`` (``truncated``).
* **Only http and https**: redirects are followed here, hop by hop (at most
  :data:`MAX_REDIRECTS`), and a hop to any other scheme (``file:``, ``ftp:``, ``javascript:``...)
  is refused (:class:`RefusedURL`), as is such a URL given directly.

Nothing in a response is ever executed; bodies are returned as bytes.

Example:
    >>> client = HttpClient(FetchOptions(delay=0))                  # doctest: +SKIP
    >>> page = client.get("https://example.org/news/1")             # doctest: +SKIP
    >>> page.status, page.truncated, len(page.body)                 # doctest: +SKIP
"""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

#: Sent with every request.
USER_AGENT = ("supplywatch-fetch/0.1 (+research tool for supply-chain news; "
              "https://github.com/supplywatch/supplywatch; honours robots.txt)")
#: The token robots.txt rules are matched against.
ROBOTS_AGENT = "supplywatch-fetch"
#: Schemes that are followed; everything else is refused.
ALLOWED_SCHEMES = ("http", "https")
#: Redirect hops followed for one URL.
MAX_REDIRECTS = 5
#: Longest ``Retry-After`` (seconds) waited for.
MAX_RETRY_AFTER = 30.0
_REDIRECTS = (301, 302, 303, 307, 308)


class FetchFailed(Exception):
    """A URL could not be fetched (network error, timeout, HTTP error, robots.txt). ``permanent``:
    retrying soon will not help (404, 410, robots.txt disallow, not a web page)."""

    def __init__(self, url: str, reason: str, *, permanent: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.permanent = url, reason, permanent


class RefusedURL(FetchFailed):
    """A URL (or a redirect) with a scheme other than http/https: never followed."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason, permanent=True)


@dataclass(frozen=True)
class FetchOptions:
    """How politely and how far to fetch.

    Attributes:
        timeout: seconds to connect and for each read of the socket.
        retries: further attempts after a connection error, read error or a 429/5xx answer.
        backoff: urllib3 backoff factor: waits ``backoff * 2**(n-1)`` s before retry n (capped at 60 s).
        delay: seconds between two requests to the same host.
        max_bytes: bodies longer than this are cut there and flagged ``truncated``.
        max_seconds: deadline for one response body, however slowly it arrives.
        user_agent: the User-Agent header (and robots.txt agent is :data:`ROBOTS_AGENT`).
        robots: honour robots.txt (only turn off for your own servers).
    """

    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    delay: float = 1.0
    max_bytes: int = 5 * 1024 * 1024
    max_seconds: float = 60.0
    user_agent: str = USER_AGENT
    robots: bool = True


@dataclass
class Response:
    """One fetched URL: the final URL after redirects, status, headers, the (possibly cut) body."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    truncated: bool = False
    redirects: list[str] = field(default_factory=list)
    encoding: str | None = None


def check_scheme(url: str) -> str:
    """``url`` without its fragment if it is http(s) with a host; raise :class:`RefusedURL` otherwise."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise RefusedURL(url, f"scheme {scheme + ':' if scheme else '(none)'} is not followed; "
                              "only http and https URLs are fetched")
    if not parts.hostname:
        raise RefusedURL(url, "no host name in the URL")
    return urldefrag(url)[0]


class _Retry(Retry):
    """urllib3 Retry that waits at most :data:`MAX_RETRY_AFTER` s for a ``Retry-After``."""

    def get_retry_after(self, response):  # noqa: D102 - urllib3 API
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_RETRY_AFTER)


class HttpClient:
    """A requests session with retries, timeouts, a per-host delay, robots.txt and a size limit."""

    def __init__(self, options: FetchOptions | None = None, *, sleep=time.sleep, clock=time.monotonic) -> None:
        self.options = options or FetchOptions()
        self._sleep, self._clock = sleep, clock
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": self.options.user_agent,
                                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                                               "application/rss+xml,application/atom+xml,*/*;q=0.5"})
        self.session.trust_env = False  # no proxy or netrc from the environment; .netrc never sent
        retry = _Retry(total=self.options.retries, connect=self.options.retries, read=self.options.retries,
                       status=self.options.retries, redirect=False, raise_on_redirect=False,
                       backoff_factor=self.options.backoff, backoff_max=60.0,
                       status_forcelist=(429, 500, 502, 503, 504), allowed_methods=frozenset({"GET"}),
                       raise_on_status=False, respect_retry_after_header=True)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchFailed] = {}

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- politeness ---------------------------------------------------------------------------

    def _wait_for(self, host: str) -> None:
        delay = self.options.delay
        robots = self._robots.get(host)
        if isinstance(robots, urllib.robotparser.RobotFileParser):
            crawl = robots.crawl_delay(ROBOTS_AGENT)
            if crawl:
                delay = max(delay, min(float(crawl), 60.0))
        last = self._last.get(host)
        if last is not None and delay > 0:
            wait = last + delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last[host] = self._clock()

    def allowed(self, url: str) -> bool:
        """True when the host's robots.txt lets :data:`ROBOTS_AGENT` fetch ``url``.

        Raises:
            FetchFailed: the robots.txt could not be read (timeout, 5xx): the host is skipped.
        """
        if not self.options.robots:
            return True
        parts = urlsplit(url)
        host = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        robots = self._robots.get(host)
        if robots is None:
            robots = self._read_robots(host)
            self._robots[host] = robots
        if isinstance(robots, FetchFailed):
            raise FetchFailed(url, f"robots.txt of {host} could not be read ({robots.reason}); "
                                   "the host is not fetched this run")
        return robots.can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, host: str):
        parser = urllib.robotparser.RobotFileParser(host + "/robots.txt")
        try:
            resp = self._get(host + "/robots.txt", max_bytes=512 * 1024)
        except RefusedURL:
            parser.parse([])  # robots.txt redirected off the web: no rules to honour
            return parser
        except FetchFailed as exc:
            if exc.permanent:
                parser.parse([])
                return parser
            return exc
        if resp.status in (401, 403):
            parser.disallow_all = True
        elif resp.status >= 500:
            return FetchFailed(host + "/robots.txt", f"HTTP {resp.status}")
        elif resp.status >= 400:
            parser.allow_all = True
        else:
            parser.parse(resp.body.decode("utf-8", errors="replace").splitlines())
        parser.modified()
        return parser

    # ---- fetching -----------------------------------------------------------------------------

    def get(self, url: str) -> Response:
        """Fetch ``url`` (robots.txt first); a :class:`Response` with status 200.

        Raises:
            RefusedURL: the URL or a redirect is not http(s).
            FetchFailed: robots.txt disallows it, a network error or timeout after the retries,
                too many redirects, or an HTTP error status (``permanent`` for 4xx other than 408/429).
        """
        url = check_scheme(url)
        if not self.allowed(url):
            raise FetchFailed(url, f"robots.txt disallows {ROBOTS_AGENT}", permanent=True)
        resp = self._get(url)
        if resp.status != 200:
            permanent = 400 <= resp.status < 500 and resp.status not in (408, 429)
            raise FetchFailed(url, f"HTTP {resp.status}", permanent=permanent)
        return resp

    def _get(self, url: str, *, max_bytes: int | None = None) -> Response:
        """GET following redirects hop by hop (each hop checked and robots-checked); any status."""
        first = url = check_scheme(url)
        hops: list[str] = []
        while True:
            host = urlsplit(url).netloc.lower()
            self._wait_for(host)
            try:
                r = self.session.get(url, timeout=(self.options.timeout, self.options.timeout),
                                     allow_redirects=False, stream=True)
            except requests.exceptions.RetryError as exc:
                raise FetchFailed(url, f"gave up after {self.options.retries} retries ({_short(exc)})") from None
            except requests.exceptions.Timeout:
                raise FetchFailed(url, f"timed out after {self.options.timeout:g} s "
                                       f"({self.options.retries} retries)") from None
            except requests.exceptions.RequestException as exc:
                raise FetchFailed(url, f"network error ({_short(exc)})") from None
            with r:
                if r.status_code in _REDIRECTS and r.headers.get("Location"):
                    target = urljoin(url, r.headers["Location"])
                    hops.append(url)
                    try:
                        target = check_scheme(target)
                    except RefusedURL as exc:
                        raise RefusedURL(first, f"redirected to {target[:200]!r}: {exc.reason}") from None
                    if len(hops) > MAX_REDIRECTS:
                        raise FetchFailed(first, f"more than {MAX_REDIRECTS} redirects", permanent=True)
                    if hops and self.options.robots and target != first and not urlsplit(target).path.endswith("/robots.txt"):
                        if not self.allowed(target):
                            raise FetchFailed(first, f"redirected to {target}, which robots.txt disallows",
                                              permanent=True)
                    url = target
                    continue
                body, truncated = self._read_body(r, url, max_bytes or self.options.max_bytes)
                return Response(url=first, final_url=url, status=r.status_code,
                                content_type=r.headers.get("Content-Type", ""), body=body,
                                truncated=truncated, redirects=hops, encoding=r.encoding)

    def _read_body(self, r: requests.Response, url: str, limit: int) -> tuple[bytes, bool]:
        deadline = self._clock() + self.options.max_seconds
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in r.iter_content(chunk_size=64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    return b"".join(chunks)[:limit], True
                if self._clock() > deadline:
                    raise FetchFailed(url, f"body not received within {self.options.max_seconds:g} s")
        except requests.exceptions.RequestException as exc:
            raise FetchFailed(url, f"connection broke while reading ({_short(exc)})") from None
        return b"".join(chunks), False


def _short(exc: BaseException) -> str:
    """A one-line reason: the exception's message cut at 200 characters, or its type."""
    text = " ".join(str(exc).split())
    return (text[:200] + "...") if len(text) > 200 else (text or type(exc).__name__)
