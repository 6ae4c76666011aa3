#!/usr/bin/python3
"""Checks the extractor's gold sets in data/gold/ (format: data/gold/README.md).

Usage:
  mkdir -p /tmp/pystubs && protoc -I proto --python_out=/tmp/pystubs \
      proto/rollcall/v1/{actor,event,statement,exchange,draft}.proto
  /usr/bin/python3 data/gold/check_gold.py data/gold /tmp/pystubs [--seed-original PATH]

For every data/gold/<slug>.jsonl it checks that <slug>.txt exists, is UTF-8
and is not empty; that line 1 is the {"gold": ...} header with text, event and
a document (parsed strictly as rollcall.v1.Document) that has a title, a
publisher, a publish time, a language ("en" or "fr") and a medium; and then,
either
  - with "statementsFrom": that the data set (path relative to data/) holds
    the header's event and at least one statement with the label, each of the
    header's event, and that each quote's pieces are in the text (the data set
    joins a quotation interrupted by "he said" into one quote, and marks its
    own elisions with "[...]"); or
  - otherwise: that every further line parses strictly as a
    rollcall.v1.ExchangeRecord; that actor lines add only actors the
    directory does not have; that there is exactly one event line and it
    defines the header's event; and that every statement is of that event,
    names actors of the directory or of the file (actor, stanceToward,
    jointWith, action targets), has a stance, a language, an issue time and
    its precision, a summary, the label gold=<slug>, no output-only fields,
    and a quote (if any) that is an exact substring of the text.
The held-out sets in data/gold/heldout/ (if present) are checked the same way
(no seed set there), and none may share a slug or an event with a set of
data/gold/. With --seed-original, it also checks that seed-article.txt is a
byte-exact copy of that file. Prints one line per set and a summary; exits 1
on errors.
"""

import argparse
import json
import os
import re
import sys

ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
HEADER_KEYS = {"text", "event", "document", "notes", "statementsFrom"}
LANGUAGES = {"en", "fr"}
HELDOUT = "heldout"  # the held-out sets: data/gold/heldout/ (README.md)
OUTPUT_ONLY = ("name", "state", "retraction", "revision", "etag", "create_time",
               "update_time", "sequence")


def load_directory(path, exchange_pb2, json_format):
    """Returns the actor names defined in the directory file."""
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = exchange_pb2.ExchangeRecord()
            json_format.Parse(line, rec)
            if rec.WhichOneof("record") == "actor":
                names.add(rec.actor.name)
    return names


def quote_pieces(quote):
    """Splits a data-set quote into the pieces that must each be in the text."""
    pieces = []
    for part in quote.split("[...]"):
        for sentence in re.split(r"(?<=[.!?])\s+", part):
            piece = sentence.strip().rstrip(".,;:")
            if piece:
                pieces.append(piece)
    return pieces


class Checker:
    def __init__(self, data_dir, gold_dir, pb, directory):
        self.data_dir, self.gold_dir, self.pb = data_dir, gold_dir, pb
        self.directory = directory
        self.errors = []
        self.events = {}  # slug -> the header's event, for every set checked

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def check_set(self, slug, folder):
        """Checks the set <slug> of folder; returns a one-line description of it."""
        path = os.path.join(folder, slug + ".jsonl")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        if not lines:
            self.error(path, "empty file")
            return f"{slug}: empty"
        try:
            first = json.loads(lines[0])
        except json.JSONDecodeError as e:
            self.error(f"{path}:1", f"not JSON: {e}")
            return f"{slug}: bad header"
        if set(first) != {"gold"} or not isinstance(first["gold"], dict):
            self.error(f"{path}:1", 'line 1 must be {"gold": {...}}')
            return f"{slug}: bad header"
        header = first["gold"]
        self.events[slug] = header.get("event")
        text = self.check_header(slug, header, f"{path}:1", folder)
        if text is None:
            return f"{slug}: bad header"
        if "statementsFrom" in header:
            if len(lines) > 1:
                self.error(path, "a statementsFrom set has only its header line")
            return self.check_statements_from(slug, header, text, f"{path}:1")
        return self.check_coding(slug, header["event"], text, lines[1:], path)

    def check_header(self, slug, header, where, folder):
        """Checks the header; returns the article's text, or None."""
        for key in set(header) - HEADER_KEYS:
            self.error(where, f"unknown header field {key!r}")
        for key in ("text", "event", "document"):
            if key not in header:
                self.error(where, f"header needs {key!r}")
        if self.errors and any(e.startswith(where) for e in self.errors):
            return None
        if header["text"] != slug + ".txt":
            self.error(where, f"text must be {slug}.txt, not {header['text']!r}")
        event = header["event"]
        if not (isinstance(event, str) and event.startswith("events/")
                and ID_RE.match(event[len("events/"):])):
            self.error(where, f"event {event!r} is not a name like events/{{id}}")
        doc = self.pb.draft.Document()
        try:
            self.pb.json_format.ParseDict(header["document"], doc)
        except self.pb.json_format.ParseError as e:
            self.error(where, f"document: {e}")
            return None
        for field in ("title", "publisher", "language"):
            if not getattr(doc, field).strip():
                self.error(where, f"document.{field} is required")
        if doc.language and doc.language not in LANGUAGES:
            self.error(where, f"document.language {doc.language!r} is not one of {sorted(LANGUAGES)}")
        if not doc.HasField("publish_time"):
            self.error(where, "document.publishTime is required")
        if doc.medium == 0:
            self.error(where, "document.medium is required")
        if doc.text or doc.html or doc.name:
            self.error(where, "document must not carry text, html or name (the text is the .txt)")
        if "statementsFrom" not in header and not str(header.get("notes", "")).strip():
            self.error(where, "header needs notes (sources, what is adapted)")
        try:
            with open(os.path.join(folder, slug + ".txt"), "rb") as f:
                text = f.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            self.error(where, f"{slug}.txt: {e}")
            return None
        if not text.strip():
            self.error(where, f"{slug}.txt is empty")
        return text

    def check_statements_from(self, slug, header, text, where):
        spec = header["statementsFrom"]
        if not isinstance(spec, dict) or set(spec) != {"file", "label", "value"}:
            self.error(where, "statementsFrom needs exactly file, label and value")
            return f"{slug}: bad statementsFrom"
        source = os.path.join(self.data_dir, spec["file"])
        found, defined_event = 0, False
        with open(source, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                rec = self.pb.exchange.ExchangeRecord()
                self.pb.json_format.Parse(line, rec)
                kind = rec.WhichOneof("record")
                if kind == "event" and rec.event.name == header["event"]:
                    defined_event = True
                if kind != "statement" or rec.statement.labels.get(spec["label"]) != spec["value"]:
                    continue
                found += 1
                s, at = rec.statement, f"{source}:{n}"
                if s.event != header["event"]:
                    self.error(at, f"statement of {s.event}, not the header's {header['event']}")
                for piece in quote_pieces(s.quote):
                    if piece not in text:
                        self.error(at, f"quote piece {piece!r} is not in {slug}.txt")
        if not defined_event:
            self.error(where, f"{spec['file']} does not define {header['event']}")
        if not found:
            self.error(where, f"{spec['file']} has no statement with {spec['label']}={spec['value']}")
        return f"{slug}: {found} statements from {spec['file']}"

    def check_coding(self, slug, event, text, lines, path):
        pb = self.pb
        actors, events, statements = set(self.directory), set(), 0
        for n, line in enumerate(lines, 2):
            where = f"{path}:{n}"
            rec = pb.exchange.ExchangeRecord()
            try:
                pb.json_format.Parse(line, rec)
            except pb.json_format.ParseError as e:
                self.error(where, str(e))
                continue
            kind = rec.WhichOneof("record")
            if kind == "actor":
                self.check_actor(rec.actor, actors, where)
            elif kind == "event":
                if statements:
                    self.error(where, "event line after a statement")
                if rec.event.name != event:
                    self.error(where, f"event {rec.event.name} is not the header's {event}")
                if not rec.event.title.strip() or not rec.event.HasField("start_time"):
                    self.error(where, "event needs a title and a startTime")
                events.add(rec.event.name)
            elif kind == "statement":
                statements += 1
                self.check_statement(slug, rec.statement, event in events and event,
                                     actors, text, where)
            else:
                self.error(where, "none of actor, event, statement is set")
        if len(events) != 1:
            self.error(path, f"needs exactly one event line, has {len(events)}")
        if not statements:
            self.error(path, "codes no statement")
        return f"{slug}: {statements} statements, {len(actors) - len(self.directory)} own actors"

    def check_actor(self, actor, actors, where):
        if actor.name in self.directory:
            self.error(where, f"{actor.name} is in the directory: do not redefine it")
        elif actor.name in actors:
            self.error(where, f"duplicate actor {actor.name}")
        if not (actor.name.startswith("actors/") and ID_RE.match(actor.name[len("actors/"):])):
            self.error(where, f"actor name {actor.name!r} is not like actors/{{id}}")
        if not actor.display_name.strip() or actor.kind == 0:
            self.error(where, "actor needs a displayName and a kind")
        for m in actor.member_of:
            if m.organisation not in actors:
                self.error(where, f"memberOf {m.organisation} is not a known actor")
        actors.add(actor.name)

    def check_statement(self, slug, s, event, actors, text, where):
        st = self.pb.statement
        present = [f for f in OUTPUT_ONLY
                   if (s.HasField(f) if f in ("retraction", "create_time", "update_time")
                       else bool(getattr(s, f)))]
        if present:
            self.error(where, f"output-only fields {present}")
        if not event or s.event != event:
            self.error(where, f"event {s.event!r} is not the file's event, defined before")
        refs = [("actor", s.actor)] + [("jointWith", j) for j in s.joint_with]
        if s.stance_toward:
            refs.append(("stanceToward", s.stance_toward))
        for i, act in enumerate(s.actions):
            refs += [(f"actions[{i}].targets", t) for t in act.targets]
            if act.kind == st.ACTION_KIND_UNSPECIFIED:
                self.error(where, f"actions[{i}] has no kind")
            if act.kind == st.ACTION_KIND_OTHER and not act.description.strip():
                self.error(where, f"actions[{i}]: ACTION_KIND_OTHER needs a description")
        for field, name in refs:
            if name not in actors:
                self.error(where, f"{field} {name!r} is neither in the directory nor defined above")
        if s.stance == st.STANCE_UNSPECIFIED:
            self.error(where, "stance is unspecified")
        if s.modality == st.MODALITY_UNSPECIFIED:
            self.error(where, "modality is unspecified")
        if s.language not in LANGUAGES:
            self.error(where, f"language {s.language!r} is not one of {sorted(LANGUAGES)}")
        if not s.summary.strip():
            self.error(where, "summary is required")
        if s.quote and s.quote not in text:
            self.error(where, f"quote {s.quote!r} is not a substring of {slug}.txt")
        if s.quote != s.quote.strip():
            self.error(where, "quote has leading or trailing space")
        if s.HasField("speaker") and not (s.speaker.person_name.strip() or s.speaker.office.strip()):
            self.error(where, "speaker needs a personName or an office")
        if not s.HasField("issue_time") or s.issue_time_precision == 0:
            self.error(where, "issueTime and issueTimePrecision are required")
        if dict(s.labels) != {"gold": slug}:
            self.error(where, f'labels must be exactly {{"gold": "{slug}"}}')


class Stubs:
    def __init__(self, stubs_dir):
        # Appended, not prepended: the stubs must not shadow google.protobuf.
        sys.path.append(stubs_dir)
        from google.protobuf import json_format
        from rollcall.v1 import draft_pb2, exchange_pb2, statement_pb2
        self.json_format, self.draft = json_format, draft_pb2
        self.exchange, self.statement = exchange_pb2, statement_pb2


def list_sets(checker, folder):
    """The slugs of folder's .jsonl sets; reports every .txt without its coding."""
    names = sorted(os.listdir(folder))
    slugs = [n[:-len(".jsonl")] for n in names if n.endswith(".jsonl")]
    for n in names:
        if n.endswith(".txt") and n[:-len(".txt")] not in slugs:
            checker.error(os.path.join(folder, n), "has no .jsonl coding")
    return slugs


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold_dir")
    parser.add_argument("stubs_dir")
    parser.add_argument("--seed-original", help="file seed-article.txt must equal byte for byte")
    args = parser.parse_args(argv[1:])
    pb = Stubs(args.stubs_dir)
    gold_dir = os.path.abspath(args.gold_dir)
    data_dir = os.path.dirname(gold_dir)
    directory = load_directory(os.path.join(data_dir, "actors.jsonl"), pb.exchange, pb.json_format)
    checker = Checker(data_dir, gold_dir, pb, directory)

    slugs = list_sets(checker, gold_dir)
    if "seed-article" not in slugs:
        checker.error(gold_dir, "seed-article.jsonl is missing")
    if args.seed_original:
        with open(args.seed_original, "rb") as a, \
                open(os.path.join(gold_dir, "seed-article.txt"), "rb") as b:
            if a.read() != b.read():
                checker.error(gold_dir, f"seed-article.txt differs from {args.seed_original}")
    for slug in slugs:
        print(checker.check_set(slug, gold_dir))
    tuned_events = set(checker.events.values())
    heldout_dir = os.path.join(gold_dir, HELDOUT)
    heldout = list_sets(checker, heldout_dir) if os.path.isdir(heldout_dir) else []
    for slug in heldout:
        where = os.path.join(heldout_dir, slug + ".jsonl")
        if slug in slugs:
            checker.error(where, f"held-out slug {slug!r} is also a set of {gold_dir}")
        print(f"{HELDOUT}/{checker.check_set(slug, heldout_dir)}")
        if checker.events.get(slug) in tuned_events:
            checker.error(where, f"held-out event {checker.events[slug]} is also an event of {gold_dir}")
    for e in checker.errors:
        print(e)
    summary = f"{gold_dir}: {len(slugs)} gold sets, {len(heldout)} held-out"
    if checker.errors:
        print(f"FAILED {summary}: {len(checker.errors)} errors")
        return 1
    print(f"OK {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
