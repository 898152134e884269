"""Download one PDF so that a file under its final name is always complete and verified.

The bytes go to ``<name>.part`` beside the target and are renamed over the target only
after every check has passed: the body starts with ``%PDF-``, the content type is not a
web page or other non-PDF type, the size is within ``max_bytes`` and matches
``Content-Length``. On any failure the ``.part`` file is removed, so an interrupted or
failed download never leaves something that looks finished. Target names are chosen by
the caller from ids or URL hashes, never taken from the server.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import FetchError
from .client import PoliteClient, check_length
from .defaults import DEFAULT_MAX_BYTES

PDF_MAGIC = b"%PDF-"
PART_SUFFIX = ".part"
_CHUNK = 64 * 1024

# Types that are certainly not a PDF; anything else is judged by its first bytes, because
# servers label PDFs variously (application/octet-stream, application/force-download …).
_DENIED_PREFIXES = ("text/", "image/", "audio/", "video/", "font/", "multipart/")
_DENIED_TYPES = {
    "application/json", "application/xml", "application/xhtml+xml", "application/javascript",
    "application/zip", "application/gzip", "application/msword", "application/rtf",
}


class Interrupted(FetchError):
    """The run is stopping (Ctrl-C); the partial file has been removed."""


@dataclass(frozen=True, slots=True)
class Downloaded:
    """A verified file on disk."""

    path: Path
    sha256: str
    bytes: int


def download_pdf(
    client: PoliteClient,
    url: str,
    dest: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stop: threading.Event | None = None,
) -> Downloaded:
    """Fetch ``url`` to ``dest`` (atomically, verified). Raises ``FetchError`` with the
    reason; retryable failures (timeouts, truncation, 429/5xx) are retried first."""
    part = dest.with_name(dest.name + PART_SUFFIX)

    def attempt() -> Downloaded:
        try:
            return _attempt(client, url, part, max_bytes=max_bytes, stop=stop)
        except BaseException:
            part.unlink(missing_ok=True)
            raise

    return client.call(attempt, what=url)


def _attempt(
    client: PoliteClient, url: str, part: Path, *, max_bytes: int, stop: threading.Event | None
) -> Downloaded:
    digest = hashlib.sha256()
    size = 0
    head = b""
    with client.open(url) as response:
        _check_content_type(response.headers.get("content-type", ""), url)
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(
                f"too large: Content-Length {declared} bytes exceeds the limit of {max_bytes}",
                path=url,
            )
        started = client.config.clock()
        with open(part, "wb") as out:
            # No chunk size: each network read is yielded at once, so the stop flag and
            # the attempt deadline are checked even when a server sends a byte a minute.
            for chunk in response.iter_bytes():
                if stop is not None and stop.is_set():
                    raise Interrupted("interrupted", path=url)
                if len(head) < len(PDF_MAGIC):
                    head += chunk[: len(PDF_MAGIC) - len(head)]
                    if len(head) >= len(PDF_MAGIC) and head != PDF_MAGIC:
                        raise FetchError(_not_pdf(head, chunk), path=url)
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"too large: more than {max_bytes} bytes", path=url)
                client.check_deadline(started, url)
                digest.update(chunk)
                out.write(chunk)
            check_length(response, url)
            if size == 0:
                raise FetchError("empty response body", path=url)
            if head != PDF_MAGIC:
                raise FetchError(_not_pdf(head, head), path=url)
            out.flush()
            os.fsync(out.fileno())
    dest = part.with_name(part.name[: -len(PART_SUFFIX)])
    os.replace(part, dest)
    return Downloaded(path=dest, sha256=digest.hexdigest(), bytes=size)


def verify_file(path: Path, sha256: str | None) -> bool:
    """True if ``path`` is a PDF whose sha256 equals the recorded one (re-run skip test)."""
    if not sha256 or not path.is_file():
        return False
    try:
        return file_sha256(path, require_pdf=True) == sha256.lower()
    except OSError:
        return False


def file_sha256(path: Path, *, require_pdf: bool = False) -> str | None:
    """The file's sha256 (hex); ``None`` if ``require_pdf`` and it does not start ``%PDF-``."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        first = handle.read(_CHUNK)
        if require_pdf and not first.startswith(PDF_MAGIC):
            return None
        while first:
            digest.update(first)
            first = handle.read(_CHUNK)
    return digest.hexdigest()


def remove_stale_parts(folder: Path) -> int:
    """Delete ``*.pdf.part`` leftovers of an interrupted run; returns how many."""
    count = 0
    for stale in folder.glob(f"*.pdf{PART_SUFFIX}"):
        stale.unlink(missing_ok=True)
        count += 1
    return count


def safe_name_for_url(url: str) -> str:
    """A file stem derived from the URL (readable slug + hash), never from the server:
    ``https://x.gov.uk/files/DHR%20Report%20A.pdf`` → ``dhr-report-a-1f3a9c0b2d``."""
    path = unquote(urlsplit(url).path)
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last.lower().endswith(".pdf"):
        last = last[:-4]
    slug = re.sub(r"[^a-z0-9]+", "-", last.lower()).strip("-")[:60].strip("-") or "document"
    return f"{slug}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:10]}"


def _check_content_type(value: str, url: str) -> None:
    mime = value.split(";", 1)[0].strip().lower()
    if mime and (mime.startswith(_DENIED_PREFIXES) or mime in _DENIED_TYPES):
        raise FetchError(f"wrong content type '{mime}' (expected application/pdf)", path=url)


def _not_pdf(head: bytes, chunk: bytes) -> str:
    sample = chunk[:40].decode("latin-1").replace("\r", " ").replace("\n", " ").strip()
    if head.lstrip().lower().startswith((b"<!do", b"<htm", b"<hea", b"<bod")) or b"<html" in chunk[:512].lower():
        return f"not a PDF: the server sent an HTML page ({sample[:30]!r}…)"
    return f"not a PDF: body starts with {sample[:20]!r}"
