"""Parse the Home Office DHR Library's result pages and build their URLs.

The Library lists reports as cards::

    <section aria-label="DHR result {Title} - {CSP} - {YYYY}/{a|b} - DHR">
      <span class="govuk-caption-m">DHR Title</span> {Title}
      <span class="govuk-caption-m">CSP</span> <span>{CSP}</span>
      ... "CSP Region", "Uploaded on", "Date of death" ...
      <a href="/download/{24 hex}">View</a> <a href="/download/{24 hex}">Download</a>
    </section>

The site is in beta, so fields are found by their caption *text*, never by position or
CSS class: a caption is a text node equal to a known label, and its value is the text
that follows it up to the next block element. A page that has neither cards nor a
"0 results" text has changed shape, and :class:`LayoutChanged` says so loudly rather
than reporting an empty library.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

from ..errors import FetchError
from .defaults import DEFAULT_BASE_URL

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_BASE_URL", "Card", "IndexPage", "LayoutChanged", "page_url", "parse_index"]

#: caption text (lower case) → field name
CAPTIONS = {
    "dhr title": "title",
    "csp": "csp",
    "csp region": "csp_region",
    "uploaded on": "uploaded_on",
    "date of death": "date_of_death",
}
REQUIRED_CAPTIONS = ("title", "csp", "uploaded_on")

_CARD_LABEL = re.compile(r"^\s*DHR result\b", re.IGNORECASE)
_DOWNLOAD = re.compile(r"/download/([0-9a-fA-F]{24})(?:[/?#]|$)")
_TOTAL = re.compile(r"Showing\s+results\s+(\d+)\s+to\s+(\d+)\s+of\s+(\d+)", re.IGNORECASE)
_NO_RESULTS = re.compile(r"(?:\b0\s+results\b|\bno\s+results\b|\bno\s+DHRs\b|of\s+0\b)", re.IGNORECASE)
_BLOCK_TAGS = {
    "div", "p", "section", "article", "li", "ul", "ol", "table", "tr", "td", "th",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "button", "form", "hr", "dl", "dt", "dd",
}
_VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area"}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}


class LayoutChanged(FetchError):
    """The index page no longer looks like the Library's result list."""


@dataclass(slots=True)
class Card:
    """One report as listed on an index page (values as shown, whitespace-normalised)."""

    label: str
    download_id: str | None = None
    href: str | None = None
    title: str | None = None
    csp: str | None = None
    csp_region: str | None = None
    uploaded_on: str | None = None
    date_of_death: str | None = None

    @property
    def uploaded(self) -> str | None:
        """Upload month ``YYYY-MM``, from the card, else from the id's timestamp."""
        return parse_month(self.uploaded_on) or month_from_id(self.download_id)

    @property
    def death_month(self) -> str | None:
        """Date of death as ``YYYY-MM`` (the Library gives months only)."""
        return parse_month(self.date_of_death)


@dataclass(slots=True)
class IndexPage:
    """The cards of one result page and the "Showing results A to B of N" numbers."""

    cards: list[Card] = field(default_factory=list)
    total: int | None = None
    first: int | None = None
    last: int | None = None
    says_empty: bool = False


def page_url(base_url: str, page: int, page_size: int, sort_field: str = "uploadDate") -> str:
    """The URL of result page ``page`` (0-based). Built here because the site's pager
    shows only five pages and drops ``pageSize``."""
    query = urlencode(
        [
            ("pagination[pageNumber]", str(page)),
            ("pagination[pageSize]", str(page_size)),
            ("pagination[sortField]", sort_field),
            ("pagination[sortDirection]", "desc"),
        ]
    )
    return f"{base_url.rstrip('/')}/?{query}"


def parse_month(text: str | None) -> str | None:
    """``"February 2026"`` / ``"Feb 2026"`` / ``"2026-02"`` / ``"3 February 2026"`` → ``"2026-02"``."""
    if not text:
        return None
    text = " ".join(text.split())
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", text)
    if iso and 1 <= int(iso.group(2)) <= 12:
        return f"{iso.group(1)}-{int(iso.group(2)):02d}"
    words = re.fullmatch(r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(\d{4})", text)
    if words and words.group(1).lower() in _MONTHS:
        return f"{words.group(2)}-{_MONTHS[words.group(1).lower()]:02d}"
    return None


def month_from_id(download_id: str | None) -> str | None:
    """The upload month encoded in a Library id: its first 8 hex digits are Unix seconds."""
    if not download_id or not re.fullmatch(r"[0-9a-fA-F]{24}", download_id):
        return None
    stamp = datetime.fromtimestamp(int(download_id[:8], 16), tz=UTC)
    return f"{stamp.year:04d}-{stamp.month:02d}"


def months_apart(a: str, b: str) -> int:
    """Absolute distance in months between two ``YYYY-MM`` strings."""
    ya, ma = (int(x) for x in a.split("-"))
    yb, mb = (int(x) for x in b.split("-"))
    return abs((ya * 12 + ma) - (yb * 12 + mb))


def parse_index(html: str, *, url: str = "index page", base_url: str | None = None) -> IndexPage:
    """Parse one result page. Raises :class:`LayoutChanged` if it has no cards and does
    not say it has no results, or if a required caption is missing from every card."""
    parser = _CardParser()
    parser.feed(html)
    parser.close()
    text = " ".join(" ".join(parser.all_text).split())
    page = IndexPage(cards=parser.cards)
    total = _TOTAL.search(text)
    if total:
        page.first, page.last, page.total = (int(g) for g in total.groups())
    page.says_empty = bool(_NO_RESULTS.search(text)) or page.total == 0
    if not page.cards:
        if page.says_empty:
            return page
        raise LayoutChanged(
            "the Library page has changed shape: no 'DHR result' cards and no '0 results' text",
            path=url,
        )
    for name in REQUIRED_CAPTIONS:
        if all(getattr(card, name) is None for card in page.cards):
            caption = next(k for k, v in CAPTIONS.items() if v == name)
            raise LayoutChanged(
                f"the Library page has changed shape: no card has a '{caption}' caption", path=url
            )
    for card in page.cards:
        if card.href and base_url:
            card.href = urljoin(base_url.rstrip("/") + "/", card.href)
        _cross_check(card)
    return page


def _cross_check(card: Card) -> None:
    shown = parse_month(card.uploaded_on)
    encoded = month_from_id(card.download_id)
    if card.uploaded_on and not shown:
        log.warning("%s: unreadable upload month %r", card.download_id, card.uploaded_on)
    if shown and encoded and months_apart(shown, encoded) > 1:
        log.warning(
            "%s: card says uploaded %s but its id encodes %s", card.download_id, shown, encoded
        )


class _CardParser(HTMLParser):
    """Collects cards; inside a card, a text node equal to a known caption starts a field
    whose value is the following text up to the next block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[Card] = []
        self.all_text: list[str] = []
        self._card: Card | None = None
        self._depth = 0  # open <section> depth inside the current card
        self._field: str | None = None  # caption seen, value being collected
        self._value: list[str] = []
        self._in_link = 0  # link/button text ("View", "Download") is never a value

    # ----------------------------------------------------------------- events
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag == "section":
            label = attributes.get("aria-label", "")
            if self._card is None and _CARD_LABEL.match(label):
                self._card = Card(label=" ".join(_CARD_LABEL.sub("", label).split()))
                self._depth, self._field, self._value, self._in_link = 1, None, [], 0
                return
            if self._card is not None:
                self._depth += 1
        if self._card is None:
            return
        if tag in _BLOCK_TAGS:
            self._finish_field()
        if tag in ("a", "button"):
            self._in_link += 1
        if tag == "a":
            self._link(attributes.get("href", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._card is None:
            return
        if tag in _BLOCK_TAGS:
            self._finish_field()
        if tag in ("a", "button") and self._in_link:
            self._in_link -= 1
        if tag == "section":
            self._depth -= 1
            if self._depth == 0:
                self._finish_field()
                self.cards.append(self._card)
                self._card, self._field, self._value = None, None, []

    def handle_data(self, data: str) -> None:
        self.all_text.append(data)
        if self._card is None:
            return
        text = " ".join(data.split())
        if not text or self._in_link:
            return
        key = text.lower()
        if key in CAPTIONS:
            self._finish_field()
            self._field = CAPTIONS[key]
            self._value = []
        elif self._field is not None:
            self._value.append(text)

    # ----------------------------------------------------------------- helpers
    def _finish_field(self) -> None:
        # A caption with no text yet stays open across a block boundary, so a value in
        # its own <div> is still found; the next caption closes it empty.
        if self._card is not None and self._field is not None and self._value:
            if getattr(self._card, self._field) is None:
                setattr(self._card, self._field, " ".join(self._value))
            self._field = None
            self._value = []

    def _link(self, href: str) -> None:
        assert self._card is not None
        match = _DOWNLOAD.search(href)
        if match and self._card.download_id is None:
            self._card.download_id = match.group(1).lower()
            self._card.href = href
