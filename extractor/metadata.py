"""Report metadata read from the PDF itself: pseudonym/title, CSP, report date, year of death.

The Home Office library gives these in its manifest, but a PDF picked up from a council
website has only its own text. The cover and introduction nearly always state them in a
handful of stock phrasings ("Report into the death of Adult A", "Manchester Community
Safety Partnership", "Date: 5 March 2013", "Sarah died in March 2016"), so a few anchored
patterns are more predictable than anything clever. Every value found records where it
came from in ``Metadata.sources`` (``pdf:cover``, ``pdf:text`` or ``pdf:metadata``);
``api.py`` lets manifest values override them. The dates (the report's, the death's)
are read by ``dates``; this module reads the names and puts everything together.

Example:
    >>> meta = extract_metadata(document)
    >>> meta.title, meta.csp, meta.published, meta.year_of_death
    ('Report into the death of Adult A', 'Guildford Community Safety Partnership', '2013-03', 2012)
"""

from __future__ import annotations

import re
from collections import Counter

from .dates import (
    MONTHS,
    best_year,
    death_year_votes,
    find_year_of_death,
    pdf_metadata_date,
    report_date_in,
)
from .models import Document, Metadata

# find_year_of_death lives in ``dates``; it is kept importable from here.
__all__ = [
    "clean_name", "csp_area", "extract_metadata", "find_cover_title", "find_csp", "find_pseudonym",
    "find_report_date", "find_year_of_death", "uncap",
]

COVER_PAGES = 2  # the cover and the page after it (often the title page proper)
INTRO_PAGES = 8  # where the CSP and the circumstances of the death are introduced
DEATH_PAGES = 12  # the circumstances of the death are told early

_QUOTE_OPEN = "'‘\"“"
_QUOTE_CLOSE = "'’\"”"
_NAME_TOKEN = r"(?:(?:Mrs|Mr|Ms|Dr)\.|[A-Z][a-zA-Z'’-]*|[A-Z]\.?)"  # "Mrs. Z" keeps its dot
# "Adult A", "Mrs B", "Sarah", "Ms Jane Doe" — up to four capitalised tokens.
_PLAIN_NAME = rf"{_NAME_TOKEN}(?: +{_NAME_TOKEN}){{0,3}}"  # never across a line break
_QUOTED_NAME = rf"[{_QUOTE_OPEN}](?P<q>[^{_QUOTE_CLOSE}\n]{{1,40}})[{_QUOTE_CLOSE}]"
# "Adult A", "Child D2", "Mrs B", "Mr Holt" (but not "Adult Women")
_TITLED = r"(?:(?:Adult|Child|Baby)\s+[A-Z][A-Z0-9]?\b|(?:Mrs|Mr|Ms|Miss|Dr)\.?\s+[A-Z][\w'’-]*)"
_DEATH_OF = re.compile(
    r"\b(?:death|deaths|homicide|murder|killing|manslaughter|[Cc]ase)\s+of\s+"
    rf"(?:(?P<couple>(?:Mrs|Mr|Ms)\.?\s+(?:and|&)\s+(?:Mrs|Mr|Ms)\.?\s+[A-Z][\w'’-]*)|{_QUOTED_NAME}|(?P<p>{_PLAIN_NAME}))"
)
# A second victim after the first: "the deaths of ‘Elizabeth’ and ‘Ash’".
_AND_NAME = re.compile(rf"\s+(?:and|&)\s+(?:{_QUOTED_NAME}|(?P<p>{_PLAIN_NAME}))")
# A cover line that is only a quoted name (“TL”), or a name line followed by "Died …".
_COVER_QUOTED = re.compile(rf"^\s*{_QUOTED_NAME}\s*$", re.M)
_COVER_DIED = re.compile(rf"^\s*(?P<p>{_PLAIN_NAME})\s*(?:\n\s*|[–—-]\s*)(?:Died|Death|died)\b", re.M)
# A cover line that is only a titled pseudonym: "Adult A", "Mrs B" (a bare capitalised
# word there is as often a place: "Southampton").
_COVER_TITLED = re.compile(rf"^\s*(?P<p>{_TITLED})\s*$", re.M)
# "Domestic Homicide Review – Sarah", "DHR 2019/03 – Tony", "… in respect of ‘Paul’",
# "… concerning Jane"; in brackets only a titled or quoted name: "(Adult A)", not "(Leeds)".
_DHR_DASH = re.compile(
    r"\b(?:Domestic\s+Homicide\s+Review|DHR)\s*(?:(?:No\.?\s*)?[\w/.-]*\d[\w/.-]*\s*)?"
    r"(?:[–—:-]|into|in\s+respect\s+of|concerning|regarding|relating\s+to)\s*"
    rf"(?:{_QUOTED_NAME}|(?P<p>{_PLAIN_NAME}))"
    rf"|\b(?:Domestic\s+Homicide\s+Review|DHR)\s*\(\s*(?:{_QUOTED_NAME.replace('?P<q>', '?P<q2>')}|(?P<p2>{_TITLED}))\s*\)"
)
# The victim's pseudonym declared in the text: "The victim (referred to as Jo …)",
# "the pseudonym ‘Maria’ … for the victim". Only taken with "victim"/"deceased" close by.
_REFERRED_AS = re.compile(
    r"(?=[rkpP])\b(?:referred\s+to|known)\s+(?:in\s+this\s+(?:report|review)\s+)?as\s+"
    rf"(?:{_QUOTED_NAME}|(?P<p>{_PLAIN_NAME}))|\b[Pp]seudonyms?\s+(?:of\s+)?(?:{_QUOTED_NAME.replace('?P<q>', '?P<q2>')}|(?P<p2>{_PLAIN_NAME}))"
)
_VICTIM_WORD = re.compile(r"\b(?:victim|deceased)\b", re.I)
_RELATIVE_WORD = re.compile(r"\b(?:son|daughter|mother|father|brother|sister|partner|husband|wife|friend|child|perpetrator)\b")
_FOR_VICTIM = re.compile(r"[^.;]{0,30}\bfor\s+the\s+(?:victim|deceased)\b(?!['’]s)")
# Words that can follow "death of" / "DHR –" but are not a pseudonym.
_NOT_A_NAME = {
    "a", "an", "the", "her", "his", "their", "overview", "executive", "report", "final",
    "summary", "domestic", "homicide", "review", "mr", "mrs", "ms", "miss", "dr", "adult",
    "community", "safety", "partnership", "date", "version", "draft", "official", "sensitive",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "in", "on", "at", "by", "independent", "chair",
    "author", "produced", "prepared", "written", "page", "contents", "restricted",
    "confidential", "died", "death", "aged", "age", "dhr", "csp", "and",
}
_TITLE_WORDS = {"mr", "mrs", "ms", "miss", "dr", "adult", "child", "baby"}
_MONTH_WORDS = {m.lower() for m in MONTHS}

_CSP_TOKEN = r"(?:[A-Z][\w'’.-]*|&|and|upon|on|in|the|of|under|with)"
# "Manchester Community Safety Partnership", "Safer Brent Partnership", "Safe in the City
# Partnership", "Oxford Safer Communities Partnership"; the leftmost capitalised run.
# The plural is a joint review ("Eastvale and Westbury Community Safety Partnerships");
# "… Partnership Against Domestic Abuse" is a campaign, not the commissioning body.
_CSP_NAME = re.compile(
    rf"(?P<csp>[A-Z][\w'’.-]*(?:\s+{_CSP_TOKEN}){{0,8}}?\s+"
    r"(?:Partnerships?(?:\s+Board)?|Community\s+Safety\s+Board|Safer\s+(?:Stronger\s+)?Communities\s+Board))\b"
    r"(?!\s+(?:Against|Tackling)\b)"
)
_SAFER_BOARD = re.compile(r"(?P<csp>Safer(?:\s+[A-Z][\w'’.-]*){1,3}?\s+Board)\b")  # "the Safer Northtown Board."
# A line that starts a partnership name without its area (the area ended the line before).
_GENERIC_START = re.compile(r"(?:Community\s+Safety\s+(?:Partnership|Board)|Safer\s+Communities\s+Partnership|Partnership\b(?!\s+[A-Z]))")
_TRAILING_AREA = re.compile(r"(?:^|\s)[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|&|and|upon|on|of))*$")
_COUNCIL_PREFIX = re.compile(r"^(?:(?:The\s+)?(?:London\s+|Royal\s+)?Borough\s+of|City\s+of|County\s+of)\s+")
_COUNCIL_SUFFIX = re.compile(r"\s+(?:(?:Metropolitan\s+)?(?:Borough|City|County|District)\s+)?Council$")
# Words that show a line's end is a heading or a label, not a place.
_NOT_AREA = re.compile(
    r"\b(?:Report|Review|Overview|Executive|Summary|Domestic|Homicide|Final|Published|Official|Sensitive|"
    r"Contents|Version|Draft|Council|Borough|Police|Safeguarding|Adults?|Children|Board|Partnership|"
    r"Safety|Community|Author|Chair|Date|Page|DHR|CSP)\b|\d"
)
_AREA_RUN = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|&|and|upon|on))*"
# "Community Safety Partnership for Northtown", "… (Northtown)", "… – Northtown".
_CSP_AREA_AFTER = re.compile(
    r"Community\s+Safety\s+Partnership(?P<plural>s)?\s*(?:for\s+(?:the\s+)?|\(\s*|[–—:-]\s*)"
    rf"(?:(?:London\s+|Royal\s+)?(?:Borough|City|County|District)\s+of\s+)?(?P<area>{_AREA_RUN})"
)
# "Eastvale, " (and more) before a plural partnership name: the list's first areas.
_JOINT_LEAD = re.compile(r"(?:[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|upon|on))*,\s+)+$")
_AREA_CSP = re.compile(rf"(?P<area>{_AREA_RUN})\s+CSP\b")
_SAFER_LINE = re.compile(r"^(?P<csp>Safer(?:\s+[A-Z][\w'’.-]*){1,3})$")
_CSP_LIKE = re.compile(r"Community\s+Safety|^Safer?\b|Safer\s+Communities|Keeping\s+\w+\s+Safe")
_AREA_SUFFIX = re.compile(
    r"\s+(?:Community\s+Safety(?:\s+Partnerships?)?(?:\s+Board)?|Safer\s+Communities\s+(?:Partnership|Board)|"
    r"Safeguarding(?:\s+Adults)?\s+Partnership|Partnerships?(?:\s+Board)?|Board|Safe)$"
)
# Leading words a greedy area match can swallow from the sentence around it.
_AREA_LEAD = re.compile(
    r"^(?:(?:The|This|By|For|Of|On|In|And|To|A|An|Report|Review|Overview|Commissioned|"
    r"Domestic|Homicide|Executive|Summary|Final|Published|Behalf|Chair|Chaired|Independent|"
    r"DHR|Partnership|Prepared|Produced|Under|Board)\s+)+"
)

def extract_metadata(document: Document) -> Metadata:
    """Read what the cover and introduction say about the review.

    The title is the cover's largest type when that names the person ("… into the death
    of ‘Adult F’"); when it is only a heading ("Domestic Homicide Review") the pseudonym
    is looked for in the smaller cover lines, the PDF's own title and the introduction,
    and the heading is kept only if no pseudonym turns up anywhere.

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
    pdf_flat = _flatten(pdf_title, keep_lines=True)

    headings = _largest_type_runs(document)
    if title := next((h for h in headings if _pseudonym_in(h)), None):
        meta.title, meta.sources["title"] = title, "pdf:cover"
    for where, flat, is_cover in (("pdf:cover", cover, True), ("pdf:metadata", pdf_flat, True),
                                  ("pdf:text", intro, False)):
        if meta.title is None and (title := _pseudonym_in(flat, cover=is_cover)):
            meta.title, meta.sources["title"] = title, where
    if meta.title is None and (title := next((h for h in headings if _GENERIC_TITLE.search(h)), None)):
        meta.title, meta.sources["title"] = title, "pdf:cover"  # a heading, but all there is
    # A CSP-like name wins over another partnership ("… Safeguarding Adults Partnership")
    # found in an earlier place; among equals the cover beats the metadata and the text.
    fallback: tuple[str, str] | None = None
    for where, flat in (("pdf:cover", cover), ("pdf:metadata", pdf_flat), ("pdf:text", intro)):
        if csp := _csp_in(flat):
            if _CSP_LIKE.search(csp):
                meta.csp, meta.sources["csp"] = csp, where
                break
            fallback = fallback or (csp, where)
    if meta.csp is None and fallback:
        meta.csp, meta.sources["csp"] = fallback

    if published := report_date_in(cover):
        meta.published, meta.sources["published"] = published, "pdf:cover"
    elif published := report_date_in(_flatten(_page_texts(document, COVER_PAGES + 1, COVER_PAGES + 2), keep_lines=True),
                                      cued_only=True):
        meta.published, meta.sources["published"] = published, "pdf:text"  # after a contents page
    elif published := pdf_metadata_date(document.pdf_metadata):
        meta.published, meta.sources["published"] = published, "pdf:metadata"

    votes = death_year_votes(_page_texts(document, 1, DEATH_PAGES), victim=_victim_name(meta.title))
    latest = int(meta.published[:4]) if meta.published else None
    year = best_year(votes, latest)
    if meta.sources.get("published") == "pdf:metadata" and (unbounded := best_year(votes, None)) != year:
        # A file date earlier than the death the text states is a template's or a
        # re-save's, not the report's: drop it rather than the year of death.
        year = unbounded
        meta.published = None
        del meta.sources["published"]
    if year is not None:
        meta.year_of_death, meta.sources["year_of_death"] = year, "pdf:text"
    return meta


def _victim_name(title: str | None) -> str | None:
    """The pseudonym a title names ("… death of ‘Sarah’" or just "Sarah")."""
    if not title:
        return None
    return _pseudonym_in(title) or (title if not re.search(r"\b(?:review|report|homicide)\b", title, re.I) else None)


def find_cover_title(document: Document) -> str | None:
    """The title as printed in the cover's largest type, if it names the person.

    A heading that names nobody ("Domestic Homicide Review") is not a title here:
    ``extract_metadata`` then looks for the pseudonym in the smaller lines. An ALL-CAPS
    title comes back in ordinary case.

    Example:
        >>> find_cover_title(document)
        'Domestic Homicide Review into the death of ‘Adult F’'
    """
    return next((h for h in _largest_type_runs(document) if _pseudonym_in(h)), None)


_GENERIC_TITLE = re.compile(r"\bhomicide\b|\breview\b", re.I)


def _largest_type_runs(document: Document) -> list[str]:
    """Per cover page, the first run of lines in its largest type, if that type stands
    out from the body text (a title, not a page of one size)."""
    runs = []
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
        runs.append(_flatten(" ".join(run)))
    return runs


def find_pseudonym(text: str) -> str | None:
    """The name the review goes by: "into the death of 'Adult A'" → ``Adult A``.

    Example:
        >>> find_pseudonym("Domestic Homicide Review – 'Sarah'")
        'Sarah'
    """
    return _pseudonym_in(_flatten(text, keep_lines=True))


def _pseudonym_in(flat: str, *, cover: bool = True) -> str | None:
    """``find_pseudonym`` of text already flattened with ``keep_lines``.

    The cover-only forms (a name alone on a line, "Name / Died …") are skipped for body
    text (``cover=False``), where a lone "Adult B" is a table cell, not the title.
    """
    patterns = (_DEATH_OF, _DHR_DASH, _COVER_QUOTED, _COVER_DIED, _COVER_TITLED) if cover else (_DEATH_OF, _DHR_DASH)
    for pattern in patterns:
        for match in pattern.finditer(flat):
            groups = match.groupdict()
            if groups.get("couple"):
                return " ".join(groups["couple"].split())
            quoted = groups.get("q") or groups.get("q2")
            name = clean_name(quoted or groups.get("p") or groups.get("p2") or "", quoted=bool(quoted))
            if name and pattern is _DEATH_OF and match.group(0)[:4].lower() == "case" \
                    and flat[max(0, match.start() - 3) : match.start()].lower() == "in ":
                continue  # "in case of Columns" is the idiom, not "the Case of Rose"
            if name:
                if pattern is _DEATH_OF and (quoted or match.group(0).split()[0] == "deaths"):
                    second = _AND_NAME.match(flat, match.end())
                    if second and (other := clean_name(second["q"] or second["p"] or "", quoted=bool(second["q"]))):
                        return f"{name} & {other}"
                return name
    if "referred" in flat or "known" in flat or "seudonym" in flat:
        for match in _REFERRED_AS.finditer(flat):
            # the clause just before says whose name it is ("The victim (referred to as
            # Jo)"), or the words after do ("… has been used for the victim")
            clause = re.split(r"[.;,]", flat[max(0, match.start() - 60) : match.start()])[-1]
            after = flat[match.end() : match.end() + 50]
            if not (_VICTIM_WORD.search(clause) and not _RELATIVE_WORD.search(clause)) and not _FOR_VICTIM.match(after):
                continue
            quoted = match["q"] or match["q2"]
            if name := clean_name(quoted or match["p"] or match["p2"] or "", quoted=bool(quoted)):
                return name
    return None


def clean_name(raw: str, *, quoted: bool = False) -> str | None:
    """Trim a captured name to its name tokens; ``None`` if it is not a name at all.

    A quoted name may be a month ("‘April’"): the quotes say it is a name, where an
    unquoted "death of June" is as likely a date.
    """
    tokens = raw.strip().strip(_QUOTE_OPEN + _QUOTE_CLOSE + " ,.;:").split()
    kept: list[str] = []
    for token in tokens:
        if token in ("Mr.", "Mrs.", "Ms.", "Dr.") and not kept:
            kept.append(token)  # "Mrs. Z": the dot is the title's, not the end of the name
            continue
        bare = token.strip(",.;:()")
        if not bare:
            break
        after_title = bool(kept) and kept[-1].lower().rstrip(".") in _TITLE_WORDS
        starts_title = not kept and bare.lower() in _TITLE_WORDS
        word = bare.lower()
        if word in _NOT_A_NAME and not (starts_title or after_title) and not (quoted and word in _MONTH_WORDS):
            break
        kept.append(bare)
        if token != bare:  # punctuation ends the name
            break
    if not kept:
        return None
    if kept[0].lower().rstrip(".") in _TITLE_WORDS and len(kept) == 1:
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
    """``find_csp`` of text already flattened with ``keep_lines``.

    A name split over two lines (a logo's "Northtown" over "Community Safety
    Partnership", or a wrapped sentence) is read whole: the area at the end of a line
    is joined to a partnership line that starts without one. Names printed area-last
    ("Community Safety Partnership for Northtown") or as "Northtown CSP" count only when
    no name in the ordinary form is found.
    """
    votes: Counter[str] = Counter()
    first: dict[str, int] = {}
    other: list[str] = []  # area-last and "X CSP" forms, a fallback
    previous = ""
    for line in flat.splitlines():
        has_partnership = "Partnership" in line or "Board" in line
        if has_partnership and previous.endswith(_WRAPPED_NAME_HEADS) and _NAME_TAIL.match(line):
            line = f"{previous} {line}"  # "Lancaster Community Safety" / "Partnership"
        elif has_partnership and _GENERIC_START.match(line) and (area := _trailing_area(previous)):
            line = f"{area} {line}"
        previous = line
        # substring tests first: the patterns need one of these words
        found = [_joint_start(line, m) for m in _CSP_NAME.finditer(line)] if has_partnership else []
        if line.startswith("Safer"):
            found += [m.group("csp") for m in _SAFER_LINE.finditer(line)]
        elif "Safer" in line and "Board" in line and not found:
            found += [m.group("csp") for m in _SAFER_BOARD.finditer(line)]
        for raw in found:
            name = _AREA_LEAD.sub("", raw).strip(" ,.-")
            if not csp_area(name) or csp_area(name) == name and not _SAFER_LINE.match(name):
                continue  # "the Partnership", "Community Safety Partnership": no area
            votes[name] += 1
            first.setdefault(name, len(first))
        if "Community Safety Partnership" in line:
            for m in _CSP_AREA_AFTER.finditer(line):
                area = _COUNCIL_SUFFIX.sub("", m["area"].rstrip(".,;:"))  # "… for Eastvale." ends a sentence
                if area and area not in _ACRONYMS and not _NOT_AREA.search(area):
                    other.append(f"{area} Community Safety Partnership{m['plural'] or ''}")
        if "CSP" in line:
            other += [f"{area} Community Safety Partnership" for m in _AREA_CSP.finditer(line)
                      if (area := _AREA_LEAD.sub("", m["area"] + " ").strip()) and area not in _ACRONYMS]
    if not votes:
        return Counter(other).most_common(1)[0][0] if other else None
    return min(votes, key=lambda n: (not _CSP_LIKE.search(n), -votes[n], first[n]))


# A name wrapped just before its last word: the line ends "… Community Safety", the
# next begins "Partnership".
_WRAPPED_NAME_HEADS = ("Community Safety", "Safer Communities", "Safer Stronger Communities")
_NAME_TAIL = re.compile(r"(?:Partnerships?|Board)\b")


def _joint_start(line: str, match: re.Match[str]) -> str:
    """The partnership name of ``match``, with the first areas of a joint review's list
    ("Eastvale, Westbury and Northtown Community Safety Partnerships") that the comma
    kept out of the match."""
    start = match.start("csp")
    if line[start - 2 : start] != ", " or not match.group("csp").endswith("s"):
        return match.group("csp")
    lead = _JOINT_LEAD.search(line, 0, start)
    return line[lead.start() : match.end("csp")] if lead else match.group("csp")


def _trailing_area(line: str) -> str | None:
    """The place name a line ends with ("Northtown", "Report for the Northtown",
    "London Borough of Northtown", "Northtown Borough Council"), if it ends with one."""
    m = _TRAILING_AREA.search(line)
    if m is None:
        return None
    area = _COUNCIL_SUFFIX.sub("", _COUNCIL_PREFIX.sub("", _AREA_LEAD.sub("", m.group(0)))).strip()
    if not area or _NOT_AREA.search(area):
        return None
    return area


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
    return report_date_in(_flatten(text, keep_lines=True))


# --------------------------------------------------------------------------- helpers
def _page_texts(document: Document, first: int, last: int) -> str:
    return "\n".join(
        line.text for page in document.pages if first <= page.number <= last for line in page.lines
    )


def _flatten(text: str, *, keep_lines: bool = False) -> str:
    """Normalise spaces (and, unless ``keep_lines``, join lines) so patterns can span wraps.

    ALL-CAPS lines are put in ordinary case (see :func:`uncap`): covers set the title,
    the partnership and the date in capitals, and the patterns expect "Partnership".
    """
    text = text.replace("\u00a0", " ").replace("\u2011", "-")
    if keep_lines:
        return "\n".join(uncap(" ".join(line.split())) for line in text.splitlines())
    return uncap(re.sub(r"\s+", " ", text))


# Kept as printed when a line is put in ordinary case: acronyms, and lower-cased: the
# small words of a title ("into the death of", "Newcastle upon Tyne").
_ACRONYMS = frozenset("DHR CSP NHS SAR MARAC MAPPA IDVA ICB CCG UK GP QA SAB LSCB DA DV".split())
_SMALL_WORDS = frozenset("of the and into in on for to by upon under at with from death deaths".split())


def uncap(line: str) -> str:
    """An ALL-CAPS line in ordinary case, keeping initials, pseudonym letters and acronyms.

    Example:
        >>> uncap("DOMESTIC HOMICIDE REVIEW INTO THE DEATH OF ADULT A")
        'Domestic Homicide Review into the death of Adult A'
    """
    if not line.isupper() or not _CAPS_WORD.search(line):
        return line  # (the common case: one C-level test)
    first = True

    def word(m: re.Match[str]) -> str:
        nonlocal first
        w, low = m.group(0), m.group(0).lower()
        at_start, first = first, False
        if low in _SMALL_WORDS and not at_start:
            return low
        if w in _ACRONYMS or (len(w) <= 2 and low not in {"mr", "ms", "dr"}):
            return w  # "A" of "Adult A", initials "TL"
        return w[0] + low[1:]

    return _CAPS_WORD.sub(word, line)


_CAPS_WORD = re.compile(r"[A-Z][A-Z'’]*")
