#!/usr/bin/python3
"""Prints the roll call of an event: who said what, oldest first.

    # after: python3 -m venv --system-site-packages .venv
    #        .venv/bin/pip install --no-build-isolation --no-index client/python
    rollcall import data/niger-coup-2023.jsonl
    .venv/bin/python client/python/examples/roll_call.py
    .venv/bin/python client/python/examples/roll_call.py --stance condemns --bloc ecowas
"""

import argparse
import collections
import os
import sys

import rollcall
from rollcall.v1 import statement_pb2


def build_filter(event: str, stance: str | None, bloc: str | None) -> str:
    """The server filter for the flags (syntax: StatementService in the .proto)."""
    parts = [f'event = "events/{event}"']
    if stance:
        parts.append(f"stance = {stance.upper()}")
    if bloc:
        parts.append(f'bloc = "actors/{bloc}"')
    return " AND ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("ROLLCALL_SERVER", "localhost:50051"),
                        help="host:port of rollcalld (default: $ROLLCALL_SERVER, else %(default)s)")
    parser.add_argument("--event", default="niger-coup-2023")
    parser.add_argument("--stance", help="only this stance, e.g. condemns")
    parser.add_argument("--bloc", help="only this bloc and its members, e.g. ecowas")
    args = parser.parse_args()

    stances: collections.Counter = collections.Counter()
    with rollcall.Client(args.server) as client:
        try:
            # list_statements fetches the pages (here 10 statements each) as
            # the loop goes.
            for s in client.list_statements(build_filter(args.event, args.stance, args.bloc),
                                            page_size=10):
                stance = statement_pb2.Stance.Name(s.stance).removeprefix("STANCE_").lower()
                words = (s.quote or s.summary).replace("\n", " ")
                excerpt = words if len(words) <= 60 else words[:59] + "…"
                day = s.issue_time.ToDatetime().date().isoformat()
                print(f"{day}  {s.actor.removeprefix('actors/'):<24} {stance:<10} {excerpt}")
                stances[stance] += 1
        except rollcall.RollcallError as error:
            print(f"roll_call: {error}", file=sys.stderr)
            return 1
    totals = ", ".join(f"{count} {stance}" for stance, count in stances.most_common())
    print(f"{sum(stances.values())} statements: {totals or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
