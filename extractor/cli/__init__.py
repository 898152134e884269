"""The ``dhr-extract`` command line: a thin typer layer over the Python API.

Each command lives in its own module and registers itself on the one ``app``; command
bodies parse options, make one API call and render the result. Errors from the
``ExtractorError`` tree become one line on stderr and exit code 1 (see ``_common``).
"""

from __future__ import annotations

import typer

from .._version import __version__
from . import agencies, batch, check, extract, fetch, site

app = typer.Typer(
    name="dhr-extract",
    help="Turn Domestic Homicide Review PDFs into a checkable table of recommendations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"dhr-extract {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version and exit."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress to stderr."),
) -> None:
    """Turn Domestic Homicide Review PDFs into a checkable table of recommendations."""
    import logging

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


for _module in (extract, check, agencies, fetch, batch, site):
    _module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
