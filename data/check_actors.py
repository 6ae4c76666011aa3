#!/usr/bin/python3
"""Checks data/actors.jsonl, the actor directory, beyond what check_dataset.py checks.

Usage:
  mkdir -p /tmp/pystubs && protoc -I proto --python_out=/tmp/pystubs \
      proto/rollcall/v1/{actor,event,statement,exchange}.proto
  /usr/bin/python3 data/check_actors.py data/actors.jsonl /tmp/pystubs \
      [--niger data/niger-coup-2023.jsonl]

First runs every check of check_dataset.py (strict parsing, unique well-formed
ids, every memberOf defined on an earlier line, no output-only fields). Then:
the file holds only actors; exactly 193 states (and the Security Council,
a UN organ) are current members of the UN,
with unique, well-formed ISO 3166-1 alpha-3 (and alpha-2) codes; the members
of the key organisations, as of AS_OF, number what they should (EU 27, AU 55,
ECOWAS 12 after the 2025 withdrawals, NATO 32, ASEAN 11 with Timor-Leste,
Arab League 22, G7 7, ...), and ECOWAS's are exactly the twelve expected;
identifiers are unique per scheme; every member of an AU-recognised regional
economic community is an AU member; demonyms and metonyms are neither empty
nor repeated, and each (compared without case) belongs to one actor only and
is no other actor's display name or alias. With --niger, each actor that is also in
the Niger data set has that set's kind, display name and country code, and
keeps its aliases and memberships. Where Debian's iso-codes is installed, the
codes are also checked against /usr/share/iso-codes/json/iso_3166-1.json.
Prints one summary line (after any error lines) and exits 1 on errors.
"""

import argparse
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep data/ free of __pycache__
sys.path.insert(0, HERE)
import check_dataset  # noqa: E402

# Memberships are counted as they hold on this day (the directory's "as of").
AS_OF = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)

EXPECTED_COUNTS = {
    "united-nations": 194,  # 193 member states and the Security Council, a UN organ
    "european-union": 27,
    "african-union": 55,
    "ecowas": 12,
    "alliance-of-sahel-states": 3,
    "arab-maghreb-union": 5,
    "cen-sad": 29,
    "comesa": 21,
    "eac": 8,
    "eccas": 11,
    "igad": 8,
    "sadc": 16,
    "nato": 32,
    "asean": 11,
    "arab-league": 22,
    "oic": 57,
    "g7": 7,
    "brics": 10,
    "un-security-council": 15,
}
ECOWAS_2025 = {"benin", "cape-verde", "cote-divoire", "gambia", "ghana", "guinea",
               "guinea-bissau", "liberia", "nigeria", "senegal", "sierra-leone", "togo"}
ECOWAS_LEAVERS = {"mali", "burkina-faso", "niger"}
AU_RECS = ["arab-maghreb-union", "cen-sad", "comesa", "eac", "eccas", "ecowas", "igad", "sadc"]
ISO_CODES_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"


def load(path, stubs):
    """Parses every line into an ExchangeRecord (check_dataset has checked them)."""
    from google.protobuf import json_format
    from rollcall.v1 import exchange_pb2
    records = []
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            rec = exchange_pb2.ExchangeRecord()
            json_format.Parse(line, rec)
            records.append(rec)
    return records


def holds(membership, when):
    if membership.HasField("start_time") and membership.start_time.ToDatetime(
            tzinfo=datetime.timezone.utc) > when:
        return False
    if membership.HasField("end_time") and membership.end_time.ToDatetime(
            tzinfo=datetime.timezone.utc) <= when:
        return False
    return True


def members_of(actors, org, when=AS_OF):
    return {name[len("actors/"):] for name, a in actors.items()
            if any(m.organisation == "actors/" + org and holds(m, when) for m in a.member_of)}


def check_mentions(actors, errors):
    """Demonyms and metonyms: none empty or repeated, and each (compared without
    case) points to one actor: no other actor claims it as a demonym, a
    metonym, an alias or its display name."""
    names = {}  # casefolded display name or alias -> actor
    for name, a in actors.items():
        for n in [a.display_name, *a.aliases]:
            names.setdefault(n.casefold(), set()).add(name)
    claimed = {}  # casefolded demonym or metonym -> {actor: field}
    for name, a in actors.items():
        for field in ("demonyms", "metonyms"):
            values = list(getattr(a, field))
            if any(not v.strip() or v != v.strip() for v in values):
                errors.append(f"{name}: empty or padded entry in {field}")
            if len(set(values)) != len(values):
                errors.append(f"{name}: repeated entry in {field}")
            for v in values:
                claimed.setdefault(v.casefold(), {}).setdefault(name, field)
    for key, owners in sorted(claimed.items()):
        if not key.strip():
            continue
        if len(owners) > 1:
            errors.append(f"{key!r} is claimed by " + ", ".join(
                f"{o} ({f})" for o, f in sorted(owners.items())) + "; it must point to one actor")
        others = names.get(key, set()) - set(owners)
        if others:
            errors.append(f"{key!r} ({', '.join(sorted(owners))}) is also a name or alias of "
                          f"{', '.join(sorted(others))}")


def check(path, stubs, niger_path, errors):
    from rollcall.v1 import actor_pb2
    records = load(path, stubs)
    actors = {}
    for n, rec in enumerate(records, 1):
        if rec.WhichOneof("record") != "actor":
            errors.append(f"{path}:{n}: the directory holds only actors")
            continue
        actors[rec.actor.name] = rec.actor

    states = {name: a for name, a in actors.items() if a.kind == actor_pb2.ACTOR_KIND_STATE}

    # States: country codes and ISO identifiers.
    seen_codes = {}
    for name, a in states.items():
        if not re.fullmatch(r"[A-Z]{3}", a.country_code):
            errors.append(f"{name}: state without a valid country code")
        elif a.country_code in seen_codes:
            errors.append(f"{name}: country code {a.country_code} also used by "
                          f"{seen_codes[a.country_code]}")
        seen_codes[a.country_code] = name
        idents = {}
        for i in a.identifiers:
            idents.setdefault(i.scheme, []).append(i.value)
        iso3 = idents.get("iso3166", [])
        if iso3 and iso3 != [a.country_code]:
            errors.append(f"{name}: iso3166 identifier {iso3} differs from countryCode")
        for v in idents.get("iso3166-1-alpha-2", []):
            if not re.fullmatch(r"[A-Z]{2}", v):
                errors.append(f"{name}: bad alpha-2 code {v!r}")

    # Identifiers are unique within each scheme across the directory.
    by_scheme = {}
    for name, a in actors.items():
        for i in a.identifiers:
            key = (i.scheme, i.value)
            if key in by_scheme:
                errors.append(f"{name}: identifier {i.scheme}={i.value} also on {by_scheme[key]}")
            by_scheme[key] = name
            if i.scheme == "wikidata" and not re.fullmatch(r"Q[1-9][0-9]*", i.value):
                errors.append(f"{name}: bad wikidata id {i.value!r}")
            if i.scheme == "cameo" and not re.fullmatch(r"[A-Z]{3}([A-Z]{3})*", i.value):
                errors.append(f"{name}: bad cameo code {i.value!r}")

    # UN membership: exactly 193 states, all of kind STATE with a country code.
    un = members_of(actors, "united-nations")
    un_states = {s for s in un if "actors/" + s in states}
    if len(un_states) != 193 or un - un_states != {"un-security-council"}:
        errors.append(f"united-nations: {len(un_states)} member states and "
                      f"{sorted(un - un_states)}; expected exactly 193 states and the "
                      "un-security-council")
    for s in ("holy-see", "palestine", "kosovo", "taiwan", "sahrawi-arab-democratic-republic"):
        if s in un:
            errors.append(f"{s} is not a UN member state")
    iso3_of_un = {states["actors/" + s].country_code for s in un_states}
    if len(iso3_of_un) != len(un_states):
        errors.append("UN member states: alpha-3 codes are not unique")

    # Organisation sizes, and ECOWAS exactly.
    for org, expected in EXPECTED_COUNTS.items():
        if "actors/" + org not in actors:
            errors.append(f"organisation actors/{org} is missing")
            continue
        got = members_of(actors, org)
        if len(got) != expected:
            errors.append(f"{org}: {len(got)} members as of {AS_OF.date()}, expected {expected}")
    ecowas = members_of(actors, "ecowas")
    if ecowas != ECOWAS_2025:
        errors.append(f"ecowas members: extra {sorted(ecowas - ECOWAS_2025)}, "
                      f"missing {sorted(ECOWAS_2025 - ecowas)}")
    before = members_of(actors, "ecowas", datetime.datetime(2025, 1, 28, tzinfo=datetime.timezone.utc))
    if before != ECOWAS_2025 | ECOWAS_LEAVERS:
        errors.append(f"ecowas on 2025-01-28 should have 15 members, has {len(before)}")
    if members_of(actors, "alliance-of-sahel-states") != ECOWAS_LEAVERS:
        errors.append("alliance-of-sahel-states: members should be Mali, Burkina Faso, Niger")
    if "timor-leste" not in members_of(actors, "asean"):
        errors.append("asean: Timor-Leste (admitted 26 October 2025) is missing")
    if "united-kingdom" in members_of(actors, "european-union"):
        errors.append("european-union: the United Kingdom left on 31 January 2020")
    if not {"china", "france", "russia", "united-kingdom", "united-states"} <= members_of(
            actors, "un-security-council"):
        errors.append("un-security-council: a permanent member is missing")

    # Members of the AU-recognised RECs are AU members (at any time they were members).
    au = members_of(actors, "african-union")
    for rec in AU_RECS:
        for member in members_of(actors, rec) - au:
            errors.append(f"{member}: member of {rec} but not of the african-union")

    # Consistency with the Niger data set.
    if niger_path:
        for rec in load(niger_path, stubs):
            if rec.WhichOneof("record") != "actor" or rec.actor.name not in actors:
                continue
            theirs, ours = rec.actor, actors[rec.actor.name]
            for field in ("kind", "display_name", "country_code"):
                if getattr(theirs, field) != getattr(ours, field):
                    errors.append(f"{ours.name}: {field} {getattr(ours, field)!r} differs from "
                                  f"{niger_path}'s {getattr(theirs, field)!r}")
            missing = set(theirs.aliases) - set(ours.aliases)
            if missing:
                errors.append(f"{ours.name}: lacks the Niger data set's aliases {sorted(missing)}")
            orgs = {m.organisation for m in theirs.member_of} - {m.organisation for m in ours.member_of}
            if orgs:
                errors.append(f"{ours.name}: lacks the Niger data set's memberships {sorted(orgs)}")

    check_mentions(actors, errors)

    # Against Debian's ISO 3166-1 list, where installed.
    if os.path.exists(ISO_CODES_JSON):
        with open(ISO_CODES_JSON, encoding="utf-8") as f:
            iso = {e["alpha_3"]: e["alpha_2"] for e in json.load(f)["3166-1"]}
        for name, a in states.items():
            for i in a.identifiers:
                if i.scheme == "iso3166" and i.value not in iso:
                    errors.append(f"{name}: {i.value} is not in ISO 3166-1")
                if i.scheme == "iso3166-1-alpha-2" and iso.get(a.country_code) != i.value:
                    errors.append(f"{name}: alpha-2 {i.value} does not match {a.country_code}")
    return actors, states, un_states


def main(argv):
    p = argparse.ArgumentParser(description="Checks the actor directory")
    p.add_argument("actors")
    p.add_argument("stubs")
    p.add_argument("--niger", help="the Niger data set, to check the shared actors against")
    args = p.parse_args(argv[1:])
    if check_dataset.main(["check_dataset.py", args.actors, args.stubs]) != 0:
        return 1
    errors = []
    actors, states, un_states = check(args.actors, args.stubs, args.niger, errors)
    return check_dataset.report(
        errors, f"{args.actors}: {len(actors)} actors ({len(actors) - len(states)} organisations, "
                f"{len(states)} states of which {len(un_states)} UN members)")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
