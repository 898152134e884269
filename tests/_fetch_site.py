"""A local stand-in for the DHR Library, served on 127.0.0.1 for the fetch tests.

``Site`` renders the fixture cards (tests/fixtures/library) into result pages honouring
``pagination[pageNumber]``/``pagination[pageSize]``, serves a small generated PDF at
``/download/<id>``, counts every request by path, and lets a test queue faults per path
(each queued responder is used once, then normal service resumes).
"""

from __future__ import annotations

import csv
import hashlib
import html
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from string import Template

import pymupdf
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from extractor.fetch.client import ClientConfig

FIXTURES = Path(__file__).parent / "fixtures" / "library"
REPO = Path(__file__).resolve().parents[1]
Responder = Callable[[Request], Response]


def shared_dir() -> Path | None:
    """The read-only shared folder: $DHR_SHARED, else <repo>/../shared, else /work/shared."""
    for candidate in (os.environ.get("DHR_SHARED"), REPO.parent / "shared", "/work/shared"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def real_library_page() -> tuple[Path, Path] | None:
    """The saved real Library page and its cards CSV, if the shared folder has them."""
    base = shared_dir()
    if base is None:
        return None
    folder = base / "realdata" / "cookie1986__dhr-information-extraction" / "data" / "raw" / "html"
    page, cards = folder / "home_office_library.EXCERPT.html", folder / "home_office_library.page0.cards.csv"
    return (page, cards) if page.is_file() and cards.is_file() else None


def load_cards(path: Path = FIXTURES / "cards.csv") -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def make_pdf(text: str) -> bytes:
    """A small, valid one-page PDF saying ``text``."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), text)
    data = doc.tobytes()
    doc.close()
    return data


def render_card(card: dict[str, str], template: str = "card.html") -> str:
    values = {k: html.escape(v) for k, v in card.items()}
    return Template((FIXTURES / template).read_text(encoding="utf-8")).substitute(values)


def render_page(cards: list[dict[str, str]], *, first: int, total: int, next_page: int = 1) -> str:
    summary = (
        f"Showing results {first}\n      to {first + len(cards) - 1}\n      of {total}" if cards
        else "Showing 0 results"
    )
    body = "\n".join(render_card(c) for c in cards)
    return Template((FIXTURES / "page.html").read_text(encoding="utf-8")).substitute(
        summary=summary, cards=body, next=next_page
    )


def fast_config(**overrides: object) -> ClientConfig:
    """Fast client settings: no pacing, tiny backoff, short timeouts."""
    values: dict[str, object] = dict(
        delay=0.0, backoff=0.01, backoff_max=0.02, jitter=0.0, retries=2,
        connect_timeout=2.0, read_timeout=2.0, retry_after_max=0.05, concurrency=1,
    )
    values.update(overrides)
    return ClientConfig(**values)  # type: ignore[arg-type]


class Site:
    """Routes for the fixture library plus per-path fault queues and request counts."""

    def __init__(self, server: HTTPServer, cards: list[dict[str, str]]) -> None:
        self.server = server
        self.cards = cards
        self.calls: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.faults: dict[str, list[Responder]] = {}
        self.routes: dict[str, Responder] = {}
        self.index_html: str | None = None
        self.max_page_size: int | None = None
        self._pdfs: dict[str, bytes] = {}
        self._lock = threading.Lock()
        server.expect_request(re.compile(".*")).respond_with_handler(self._handle)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def pdf(self, download_id: str) -> bytes:
        with self._lock:
            if download_id not in self._pdfs:
                self._pdfs[download_id] = make_pdf(f"Fixture report {download_id}")
            return self._pdfs[download_id]

    def sha(self, download_id: str) -> str:
        return hashlib.sha256(self.pdf(download_id)).hexdigest()

    def fault(self, path: str, *responders: Responder) -> None:
        self.faults.setdefault(path, []).extend(responders)

    def downloads(self) -> Counter[str]:
        """Requests per download id."""
        return Counter({p.rsplit("/", 1)[-1]: n for p, n in self.calls.items() if p.startswith("/download/")})

    # ----------------------------------------------------------------- handler
    def _handle(self, request: Request) -> Response:
        with self._lock:
            self.calls[request.path] += 1
            self.user_agents.append(request.headers.get("User-Agent", ""))
            queue = self.faults.get(request.path)
            responder = queue.pop(0) if queue else None
        if responder is not None:
            return responder(request)
        if request.path in self.routes:
            return self.routes[request.path](request)
        if request.path == "/":
            return self._index(request)
        match = re.fullmatch(r"/download/([0-9a-f]{24})", request.path)
        if match:
            return Response(self.pdf(match.group(1)), content_type="application/pdf")
        return Response("not found", status=404, content_type="text/plain")

    def _index(self, request: Request) -> Response:
        if self.index_html is not None:
            return Response(self.index_html, content_type="text/html; charset=utf-8")
        number = int(request.args.get("pagination[pageNumber]", "0"))
        size = int(request.args.get("pagination[pageSize]", "50"))
        if self.max_page_size:
            size = min(size, self.max_page_size)
        chunk = self.cards[number * size:(number + 1) * size]
        page = render_page(chunk, first=number * size + 1, total=len(self.cards), next_page=number + 1)
        return Response(page, content_type="text/html; charset=utf-8")


@contextmanager
def serving() -> Iterator[HTTPServer]:
    """A threaded local server on 127.0.0.1 (start it once per module: stopping takes
    half a second)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def new_site(server: HTTPServer, cards: list[dict[str, str]] | None = None) -> Site:
    """A fresh fixture library (counters and faults reset) on a running server."""
    server.clear()
    return Site(server, load_cards() if cards is None else cards)


@contextmanager
def running_site(cards: list[dict[str, str]] | None = None) -> Iterator[Site]:
    """A server of its own serving the fixture library."""
    with serving() as server:
        yield new_site(server, cards)


# --------------------------------------------------------------------------- faults
def slow(seconds: float, then: Responder | None = None) -> Responder:
    """Answer only after ``seconds`` (longer than the client's read timeout)."""

    def responder(request: Request) -> Response:
        time.sleep(seconds)
        return then(request) if then else Response(b"late", content_type="text/plain")

    return responder


def status(code: int, headers: dict[str, str] | None = None, body: str = "error") -> Responder:
    return lambda request: Response(body, status=code, headers=headers or {}, content_type="text/plain")


def truncated(data: bytes, keep: int) -> Responder:
    """Declare the full length but send only ``keep`` bytes, then close."""

    def responder(request: Request) -> Response:
        return Response(
            iter([data[:keep]]),
            headers={"Content-Length": str(len(data)), "Connection": "close"},
            content_type="application/pdf",
        )

    return responder


def body(data: bytes | str, content_type: str, headers: dict[str, str] | None = None) -> Responder:
    return lambda request: Response(data, content_type=content_type, headers=headers or {})


def redirect(location: str, code: int = 302) -> Responder:
    return lambda request: Response("", status=code, headers={"Location": location})
