"""Replace the names of the people in a review with their roles ("the victim" …).

Analysts share the extracted pages, and the target page never names the victim, the
perpetrator or their family: "… such as the perpetrator". Reviews already use
pseudonyms, and they say so in a few stock ways — the title ("into the death of
'Adult A'"), "will be referred to as Sarah", "the victim, Sarah", "Adam (the
perpetrator)", a "Key people" table — so :func:`find_people` reads those declarations and
:func:`anonymise_text` swaps each name for its role, keeping sentence case and
possessives ("Adam's" → "the perpetrator's").

Two guards keep it from damaging text that is not a name: a match inside an agency-like
proper noun ("Victoria Police", "Rose Hill Surgery", or any name in ``protected``) is
left alone, and a name that is also a common word ("Hope", "May", "Will") is not
replaced at the start of a sentence unless the report declared it as a pseudonym, and
never when it is a month next to a number ("May 2016").

Example:
    >>> people = find_people(document)
    >>> anonymise_text("Adam's risk was not assessed.", people)[0]
    "The perpetrator's risk was not assessed."
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ._text import sentences_with
from .metadata import find_pseudonym
from .models import Document, Report

VICTIM, PERPETRATOR = "the victim", "the perpetrator"
_MAIN_ROLES = {
    "victim": VICTIM, "deceased": VICTIM, "perpetrator": PERPETRATOR, "offender": PERPETRATOR,
    "suspect": PERPETRATOR, "defendant": PERPETRATOR, "murderer": PERPETRATOR,
}
_RELATIONS = (
    "ex-partner", "former partner", "partner", "ex-husband", "husband", "ex-wife", "wife",
    "boyfriend", "girlfriend", "son", "daughter", "child", "stepson", "stepdaughter",
    "stepfather", "stepmother", "mother", "father", "brother", "sister", "grandmother",
    "grandfather", "grandson", "granddaughter", "aunt", "uncle", "cousin", "niece", "nephew",
    "friend", "neighbour",
)
_REL_RE = "|".join(re.escape(r) for r in _RELATIONS)
_ROLE_WORD = r"(?:alleged\s+)?(?:victim|deceased|perpetrator|offender|suspect|defendant)"
# Names that are also ordinary English words: replaced mid-sentence only, unless declared.
COMMON_WORD_NAMES = frozenset(
    "hope rose grace will may faith joy mark bill frank dawn summer amber ruby holly iris "
    "violet daisy pat sue rob don ray guy art carol april june august jack ivy hazel heather "
    "olive pearl crystal sky star angel sunny rich bob penny sandy lily robin chase hunter "
    "drew grant miles sterling norman victoria charity patience honor destiny precious".split()
)
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"}
# Proper nouns ending in one of these are organisations or places, never a person.
AGENCY_SUFFIXES = frozenset(
    "Police Constabulary Council Trust Service Services Partnership Board Group Team Hospital "
    "Surgery Practice Centre Center Clinic House Unit Ward Authority Agency Foundation Project "
    "Society Association College School Academy University Court Prison Office Department "
    "Commission Commissioner Network Housing Homes Refuge Aid Care Health Ltd Limited CIC "
    "Charity Church Street Road Lane Avenue Close Drive Way Place Square Park Hill Estate "
    "Lodge Manor Hall Gardens NHS ICB CCG Probation Ambulance Fire Rescue Women's Men's".split()
)
# Capitalised words that follow "the victim," etc. but are never a name.
_NOT_NAMES = frozenset(
    "The This That These He She They His Her Their It In On At When After Before During "
    "However Police Council GP A An And But Was Had Has Is Who Whilst While Although "
    "Following Prior Agencies Mr Mrs Ms Miss Dr Adult Child Name Names Relationship Role "
    "Pseudonym Age Ethnicity Gender Victim Perpetrator Deceased Family".split()
)

PEOPLE_PAGES = 12  # pages read for declarations of names ("referred to as", "the victim, X")

_NAME = (
    r"(?:(?:Mr|Mrs|Ms|Miss|Dr|Adult|Child|Baby)\.?\s+[A-Z][\w-]*(?:\s+[A-Z][a-z][\w-]*){0,2}"
    r"|[A-Z][a-z][\w-]*(?:\s+[A-Z][a-z][\w-]*){0,2})"
)
# A leading lookahead on the first character lets the regex engine skip most positions
# of a long report at once (about twice as fast on these patterns).
_NAME_START = r"(?=[A-Z'‘\"“])"
_QNAME = rf"(?:['‘\"“](?P<q>[^'’\"”\n]{{1,40}})['’\"”]|(?P<n>{_NAME}))"
# Each pattern starts with a literal where it can: the regex engine then jumps between
# occurrences of that literal instead of trying every character of a long report (five
# to ten times faster). The word boundary before the literal is checked in code.
# The "referred to"/"pseudonym" ones carry no "ctx" group: their context is the
# sentence before the match (a leading lazy group would make the scan quadratic).
# Each entry is (states a name outright, starts with a word, pattern).
_DECLARATIONS: tuple[tuple[bool, bool, re.Pattern[str]], ...] = (
    # "The victim will be referred to as 'Sarah'", "her son, known as Tom"
    *(
        (True, True, re.compile(rf"{cue}\s+(?:in\s+this\s+(?:report|review)\s+)?as\s+{_QNAME}"))
        for cue in (r"referred\s+to", "known", "called", "named")
    ),
    # "the pseudonym 'Sarah' … for the victim"
    (True, True, re.compile(rf"pseudonyms?\s+(?:of\s+)?{_QNAME}(?P<after>[^.;:]{{0,60}})")),
    # "the victim, Sarah", "the perpetrator Adam", "the victim's son, Tom"
    *(
        (False, True, re.compile(rf"(?P<ctx>{the}\s+(?:{_ROLE_WORD}(?:['’]s\s+(?:{_REL_RE}))?))\s*,?\s+{_QNAME}"))
        for the in ("the", "The")
    ),
    # "(the perpetrator) Adam"
    (False, False, re.compile(rf"\((?P<ctx>(?:the\s+)?[\w' ’-]{{3,40}})\)\s+{_QNAME}")),
)
# "Sarah (the victim)", "Adam, the perpetrator,", "Tom (victim's son)": the role is found
# first (the pattern starts with "(" or ","), then the name that ends just before it.
_ROLE_AFTER_NAME = re.compile(
    rf"(?:\(|,\s*)(?P<ctx>(?:the\s+)?(?:{_ROLE_WORD}|{_REL_RE}|[\w-]+['’]s\s+(?:{_REL_RE}))[\w' ’-]{{0,30}}?)[),]"
)
# A relation in apposition before the name: "Her son, Tom, was …", "Margaret's neighbour,
# Sam, called …" (the owner is resolved once the victim and perpetrator are known).
_REL_BEFORE_NAME = re.compile(
    rf"(?=[HhTtA-Z])\b(?P<owner>[Hh]er|[Hh]is|[Tt]heir|{_NAME})(?:['’]s)?\s+(?P<rel>{_REL_RE}),\s+{_QNAME}\s*,"
)
# The last words of _RELATIONS: "son, ", "partner, " (the full pattern is tried only
# where one is followed by a comma; it would otherwise start at every capital letter).
_REL_LAST_WORDS = frozenset(r.split()[-1] for r in _RELATIONS)
_NAME_BEFORE_ROLE = re.compile(rf"{_NAME_START}{_QNAME}\s*$")
_NAME_REACH = 200  # characters searched back from a role for the name before it
# Who did what: "Adult A was killed", "Adam was convicted", "killing of X by her husband Y".
_VICTIM_ACT = re.compile(
    rf"{_NAME_START}{_QNAME}\s+(?:(?:was|had\s+been)\s+(?:killed|murdered|stabbed|strangled|found\s+dead|fatally)|died\b)"
)
_PERP_ACT = re.compile(
    rf"{_NAME_START}{_QNAME}(?:\s*,\s*(?:her|his|their|the)\s+[\w' ’-]{{1,30}}?,)?\s*,?\s+(?:(?:who\s+)?(?:was|had\s+been|has\s+been)\s+(?:later\s+|subsequently\s+)?"
    r"(?:convicted|found\s+guilty|sentenced|charged)|pleaded\s+guilty|"
    r"(?:killed|murdered|stabbed|strangled|attacked)\s+(?:her|him|them|his|the|a|an)\b)"
)
# "Daniel was convicted of her murder": the homicide itself, so as sure as a declaration.
_CONVICTED = re.compile(
    rf"{_NAME_START}{_QNAME}\s+(?:(?:was|had\s+been|has\s+been)\s+(?:later\s+|subsequently\s+)?"
    r"(?:convicted|found\s+guilty)\s+of|pleaded\s+guilty\s+to)\s+(?:her|his|their|the)\s+"
    r"(?:murder|manslaughter|killing)\b"
)
_PERP_RISK = re.compile(rf"(?=[rtd])\b(?:risk|threat|danger)\s+(?:posed\s+by|from)\s+{_QNAME}")
_BY_ACT = re.compile(
    rf"(?=[kmd])\b(?:killing|murder|death|manslaughter)\s+of\s+{_NAME}\s+by\s+(?:(?:her|his|their)\s+(?:{_REL_RE})\s*,?\s+)?(?P<n>{_NAME})"
)
_OWNER = "victim|perpetrator|offender|deceased"
# Words one of the act patterns (_BY_ACT, _PERP_ACT, _PERP_RISK, _VICTIM_ACT) needs.
_ACT_CUES = (
    "kill", "murder", "death", "manslaughter", "convicted", "guilty", "sentenced", "charged",
    "stabbed", "strangled", "attacked", "dead", "died", "fatally", "risk", "threat", "danger",
)
_ROLE_TERM = re.compile(
    rf"\b(?:(?P<own>{_OWNER})'s\s+(?P<rel1>{_REL_RE})|(?P<rel2>{_REL_RE})\s+of\s+(?:the\s+)?(?P<own2>{_OWNER})"
    rf"|(?P<main>{'|'.join(_MAIN_ROLES)})(?!'s)|(?P<rel3>{_REL_RE}))\b"
)
_KEY_PEOPLE_HEADING = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:key\s+people|subjects?\s+of\s+(?:the\s+|this\s+)?review|"
    r"family\s+members|people\s+involved|individuals\s+involved|pseudonyms|names\s+used|"
    r"the\s+people\s+in\s+this\s+review)\b", re.I,
)
_TABLE_ROW = re.compile(rf"^\W*(?P<name>{_NAME})\s*(?:[–—:|-]|\(|\s)\s*(?P<role>.+?)\)?$")


@dataclass(frozen=True, slots=True)
class Person:
    """A person the review names, the role word that replaces them, and why we think so.

    ``declared`` is true when the report itself presents the name as a pseudonym or
    introduces it with a role; such names are replaced even where they are ambiguous.
    """

    name: str
    role: str
    declared: bool = True
    source: str = ""


def role_from_phrase(phrase: str) -> str | None:
    """The role a phrase describes: "Victim's son" → ``the victim's son``.

    The leftmost role term wins, since it is the subject of the phrase: in "the
    perpetrator's mother, who cared for the victim" the person is the perpetrator's mother.

    Example:
        >>> role_from_phrase("son of the perpetrator")
        "the perpetrator's son"
    """
    low = re.sub(r"\s+", " ", phrase.lower().replace("’", "'"))
    m = _ROLE_TERM.search(low)
    if m is None:
        return None
    if m.group("main"):
        return _MAIN_ROLES[m.group("main")]
    owner = _MAIN_ROLES.get(m.group("own") or m.group("own2") or "victim", VICTIM)
    if owner not in (VICTIM, PERPETRATOR):
        owner = VICTIM
    return f"{owner}'s {m.group('rel1') or m.group('rel2') or m.group('rel3')}"


def role_from_context(before: str, after: str = "") -> str | None:
    """The role of a name introduced as "<before> referred to as X <after>".

    The clause nearest the name says who it is, so comma-separated clauses are tried from
    the right, skipping relative clauses ("…, who cared for the victim, …").

    Example:
        >>> role_from_context("Following the death of the victim, her son will be")
        "the victim's son"
    """
    for clause in reversed(before.split(",")):
        if re.match(r"\s*(?:who|which|whom|whose|aged|now)\b", clause, re.I):
            continue
        if role := role_from_phrase(clause):
            return role
    return role_from_phrase(after)


def find_people(
    document: Document, *, title: str | None = None, mentioned_in: Iterable[str] | None = None
) -> list[Person]:
    """Every named person the report introduces, with a role (one entry per name).

    ``title`` is the review's pseudonym if already known (from a manifest); otherwise the
    cover is read for it. The title's name is the victim.

    ``mentioned_in`` limits the search to people who could be named in those texts (the
    recommendations and summary being anonymised): only the sentences sharing a
    capitalised word with them are read. Every statement about such a person contains
    their name, so their roles come out the same as from a full scan, at a fraction of
    the cost on a long report.
    """
    # People are introduced at the start of a review (introduction, summary, terms of
    # reference); scanning every page of a long report costs more than it finds.
    text = " ".join(" ".join(line.text for p in document.pages[:PEOPLE_PAGES] for line in p.lines).split())
    scan = text if mentioned_in is None else _sentences_naming(text, _name_words(mentioned_in))
    cover = "\n".join(line.text for p in document.pages[:2] for line in p.lines)
    votes: dict[str, Counter[str]] = {}
    declared: set[str] = set()
    strong: set[str] = set()  # stated as a name outright: title, "referred to as", key people

    def vote(raw: str | None, role: str | None, weight: int = 1, is_declared: bool = True,
             is_strong: bool = False) -> None:
        name = _usable(raw)
        if name and role:
            votes.setdefault(name, Counter())[role] += weight
            if is_declared:
                declared.add(name)
            if is_strong:
                strong.add(name)

    vote(find_pseudonym(cover), VICTIM, 5, True, True)
    if title:  # a full title ("… into the death of 'Adult F'") or a bare pseudonym ("Susan")
        name = find_pseudonym(title)
        if name is None and _plausible_title(title, text):
            name = find_pseudonym(f"death of {title}")
        vote(name, VICTIM, 5, True, True)
    for name, role, outright in _declarations(scan):
        vote(name, role, is_strong=outright)
    # The act patterns need an act word; scanning only the sentences that have one is
    # far cheaper than trying the patterns at every character of the report.
    acts = " ".join(sentences_with(stretch, _ACT_CUES) for stretch in scan.split("\n"))
    for m in _BY_ACT.finditer(acts):
        vote(m.group("n"), PERPETRATOR, 2, True, True)
    for m in _CONVICTED.finditer(acts):
        vote(m.group("q") or m.group("n"), PERPETRATOR, 2, True, True)
    for pattern in (_PERP_ACT, _PERP_RISK):
        for m in pattern.finditer(acts):
            vote(m.group("q") or m.group("n"), PERPETRATOR, 1, False)
    for m in _VICTIM_ACT.finditer(acts):
        vote(m.group("q") or m.group("n"), VICTIM, 1, False)
    for name, role in _key_people(document):
        vote(name, role, 3, True, True)
    for name, role in _relations_before_names(scan, votes):
        vote(name, role)
    return _with_variants(_decide(votes, declared, strong, lambda word: _has_word(text, word)))


def _declarations(text: str) -> Iterator[tuple[str | None, str | None, bool]]:
    """(name, role, stated outright) for each declaration of a person in ``text``."""
    for outright, word_first, pattern in _DECLARATIONS:
        for m in pattern.finditer(text):
            if word_first and m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
                continue  # inside a word ("unknown as"): not the cue
            groups = m.groupdict()
            if groups.get("ctx") is not None:
                role = role_from_phrase(groups["ctx"])
            else:
                before = re.split(r"[.;:]", text[max(0, m.start() - 80) : m.start()])[-1]
                role = role_from_context(before, groups.get("after") or "")
            yield m.group("q") or m.group("n"), role, outright or bool(m.group("q"))
    for m in _ROLE_AFTER_NAME.finditer(text):
        named = _NAME_BEFORE_ROLE.search(text, max(0, m.start() - _NAME_REACH), m.start())
        if named is not None:
            yield named.group("q") or named.group("n"), role_from_phrase(m.group("ctx")), bool(named.group("q"))


def _comma_after_relation(text: str) -> Iterator[int]:
    """Positions of each ", " that follows a relation word ("her son, Tom")."""
    at = text.find(", ")
    while at != -1:
        start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
        if text[start:at].lower() in _REL_LAST_WORDS:
            yield at
        at = text.find(", ", at + 2)


def _relations_before_names(text: str, votes: dict[str, Counter[str]]) -> Iterator[tuple[str, str]]:
    """(name, role) for "Her son, Tom," and "Margaret's neighbour, Sam,".

    "Her"/"His" in a review mean the victim, as in :func:`role_from_phrase`; a named
    owner must already be known as the victim or the perpetrator.
    """
    if ", " not in text:
        return
    main = {n: max(c, key=c.__getitem__) for n, c in votes.items()}
    seen: set[int] = set()
    for comma in _comma_after_relation(text):
        m = next((m for m in _REL_BEFORE_NAME.finditer(text, max(0, comma - 80), min(len(text), comma + 80))
                  if m.end("rel") == comma), None)
        if m is None or m.start() in seen:
            continue
        seen.add(m.start())
        owner = m.group("owner")
        if owner.lower() in ("her", "his", "their"):
            owner_role = VICTIM
        elif m.group(0)[len(owner) : len(owner) + 2] in ("'s", "’s"):
            owner_role = main.get(owner)
        else:
            continue  # "Adult B son, Tom": not a possessive
        if owner_role in (VICTIM, PERPETRATOR) and (name := m.group("q") or m.group("n")):
            yield name, f"{owner_role}'s {m.group('rel')}"


# Capitalised words that start sentences or agency names and are never a person's name
# (titles such as "Mr" and "Adult" stay: they introduce one).
_NEVER_NAME_WORDS = (_NOT_NAMES - {"Mr", "Mrs", "Ms", "Miss", "Dr", "Adult", "Child"}) | AGENCY_SUFFIXES
_WINDOW = 250  # characters kept either side of a mention: longer than any declaration


def _name_words(texts: Iterable[str]) -> set[str]:
    """The capitalised words of ``texts`` that could be (part of) a person's name.

    A possessive is looked for without its "'s": "Daniel's access" names Daniel, whom
    the report may only ever call "Daniel".
    """
    words = set()
    for text in texts:
        for word in re.findall(r"[A-Z][\w'’-]*", text or ""):
            word = word.removesuffix("'s").removesuffix("’s").rstrip("'’")
            if word and word not in _NEVER_NAME_WORDS:
                words.add(word)
    return words


def _sentences_naming(text: str, words: set[str]) -> str:
    """The stretches of ``text`` around each occurrence of ``words``, in order.

    Each stretch runs from a sentence end at least ``_WINDOW`` characters before the
    word to one at least as far after it, so every pattern that could match there sees
    the same sentence it would in the whole text. Stretches are joined by a line break,
    which no name pattern crosses.
    """
    hits: list[int] = []
    for word in words:
        at = text.find(word)
        while at != -1:
            hits.append(at)
            at = text.find(word, at + len(word))
    if not hits:
        return ""
    hits.sort()
    spans: list[list[int]] = []
    for at in hits:
        start = text.rfind(". ", 0, max(0, at - _WINDOW)) + 1
        end = text.find(". ", at + _WINDOW)
        end = len(text) if end == -1 else end + 1
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return "\n".join(text[a:b].strip() for a, b in spans)


def _has_word(text: str, word: str) -> bool:
    """True when ``word`` (one lower-case word) occurs in ``text`` as an ordinary word."""
    return word.isascii() and word.isalpha() and word.islower() and re.search(rf"\b{word}\b", text) is not None


def _decide(
    votes: dict[str, Counter[str]], declared: set[str], strong: set[str],
    is_word: Callable[[str], bool],
) -> list[Person]:
    """One role per name from the votes; drop weakly evidenced ordinary words."""
    people = []
    for name, counter in votes.items():
        # A main role beats a relation ("her husband Mr B" who is the perpetrator).
        ranked = sorted(counter.items(), key=lambda kv: (kv[0] not in (VICTIM, PERPETRATOR), -kv[1], kv[0]))
        is_declared = name in declared
        if not is_declared and sum(counter.values()) < 2 and not _titled(name):
            continue  # one undeclared act statement about a plain word is too weak
        if name not in strong and name.lower() not in COMMON_WORD_NAMES and is_word(name.lower()):
            continue  # "the victim, Children's Services…": an ordinary word, not a name
        people.append(Person(name, ranked[0][0], is_declared, "declared" if is_declared else "inferred"))
    return people


def anonymise_text(
    text: str, people: Iterable[Person], protected: Iterable[str] = ()
) -> tuple[str, Counter[str]]:
    """Replace each person's name with their role; return the text and counts per name.

    Example:
        >>> anonymise_text("Sarah said", [Person("Sarah", "the victim")])[0]
        'The victim said'
    """
    people = sorted(people, key=lambda p: -len(p.name))
    if not text or not people:
        return text, Counter()
    first_words = {p.name.split()[0] for p in people}
    if not any(w in text for w in first_words):
        return text, Counter()  # most texts name nobody: skip the guards and the pattern
    by_name = {p.name: p for p in people}
    guarded = _protected_spans(text, protected)
    alternatives = "|".join(re.escape(p.name).replace(r"\ ", r"\s+") for p in people)
    pattern = re.compile(
        rf"(?P<oq>['‘\"“])?(?<![\w-])(?P<name>{alternatives})"
        r"(?P<poss>['’]s\b|s['’](?=\s))?(?P<cq>['’\"”](?!\w))?(?![\w-])"
    )
    counts: Counter[str] = Counter()

    def substitute(m: re.Match[str]) -> str:
        name = re.sub(r"\s+", " ", m.group("name"))
        person = by_name[name]
        start = m.start("name")
        if any(a <= start < b for a, b in guarded) and not (m.group("poss") and _run_starts_at(guarded, start)):
            return m.group(0)
        initial = _sentence_initial(text, m.start())
        if _ambiguous(text, m, person, initial):
            return m.group(0)
        role = person.role
        if m.group("poss"):
            role += "'s"
        if initial:
            role = role[0].upper() + role[1:]
        counts[name] += 1
        quotes_pair = m.group("oq") and m.group("cq")
        return ("" if quotes_pair else m.group("oq") or "") + role + ("" if quotes_pair else m.group("cq") or "")

    out = pattern.sub(substitute, text)
    return _collapse(out, {p.role for p in people}), counts


def anonymise_report(
    report: Report, document: Document, *, protected: Iterable[str] = ()
) -> Report:
    """A copy of ``report`` with names in recommendation texts and the summary replaced.

    What was replaced is recorded in ``report.extra["anonymisation"]`` as
    ``{"applied": true, "replaced": [{"name", "role", "count"}, …]}``. Addressees are
    agency names and are never touched; names the registry matched (``rec.matches``)
    and ``protected`` are guarded inside the texts too.

    Example:
        >>> anonymise_report(report, trace.cleaned).extra["anonymisation"]["replaced"]
        [{'name': 'Adam', 'role': 'the perpetrator', 'count': 3}]
    """
    texts = [rec.text for rec in report.recommendations] + [report.summary or ""]
    people = find_people(document, title=report.metadata.title, mentioned_in=texts)
    # Agency names the registry recognised in this report are protected as well.
    protected = list(protected) + [
        name
        for rec in report.recommendations
        for m in rec.matches
        if m.matched
        for name in (m.canonical, m.input)
        if name
    ]
    totals: Counter[str] = Counter()
    recs = []
    for rec in report.recommendations:
        text, counts = anonymise_text(rec.text, people, protected)
        totals.update(counts)
        recs.append(dataclasses.replace(rec, text=text))
    summary = report.summary
    if summary:
        summary, counts = anonymise_text(summary, people, protected)
        totals.update(counts)
    roles = {p.name: p.role for p in people}
    replaced = [{"name": n, "role": roles[n], "count": c} for n, c in sorted(totals.items())]
    extra = dict(report.extra)
    extra["anonymisation"] = {"applied": True, "replaced": replaced}
    return dataclasses.replace(report, recommendations=recs, summary=summary, extra=extra)


# --------------------------------------------------------------------------- helpers
def _usable(raw: str | None) -> str | None:
    """The name as it should be matched, or ``None`` for words that are not a person."""
    if not raw:
        return None
    name = " ".join(raw.strip().strip("'‘’\"“” ,.;:()").split())
    words = name.split()
    if not words or not name[0].isupper() or len(words) > 4:
        return None
    if words[0] in _NOT_NAMES and not _titled(name):
        return None
    if any(w in AGENCY_SUFFIXES or w in _NOT_NAMES and i > 0 and not _titled(name) for i, w in enumerate(words)):
        return None
    return name


def _plausible_title(title: str, text: str) -> bool:
    """A manifest title names the victim only if it looks like a pseudonym the text uses
    ("Susan"), not a label such as "Manchester review"."""
    if re.search(r"\b(?:review|report|dhr|homicide|partnership|council)\b", title, re.I):
        return False
    return bool(re.search(rf"(?<![\w-]){re.escape(title.strip())}(?![\w-])", text))


def _titled(name: str) -> bool:
    return bool(re.match(r"(?:Mr|Mrs|Ms|Miss|Dr|Adult|Child|Baby)\.?\s", name))


def _with_variants(people: list[Person]) -> list[Person]:
    """Add "Adam Smith" for "Mr Adam Smith", and the first name of a full name when no
    other person shares it (reports say "Jane Doe" once, then "Jane")."""
    out = {p.name: p for p in people}

    def untitled(name: str) -> list[str]:
        parts = name.split()
        return parts[1:] if _titled(name) else parts

    firsts = Counter(untitled(p.name)[0] for p in people if len(untitled(p.name)) >= 2)
    titled_surnames = Counter(
        f"{p.name.split()[0]} {untitled(p.name)[-1]}" for p in people if _titled(p.name) and len(untitled(p.name)) >= 2
    )
    for p in people:
        parts = untitled(p.name)
        if len(parts) < 2:
            continue
        if _titled(p.name):
            out.setdefault(" ".join(parts), dataclasses.replace(p, name=" ".join(parts)))
            # "Mr Holt" for "Mr Kevin Holt", unless another person has that title and surname
            short = f"{p.name.split()[0]} {parts[-1]}"
            if titled_surnames[short] == 1:
                out.setdefault(short, dataclasses.replace(p, name=short))
        first = parts[0]
        if firsts[first] == 1 and first not in _NOT_NAMES and len(first) > 1:
            declared = p.declared and first.lower() not in COMMON_WORD_NAMES
            out.setdefault(first, dataclasses.replace(p, name=first, declared=declared))
    return list(out.values())


def _key_people(document: Document) -> list[tuple[str, str]]:
    """(name, role) pairs from a "Key people" / "Subjects of the review" table."""
    found: list[tuple[str, str]] = []
    lines = [line.text.strip() for line in document.lines()]
    for i, line in enumerate(lines):
        if len(line) > 60 or not _KEY_PEOPLE_HEADING.match(line) or re.search(r"\.{4,}|…{2,}", line):
            continue
        block = [x for x in lines[i + 1 : i + 40] if x]
        for j, row in enumerate(block):
            m = _TABLE_ROW.match(row)
            if m and (role := role_from_phrase(m.group("role"))):
                found.append((m.group("name"), role))
            elif re.fullmatch(_NAME, row) and j + 1 < len(block):
                if role := role_from_phrase(block[j + 1]):
                    found.append((row, role))
    return found


def _protected_spans(text: str, protected: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of agency-like proper nouns, where no name may be replaced."""
    spans = []
    token = r"[A-Z][\w'’&-]*"
    run = re.compile(rf"{token}(?:\s+(?:(?:of|and|&|for|the|upon|on)\s+)*{token})*")
    for m in run.finditer(text):
        words = m.group(0).split()
        if len(words) > 1 and words[-1] in AGENCY_SUFFIXES:
            spans.append(m.span())
    for name in protected:
        if name:
            spans += [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    return spans


def _run_starts_at(spans: list[tuple[int, int]], start: int) -> bool:
    return any(a == start for a, _ in spans)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t(“\"'‘")
    return not before or before[-1] in ".!?:;\n•*–-" or bool(re.search(r"(?:^|\s)\(?[a-z0-9ivx]{1,4}[.)]$", before))


def _ambiguous(text: str, m: re.Match[str], person: Person, initial: bool) -> bool:
    """True when a common-word name is more likely the word ("Hope", "May 2016")."""
    name = m.group("name")
    low = name.lower()
    if low in _MONTHS:
        before, after = text[max(0, m.start() - 8) : m.start()], text[m.end() : m.end() + 4]
        if re.search(r"(?<!\d)\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?$", before) or re.match(r"\s+\d", after):
            return True
    if low in COMMON_WORD_NAMES:
        return initial and not person.declared
    return False


def _collapse(text: str, roles: set[str]) -> str:
    """Tidy "the victim, the victim," and "her son the victim's son" left by appositives."""
    for role in sorted(roles, key=len, reverse=True):
        r = re.escape(role)
        text = re.sub(
            rf"(?i)\b(?P<a>{r})(?P<sep>\s*,\s*|\s+|\s*\(\s*){r}\b(?P<close>\s*\))?(?P<tail>\s*,)?",
            lambda m: m.group("a") + ("" if "," in m.group("sep") else (m.group("tail") or "")),
            text,
        )
        text = re.sub(rf"(?i)\(\s*{r}\s*\)\s+(?P<b>{r})\b", lambda m: m.group("b"), text)
        rel = re.search(rf"'s ({_REL_RE})$", role)
        if rel:
            text = re.sub(rf"(?i)\b(?:his|her|their)\s+{rel.group(1)}\s*,?\s+(?P<b>{r})", lambda m: m.group("b"), text)
        if role.startswith("the "):
            text = re.sub(rf"(^|[.!?]\s+)the(?= {re.escape(role[4:])})", r"\1The", text)
    return text
