#!/usr/bin/env bash
# docs/API.md's walk-through, step by step, in one language (python or
# node): load the Niger roll call with the CLI, watch the event live, insert
# a statement, list the roll call, restart the server, insert another — the
# watcher prints both statements once each, resuming across the restart.
# Usage: walkthrough_test.sh python|node SOURCE_DIR   (ROLLCALLD, ROLLCALL_CLI set)
set -euo pipefail
language=$1
source_dir=$2
: "${ROLLCALLD:?}" "${ROLLCALL_CLI:?}"
work=$(mktemp -d)
server_pid=
watch_pid=
cleanup() {
  [[ -n "$watch_pid" ]] && kill "$watch_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$work"/*.out "$work"/*.err; do echo "== $f" >&2; cat "$f" >&2; done; exit 1; }

# Starts rollcalld on $1 (127.0.0.1:0 picks a port) and sets $address.
start_server() {
  : >"$work/server.out"
  "$ROLLCALLD" --listen="$1" --data_dir="$work/data" >"$work/server.out" 2>>"$work/server.err" &
  server_pid=$!
  for _ in $(seq 100); do
    address=$(sed -n 's/^rollcalld listening on //p' "$work/server.out")
    [[ -n "$address" ]] && return 0
    sleep 0.1
  done
  fail "rollcalld did not start"
}

start_server 127.0.0.1:0
export ROLLCALL_SERVER=$address
"$ROLLCALL_CLI" import "$source_dir/data/niger-coup-2023.jsonl" >/dev/null

case "$language" in
  python)
    /usr/bin/python3 -m venv --system-site-packages "$work/venv"
    "$work/venv/bin/pip" install --quiet --no-build-isolation --no-index \
      "$source_dir/client/python"
    examples=$source_dir/client/python/examples
    watch() { "$work/venv/bin/python" "$examples/watch.py" "$@"; }
    add() { "$work/venv/bin/python" "$examples/add_statement.py" "$@"; }
    roll_call() { "$work/venv/bin/python" "$examples/roll_call.py" "$@"; }
    ;;
  node)
    examples=$source_dir/client/node/examples
    watch() { node "$examples/watch.js" "$@"; }
    add() { node "$examples/add-statement.js" "$@"; }
    roll_call() { node "$examples/niger-roll-call.js" "$@"; }
    ;;
  *) echo "usage: walkthrough_test.sh python|node SOURCE_DIR" >&2; exit 2 ;;
esac

# Step 4: watch (here: until two changes have been printed).
watch --event niger-coup-2023 --count 2 >"$work/watch.out" 2>"$work/watch.err" &
watch_pid=$!
for _ in $(seq 100); do
  grep -q "caught up" "$work/watch.err" && break
  sleep 0.1
done
grep -q "caught up" "$work/watch.err" || fail "the watcher did not start"

# Step 5: insert a statement; the watcher prints it.
add --actor european-union --stance condemns --issue-time 2023-07-26 \
    --quote "The EU condemns the attempted coup in Niger." >"$work/add1.out"
for _ in $(seq 50); do
  grep -q "EU condemns" "$work/watch.out" && break
  sleep 0.1
done
grep -q "EU condemns" "$work/watch.out" || fail "the watcher did not print the new statement"

# Step 6: the roll call lists the 21 statements of the data set and the new one.
roll_call >"$work/roll_call.out"
grep -q "EU condemns the attempted coup" "$work/roll_call.out" || fail "the roll call lacks the new statement"
grep -q "ECOWAS\|ecowas" "$work/roll_call.out" || fail "the roll call lacks ECOWAS"

# Step 7: restart the server on the same address; insert another statement.
kill -TERM "$server_pid"
wait "$server_pid" || fail "rollcalld did not stop cleanly"
start_server "$address"
add --actor african-union --stance condemns --issue-time 2023-07-27 \
    --quote "The AU demands the return of constitutional order." >"$work/add2.out"
wait "$watch_pid" || fail "the watcher failed"
watch_pid=

[[ $(wc -l <"$work/watch.out") -eq 2 ]] || fail "the watcher printed other than two changes"
grep -q "EU condemns" "$work/watch.out" || fail "first change missing"
grep -q "AU demands" "$work/watch.out" || fail "the change after the restart is missing"
grep -qi "reconnect\|resum\|unavailable" "$work/watch.err" || fail "the watcher did not say it reconnected"
echo "$language walk-through: OK"
cat "$work/watch.out"
