#!/usr/bin/python3
"""Records one statement and prints it.

    # after: python3 -m venv --system-site-packages .venv
    #        .venv/bin/pip install --no-build-isolation --no-index client/python
    rollcall import data/niger-coup-2023.jsonl
    .venv/bin/python client/python/examples/add_statement.py \\
        --actor european-union --stance condemns --issue-time 2023-07-26 \\
        --quote "The EU condemns the attempted coup in Niger."
"""

import argparse
import os
import sys

import rollcall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("ROLLCALL_SERVER", "localhost:50051"),
                        help="host:port of rollcalld (default: $ROLLCALL_SERVER, else %(default)s)")
    parser.add_argument("--event", default="niger-coup-2023")
    parser.add_argument("--actor", required=True, help="e.g. ecowas, united-states")
    parser.add_argument("--stance", required=True,
                        help="condemns, criticises, concerned, neutral or supports")
    parser.add_argument("--quote", required=True, help="the verbatim words")
    parser.add_argument("--issue-time", required=True,
                        help="2023-07-26 or 2023-07-26T14:30:00Z")
    parser.add_argument("--request-id", help="makes a retry safe: the statement is recorded once")
    args = parser.parse_args()

    with rollcall.Client(args.server) as client:
        try:
            statement = client.add_statement(
                event=args.event,
                actor=args.actor,
                stance=args.stance,
                quote=args.quote,
                issue_time=args.issue_time,
                request_id=args.request_id,
            )
        except rollcall.RollcallError as error:
            print(f"add_statement: {error}", file=sys.stderr)
            if error.fields:
                print(f"add_statement: fix {', '.join(error.fields)}", file=sys.stderr)
            return 1
        except ValueError as error:  # e.g. an unknown stance, caught before the call
            print(f"add_statement: {error}", file=sys.stderr)
            return 2
    print(f"recorded {statement.name} (revision {statement.revision}, "
          f"sequence {statement.sequence}, etag {statement.etag})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
