#!/usr/bin/python3
"""Prints each new, corrected or retracted statement the moment it is
committed, and keeps going across server restarts.

    # after: python3 -m venv --system-site-packages .venv
    #        .venv/bin/pip install --no-build-isolation --no-index client/python
    .venv/bin/python client/python/examples/watch.py                 # from now on
    .venv/bin/python client/python/examples/watch.py --from-start    # replay, then live
    .venv/bin/python client/python/examples/watch.py --after 36      # resume after #36
"""

import argparse
import logging
import os
import sys

import rollcall
from rollcall.v1 import statement_pb2, statement_service_pb2


def describe(change: statement_pb2.StatementChange) -> str:
    """One line per change: sequence, kind, statement, actor, stance, words."""
    kind = statement_pb2.ChangeKind.Name(change.kind).removeprefix("CHANGE_KIND_").lower()
    s = change.statement
    stance = statement_pb2.Stance.Name(s.stance).removeprefix("STANCE_").lower()
    words = s.retraction.reason if kind == "retracted" else (s.quote or s.summary)
    return (f"#{change.sequence:<4} {kind:<9} {s.name}  "
            f"{s.actor.removeprefix('actors/')}  {stance}  {words[:60]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("ROLLCALL_SERVER", "localhost:50051"),
                        help="host:port of rollcalld (default: $ROLLCALL_SERVER, else %(default)s)")
    parser.add_argument("--event", default="niger-coup-2023",
                        help="only changes to this event's statements ('' for all)")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--from-start", action="store_true", help="replay the whole log first")
    start.add_argument("--after", type=int, metavar="SEQ", help="resume after this sequence")
    parser.add_argument("--count", type=int, help="exit after this many changes")
    args = parser.parse_args()

    # The client logs a warning on each reconnection; show it on stderr.
    logging.basicConfig(format="watch: %(message)s")
    filter = f'event = "events/{args.event}"' if args.event else ""
    seen = 0
    with rollcall.Client(args.server) as client:
        subscription = client.subscribe(filter, from_beginning=args.from_start,
                                        after_sequence=args.after, include_caught_up=True)
        try:
            for item in subscription:
                if isinstance(item, statement_service_pb2.CaughtUp):
                    print(f"watch: caught up at sequence {item.head_sequence}; "
                          "waiting for changes", file=sys.stderr, flush=True)
                    continue
                print(describe(item), flush=True)
                seen += 1
                if seen == args.count:
                    break
        except rollcall.RollcallError as error:
            print(f"watch: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            pass
        finally:
            subscription.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
