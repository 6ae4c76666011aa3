#!/usr/bin/python3
"""Generates data/actors.jsonl, the actor directory, from the tables in data/actors/.

Usage (from the repository root):
  /usr/bin/python3 data/make_actors.py            # writes data/actors.jsonl and data/actors/ids.tsv
  /usr/bin/python3 data/make_actors.py --check    # exits 1 if either file is out of date
  /usr/bin/python3 data/make_actors.py --stubs DIR --out FILE --ids FILE

Source tables (tab-separated, UTF-8, lines starting with '#' are comments; the
first line of each is its version, '# version: YYYY-MM-DD', bumped on every
change):
  actors/organisations.tsv  id, name, kind, cameo, wikidata, aliases
  actors/states.tsv         id, name, country_code, iso_alpha3, iso_alpha2, cameo,
                            wikidata, aliases
  actors/memberships.tsv    member, organisation, start, end, note
  actors/mentions.tsv       id, demonyms, metonyms (at most one row per actor)
Aliases, demonyms and metonyms are separated by '|'; an empty entry between
two '|' is an error. Dates are YYYY-MM-DD (midnight UTC) or RFC 3339.
An empty cell means "not known" and the field is left out.

Every record is built as a rollcall.v1.ExchangeRecord with the generated
protobuf classes and printed with google.protobuf.json_format, so each line is
valid against the contract. Organisations come first (in table order), then
states sorted by id, so that every memberOf refers to an earlier line. The
output depends only on the tables: running the script twice gives the same
bytes. Python stubs come from --stubs, or are generated with protoc into a
temporary directory.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
VERSION_RE = re.compile(r"^# version: \d{4}-\d{2}-\d{2}$")
KINDS = {
    "state": "ACTOR_KIND_STATE",
    "regional-bloc": "ACTOR_KIND_REGIONAL_BLOC",
    "international-organisation": "ACTOR_KIND_INTERNATIONAL_ORGANISATION",
}


class TableError(Exception):
    pass


def read_table(path, columns):
    """Returns the rows of a TSV table as dicts, checking the column count and
    that the first line is the table's version, '# version: YYYY-MM-DD'."""
    rows = []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not VERSION_RE.match(text.split("\n", 1)[0]):
        raise TableError(f"{os.path.relpath(path, ROOT)}:1: the first line must be "
                         "'# version: YYYY-MM-DD'")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise TableError(f"{path}:{n}: expected {len(columns)} columns "
                             f"({', '.join(columns)}), got {len(cells)}")
        row = {c: v.strip() for c, v in zip(columns, cells)}
        row["_where"] = f"{os.path.relpath(path, ROOT)}:{n}"
        rows.append(row)
    return rows


def parse_time(text, where):
    """'1975-05-28' -> datetime at midnight UTC; RFC 3339 times pass through."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = datetime.date.fromisoformat(text)
            return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(
            datetime.timezone.utc)
    except ValueError:
        raise TableError(f"{where}: {text!r} is not a date (YYYY-MM-DD) or RFC 3339 time")


def aliases_of(cell):
    return [a.strip() for a in cell.split("|") if a.strip()] if cell else []


def entries_of(cell, column, where):
    """Splits a '|'-separated cell of mentions.tsv, refusing empty and repeated entries."""
    if not cell:
        return []
    entries = [e.strip() for e in cell.split("|")]
    if not all(entries):
        raise TableError(f"{where}: empty entry in {column}")
    if len(set(entries)) != len(entries):
        raise TableError(f"{where}: repeated entry in {column}")
    return entries


def read_mentions(path, position):
    """Returns id -> (demonyms, metonyms) from mentions.tsv."""
    mentions = {}
    for row in read_table(path, ["id", "demonyms", "metonyms"]):
        where = row["_where"]
        if row["id"] not in position:
            raise TableError(f"{where}: unknown actor {row['id']!r}")
        if row["id"] in mentions:
            raise TableError(f"{where}: second row for {row['id']!r}")
        mentions[row["id"]] = (entries_of(row["demonyms"], "demonyms", where),
                               entries_of(row["metonyms"], "metonyms", where))
    return mentions


def load_stubs(stubs_dir):
    # Appended, not prepended, so a stubs dir never shadows google.protobuf.
    sys.path.append(stubs_dir)
    from google.protobuf import json_format  # noqa: F401
    from rollcall.v1 import actor_pb2, exchange_pb2
    return actor_pb2, exchange_pb2


def generate_stubs(out_dir):
    protoc = shutil.which("protoc") or "/usr/bin/protoc"
    proto_dir = os.path.join(ROOT, "proto")
    files = [f"rollcall/v1/{n}.proto" for n in ("actor", "event", "statement", "exchange")]
    subprocess.run([protoc, "-I", proto_dir, f"--python_out={out_dir}", *files], check=True)


def build(stubs, actors_dir):
    """Returns (jsonl_text, ids_tsv_text) built from the tables in actors_dir."""
    from google.protobuf import json_format
    actor_pb2, exchange_pb2 = stubs

    orgs = read_table(os.path.join(actors_dir, "organisations.tsv"),
                      ["id", "name", "kind", "cameo", "wikidata", "aliases"])
    states = read_table(os.path.join(actors_dir, "states.tsv"),
                        ["id", "name", "country_code", "iso_alpha3", "iso_alpha2", "cameo",
                         "wikidata", "aliases"])
    memberships = read_table(os.path.join(actors_dir, "memberships.tsv"),
                             ["member", "organisation", "start", "end", "note"])

    for row in states:
        row["kind"] = "state"
    ordered = list(orgs) + sorted(states, key=lambda r: r["id"])
    position = {}
    for i, row in enumerate(ordered):
        if not ID_RE.match(row["id"]) or row["id"].endswith("-"):
            raise TableError(f"{row['_where']}: bad id {row['id']!r}")
        if row["id"] in position:
            raise TableError(f"{row['_where']}: duplicate id {row['id']!r}")
        if row["kind"] not in KINDS:
            raise TableError(f"{row['_where']}: unknown kind {row['kind']!r}")
        if not row["name"]:
            raise TableError(f"{row['_where']}: name is required")
        position[row["id"]] = i

    mentions = read_mentions(os.path.join(actors_dir, "mentions.tsv"), position)
    member_of = {row["id"]: [] for row in ordered}
    seen = set()
    for m in memberships:
        where = m["_where"]
        for col in ("member", "organisation"):
            if m[col] not in position:
                raise TableError(f"{where}: unknown {col} {m[col]!r}")
        if position[m["organisation"]] >= position[m["member"]]:
            raise TableError(f"{where}: {m['organisation']} must come before {m['member']}")
        key = (m["member"], m["organisation"], m["start"])
        if key in seen:
            raise TableError(f"{where}: duplicate membership {key}")
        seen.add(key)
        start = parse_time(m["start"], where) if m["start"] else None
        end = parse_time(m["end"], where) if m["end"] else None
        if start and end and end < start:
            raise TableError(f"{where}: ends before it starts")
        member_of[m["member"]].append((position[m["organisation"]], start or datetime.datetime.min.replace(
            tzinfo=datetime.timezone.utc), m["organisation"], start, end))

    lines, ids = [], ["# id\tkind\tname\tcountry_code"]
    for row in ordered:
        rec = exchange_pb2.ExchangeRecord()
        a = rec.actor
        a.name = "actors/" + row["id"]
        a.display_name = row["name"]
        a.kind = actor_pb2.ActorKind.Value(KINDS[row["kind"]])
        if row.get("country_code"):
            a.country_code = row["country_code"]
        for _, _, org, start, end in sorted(member_of[row["id"]]):
            m = a.member_of.add()
            m.organisation = "actors/" + org
            if start:
                m.start_time.FromDatetime(start)
            if end:
                m.end_time.FromDatetime(end)
        a.aliases.extend(aliases_of(row["aliases"]))
        if len(set(a.aliases)) != len(a.aliases):
            raise TableError(f"{row['_where']}: repeated alias")
        demonyms, metonyms = mentions.get(row["id"], ([], []))
        a.demonyms.extend(demonyms)
        a.metonyms.extend(metonyms)
        for scheme, col in (("cameo", "cameo"), ("wikidata", "wikidata"),
                            ("iso3166", "iso_alpha3"), ("iso3166-1-alpha-2", "iso_alpha2")):
            if row.get(col):
                ident = a.identifiers.add()
                ident.scheme, ident.value = scheme, row[col]
        obj = json_format.MessageToDict(rec)
        lines.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
        ids.append("\t".join([row["id"], row["kind"], row["name"], row.get("country_code", "")]))
    return "\n".join(lines) + "\n", "\n".join(ids) + "\n"


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stubs", help="directory with the generated rollcall/v1/*_pb2.py")
    p.add_argument("--tables", default=os.path.join(HERE, "actors"))
    p.add_argument("--out", default=os.path.join(HERE, "actors.jsonl"))
    p.add_argument("--ids", default=os.path.join(HERE, "actors", "ids.tsv"))
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if --out or --ids differ from what the tables give")
    args = p.parse_args(argv[1:])

    tmp = None
    try:
        stubs = args.stubs
        if not stubs:
            tmp = tempfile.mkdtemp(prefix="rollcall-stubs-")
            generate_stubs(tmp)
            stubs = tmp
        modules = load_stubs(stubs)
        try:
            jsonl, ids = build(modules, args.tables)
        except TableError as e:
            print(f"make_actors: {e}", file=sys.stderr)
            return 1
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    outputs = [(args.out, jsonl), (args.ids, ids)]
    if args.check:
        stale = []
        for path, text in outputs:
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    current = f.read()
            except FileNotFoundError:
                current = None
            if current != text:
                stale.append(path)
        for path in stale:
            print(f"make_actors: {path} is out of date; run data/make_actors.py", file=sys.stderr)
        if not stale:
            print(f"OK {args.out} and {args.ids} match the tables "
                  f"({jsonl.count(chr(10))} actors)")
        return 1 if stale else 0
    for path, text in outputs:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    print(f"wrote {args.out} ({jsonl.count(chr(10))} actors) and {args.ids}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
