"""CLI: ``dhr-extract fetch library`` and ``dhr-extract fetch urls``.

Both write ``manifest.csv``/``manifest.jsonl`` into the output folder and can be re-run
to resume. Every failed file gets a manifest row with ``status=failed`` and the reason,
and one line on stderr; the exit code is 1 if anything failed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import ExtractorError
from ..fetch.defaults import (
    DEFAULT_BASE_URL,
    DEFAULT_CONCURRENCY,
    DEFAULT_DELAY,
    DEFAULT_MAX_BYTES,
    DEFAULT_PAGE_SIZE,
)
from ._common import report_failure

if TYPE_CHECKING:  # the HTTP stack is imported only when a fetch command runs
    from ..fetch.client import ClientConfig, PoliteClient
    from ..fetch.run import FetchSummary
    from ..manifest import ManifestRow

log = logging.getLogger(__name__)

fetch_app = typer.Typer(
    name="fetch",
    help="Download DHR PDFs (Home Office Library or any URLs) with a manifest; re-run to resume.",
    no_args_is_help=True,
    add_completion=False,
)

_OUT = typer.Option(Path("dhr-library"), "--out", "-o", help="Folder for the PDFs and manifest.")
_DELAY = typer.Option(DEFAULT_DELAY, "--delay", min=0.0, help="Seconds between requests (be polite).")
_MAX_BYTES = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Refuse files larger than this.")
_CONCURRENCY = typer.Option(DEFAULT_CONCURRENCY, "--concurrency", min=1, max=4, help="Downloads in flight at once.")
_TIMEOUT = typer.Option(60.0, "--timeout", min=1.0, help="Seconds to wait for a connection or data.")
_SOURCES = typer.Argument(..., metavar="URL_OR_FILE...", help="PDF URLs, or text files with one URL a line.")
_RETRIES = typer.Option(4, "--retries", min=0, max=10, help="Retries on timeouts, 429 and 5xx.")


def register(app: typer.Typer) -> None:
    """Add the ``fetch`` command group to the app."""
    app.add_typer(fetch_app, name="fetch")


@fetch_app.command("library")
def library(
    out: Path = _OUT,
    base_url: str = typer.Option(DEFAULT_BASE_URL, "--base-url", help="The Library's address (or a mirror)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Stop after this many reports."),
    since: str | None = typer.Option(None, "--since", help="Only reports uploaded in or after YYYY-MM."),
    page_size: int = typer.Option(DEFAULT_PAGE_SIZE, "--page-size", min=1, max=1000, help="Results per index page."),
    index_only: bool = typer.Option(False, "--index-only", help="Write the manifest, download nothing."),
    delay: float = _DELAY,
    max_bytes: int = _MAX_BYTES,
    concurrency: int = _CONCURRENCY,
    timeout: float = _TIMEOUT,
    retries: int = _RETRIES,
) -> None:
    """Index the Home Office DHR Library and download its PDFs as DIR/<download_id>.pdf.

    Example: dhr-extract fetch library -o library --since 2025-01 --limit 20
    """
    if not re.match(r"^https?://", base_url, re.IGNORECASE):
        raise typer.BadParameter("must start with http:// or https://", param_hint="--base-url")
    if since is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", since):
        raise typer.BadParameter(f"{since!r} is not YYYY-MM", param_hint="--since")
    from ..fetch.run import fetch_library

    config = _config(delay, concurrency, timeout, retries)
    _execute(
        lambda client: fetch_library(
            client, base_url, out, page_size=page_size, limit=limit, since=since,
            index_only=index_only, max_bytes=max_bytes, on_done=_progress,
        ),
        config,
    )


@fetch_app.command("urls")
def urls(
    sources: list[str] = _SOURCES,
    out: Path = _OUT,
    delay: float = _DELAY,
    max_bytes: int = _MAX_BYTES,
    concurrency: int = _CONCURRENCY,
    timeout: float = _TIMEOUT,
    retries: int = _RETRIES,
) -> None:
    """Download PDFs from Community Safety Partnership sites (or any URLs) with a manifest.

    Files are named from the URL (slug + hash), never from the server.

    Example: dhr-extract fetch urls https://www.example-csp.gov.uk/dhr-adult-a.pdf -o csp
    """
    url_list = _read_sources(sources)
    if not url_list:
        raise typer.BadParameter("no URLs given", param_hint="URL_OR_FILE")
    from ..fetch.run import fetch_urls

    config = _config(delay, concurrency, timeout, retries)
    _execute(lambda client: fetch_urls(client, url_list, out, max_bytes=max_bytes, on_done=_progress), config)


# --------------------------------------------------------------------------- helpers
def _config(delay: float, concurrency: int, timeout: float, retries: int) -> ClientConfig:
    from ..fetch.client import ClientConfig

    return ClientConfig(
        delay=delay, concurrency=concurrency, read_timeout=timeout,
        connect_timeout=min(timeout, 15.0), retries=retries,
    )


def _execute(run: Callable[[PoliteClient], FetchSummary], config: ClientConfig) -> None:
    """Run a fetch, report failures one line each on stderr, exit 1 if any failed."""
    from ..fetch.client import PoliteClient

    try:
        with PoliteClient(config) as client:
            summary = run(client)
    except KeyboardInterrupt:
        typer.echo("interrupted: run the same command again to resume", err=True)
        raise typer.Exit(130) from None
    except ExtractorError as exc:
        report_failure(exc.path or "fetch", exc.message)
        raise typer.Exit(1) from None
    except OSError as exc:
        report_failure(str(exc.filename or "fetch"), exc.strerror or str(exc))
        raise typer.Exit(1) from None
    for row in summary.failed:
        report_failure(row.url or row.label or row.download_id, row.error or "failed")
    typer.echo(summary.describe())
    if not summary.ok:
        raise typer.Exit(1)


def _progress(row: ManifestRow, outcome: str) -> None:
    log.info("%s %s", outcome, row.file or row.url)


def _read_sources(sources: list[str]) -> list[str]:
    """URLs given directly, or read from files (blank lines and ``#`` comments skipped)."""
    found: list[str] = []
    for item in sources:
        if "://" in item:
            found.append(item.strip())
            continue
        path = Path(item)
        if not path.is_file():
            raise typer.BadParameter(f"{item}: not a URL and no such file", param_hint="URL_OR_FILE")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise typer.BadParameter(f"{item}: cannot read ({exc})", param_hint="URL_OR_FILE") from exc
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                found.append(line)
    return found
