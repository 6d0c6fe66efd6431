"""Generate a large valid briefing for benchmarks: 100 key messages, 1,000 comments, 60 cases.

    python samples/make_large.py large.yaml [--key-messages 100] [--comments 1000] \
        [--case-studies 60] [--seed 2010]

The output is deterministic: the same counts and seed give the same bytes.
Importable too: `large_briefing(...)` returns the data, `large_briefing_text(...)`
the YAML, `write_large(path, ...)` writes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

TOPICS = [
    "commissioning", "skills", "housing", "transport", "health", "apprenticeships",
    "data sharing", "young people", "rural areas", "town centres", "care leavers",
    "troubled families", "adult education", "local enterprise partnerships", "childcare",
]
VERBS = ["should lead", "must shape", "can join up", "already fund", "know best about",
         "are ready to test", "need a say in", "can speed up"]
PLACES = ["Northshire", "Riverton", "Eastbridge", "Westvale", "Southmere", "Kestrel",
          "Lowmoor", "Ashcombe", "Fenwick", "Greyhaven", "Oakford", "Marlow Cross"]
KINDS = ["County Council", "Borough Council", "District Council", "City Council",
         "Metropolitan Borough Council"]
BOARDS = ["Regeneration and Transport Board", "City Regions Board", "People and Places Board",
          "Community Wellbeing Board"]
AWKWARD = ["£2.5 million", "R&D", "the \"work first\" model", "Café Nord", "Tŷ Hafan",
           "5 < 7 targets", "{{ not a template }}", "naïve targets", "O'Neill's report"]


def _sentence(rng: random.Random, lead: str) -> str:
    """Return a plausible sentence about `lead`, sometimes with awkward characters."""
    topic, verb = rng.choice(TOPICS), rng.choice(VERBS)
    extra = f", citing {rng.choice(AWKWARD)}" if rng.random() < 0.15 else ""
    return f"{lead} {verb} {topic} in their areas{extra}."


def _key_message(rng: random.Random, i: int) -> dict[str, Any]:
    """Return key message number `i`."""
    return {
        "id": f"message-{i:03d}",
        "headline": _sentence(rng, "Councils").replace("in their areas", f"(message {i})"),
        "points": [_sentence(rng, "Councils") for _ in range(rng.randint(1, 3))],
        "suggested_by": [rng.choice(BOARDS)],
        "priority": i,
    }


def _comment(rng: random.Random, i: int, n_messages: int) -> dict[str, Any]:
    """Return member comment number `i`, relating to one or two key messages."""
    refs = sorted({f"message-{rng.randint(1, n_messages):03d}" for _ in range(rng.randint(1, 2))})
    comment = {
        "id": f"comment-{i:04d}",
        "text": _sentence(rng, "Members felt that councils"),
        "board": rng.choice(BOARDS),
        "meeting_date": dt.date(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 364)),
        "item": f"Item {rng.randint(1, 9)}",
        "relates_to": refs,
    }
    if rng.random() < 0.2:
        comment["member"] = f"Cllr {rng.choice(PLACES)}"
    return comment


def _case_study(rng: random.Random, i: int, n_messages: int) -> dict[str, Any]:
    """Return case study number `i`."""
    place = rng.choice(PLACES)
    return {
        "id": f"case-{i:03d}",
        "council": f"{place} {rng.choice(KINDS)}",
        "title": f"{place}: {rng.choice(TOPICS)} (case {i})",
        "excerpt": " ".join(_sentence(rng, f"Officers in {place}") for _ in range(3)),
        "outcomes": [f"{rng.randint(20, 900)} residents helped into work or training."],
        "source": {"title": "Councils' role in tackling unemployment: stories from around England",
                   "year": 2010},
        "agreed_with_council": True,
        "relates_to": [f"message-{rng.randint(1, n_messages):03d}"],
    }


def large_briefing(key_messages: int = 100, comments: int = 1000, case_studies: int = 60,
                   seed: int = 2010) -> dict[str, Any]:
    """Return the data of a large valid briefing with the given counts."""
    rng = random.Random(seed)
    return {
        "briefing": {"title": f"Large briefing: {key_messages} messages, {comments} comments",
                     "reference": "BENCH/LARGE", "classification": "OFFICIAL",
                     "status": "draft", "version": 1, "prepared": dt.date(2010, 9, 20)},
        "meeting": {
            "principal": {"name": "Baroness Eaton", "role": "Chairman",
                          "organisation": "Local Government Group"},
            "counterparts": [{"name": "Iain Duncan Smith MP",
                              "role": "Secretary of State for Work and Pensions"}],
            "when": "Autumn 2010",
            "purpose": "To test how the briefing tools cope with a very large briefing.",
        },
        "objectives": ["Build quickly.", "Stay readable.", "Keep every source id."],
        "key_messages": [_key_message(rng, i) for i in range(1, key_messages + 1)],
        "member_comments": [_comment(rng, i, key_messages) for i in range(1, comments + 1)],
        "case_studies": [_case_study(rng, i, key_messages) for i in range(1, case_studies + 1)],
        "lines_to_take": [{"id": f"line-{i:02d}", "question": f"If asked about {t}?",
                           "answer": _sentence(rng, "Councils")}
                          for i, t in enumerate(TOPICS[:10], 1)],
        "background": [{"id": f"background-{i:02d}", "heading": f"Background on {t}",
                        "paragraphs": [_sentence(rng, "Councils") for _ in range(3)]}
                       for i, t in enumerate(TOPICS[:5], 1)],
        "contact": {"name": "Philip Mind", "position": "Senior Policy Consultant",
                    "phone": "020 7664 3243", "email": "Philip.mind@local.gov.uk"},
        "clearance": [],
    }


def large_briefing_text(**counts: int) -> str:
    """Return the YAML text of `large_briefing(**counts)`."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    out.write("# Generated by samples/make_large.py for benchmarks; do not edit by hand.\n")
    yaml.dump(large_briefing(**counts), out)
    return out.getvalue()


def write_large(path: str | Path, **counts: int) -> Path:
    """Return `path` after writing the large briefing there."""
    path = Path(path)
    path.write_text(large_briefing_text(**counts), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and write the file; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the YAML file to write")
    parser.add_argument("--key-messages", type=int, default=100)
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--case-studies", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args(argv)
    write_large(args.out, key_messages=args.key_messages, comments=args.comments,
                case_studies=args.case_studies, seed=args.seed)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
