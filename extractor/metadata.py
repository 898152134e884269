"""Report metadata read from the PDF itself: pseudonym/title, CSP, report date, year of death.

The Home Office library gives these in its manifest, but a PDF picked up from a council
website has only its own text. The cover and introduction nearly always state them in a
handful of stock phrasings ("Report into the death of Adult A", "Manchester Community
Safety Partnership", "Date: 5 March 2013", "Sarah died in March 2016"), so a few anchored
patterns are more predictable than anything clever. Every value found records where it
came from in ``Metadata.sources`` (``pdf:cover``, ``pdf:text`` or ``pdf:metadata``);
``api.py`` lets manifest values override them.

Example:
    >>> meta = extract_metadata(document)
    >>> meta.title, meta.csp, meta.published, meta.year_of_death
    ('Report into the death of Adult A', 'Guildford Community Safety Partnership', '2013-03', 2012)
"""

from __future__ import annotations

import re
from collections import Counter

from ._text import sentences_with, squash
from .models import Document, Metadata

COVER_PAGES = 2  # the cover and the page after it (often the title page proper)
INTRO_PAGES = 8  # where the CSP and the circumstances of the death are introduced
DEATH_PAGES = 12  # the circumstances of the death are told early

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
_MONTH_RE = "(?:" + "|".join(m[:3] + f"(?:{m[3:]})?" if len(m) > 3 else m for m in MONTHS) + ")"
_MONTH_NUMBER = {m[:3].lower(): i for i, m in enumerate(MONTHS, start=1)}
_DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)"
_YEAR = r"(?:19[89]\d|20[0-4]\d)"

_QUOTE_OPEN = "'‘\"“"
_QUOTE_CLOSE = "'’\"”"
_NAME_TOKEN = r"(?:[A-Z][a-zA-Z'’-]*|[A-Z]\.?)"
# "Adult A", "Mrs B", "Sarah", "Ms Jane Doe" — up to four capitalised tokens.
_PLAIN_NAME = rf"{_NAME_TOKEN}(?: +{_NAME_TOKEN}){{0,3}}"  # never across a line break
_QUOTED_NAME = rf"[{_QUOTE_OPEN}](?P<q>[^{_QUOTE_CLOSE}\n]{{1,40}})[{_QUOTE_CLOSE}]"
_DEATH_OF = re.compile(
    r"\b(?:death|deaths|homicide|murder|killing|manslaughter|[Cc]ase)\s+of\s+"
    rf"(?:{_QUOTED_NAME}|(?P<p>{_PLAIN_NAME}))"
)
# A cover line that is only a quoted name (“TL”), or a name line followed by "Died …".
_COVER_QUOTED = re.compile(rf"^\s*{_QUOTED_NAME}\s*$", re.M)
_COVER_DIED = re.compile(rf"^\s*(?P<p>{_PLAIN_NAME})\s*\n\s*(?:Died|Death)\b", re.M)
_DHR_DASH = re.compile(
    rf"\b(?:Domestic\s+Homicide\s+Review|DHR)\s*(?:[–—:-]|into)\s*(?:{_QUOTED_NAME}|(?P<p>{_PLAIN_NAME}))"
)
# Words that can follow "death of" / "DHR –" but are not a pseudonym.
_NOT_A_NAME = {
    "a", "an", "the", "her", "his", "their", "overview", "executive", "report", "final",
    "summary", "domestic", "homicide", "review", "mr", "mrs", "ms", "miss", "dr", "adult",
    "community", "safety", "partnership", "date", "version", "draft", "official", "sensitive",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "in", "on", "at", "by", "independent", "chair",
    "author", "produced", "prepared", "written", "page", "contents", "restricted",
    "confidential", "died", "death", "aged", "age",
}
_TITLE_WORDS = {"mr", "mrs", "ms", "miss", "dr", "adult", "child", "baby"}

_CSP_TOKEN = r"(?:[A-Z][\w'’.-]*|&|and|upon|on|in|the|of|under|with)"
# "Manchester Community Safety Partnership", "Safer Brent Partnership", "Safe in the City
# Partnership", "Oxford Safer Communities Partnership"; the leftmost capitalised run.
_CSP_NAME = re.compile(
    rf"(?P<csp>[A-Z][\w'’.-]*(?:\s+{_CSP_TOKEN}){{0,8}}?\s+"
    r"(?:Partnership(?:\s+Board)?|Community\s+Safety\s+Board))\b"
)
_SAFER_LINE = re.compile(r"^(?P<csp>Safer(?:\s+[A-Z][\w'’.-]*){1,3})$")
_CSP_LIKE = re.compile(r"Community\s+Safety|^Safer?\b|Safer\s+Communities|Keeping\s+\w+\s+Safe")
_AREA_SUFFIX = re.compile(
    r"\s+(?:Community\s+Safety(?:\s+Partnership)?(?:\s+Board)?|Safer\s+Communities\s+Partnership|"
    r"Safeguarding(?:\s+Adults)?\s+Partnership|Partnership(?:\s+Board)?|Safe)$"
)
# Leading words a greedy area match can swallow from the sentence around it.
_AREA_LEAD = re.compile(
    r"^(?:(?:The|This|By|For|Of|On|In|And|To|A|An|Report|Review|Overview|Commissioned|"
    r"Domestic|Homicide|Executive|Summary|Final|Published|Behalf|Chair|Chaired|Independent|"
    r"DHR|Partnership|Prepared|Produced|Under|Board)\s+)+"
)

_DATE_RE = re.compile(rf"\b{_DAY}?(?P<month>{_MONTH_RE})\.?,?\s+(?P<year>{_YEAR})\b")
_NUMERIC_DATE_RE = re.compile(rf"\b(?P<day>\d{{1,2}})[/.](?P<month>\d{{1,2}})[/.](?P<year>{_YEAR})\b")
_DEATH_WORDS = re.compile(r"\b(?:died|death|killed|murder|homicide|found|fatal|stabbed)", re.I)
_REPORT_DATE_CUE = re.compile(r"\b(?:date|final|version|published|completed|submitted|report|updated)\b", re.I)

_WHEN = rf"(?:{_DAY}?{_MONTH_RE}\s+|(?:early|late|mid|the\s+(?:spring|summer|autumn|winter)\s+of)\s*-?\s*)?"
_DEATH_YEAR_PATTERNS = (
    re.compile(
        r"(?=[dDwWlL])\b(?:died|was\s+killed|was\s+murdered|was\s+fatally\s+\w+|was\s+found\s+dead|"
        r"lost\s+(?:her|his|their)\s+li(?:fe|ves)|was\s+unlawfully\s+killed|death\s+occurred)"
        rf"[^.;]{{0,60}}?\b(?:in|on|during)\s+{_WHEN}(?P<year>{_YEAR})\b",
        re.I,
    ),
    re.compile(
        rf"(?=[OI])\b(?:On|In)\s+{_DAY}?{_MONTH_RE}\s+(?P<year>{_YEAR})\b[^.;]{{0,160}}?"
        r"\b(?:found\b[^.;]{0,40}\bdead|died|was\s+killed|was\s+murdered|killed|stabbed|fatally)",
    ),
    re.compile(rf"(?=[dDkKmM])\b(?:died|killed|murdered)\s+(?:in\s+|on\s+)?{_DAY}?{_MONTH_RE}\s+(?P<year>{_YEAR})\b", re.I),
    re.compile(
        r"(?=[dD])\b(?:date\s+of\s+death|died\s+on)\s*:?\s*"
        rf"(?:{_DAY}?{_MONTH_RE}\s+|\d{{1,2}}[/.]\d{{1,2}}[/.])(?P<year>{_YEAR})\b",
        re.I,
    ),
    re.compile(
        rf"(?=[dDhHmMkK])\b(?:death|homicide|murder|killing)\s+of\s+[^.;]{{0,40}}?\bin\s+{_WHEN}(?P<year>{_YEAR})\b",
        re.I,
    ),
)


def extract_metadata(document: Document) -> Metadata:
    """Read what the cover and introduction say about the review.

    Never raises on odd text: a field that cannot be found stays ``None`` and has no
    entry in ``sources``.

    Example:
        >>> extract_metadata(document).to_dict()["sources"]
        {'title': 'pdf:cover', 'csp': 'pdf:cover', 'published': 'pdf:cover', ...}
    """
    meta = Metadata()
    # flattened once here; the finders below would each flatten again
    cover = _flatten(_page_texts(document, 1, COVER_PAGES), keep_lines=True)
    intro = _flatten(_page_texts(document, COVER_PAGES + 1, INTRO_PAGES), keep_lines=True)
    pdf_title = document.pdf_metadata.get("title", "") or document.pdf_metadata.get("Title", "")

    if title := find_cover_title(document):
        meta.title, meta.sources["title"] = title, "pdf:cover"
    elif find_pseudonym(pdf_title):
        meta.title, meta.sources["title"] = " ".join(pdf_title.split()), "pdf:metadata"
    for where, flat in (("pdf:cover", cover), ("pdf:metadata", _flatten(pdf_title, keep_lines=True)),
                        ("pdf:text", intro)):
        if meta.title is None and (title := _pseudonym_in(flat)):
            meta.title, meta.sources["title"] = title, where
        if meta.csp is None and (csp := _csp_in(flat)):
            meta.csp, meta.sources["csp"] = csp, where

    if published := _report_date_in(cover):
        meta.published, meta.sources["published"] = published, "pdf:cover"
    elif published := _pdf_metadata_date(document.pdf_metadata):
        meta.published, meta.sources["published"] = published, "pdf:metadata"

    latest = int(meta.published[:4]) if meta.published else None
    year = find_year_of_death(_page_texts(document, 1, DEATH_PAGES), latest=latest)
    if year is not None:
        meta.year_of_death, meta.sources["year_of_death"] = year, "pdf:text"
    return meta


def find_cover_title(document: Document) -> str | None:
    """The title as printed in the cover's largest type, if it names the review.

    Example:
        >>> find_cover_title(document)
        'Domestic Homicide Review into the death of ‘Adult F’'
    """
    for page in document.pages[:COVER_PAGES]:
        lines = [line for line in page.lines if line.text.strip()]
        if not lines:
            continue
        sizes: Counter[float] = Counter()
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
        body = sizes.most_common(1)[0][0]
        top = max(line.size for line in lines)
        if top < body * 1.3:
            continue
        start = next(i for i, line in enumerate(lines) if line.size >= top - 1)
        run = []
        for line in lines[start : start + 4]:
            if line.size < top - 1:
                break
            run.append(line.text.strip())
        title = " ".join(" ".join(run).split())
        if find_pseudonym(title) or re.search(r"\bhomicide\b|\breview\b", title, re.I):
            return title
    return None


def find_pseudonym(text: str) -> str | None:
    """The name the review goes by: "into the death of 'Adult A'" → ``Adult A``.

    Example:
        >>> find_pseudonym("Domestic Homicide Review – 'Sarah'")
        'Sarah'
    """
    return _pseudonym_in(_flatten(text, keep_lines=True))


def _pseudonym_in(flat: str) -> str | None:
    """``find_pseudonym`` of text already flattened with ``keep_lines``."""
    for pattern in (_DEATH_OF, _DHR_DASH, _COVER_QUOTED, _COVER_DIED):
        for match in pattern.finditer(flat):
            groups = match.groupdict()
            name = clean_name(groups.get("q") or groups.get("p") or "")
            if name:
                return name
    return None


def clean_name(raw: str) -> str | None:
    """Trim a captured name to its name tokens; ``None`` if it is not a name at all."""
    tokens = raw.strip().strip(_QUOTE_OPEN + _QUOTE_CLOSE + " ,.;:").split()
    kept: list[str] = []
    for token in tokens:
        bare = token.strip(",.;:()")
        if not bare:
            break
        after_title = bool(kept) and kept[-1].lower() in _TITLE_WORDS
        starts_title = not kept and bare.lower() in _TITLE_WORDS
        if bare.lower() in _NOT_A_NAME and not (starts_title or after_title):
            break
        kept.append(bare)
        if token != bare:  # punctuation ends the name
            break
    if not kept:
        return None
    if kept[0].lower() in _TITLE_WORDS and len(kept) == 1:
        return None  # "Mr" alone
    return " ".join(kept)


def find_csp(text: str) -> str | None:
    """The Community Safety Partnership that commissioned the review, named as printed.

    Partnerships that look like a CSP ("… Community Safety …", "Safer …") beat other
    partnerships (a safeguarding partnership named in passing); then the most often named
    wins, and ties go to the one named first.

    Example:
        >>> find_csp("Commissioned by Safer Brent Partnership")
        'Safer Brent Partnership'
    """
    return _csp_in(_flatten(text, keep_lines=True))


def _csp_in(flat: str) -> str | None:
    """``find_csp`` of text already flattened with ``keep_lines``."""
    votes: Counter[str] = Counter()
    first: dict[str, int] = {}
    for line in flat.splitlines():
        # substring tests first: both patterns need one of these words
        found = [m.group("csp") for m in _CSP_NAME.finditer(line)] if "Partnership" in line or "Board" in line else []
        if line.startswith("Safer"):
            found += [m.group("csp") for m in _SAFER_LINE.finditer(line)]
        for raw in found:
            name = _AREA_LEAD.sub("", raw).strip(" ,.-")
            if not csp_area(name) or csp_area(name) == name and not _SAFER_LINE.match(name):
                continue  # "the Partnership", "Community Safety Partnership": no area
            votes[name] += 1
            first.setdefault(name, len(first))
    if not votes:
        return None
    return min(votes, key=lambda n: (not _CSP_LIKE.search(n), -votes[n], first[n]))


def csp_area(csp: str | None) -> str | None:
    """The place a partnership covers, as the Home Office library lists it.

    Example:
        >>> csp_area("Safer Cornwall Community Safety Partnership")
        'Cornwall'
    """
    if not csp:
        return None
    area = _AREA_SUFFIX.sub("", csp.strip())
    area = re.sub(r"^(?:Safer|Keeping)\s+(?=[A-Z])", "", area)
    area = _AREA_SUFFIX.sub("", area).strip(" ,.-")
    if not area or area.lower() in {"community safety", "partnership", "the"}:
        return None
    return area


def find_report_date(text: str) -> str | None:
    """The report's own date on its cover as ``YYYY-MM`` (the latest date that is not
    about the death; lines that say "Date"/"Final"/"Version" win).

    Example:
        >>> find_report_date("Overview Report\\nDate: 5 March 2013")
        '2013-03'
    """
    return _report_date_in(_flatten(text, keep_lines=True))


def _report_date_in(flat: str) -> str | None:
    """``find_report_date`` of text already flattened with ``keep_lines``."""
    cued: list[str] = []
    other: list[str] = []
    for line in flat.splitlines():
        if ("19" not in line and "20" not in line) or _DEATH_WORDS.search(line):
            continue  # (every date has a year, 19xx or 20xx: a cheap test first)
        found = [f"{m['year']}-{_MONTH_NUMBER[m['month'][:3].lower()]:02d}" for m in _DATE_RE.finditer(line)]
        found += [
            f"{m['year']}-{int(m['month']):02d}"
            for m in _NUMERIC_DATE_RE.finditer(line)
            if 1 <= int(m["month"]) <= 12 and 1 <= int(m["day"]) <= 31
        ]
        (cued if _REPORT_DATE_CUE.search(line) else other).extend(found)
    pool = cued or other
    return max(pool) if pool else None


_DEATH_CUES = (
    "died", "Died", "DIED", "kill", "Kill", "murder", "Murder", "dead", "death", "Death", "fatal",
    "lost her", "lost his", "lost their", "homicide", "Homicide", "stabbed", "manslaughter",
)


def find_year_of_death(text: str, *, latest: int | None = None) -> int | None:
    """The year of the death from statements such as "died in March 2016".

    Each matching statement votes; the most frequent year wins (the earliest on a tie).
    Years after ``latest`` (the report date) are ignored.

    Example:
        >>> find_year_of_death("On 21 August 2012 police found Adult A dead at home.")
        2012
    """
    # Only sentences that mention a death can state its date: cheap substring tests drop
    # the rest before the patterns scan (they are tried at every character).
    flat = sentences_with(squash(text.replace("\u00a0", " ").replace("\u2011", "-")), _DEATH_CUES)
    votes: Counter[int] = Counter()
    for pattern in _DEATH_YEAR_PATTERNS:
        for match in pattern.finditer(flat):
            year = int(match.group("year"))
            if latest is None or year <= latest:
                votes[year] += 1
    if not votes:
        return None
    return min(votes, key=lambda y: (-votes[y], y))


# --------------------------------------------------------------------------- helpers
def _page_texts(document: Document, first: int, last: int) -> str:
    return "\n".join(
        line.text for page in document.pages if first <= page.number <= last for line in page.lines
    )


def _flatten(text: str, *, keep_lines: bool = False) -> str:
    """Normalise spaces (and, unless ``keep_lines``, join lines) so patterns can span wraps."""
    text = text.replace("\u00a0", " ").replace("\u2011", "-")
    if keep_lines:
        return "\n".join(" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\s+", " ", text)


def _pdf_metadata_date(info: dict[str, str]) -> str | None:
    """``D:20130305…`` from the PDF's ModDate/CreationDate as ``YYYY-MM``."""
    for key in ("modDate", "creationDate", "ModDate", "CreationDate"):
        match = re.match(rf"D:(?P<year>{_YEAR})(?P<month>0[1-9]|1[0-2])", info.get(key, ""))
        if match:
            return f"{match['year']}-{match['month']}"
    return None
