"""Small text helpers shared by the stages: character clean-up and line joining."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

# Characters PDFs produce that mean something plainer. Typographic quotes and en/em
# dashes are kept (they are part of the printed text); look-alikes are folded.
_CHAR_MAP = {
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ",
    "\u2003": " ", "\u3000": " ", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    "\u00ad": "", "\u2010": "-", "\u2011": "-", "\u2212": "-", "\u2043": "-",
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u2024": ".", "\u2026": "...", "\u02bc": "\u2019",
    "\u00b4": "'", "\u0060": "'", "\ufffd": "",
    # Symbol-font bullets (Wingdings/Symbol private-use code points) → a real bullet.
    "\uf0b7": "•", "\uf0a7": "▪", "\uf076": "•", "\uf0d8": "•", "\uf0fc": "•", "\uf0a8": "•",
    "\uf02d": "-", "\uf0e0": "•",
}
_CHAR_TABLE = str.maketrans(_CHAR_MAP)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_SENTENCE_BREAK = re.compile(r"[.;] ")
_HTML_TAGS = re.compile(r"</?(?:br|strong|em|b|i|u|span|p)\s*/?>", re.I)

BULLETS = "•●○◦▪▫■□‣⁃∙·➢➤►▶✓✔❖◆◇–—-*o"
_BULLET_RE = re.compile(r"^\s*(?:[•●○◦▪▫■□‣⁃∙·➢➤►▶✓✔❖◆◇*]|[-–—+«](?=\s)|o(?=\s{1,3}[A-Z]))\s*")

# Left fragments of a line-end hyphen that are compound prefixes: keep the hyphen.
_COMPOUND_PREFIXES = {
    "multi", "non", "inter", "co", "cross", "self", "well", "pre", "post", "anti", "sub",
    "semi", "over", "under", "long", "short", "high", "low", "re", "ex", "part", "full",
    "face", "follow", "one", "two", "three", "four", "five", "single", "third", "front",
    "step", "ill", "mid", "half", "case", "risk", "in", "on", "out",
    "sign", "child", "family", "community", "health", "mental", "domestic", "agency",
}


# Words that mark a phrase as the name of an organisation ("… Police", "… NHS Trust",
# "… Partnership", "MARAC"): shared by locate (agency chapters), segment (agency
# subheadings) and addressees (plausible subjects).
AGENCY_WORD = re.compile(
    r"\b(?:police|constabulary|council|trust|ccg|icb|nhs|service|services|partnership|board|"
    r"probation|office|department|agency|agencies|hospital|practice|practices|gp|gps|team|authority|"
    r"housing|homes|commissioner|college|crc|nps|marac|mappa|idva|aid|ministry|court|courts|prison|"
    r"cafcass|csp|safeguarding|care|health|ambulance|dwp|ukvi|visas|immigration|group|school|schools|"
    r"university|support|commissioning|forum|providers?)\b",
    re.I,
)


def clean_chars(text: str) -> str:
    """Fold ligatures, odd spaces, soft hyphens and look-alike dashes; strip HTML residue."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text.translate(_CHAR_TABLE))
    if "<" in text:
        text = _HTML_TAGS.sub(" ", text)
    return _SPACES.sub(" ", text) if ("  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text) else text


def squash(text: str) -> str:
    """Collapse all whitespace runs to one space and trim."""
    return " ".join(text.split())


def strip_bullet(text: str) -> tuple[bool, str]:
    """Return (had_bullet, text without its leading bullet glyph)."""
    m = _BULLET_RE.match(text)
    if not m:
        return False, text
    return True, text[m.end():]


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines into one paragraph, undoing line-end hyphenation.

    A hyphen at a line end is dropped when the next line continues the word in lower
    case, unless the left fragment is a compound prefix ("multi-", "non-") or the
    right fragment is a word of its own that compounds commonly join.
    """
    out = ""
    for raw in parts:
        part = raw.strip()
        if not part:
            continue
        if not out:
            out = part
            continue
        if out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            left = re.split(r"[\s/(]", out[:-1])[-1]
            if out[-2].isalpha() and part[:1].islower() and left.lower() not in _COMPOUND_PREFIXES and not left.isupper():
                out = out[:-1] + part  # "organis-" + "ation": a word broken by hyphenation
            else:
                out = out + part  # "multi-" + "agency", "0-" + "19": a real hyphen
        elif out.endswith(("/", "–", "—")) and not out.endswith((" –", " —")):
            out = out + part
        else:
            out = out + " " + part
    return squash(out)


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'’&-]*", text)


def sentences_with(text: str, cues: tuple[str, ...]) -> str:
    """The sentences of ``text`` that contain any of ``cues``, in order, joined by spaces.

    ``text`` is whitespace-flattened (see :func:`squash`); a sentence ends at "." or ";"
    before a space. Finding each cue with ``str.find`` and widening to its sentence is
    several times cheaper than splitting a long report into sentences and testing
    every one, and gives the same result.

    Example:
        >>> sentences_with("She moved. He died in 2015; police came. It rained.", ("died",))
        'He died in 2015;'
    """
    ends = [m.start() for m in _SENTENCE_BREAK.finditer(text)]  # the "." or ";" of each break
    found: dict[int, int] = {}
    for cue in cues:
        at = text.find(cue)
        while at != -1:
            k = bisect_left(ends, at)
            start = ends[k - 1] + 2 if k else 0
            end = ends[k] + 1 if k < len(ends) else len(text)
            found[start] = end
            at = text.find(cue, end)
    return " ".join(text[start:end] for start, end in sorted(found.items()))
