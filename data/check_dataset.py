#!/usr/bin/python3
"""Checks a Rollcall JSONL data set: one rollcall.v1.ExchangeRecord per line.

Usage:
  mkdir -p /tmp/pystubs && protoc -I proto -I /usr/include --python_out=/tmp/pystubs \
      proto/rollcall/v1/*.proto proto/google/rpc/*.proto
  /usr/bin/python3 data/check_dataset.py data/niger-coup-2023.jsonl /tmp/pystubs

Every line is parsed strictly (unknown fields are errors) with protobuf's
json_format, then checked the way `rollcall import` and the server will see
it: one record kind per line; actors, events and statements refer only to
actors and events defined on earlier lines; ids are valid slugs; statements
carry no output-only fields, have a stance, a quote or summary, an issue time,
at least one source and a unique request_id; label keys are lower-case.
Prints one summary line (after any error lines) and exits 1 on errors.
"""

import re
import sys

ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
LABEL_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:/-]{1,128}$")
COUNTRY_RE = re.compile(r"^[A-Z]{3}$")
LANGUAGE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,34}$")


def main(argv):
    if len(argv) != 3:
        print("usage: check_dataset.py DATA.jsonl PROTO_STUBS_DIR", file=sys.stderr)
        return 2
    path, stubs = argv[1], argv[2]
    # Appended, not prepended: the stubs dir holds google/rpc/, which must not
    # shadow the installed google.protobuf package.
    sys.path.append(stubs)
    from google.protobuf import json_format
    from rollcall.v1 import exchange_pb2, statement_pb2

    errors = []
    actors, events, request_ids = set(), set(), set()
    counts = {"actor": 0, "event": 0, "statement": 0}

    def slug_of(name, collection, where):
        prefix = collection + "/"
        if not name.startswith(prefix):
            errors.append(f"{where}: {name!r} is not a name like {prefix}{{id}}")
            return None
        slug = name[len(prefix):]
        if not ID_RE.match(slug) or slug.endswith("-"):
            errors.append(f"{where}: id {slug!r} must match ^[a-z][a-z0-9-]{{0,62}}$ "
                          "and not end with '-'")
            return None
        return slug

    def check_ref(name, known, collection, where):
        if slug_of(name, collection, where) is not None and name not in known:
            errors.append(f"{where}: {name} is not defined on an earlier line")

    def check_labels(labels, where):
        for key in labels:
            if not LABEL_KEY_RE.match(key):
                errors.append(f"{where}: label key {key!r} must be lower-case [a-z0-9_-]")

    def check_country(code, where):
        if code and not COUNTRY_RE.match(code):
            errors.append(f"{where}: country code {code!r} is not ISO 3166-1 alpha-3")

    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()

    for n, line in enumerate(lines, 1):
        where = f"{path}:{n}"
        if not line.strip():
            errors.append(f"{where}: empty line")
            continue
        rec = exchange_pb2.ExchangeRecord()
        try:
            json_format.Parse(line, rec)  # strict: unknown fields are errors
        except json_format.ParseError as e:
            errors.append(f"{where}: {e}")
            continue
        kind = rec.WhichOneof("record")
        if kind is None:
            errors.append(f"{where}: none of actor, event, statement is set")
            continue
        counts[kind] += 1

        if kind == "actor":
            a = rec.actor
            slug = slug_of(a.name, "actors", where + " actor.name")
            if a.name in actors:
                errors.append(f"{where}: duplicate actor {a.name}")
            if not a.display_name.strip():
                errors.append(f"{where}: actor.displayName is required")
            if a.kind == 0:
                errors.append(f"{where}: actor.kind is required")
            check_country(a.country_code, where)
            for i, m in enumerate(a.member_of):
                if m.organisation == a.name:
                    errors.append(f"{where}: actor is a member of itself")
                check_ref(m.organisation, actors, "actors", f"{where} memberOf[{i}]")
                if (m.HasField("start_time") and m.HasField("end_time")
                        and m.end_time.ToDatetime() < m.start_time.ToDatetime()):
                    errors.append(f"{where}: memberOf[{i}] ends before it starts")
            for ident in a.identifiers:
                if not ident.scheme or not ident.value:
                    errors.append(f"{where}: identifier needs scheme and value")
            if a.HasField("create_time") or a.HasField("update_time") or a.etag:
                errors.append(f"{where}: actor carries output-only fields")
            if slug is not None:
                actors.add(a.name)

        elif kind == "event":
            e = rec.event
            slug = slug_of(e.name, "events", where + " event.name")
            if e.name in events:
                errors.append(f"{where}: duplicate event {e.name}")
            if not e.title.strip():
                errors.append(f"{where}: event.title is required")
            if not e.HasField("start_time"):
                errors.append(f"{where}: event.startTime is required")
            check_country(e.country_code, where)
            check_labels(e.labels, where + " event.labels")
            side_actors = set()
            for side in e.sides:
                check_ref(side.actor, actors, "actors", where + " event.sides.actor")
                if side.role == 0:
                    errors.append(f"{where}: event.sides.role is required")
                if side.actor in side_actors:
                    errors.append(f"{where}: {side.actor} is on two sides")
                side_actors.add(side.actor)
            if e.HasField("create_time") or e.HasField("update_time") or e.etag:
                errors.append(f"{where}: event carries output-only fields")
            if slug is not None:
                events.add(e.name)

        else:
            s = rec.statement
            output_only = [f for f in ("name", "state", "retraction", "revision", "etag",
                                       "create_time", "update_time", "sequence")
                           if (s.HasField(f) if f in ("retraction", "create_time", "update_time")
                               else bool(getattr(s, f)))]
            if output_only:
                errors.append(f"{where}: statement carries output-only fields {output_only}")
            check_ref(s.event, events, "events", where + " statement.event")
            check_ref(s.actor, actors, "actors", where + " statement.actor")
            for i, j in enumerate(s.joint_with):
                check_ref(j, actors, "actors", f"{where} jointWith[{i}]")
                if j == s.actor:
                    errors.append(f"{where}: jointWith[{i}] repeats the statement's actor")
            if s.stance_toward:
                check_ref(s.stance_toward, actors, "actors", where + " stanceToward")
            if s.stance == statement_pb2.STANCE_UNSPECIFIED:
                errors.append(f"{where}: stance is unspecified")
            for i, act in enumerate(s.actions):
                at = f"{where} actions[{i}]"
                if act.kind == statement_pb2.ACTION_KIND_UNSPECIFIED:
                    errors.append(f"{at}: kind is unspecified")
                if act.kind == statement_pb2.ACTION_KIND_OTHER and not act.description.strip():
                    errors.append(f"{at}: ACTION_KIND_OTHER needs a description")
                for k, t in enumerate(act.targets):
                    check_ref(t, actors, "actors", f"{at}.targets[{k}]")
                if (act.HasField("effective_from") and act.HasField("effective_to")
                        and act.effective_to.ToDatetime() < act.effective_from.ToDatetime()):
                    errors.append(f"{at}: effectiveTo is before effectiveFrom")
                for k, c in enumerate(act.codings):
                    if not (c.scheme and c.code and c.codebook_version):
                        errors.append(f"{at}.codings[{k}]: needs scheme, codebookVersion and code")
            if not (s.quote.strip() or s.summary.strip()):
                errors.append(f"{where}: statement needs a quote or a summary")
            if s.quote and not s.language:
                errors.append(f"{where}: a quote needs its language")
            if s.language and not LANGUAGE_RE.match(s.language):
                errors.append(f"{where}: language {s.language!r} is not a BCP-47 tag")
            if not s.HasField("issue_time"):
                errors.append(f"{where}: statement.issueTime is required")
            if not s.sources:
                errors.append(f"{where}: statement needs at least one source")
            for i, src in enumerate(s.sources):
                if not (src.publisher or src.url or src.title):
                    errors.append(f"{where} sources[{i}]: needs a publisher, url or title")
                for field in ("url", "archive_url"):
                    u = getattr(src, field)
                    if u and not re.match(r"^https?://\S+$", u):
                        errors.append(f"{where} sources[{i}].{field}: not an absolute http(s) URL")
            check_labels(s.labels, where + " statement.labels")
            rid = rec.request_id
            if not rid:
                errors.append(f"{where}: statement has no requestId")
            elif not REQUEST_ID_RE.match(rid):
                errors.append(f"{where}: requestId {rid!r} may hold only letters, digits "
                              "and -_.:/ (at most 128)")
            elif rid in request_ids:
                errors.append(f"{where}: duplicate requestId {rid!r}")
            request_ids.add(rid)

    return report(errors, f"{path}: {len(lines)} records ({counts['actor']} actors, "
                          f"{counts['event']} events, {counts['statement']} statements)")


def report(errors, summary):
    """Prints each error and a last OK or FAILED line; returns the exit status."""
    for e in errors:
        print(e)
    if errors:
        print(f"FAILED {summary}: {len(errors)} errors")
        return 1
    print(f"OK {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
