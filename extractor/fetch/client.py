"""A polite, bounded HTTP client for fetching index pages and PDFs.

Why each rule is here:

- The User-Agent names the tool, its version and where to read about it, so a site's
  operators can see who is calling and reach us.
- Every request has timeouts, and every attempt an overall deadline, so a silent or
  slow-dripping server cannot hang a run.
- A minimum delay between request starts (shared by all worker threads) and a bounded
  number of workers keep the load on a public-sector site small.
- Timeouts, connection errors, truncated bodies, 429 and 5xx are retried with
  exponential backoff, honouring ``Retry-After`` (capped, so a server cannot park us for
  hours). Other 4xx are final: asking again will not help.
- Redirects are followed by hand so that only http(s) targets are accepted, the number
  of hops is bounded, and a loop is reported as a loop.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx
import tenacity

from .._version import __version__
from ..errors import FetchError
from .defaults import DEFAULT_CONCURRENCY, DEFAULT_DELAY

log = logging.getLogger(__name__)

# Names the tool and its version; no project URL is claimed until one is published.
USER_AGENT = f"dhr-extract/{__version__} (Domestic Homicide Review recommendations extractor; polite crawler)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Tunables of :class:`PoliteClient`. Tests pass ``delay=0`` and tiny backoffs.

    ``sleep`` and ``clock`` are injectable so tests can observe waits without waiting.
    """

    user_agent: str = USER_AGENT
    delay: float = DEFAULT_DELAY
    connect_timeout: float = 15.0
    read_timeout: float = 60.0
    attempt_deadline: float = 900.0
    retries: int = 4
    backoff: float = 2.0
    backoff_max: float = 60.0
    retry_after_max: float = 120.0
    jitter: float = 0.1
    max_redirects: int = 5
    concurrency: int = DEFAULT_CONCURRENCY
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def __post_init__(self) -> None:
        if self.delay < 0 or self.retries < 0 or self.max_redirects < 0:
            raise ValueError("delay, retries and max_redirects must not be negative")
        if not 1 <= self.concurrency <= 8:
            raise ValueError("concurrency must be between 1 and 8")
        if self.connect_timeout <= 0 or self.read_timeout <= 0 or self.attempt_deadline <= 0:
            raise ValueError("timeouts must be positive")


class RetryableError(FetchError):
    """A failure worth another attempt; ``retry_after`` is the server's hint in seconds."""

    def __init__(self, message: str, *, path: str | None = None, retry_after: float | None = None):
        super().__init__(message, path=path)
        self.retry_after = retry_after


class HTTPStatusError(FetchError):
    """The server answered with a final (non-retryable) error status."""

    def __init__(self, message: str, *, path: str | None = None, status: int = 0):
        super().__init__(message, path=path)
        self.status = status


class PoliteClient:
    """Wraps one ``httpx.Client``; safe to share between a few worker threads."""

    def __init__(self, config: ClientConfig | None = None, *, transport: httpx.BaseTransport | None = None):
        self.config = config or ClientConfig()
        timeout = httpx.Timeout(
            connect=self.config.connect_timeout,
            read=self.config.read_timeout,
            write=self.config.read_timeout,
            pool=self.config.read_timeout,
        )
        self._http = httpx.Client(
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            limits=httpx.Limits(max_connections=self.config.concurrency),
        )
        self._gate = threading.Lock()
        self._next_start = 0.0
        self.requests = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- public
    def call(self, operation: Callable[[], T], *, what: str) -> T:
        """Run ``operation`` (one attempt) with the retry policy; ``what`` names the URL.

        ``operation`` signals a retryable failure by raising ``RetryableError`` or an
        ``httpx.TransportError``; anything else ends the call at once. The last failure
        is re-raised as a ``FetchError`` that says how many attempts were made.
        """
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.config.retries + 1),
            wait=self._wait,
            retry=tenacity.retry_if_exception(_is_retryable),
            sleep=self.config.sleep,
            reraise=True,
            before_sleep=lambda state: log.info(
                "%s: attempt %d failed (%s); retrying", what, state.attempt_number,
                state.outcome.exception() if state.outcome else "?",
            ),
        )
        attempts = self.config.retries + 1
        try:
            return retrying(operation)
        except RetryableError as exc:
            raise FetchError(f"{exc.message} (gave up after {attempts} attempts)", path=what) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"timed out ({type(exc).__name__}) (gave up after {attempts} attempts)", path=what
            ) from exc
        except httpx.RemoteProtocolError as exc:
            reason = "truncated" if "message body" in str(exc) else "malformed response"
            raise FetchError(f"{reason}: {exc} (gave up after {attempts} attempts)", path=what) from exc
        except httpx.TransportError as exc:
            raise FetchError(
                f"connection failed: {exc or type(exc).__name__} (gave up after {attempts} attempts)",
                path=what,
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"request failed: {exc or type(exc).__name__}", path=what) from exc

    @contextmanager
    def open(self, url: str) -> Iterator[httpx.Response]:
        """One attempt: GET ``url`` following safe redirects; yields a streaming 2xx
        response. Raises ``RetryableError`` for 429/5xx, ``HTTPStatusError`` for other
        statuses, ``FetchError`` for unsafe or looping redirects."""
        seen: list[str] = []
        current = url
        while True:
            _check_scheme(current, original=url)
            if current in seen:
                raise FetchError(f"redirect loop ({' -> '.join([*seen, current])})", path=url)
            seen.append(current)
            self._pace()
            request = self._http.build_request("GET", current)
            with self._gate:
                self.requests += 1
            try:
                response = self._http.send(request, stream=True)
            except httpx.InvalidURL as exc:  # httpx pre-parses a redirect's Location
                raise FetchError(f"refusing redirect to an invalid URL ({exc})", path=url) from exc
            try:
                if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                    if len(seen) > self.config.max_redirects:
                        raise FetchError(
                            f"too many redirects (more than {self.config.max_redirects})", path=url
                        )
                    current = _join(response, url)
                    continue
                _raise_for_status(response, url)
                yield response
                return
            finally:
                response.close()

    def get_text(self, url: str, *, max_bytes: int = 20 * 1024 * 1024) -> str:
        """Fetch a (HTML) page as text, with the retry policy and a size cap."""

        def attempt() -> str:
            with self.open(url) as response:
                started = self.config.clock()
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"page larger than {max_bytes} bytes", path=url)
                    self.check_deadline(started, url)
                    chunks.append(chunk)
                check_length(response, url)
                return b"".join(chunks).decode(response.encoding or "utf-8", errors="replace")

        return self.call(attempt, what=url)

    def check_deadline(self, started: float, url: str) -> None:
        """Abort an attempt that has run longer than ``attempt_deadline`` seconds."""
        if self.config.clock() - started > self.config.attempt_deadline:
            raise RetryableError(
                f"timed out: transfer took longer than {self.config.attempt_deadline:g} s", path=url
            )

    # ----------------------------------------------------------------- internals
    def _pace(self) -> None:
        """Wait so that request starts are at least ``delay`` seconds apart."""
        if self.config.delay <= 0:
            return
        with self._gate:
            now = self.config.clock()
            wait = self._next_start - now
            if wait > 0:
                self.config.sleep(wait)
                now += wait
            self._next_start = now + self.config.delay

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hint = getattr(exc, "retry_after", None)
        if hint is not None:
            return min(max(hint, 0.0), self.config.retry_after_max)
        base = min(self.config.backoff * 2 ** (state.attempt_number - 1), self.config.backoff_max)
        return base + random.uniform(0, self.config.jitter * base) if self.config.jitter else base


# --------------------------------------------------------------------------- helpers
def check_length(response: httpx.Response, url: str) -> None:
    """A body shorter than its ``Content-Length`` was cut off (retryable)."""
    declared = response.headers.get("content-length")
    if declared is None or not declared.strip().isdigit():
        return
    got = response.num_bytes_downloaded
    if got != int(declared):
        raise RetryableError(f"truncated: received {got} of {declared} bytes", path=url)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, RetryableError):
        return True
    if isinstance(exc, FetchError):
        return False
    return isinstance(exc, httpx.TransportError)


def _join(response: httpx.Response, original: str) -> str:
    location = response.headers["location"]
    try:
        return str(response.url.join(location))
    except httpx.InvalidURL as exc:
        raise FetchError(f"refusing redirect to invalid URL {location[:80]!r}", path=original) from exc


def _check_scheme(url: str, *, original: str) -> None:
    try:
        scheme = httpx.URL(url).scheme.lower()
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL ({exc})", path=original) from exc
    if scheme not in ("http", "https"):
        where = "redirect to" if url != original else "URL with"
        raise FetchError(f"refusing {where} unsupported scheme '{scheme or 'none'}'", path=original)


def _raise_for_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    reason = f"HTTP {status} {response.reason_phrase}".strip()
    if status == 429 or status >= 500:
        raise RetryableError(reason, path=url, retry_after=parse_retry_after(response.headers.get("retry-after")))
    if status in REDIRECT_STATUSES:
        reason += " without a Location header"
    raise HTTPStatusError(reason, path=url, status=status)
