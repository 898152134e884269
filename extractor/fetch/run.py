"""Compose crawling, downloading and the manifest into the two fetch runs.

``fetch_library`` reads every index page of the DHR Library (or stops early at
``limit``/``since``), records each card in the manifest, then downloads what is not
already complete. ``fetch_urls`` does the download half for a list of URLs. Both are
resumable: whatever a previous run verified is skipped, everything else is fetched again
from scratch, and the manifest is rewritten after every file.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import FetchError
from ..manifest import MANIFEST_CSV, ManifestRow
from .client import PoliteClient
from .defaults import DEFAULT_MAX_BYTES
from .download import (
    Interrupted,
    download_pdf,
    remove_stale_parts,
    safe_name_for_url,
    verify_file,
)
from .library import Card, page_url, parse_index
from .manifest import ManifestStore

log = logging.getLogger(__name__)

MAX_PAGES = 2000
OnDone = Callable[[ManifestRow, str], None]


@dataclass(slots=True)
class FetchSummary:
    """What a run did. ``outcome`` per row: downloaded, already (verified on disk),
    pending (not attempted: ``--index-only``) or failed."""

    manifest: Path
    listed: int = 0
    downloaded: int = 0
    already: int = 0
    pending: int = 0
    failed: list[ManifestRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def describe(self) -> str:
        return (
            f"{self.listed} listed, {self.downloaded} downloaded, {self.already} already complete, "
            f"{self.pending} not downloaded, {len(self.failed)} failed; manifest: {self.manifest}"
        )


# --------------------------------------------------------------------------- library
def crawl_library(
    client: PoliteClient,
    base_url: str,
    *,
    page_size: int = 100,
    limit: int | None = None,
    since: str | None = None,
) -> list[Card]:
    """All cards of the Library, newest upload first, stopping at ``limit`` cards or at
    the first card uploaded before ``since`` (``YYYY-MM``)."""
    cards: list[Card] = []
    seen: set[str] = set()
    size, page, total = page_size, 0, None
    while page < MAX_PAGES:
        url = page_url(base_url, page, size)
        index = parse_index(client.get_text(url), url=url, base_url=base_url)
        if page == 0:
            total = index.total
            if index.first == 1 and index.last and index.total and index.last < min(size, index.total):
                log.info("the server shows %d results per page, not %d", index.last, size)
                size = index.last
        fresh = [c for c in index.cards if _card_key(c) not in seen]
        if index.cards and not fresh:
            log.warning("%s repeated earlier results; stopping the crawl here", url)
            break
        reached_older = False
        for card in fresh:
            seen.add(_card_key(card))
            if since and card.uploaded and card.uploaded < since:
                reached_older = True
                continue
            cards.append(card)
            if limit is not None and len(cards) >= limit:
                return cards
        if reached_older or not index.cards or len(index.cards) < size:
            break
        if total is not None and (len(seen) >= total or page + 1 >= math.ceil(total / size)):
            break
        page += 1
    if total is not None and not since and limit is None and len(seen) < total:
        log.warning("the Library says %d results but %d were listed", total, len(seen))
    return cards


def card_to_row(card: Card) -> ManifestRow:
    """A pending manifest row for a card (or a failed one if it has no download link)."""
    row = ManifestRow(
        download_id=card.download_id or "",
        title=card.title,
        csp=card.csp,
        csp_region=card.csp_region,
        uploaded=card.uploaded,
        date_of_death=card.death_month,
        url=card.href or "",
        file=f"{card.download_id}.pdf" if card.download_id else None,
        status="pending",
        label=card.label or None,
    )
    if not card.download_id:
        row.status, row.error = "failed", "the card has no /download/<id> link"
    return row


def fetch_library(
    client: PoliteClient,
    base_url: str,
    out_dir: Path,
    *,
    page_size: int = 100,
    limit: int | None = None,
    since: str | None = None,
    index_only: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_done: OnDone | None = None,
) -> FetchSummary:
    """Index the Library into ``out_dir``'s manifest and download the listed PDFs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cards = crawl_library(client, base_url, page_size=page_size, limit=limit, since=since)
    store = ManifestStore(out_dir)
    rows = store.merge_listing(card_to_row(c) for c in cards)
    return _run(client, store, rows, out_dir, index_only=index_only, max_bytes=max_bytes, on_done=on_done)


def fetch_urls(
    client: PoliteClient,
    urls: Iterable[str],
    out_dir: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_done: OnDone | None = None,
) -> FetchSummary:
    """Download PDFs from arbitrary (CSP) URLs into ``out_dir`` with a manifest.
    Files are named ``<slug>-<hash>.pdf`` from the URL, never from the server."""
    out_dir.mkdir(parents=True, exist_ok=True)
    listed = []
    for url in dict.fromkeys(u.strip() for u in urls if u.strip()):
        stem = safe_name_for_url(url)
        listed.append(ManifestRow(download_id=stem, url=url, file=f"{stem}.pdf"))
    store = ManifestStore(out_dir)
    rows = store.merge_listing(listed)
    return _run(client, store, rows, out_dir, index_only=False, max_bytes=max_bytes, on_done=on_done)


# --------------------------------------------------------------------------- downloads
def _run(
    client: PoliteClient,
    store: ManifestStore,
    rows: list[ManifestRow],
    out_dir: Path,
    *,
    index_only: bool,
    max_bytes: int,
    on_done: OnDone | None,
) -> FetchSummary:
    summary = FetchSummary(manifest=out_dir / MANIFEST_CSV, listed=len(rows))
    removed = remove_stale_parts(out_dir)
    if removed:
        log.info("removed %d partial file(s) left by an interrupted run", removed)
    todo = _triage(rows, out_dir, summary, index_only=index_only)

    def record(row: ManifestRow, outcome: str) -> None:
        if outcome == "downloaded":
            summary.downloaded += 1
        elif outcome == "already":
            summary.already += 1
        else:
            summary.failed.append(row)
        if on_done is not None:
            on_done(row, outcome)

    work = _Worker(client, store, out_dir, max_bytes=max_bytes, stop=threading.Event())
    if client.config.concurrency <= 1:
        for row in todo:
            record(*work(row))
    else:
        _run_parallel(work, todo, record, client.config.concurrency)
    return summary


def _triage(
    rows: list[ManifestRow], out_dir: Path, summary: FetchSummary, *, index_only: bool
) -> list[ManifestRow]:
    """Rows that need a download attempt; counts the others into ``summary``."""
    todo: list[ManifestRow] = []
    for row in rows:
        if not row.url or not row.file:
            summary.failed.append(row)
        elif not index_only:
            todo.append(row)
        elif row.status == "ok" and verify_file(out_dir / Path(row.file).name, row.sha256):
            summary.already += 1
        else:
            summary.pending += 1
    return todo


def _run_parallel(
    work: _Worker,
    todo: list[ManifestRow],
    record: Callable[[ManifestRow, str], None],
    workers: int,
) -> None:
    """Download with a few threads; on Ctrl-C tell in-flight downloads to stop (their
    partial files are removed) and drop the ones not started."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        pending: set[Future[tuple[ManifestRow, str]]] = {pool.submit(work, r) for r in todo}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    record(*future.result())
        except BaseException:
            work.stop.set()
            for future in pending:
                future.cancel()
            raise


@dataclass(slots=True)
class _Worker:
    """Brings one row's file to a verified state and records it in the manifest."""

    client: PoliteClient
    store: ManifestStore
    out_dir: Path
    max_bytes: int
    stop: threading.Event

    def __call__(self, row: ManifestRow) -> tuple[ManifestRow, str]:
        assert row.file is not None
        dest = self.out_dir / Path(row.file).name
        if row.status == "ok" and verify_file(dest, row.sha256):
            return row, "already"
        # Whatever is under the final name is not what the manifest vouches for.
        dest.unlink(missing_ok=True)
        try:
            got = download_pdf(self.client, row.url, dest, max_bytes=self.max_bytes, stop=self.stop)
        except Interrupted:
            raise
        except FetchError as exc:
            failed = replace(row, sha256=None, bytes=None, status="failed", error=exc.message)
            self.store.update(failed)
            return failed, "failed"
        done = replace(row, file=dest.name, sha256=got.sha256, bytes=got.bytes, status="ok", error=None)
        self.store.update(done)
        return done, "downloaded"


def _card_key(card: Card) -> str:
    return card.download_id or f"label:{card.label}"
