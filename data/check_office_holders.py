#!/usr/bin/python3
"""Checks data/extract/office-holders.jsonl, the office-holder directory.

Usage (from the repository root):
  /usr/bin/python3 data/check_office_holders.py data/extract/office-holders.jsonl \
      data/actors.jsonl

Each line is one JSON object: one person holding one office for one actor
over one period. The format is documented in data/extract/office-holders.md.
The check reads every line strictly and reports:
  - a line that is not a JSON object, a missing required field (person,
    office, actor, start, gender), an unknown field, a field of the wrong type
    or an empty string (in aliases and officeAliases too), a repeated alias,
    an alias that is the person's name itself;
  - an actor that is not a name ("actors/<id>") in the actor directory, and
    a person's name or alias that is an actor's name, alias, demonym or
    metonym (compared without case);
  - a date that is not YYYY-MM-DD, an end before the start, a period that
    ends before 2020-01-01 or starts after 2025-12-31 (outside the coverage);
  - a gender other than "m" or "f";
  - the same person twice in the same office of the same actor with
    overlapping periods, and two people holding the same office of the same
    actor at the same time, unless every line of that office says
    "multiHolder": true (spokespeople, for instance). A term that ends on the
    day the next begins does not overlap it;
  - lines of the same office of the same actor with different officeAliases
    or multiHolder, and a person with different genders on different lines;
  - a name or alias (compared without case) that two different people use
    at the same time, in any office: the extractor could not tell them apart;
  - an office alias used by two actors, or that is another actor's office
    name ("président de la Transition" would name five juntas' leaders).
Prints the errors and one summary line; exits 1 on errors.
"""

import datetime
import json
import re
import sys

REQUIRED = {"person": str, "office": str, "actor": str, "start": str, "gender": str}
OPTIONAL = {"aliases": list, "officeAliases": list, "end": str, "note": str,
            "multiHolder": bool}
COVERAGE = (datetime.date(2020, 1, 1), datetime.date(2025, 12, 31))
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def actor_names(path):
    """Returns the names ("actors/<id>") defined in an actor JSONL file, and a
    map from each casefolded display name, alias, demonym and metonym to its
    actor."""
    names, mentions = set(), {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                actor = json.loads(line)["actor"]
                names.add(actor["name"])
                for n in [actor["displayName"], *actor.get("aliases", []),
                          *actor.get("demonyms", []), *actor.get("metonyms", [])]:
                    mentions[n.casefold()] = actor["name"]
    return names, mentions


def parse_date(text, field, where, errors):
    if not DATE_RE.match(text):
        errors.append(f"{where}: {field} {text!r} is not YYYY-MM-DD")
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.append(f"{where}: {field} {text!r} is not a valid date")
        return None


def check_strings(obj, where, errors):
    """Checks field types, empty strings and repeated aliases."""
    for field, kind in {**REQUIRED, **OPTIONAL}.items():
        if field not in obj:
            if field in REQUIRED:
                errors.append(f"{where}: missing required field {field!r}")
            continue
        value = obj[field]
        if not isinstance(value, kind):
            errors.append(f"{where}: {field} must be a {kind.__name__}")
            continue
        if kind is str and field != "end" and not value.strip():
            errors.append(f"{where}: {field} is empty")
        if kind is list:
            if any(not isinstance(v, str) or not v.strip() for v in value):
                errors.append(f"{where}: {field} holds an empty or non-string entry")
            elif len(set(value)) != len(value):
                errors.append(f"{where}: {field} repeats an entry")
    for field in obj:
        if field not in REQUIRED and field not in OPTIONAL:
            errors.append(f"{where}: unknown field {field!r}")


def check_line(obj, where, actors, mentions, errors):
    """Checks one line; returns (key, start, end, multi) or None if unusable."""
    before = len(errors)
    check_strings(obj, where, errors)
    if len(errors) > before:
        return None
    if obj["actor"] not in actors:
        errors.append(f"{where}: actor {obj['actor']!r} is not in the actor directory")
    if obj["person"] in obj.get("aliases", []):
        errors.append(f"{where}: aliases repeat the person's name")
    for name in [obj["person"], *obj.get("aliases", [])]:
        if name.casefold() in mentions:
            errors.append(f"{where}: {name!r} is a name, alias, demonym or metonym of "
                          f"{mentions[name.casefold()]}")
    if obj["gender"] not in ("m", "f"):
        errors.append(f"{where}: gender must be \"m\" or \"f\"")
    start = parse_date(obj["start"], "start", where, errors)
    end = parse_date(obj["end"], "end", where, errors) if obj.get("end") else None
    if start is None or (obj.get("end") and end is None):
        return None
    if end and end < start:
        errors.append(f"{where}: end {end} is before start {start}")
    if start > COVERAGE[1]:
        errors.append(f"{where}: starts after {COVERAGE[1]}, outside the coverage")
    if end and end < COVERAGE[0]:
        errors.append(f"{where}: ends before {COVERAGE[0]}, outside the coverage")
    key = (obj["actor"], obj["office"])
    return key, start, end or datetime.date.max, obj.get("multiHolder", False)


def check_overlaps(terms, errors):
    """terms: key -> [(start, end, multi, person, where, names, office_aliases)]."""
    for (actor, office), rows in terms.items():
        multi = {r[2] for r in rows}
        if len(multi) > 1:
            errors.append(f"{actor} {office!r}: multiHolder must be the same on every line")
        if len({r[6] for r in rows}) > 1:
            errors.append(f"{actor} {office!r}: officeAliases must be the same on every line")
        rows.sort(key=lambda r: (r[0], r[1]))
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if b[0] >= a[1]:
                    break
                if a[3] == b[3]:
                    errors.append(f"{b[4]}: {b[3]} holds {office!r} of {actor} twice "
                                  f"(overlaps {a[4]})")
                elif multi != {True}:
                    errors.append(f"{b[4]}: {b[3]} and {a[3]} ({a[4]}) hold {office!r} "
                                  f"of {actor} at the same time")


def check_names(terms, errors):
    """A name or alias must point to one person at any time."""
    by_name = {}
    for rows in terms.values():
        for start, end, _, person, where, names, _ in rows:
            for name in names:
                by_name.setdefault(name.casefold(), []).append((start, end, person, where))
    for name, rows in sorted(by_name.items()):
        rows.sort()
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if b[0] >= a[1]:
                    break
                if a[2] != b[2]:
                    errors.append(f"{b[3]}: the name {name!r} is used by {b[2]} and by "
                                  f"{a[2]} ({a[3]}) at the same time")


def check_office_aliases(terms, errors):
    """An office alias names one actor's office: no other actor may use it as an
    office alias or as the name of one of its offices (compared without case).
    Office names themselves ("President") repeat across actors."""
    offices, aliases = {}, {}
    for (actor, office), rows in terms.items():
        offices.setdefault(office.casefold(), set()).add(actor)
        for alias in rows[0][6]:
            aliases.setdefault(alias.casefold(), set()).add(actor)
    for alias, actors in sorted(aliases.items()):
        others = offices.get(alias, set()) - actors
        if len(actors) > 1 or others:
            errors.append(f"office alias {alias!r} is used by "
                          f"{', '.join(sorted(actors | others))}; it must name one actor's office")


def check(path, actors_path):
    errors = []
    actors, mentions = actor_names(actors_path)
    terms, genders, lines = {}, {}, 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f.read().split("\n"), 1):
            if not line.strip():
                continue
            lines += 1
            where = f"{path}:{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: not JSON ({e.msg})")
                continue
            if not isinstance(obj, dict):
                errors.append(f"{where}: not a JSON object")
                continue
            got = check_line(obj, where, actors, mentions, errors)
            if got:
                key, start, end, multi = got
                names = [obj["person"]] + obj.get("aliases", [])
                office_aliases = tuple(obj.get("officeAliases", []))
                terms.setdefault(key, []).append(
                    (start, end, multi, obj["person"], where, names, office_aliases))
                if genders.setdefault(obj["person"], obj["gender"]) != obj["gender"]:
                    errors.append(f"{where}: {obj['person']} has another gender on another line")
    check_overlaps(terms, errors)
    check_names(terms, errors)
    check_office_aliases(terms, errors)
    people = {r[3] for rows in terms.values() for r in rows}
    return errors, f"{path}: {lines} terms, {len(people)} people, {len(terms)} offices"


def main(argv):
    if len(argv) != 3:
        print("usage: check_office_holders.py OFFICE_HOLDERS.jsonl ACTORS.jsonl", file=sys.stderr)
        return 2
    errors, summary = check(argv[1], argv[2])
    for e in errors:
        print(e)
    print(f"{'FAILED' if errors else 'OK'} {summary}" + (f": {len(errors)} errors" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
