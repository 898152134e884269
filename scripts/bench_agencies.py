"""Benchmark agency matching: names resolved per second on one core.

The inputs are realistic and distinct: registry names as reports write them (canonical
names, aliases, council/trust variants, lower/upper case, "the …"), one-letter typos,
acronyms, generic forms with an area ("the Police"), multi-addressee strings and names
that must stay unresolved. Every input string is unique, and each run starts from a
fresh registry, so the resolver's caches never see a repeat: the number is the cost of
real work, not of cache hits.

Prints a Markdown table row and writes it into docs/PERFORMANCE.md between the
``<!-- agencies:start -->`` / ``<!-- agencies:end -->`` markers (other sections of that
file are left alone).

Example: python scripts/bench_agencies.py --names 30000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.agencies import AgencyRegistry, MatchContext  # noqa: E402
from extractor.agencies.registry import derived_aliases  # noqa: E402

START, END = "<!-- agencies:start -->", "<!-- agencies:end -->"
AREAS = ["Manchester", "Stockport", "Brighton and Hove", "Southampton", "Ealing", "Guildford",
         "Bassetlaw", "Cumbria", "Plymouth", "Devon", "St Helens", "Newham", "Kent", "Cardiff",
         "Norfolk", "Leeds", "Bristol", "Wokingham", "Solihull", "Lincoln"]
GENERIC = ["the Police", "Police", "the CCG", "The Local Authority", "the Council", "Adult Social Care",
           "Children's Services", "the CSP", "the ICB", "Probation", "All agencies", "Partner Agencies",
           "GP practices", "MARAC", "IDVA service", "Housing providers"]
JUNK = ["Delivering Differently Senior Project Team", "civil justice group in the {a} area",
        "the {a} review panel secretariat", "{a} Neighbourhood Watch", "local faith groups in {a}",
        "the victim's employer in {a}", "{a} taxi licensing forum", "Friends of {a} Park"]


def _typo(rng: random.Random, text: str) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    p = rng.randrange(1, len(w) - 1)
    op = rng.randrange(3)
    if op == 0:
        w = w[:p] + w[p + 1:]
    elif op == 1:
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
    else:
        w = w[:p] + rng.choice("aeiourstn") + w[p:]
    words[i] = w
    return " ".join(words)


def make_inputs(reg: AgencyRegistry, n: int, seed: int = 4) -> list[tuple[str, MatchContext]]:
    """``n`` distinct (name, context) pairs in a realistic mix."""
    rng = random.Random(seed)
    bodies = [a for a in reg.agencies if not a.resolve_via or a.resolve_via.startswith("qualify")]
    contexts = [MatchContext(area=a) for a in AREAS]
    seen: set[tuple[str, int]] = set()
    out: list[tuple[str, MatchContext]] = []
    while len(out) < n:
        a = rng.choice(bodies)
        forms = [a.canonical, *a.aliases, *list(derived_aliases(a))[:6]]
        roll = rng.random()
        if roll < 0.40:
            name = rng.choice(forms)
        elif roll < 0.55:
            name = _typo(rng, rng.choice(forms))
        elif roll < 0.62 and a.acronyms:
            name = rng.choice(a.acronyms)
        elif roll < 0.72:
            name = rng.choice(["the ", "The ", ""]) + rng.choice([str.lower, str.upper, str.title])(rng.choice(forms))
        elif roll < 0.82:
            name = rng.choice(GENERIC)
        elif roll < 0.92:
            b = rng.choice(bodies)
            name = f"{rng.choice(forms)}{rng.choice([' and ', ' / ', '; ', ', '])}{b.canonical}"
        else:
            name = rng.choice(JUNK).format(a=rng.choice(AREAS)) + f" ({rng.randrange(1000)})"
        ci = rng.randrange(len(contexts))
        if (name, ci) in seen:
            continue
        seen.add((name, ci))
        out.append((name, contexts[ci]))
    return out


def run(n: int, repeat: int = 3) -> dict[str, float]:
    """The median of ``repeat`` timed runs, each on a fresh registry (empty caches)."""
    inputs = make_inputs(AgencyRegistry.load(), n)
    runs = sorted((_timed(inputs) for _ in range(repeat)), key=lambda r: r["per_second"])
    return runs[len(runs) // 2]


def _timed(inputs: list[tuple[str, MatchContext]]) -> dict[str, float]:
    n = len(inputs)
    reg = AgencyRegistry.load()  # fresh caches for the timed run
    # CPU time of this process: other jobs on a shared machine do not count against us
    t0 = time.process_time()
    matched = 0
    for name, ctx in inputs:
        matched += any(m.matched for m in reg.resolve(name, context=ctx))
    elapsed = time.process_time() - t0
    return {"names": n, "seconds": elapsed, "per_second": n / elapsed, "matched": matched / n}


def write_section(row: str, path: Path) -> None:
    header = (
        f"{START}\n## Agency matching\n\n"
        "Measured by `scripts/bench_agencies.py`: distinct, realistic addressee strings "
        "(names, aliases, typos, acronyms, generic forms with an area, multi-addressee "
        "strings, unresolvable names), fresh registry, one core, CPU seconds of the process, "
        "median of 3 runs. Target: ≥ 20,000 names/s.\n\n"
        "| date | names | CPU seconds | names/s | share matched | machine |\n|---|---|---|---|---|---|\n"
    )
    section = f"{header}{row}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = f"{before}{section}{after}"
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    r = run(args.names, args.repeat)
    row = (f"| {time.strftime('%Y-%m-%d')} | {r['names']:,} | {r['seconds']:.2f} | "
           f"{r['per_second']:,.0f} | {r['matched']:.2f} | {platform.machine()}, Python "
           f"{platform.python_version()} |")
    print(row)
    if not args.no_write:
        write_section(row, ROOT / "docs" / "PERFORMANCE.md")


if __name__ == "__main__":
    main()
