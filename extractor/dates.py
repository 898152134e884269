"""When: a report's own date and the year of the death it reviews, from its text.

Both are told in stock phrasings. A cover dates itself on a short line of its own or
after a cue ("Date: 5 March 2013", "Published: 2021", "Final version 03/2021"); the
introduction tells the death ("Sarah died in March 2016", "On Christmas Day 2017 police
found …", "the death of Adult A on 3 March 2019"). Each date pattern is anchored on its
cue, and the death patterns vote, so that a relative's death or a birth date told near
it does not outvote the homicide. ``metadata`` puts the results into ``Metadata``.

Example:
    >>> find_year_of_death("On 21 August 2012 police found Adult A dead at home.")
    2012
"""

from __future__ import annotations

import re
from collections import Counter

from ._text import sentences_with, squash

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
# "Sep", "Sept" and "September" alike (the longest alternative first)
_MONTH_RE = "(?:" + "|".join(
    m[:3] + f"(?:{m[3:]}{'|t' if m == 'September' else ''})?" if len(m) > 3 else m for m in MONTHS
) + ")"
_MONTH_NUMBER = {m[:3].lower(): i for i, m in enumerate(MONTHS, start=1)}
_DAY = r"(?:(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)"  # "3 ", "the 3rd of "
_YEAR = r"(?:19[89]\d|20[0-4]\d)"

_DATE_RE = re.compile(rf"\b{_DAY}?(?P<month>{_MONTH_RE})\.?,?\s+(?P<year>{_YEAR})\b")
# "14/06/2021", "02-06-2021", "5.4.19"; a two-digit year only on a cued line.
_NUMERIC_DATE_RE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?P<sep>[/.-])(?P<month>\d{{1,2}})(?P=sep)(?P<year>{_YEAR}|\d\d)\b(?![/.-]\d)"
)
# Month and year alone on a cued line ("Date of publication: 03/2021"), and a year alone
# after a strong cue ("Published: 2021", "Final version – 2021") or a season ("Spring 2020").
_MONTH_YEAR_RE = re.compile(rf"(?<![\d/.-])(?<!Version )(?P<month>0?[1-9]|1[0-2])[/-](?P<year>{_YEAR})\b(?![/.-]\d)")
_SEASON_YEAR_RE = re.compile(rf"\b(?:Spring|Summer|Autumn|Winter)\s+(?:of\s+)?(?P<year>{_YEAR})\b", re.I)
# the year must follow its cue closely: "Regional Review, 1998 (date of …)" is no date
_CUED_YEAR_RE = re.compile(
    rf"\b(?:published|publication|dated?|final|issued|completed)\b[^\d\n;]{{0,45}}?(?<![\w/.-])(?P<year>{_YEAR})\b(?![/.-]\d)",
    re.I,
)
# A year that is part of a reference, not a date: "DHR 2019", "Case No. 2019".
_REFERENCE_BEFORE = re.compile(r"(?:\b(?:DHR|SAR|No\.?|Ref\.?|Reference|Case|Review)\s*|[/#])$", re.I)
_ISO_DATE_RE = re.compile(rf"\b(?P<year>{_YEAR})-(?P<month>0[1-9]|1[0-2])-(?:[0-2]\d|3[01])\b")
# Lines that tell what happened during the review, not when the report is dated.
_NARRATIVE = re.compile(
    r"\b(?:appointed|met|meeting|meetings|held|commenced|began|started|notified|informed|agreed|convened|"
    r"attended|sentenced|convicted|trial|referred)\b",
    re.I,
)
_DEATH_WORDS = re.compile(r"\b(?:died|death|killed|murder|homicide|found|fatal|stabbed)", re.I)
_REPORT_DATE_CUE = re.compile(r"\b(?:date|final|version|published|completed|submitted|report|updated)\b", re.I)

# A date told by its holiday: "on Christmas Day 2017", "on New Year's Eve 2020".
_NAMED_DAY = (
    r"(?:(?:Christmas|Easter)(?:\s+(?:Day|Eve|Sunday|Monday|weekend))?|Boxing\s+Day|New\s+Year['’]?s\s+(?:Day|Eve)|"
    r"(?:St\.?\s+)?Valentine['’]?s\s+Day|Good\s+Friday|Hallowe['’]?en|(?:Bonfire|Guy\s+Fawkes)\s+Night|"
    r"(?:Mother|Father)['’]?s\s+Day|Remembrance\s+(?:Day|Sunday))"
)
_SEASON = r"(?:the\s+)?(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter)(?:\s+of)?"
_WHEN = (
    rf"(?:{_DAY}?{_MONTH_RE},?\s+|{_NAMED_DAY}\s+(?:of\s+)?|"
    rf"(?:early|late|mid|{_SEASON})\s*-?\s*)?"
)
# "On Friday 3 May 2017", "In the early hours of 4 February 2019", "On the evening of …".
_ON_DATE = (
    r"(?:the\s+(?:early\s+hours|evening|morning|afternoon|night)\s+of\s+)?"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+(?:the\s+)?)?"
)
_NUMERIC_DAY = r"\d{1,2}[/.-]\d{1,2}[/.-]"
# Each pattern's "who" group, where it has one, is the person the statement is about;
# otherwise that is the text just before the match (see death_year_votes).
_DEATH_YEAR_PATTERNS = (
    re.compile(
        r"(?=[dDwWlLbBpP])\b(?:died|was\s+killed|was\s+murdered|was\s+fatally\s+\w+|"
        r"was\s+(?:found|pronounced|declared|confirmed)\s+(?:dead|deceased)|(?:body|remains)\s+(?:was|were)\s+"
        r"(?:found|discovered)|passed\s+away|"
        r"lost\s+(?:her|his|their)\s+li(?:fe|ves)|was\s+unlawfully\s+killed|death\s+occurred|"
        r"was\s+(?:stabbed|beaten|strangled|battered|shot|kicked)\s+to\s+death)"
        rf"[^.;]{{0,60}}?\b(?:in|on|during)\s+{_ON_DATE}{_WHEN}(?P<year>{_YEAR})\b",
        re.I,
    ),
    re.compile(
        rf"(?=[OI])\b(?:On|In)\s+{_ON_DATE}(?:{_DAY}?{_MONTH_RE},?|{_NAMED_DAY})\s+(?P<year>{_YEAR})\b(?P<who>[^.;]{{0,160}}?)"
        r"\b(?:found\b[^.;]{0,40}\b(?:dead|deceased)|pronounced\s+(?:dead|deceased)|died|was\s+killed|"
        r"was\s+murdered|killed|stabbed|fatally)",
    ),
    re.compile(
        rf"(?=[dDkKmM])\b(?:died|killed|murdered)\s+(?:(?:her|him|them)\s+)?(?:in\s+|on\s+)?(?:{_DAY}?{_MONTH_RE},?\s+|{_NUMERIC_DAY})(?P<year>{_YEAR})\b",
        re.I,
    ),
    # "Date of death: 5.4.19", and a key-people table whose "Date of death" heads a column
    re.compile(
        r"(?=[dD])\bdate\s+of\s+death\b[^;]{0,80}?"
        rf"(?:(?:{_DAY}?{_MONTH_RE}\s+|\b{_NUMERIC_DAY})(?:(?P<year>{_YEAR})|(?P<yy>\d\d))|\b(?P<iso>{_YEAR})-[01]?\d-[0-3]?\d)\b",
        re.I,
    ),
    re.compile(
        rf"(?=[dDhHmMkK])\b(?:death|homicide|murder|killing)\s+of\s+(?P<who>[^.;]{{0,40}}?)\b(?:in|on)\s+{_ON_DATE}{_WHEN}(?P<year>{_YEAR})\b",
        re.I,
    ),
    # "The homicide took place on 30 June 2019", "The fatal incident occurred in 2016"
    re.compile(
        r"(?=[dDhHmMkKfF])\b(?:death|homicide|murder|killing|manslaughter|fatal\s+(?:incident|assault|attack|stabbing))"
        rf"\s+(?:took\s+place|occurred|happened)\s+(?:in|on)\s+{_ON_DATE}{_WHEN}(?P<year>{_YEAR})\b",
        re.I,
    ),
    # "Adult A's death in March 2017"
    re.compile(rf"(?P<who>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)['’]s\s+death\s+(?:in|on)\s+{_ON_DATE}{_WHEN}(?P<year>{_YEAR})\b"),
)
_DEATH_OF_DATE = _DEATH_YEAR_PATTERNS[4]  # "the death of <who> in/on <date>"
# Words between "the death of X" and its date that make the date another event's: an
# inquest "was concluded on …" (but "was certified on …" is the death's own date).
_OTHER_EVENT = re.compile(
    r"\b(?:was|were|is|has|had|been|will)\s+(?!certified|pronounced|confirmed|declared|verified|recorded)\w+"
)
# A relative as the subject ("her father died in 2016", "Adult A's brother was killed"):
# the death of someone else, unless the relative is the one doing the killing.
_RELATIVE = re.compile(
    r"\b(?:[Hh]er|[Hh]is|[Tt]heir|[A-Z][\w-]*['’]s)\s+(?:late\s+|elder\s+|older\s+|younger\s+|baby\s+|first\s+|previous\s+|own\s+)?"
    r"(?:mother|father|parents?|brothers?|sisters?|siblings?|sons?|daughters?|child|children|grand\w+|aunt|"
    r"uncle|cousin|niece|nephew|friend|step\w+)\b"
)
_KILLS_SOMEONE = re.compile(r"\b(?:killed|murdered|stabbed|attacked)\s+(?:her|him|them)\b")
_VICTIM_SUBJECT = re.compile(r"\b(?:victim|deceased)\b", re.I)
# A death stated without its date ("… was pronounced dead shortly afterwards"): the
# date is the one told just before it.
_UNDATED_DEATH = re.compile(r"\b(?:pronounced|declared|confirmed|found)\s+(?:dead|deceased)|\bdied\b")
_BIRTH = re.compile(r"\b(?:born|birth|b\.|DOB|D\.O\.B\.?)", re.I)
_FULL_DATE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE}\s+(?P<year>{_YEAR})\b")


def report_date_in(flat: str, *, cued_only: bool = False) -> str | None:
    """``find_report_date`` of text already flattened with ``keep_lines``.

    Lines of prose are skipped: a cover's date stands on a short line of its own or after
    a cue ("Date:", "Final report"), and a sentence ending in a full stop or telling an
    event ("the panel met on …", "appointed 2 April 2019") is the story, not the report.
    ``cued_only`` keeps only cued lines (pages after the cover).
    """
    cued: list[str] = []
    other: list[str] = []
    for line in flat.splitlines():
        if ("19" not in line and "20" not in line and "/" not in line) or _DEATH_WORDS.search(line) \
                or _BIRTH.search(line):
            continue  # (a date has a year, 19xx or 20xx, or is "14/06/21": a cheap test first)
        words = len(line.split())
        if words > 16 or line[:1].islower() or (line.endswith(".") and words > 6) or _NARRATIVE.search(line):
            continue
        is_cued = bool(_REPORT_DATE_CUE.search(line))
        if not is_cued and (cued_only or words > 10):
            continue
        found = [f"{m['year']}-{_MONTH_NUMBER[m['month'][:3].lower()]:02d}" for m in _DATE_RE.finditer(line)]
        found += [f"{m['year']}-{m['month']}" for m in _ISO_DATE_RE.finditer(line)]
        for m in _NUMERIC_DATE_RE.finditer(line):
            day, month, year = int(m["day"]), int(m["month"]), m["year"]
            if len(year) == 2:
                if not is_cued:
                    continue  # "14/06/21" only where the line says it is a date
                year = f"{2000 + int(year)}"
            if month > 12 and day <= 12:
                day, month = month, day  # US order: "10/16/2020"
            if 1 <= month <= 12 and 1 <= day <= 31 and 1980 <= int(year) <= 2049:
                found.append(f"{year}-{month:02d}")
        if not found:
            found = _coarse_dates(line, is_cued)
        (cued if is_cued else other).extend(found)
    pool = cued or other
    return max(pool) if pool else None


def _coarse_dates(line: str, is_cued: bool) -> list[str]:
    """Dates less precise than a day and month in words: "03/2021" on a cued line as
    ``2021-03``; a season ("Spring 2020") or a year after a strong cue ("Published:
    2021") as the year alone, which sorts before any month of that year.

    Only for a line with no fuller date: there the year is that date's.
    """
    if is_cued and (months := [f"{m['year']}-{int(m['month']):02d}" for m in _MONTH_YEAR_RE.finditer(line)]):
        return months
    if seasons := [m["year"] for m in _SEASON_YEAR_RE.finditer(line)]:
        return seasons
    if not is_cued:
        return []
    return [m["year"] for m in _CUED_YEAR_RE.finditer(line) if not _REFERENCE_BEFORE.search(line, 0, m.start("year"))]


_DEATH_CUES = (
    "died", "Died", "DIED", "kill", "Kill", "murder", "Murder", "dead", "death", "Death", "fatal",
    "lost her", "lost his", "lost their", "homicide", "Homicide", "stabbed", "manslaughter",
    "deceased", "body", "passed away",
)


def find_year_of_death(text: str, *, latest: int | None = None, victim: str | None = None) -> int | None:
    """The year of the death from statements such as "died in March 2016".

    Each matching statement votes; the most frequent year wins (the earliest on a tie).
    A statement about the victim (``victim``, the pseudonym, or "the victim") counts
    three times, and one about a relative's death ("her father died in 2016") not at
    all, so a family history does not outvote the homicide. Years after ``latest`` (the
    report date) are ignored.

    Example:
        >>> find_year_of_death("On 21 August 2012 police found Adult A dead at home.")
        2012
    """
    return best_year(death_year_votes(text, victim=victim), latest)


def best_year(votes: Counter[int], latest: int | None) -> int | None:
    """The year with most votes (the earliest on a tie), none after ``latest``."""
    kept = {y: v for y, v in votes.items() if latest is None or y <= latest}
    if not kept:
        return None
    return min(kept, key=lambda y: (-kept[y], y))


def death_year_votes(text: str, *, victim: str | None = None) -> Counter[int]:
    """Weighted votes for the year of the death (see :func:`find_year_of_death`)."""
    # Only sentences that mention a death can state its date: cheap substring tests drop
    # the rest before the patterns scan (they are tried at every character).
    squashed = squash(text.replace("\u00a0", " ").replace("\u2011", "-"))
    flat = sentences_with(squashed, _DEATH_CUES)
    name = victim if victim and len(victim) > 1 else None
    votes: Counter[int] = Counter()
    for pattern in _DEATH_YEAR_PATTERNS:
        for match in pattern.finditer(flat):
            year = match["year"] or match.groupdict().get("iso")
            if year is None:  # "5.4.19"
                year = f"{2000 + int(match['yy'])}"
                if not 1980 <= int(year) <= 2049:
                    continue
            date_at = match.start("year") if match["year"] else match.start("iso" if match.groupdict().get("iso") else "yy")
            if _BIRTH.search(flat, match.start(), date_at):
                continue  # "the death of X, born on 27 May 1990": the date is the birth's
            who = match.groupdict().get("who")
            if pattern is _DEATH_OF_DATE and _OTHER_EVENT.search(who):
                continue  # "the death of X was concluded on …": the date is another event's
            if who is None:  # the clause before the verb: "Her mother died …"
                before = flat[max(0, match.start() - 60) : match.start()]
                who = re.split(r"[.;]\s|,\s(?:and|but|while|whilst)\s", before)[-1]
            if _RELATIVE.search(who) and not _KILLS_SOMEONE.search(flat, match.start(), match.end() + 8):
                continue  # someone else's death
            about_victim = bool(name and name in who) or bool(_VICTIM_SUBJECT.search(who))
            votes[int(year)] += 3 if about_victim else 1
    if not votes and ("pronounced" in squashed or "declared" in squashed or "found" in squashed or "died" in squashed):
        for match in _UNDATED_DEATH.finditer(squashed):
            dates = [d for d in _FULL_DATE.finditer(squashed, max(0, match.start() - 250), match.start())
                     if not _BIRTH.search(squashed, max(0, d.start() - 20), d.start())]  # "(born 12 May 1980)"
            if dates:
                votes[int(dates[-1]["year"])] += 1
                break
    return votes


def pdf_metadata_date(info: dict[str, str]) -> str | None:
    """``D:20130305…`` from the PDF's ModDate/CreationDate as ``YYYY-MM``."""
    for key in ("modDate", "creationDate", "ModDate", "CreationDate"):
        match = re.match(rf"D:(?P<year>{_YEAR})(?P<month>0[1-9]|1[0-2])", info.get(key, ""))
        if match:
            return f"{match['year']}-{match['month']}"
    return None
