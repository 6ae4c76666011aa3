#!/usr/bin/env bash
# The write scenarios of scripts/bench against two rollcalld binaries in
# alternation (each scenario on a fresh server and data directory, through
# bench/thread_cpu.py), then the PostgreSQL equivalent, in one run, so that
# before/after and Rollcall/equivalent ratios compare one state of the
# machine. Prints one block per scenario and binary, then the equivalent's
# JSON lines.
# Usage: bench/compare-writes.sh BEFORE_ROLLCALLD AFTER_ROLLCALLD [SECONDS]
# The equivalent needs root and postgresql-15 (skipped otherwise); PORT
# (default 55434) is its throw-away cluster's port.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 seconds=${3:-10}
bench=build/bench/rollcall-bench
echo "compare-writes: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M) UTC"
for scenario in "ingest --concurrency=1" "ingest --concurrency=16" "ingest --concurrency=64" \
  "batch-ingest --batch=100 --concurrency=4" "stream-ingest --streams=4 --window=256"; do
  for binary in "$before" "$after"; do
    echo "== $binary $scenario (load $(cut -d' ' -f1 /proc/loadavg))"
    # shellcheck disable=SC2086
    bench/thread_cpu.py "$binary" "$bench" $scenario --seconds="$seconds"
  done
done
if [[ $(id -u) == 0 && -x /usr/lib/postgresql/15/bin/initdb ]]; then
  echo "== equivalent (load $(cut -d' ' -f1 /proc/loadavg))"
  PORT=${PORT:-55434} bench/postgres-equivalent.sh "$seconds"
fi
