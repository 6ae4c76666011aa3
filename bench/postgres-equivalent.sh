#!/usr/bin/env bash
# What a user would build instead of Rollcall on PostgreSQL 15, for
# scripts/bench to measure beside Rollcall: a statements table with
# Rollcall's secondary indexes (event/actor/time/stance), full-text search
# (GIN on a tsvector), an idempotency table and a change-log table, one
# durable transaction per statement (and 100 per batch), driven by pgbench.
# Needs Debian's postgresql-15 and pgbench; run as root: a throw-away cluster
# on 127.0.0.1:$PORT (default 55433) under a temp dir, removed at the end.
# Usage: bench/postgres-equivalent.sh [SECONDS]
# Prints one JSON line per measurement (rollcall-bench's form), scenario
# "equivalent": single statements at concurrency 1/16/64, then batches of
# 100 at concurrency 4.
set -eu
seconds=${1:-10}
port=${PORT:-55433}
PGB=/usr/lib/postgresql/15/bin; D=$(mktemp -d); chown postgres "$D"
su postgres -c "$PGB/initdb -D $D/data -A trust >/dev/null"
su postgres -c "$PGB/pg_ctl -D $D/data -o '-p $port -k $D -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=512MB' -l $D/log start" >/dev/null
trap 'su postgres -c "$PGB/pg_ctl -D $D/data stop" >/dev/null; rm -rf "$D"' EXIT
sleep 2
P="psql -q -h 127.0.0.1 -p $port -U postgres"
$P <<'SQL'
create table statements(name text primary key, event text not null, actor text not null, stance int not null,
  state int not null default 1, issue_time timestamptz not null, quote text, summary text, data bytea,
  tsv tsvector generated always as (to_tsvector('simple', coalesce(quote,'') || ' ' || coalesce(summary,''))) stored);
create index on statements(event, issue_time, name); create index on statements(actor, issue_time, name);
create index on statements(issue_time, name); create index on statements(event, stance, state, issue_time, name);
create index on statements using gin(tsv);
create table changes(sequence bigserial primary key, statement text not null, revision int not null, kind int not null,
  commit_time timestamptz not null default now(), data bytea, unique(statement, revision));
create table requests(request_id text primary key, statement text not null);
SQL
cat > "$D/one.sql" <<'SQL'
\set r random(1, 1000000000)
WITH ins AS (INSERT INTO statements(name, event, actor, stance, issue_time, quote, summary, data) VALUES ('statements/' || md5(random()::text), 'events/e' || (:r % 100), 'actors/a' || (:r % 50), 1 + :r % 5, now() - (:r % 100000) * interval '1 minute', 'The bloc called for the immediate and unconditional release of the president and warned all those involved would be held responsible for his safety ' || :r, 'Demands release', decode(repeat('ab', 300), 'hex')) RETURNING name), req AS (INSERT INTO requests SELECT md5(random()::text), name FROM ins) INSERT INTO changes(statement, revision, kind, data) SELECT name, 1, 1, decode(repeat('ab', 300), 'hex') FROM ins;
SQL
# "tps = N (without initial connection time)" -> N
tps() { sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | head -1; }
for c in 1 16 64; do
  rate=$(pgbench -h 127.0.0.1 -p "$port" -U postgres -n -f "$D/one.sql" -c "$c" -j 2 -T "$seconds" postgres 2>&1 | tps)
  echo "{\"scenario\":\"equivalent\",\"payload\":\"create\",\"concurrency\":$c,\"seconds\":$seconds,\"statements_per_s\":${rate:-0}}"
done
python3 - "$D/batch.sql" <<'PY'
import sys
rows = ",".join(f"('statements/' || md5(random()::text), 'events/e{i%100}', 'actors/a{i%50}', {1+i%5}, now() - interval '{i} minute', 'The bloc called for the immediate and unconditional release of the president and warned all those involved would be held responsible for his safety {i} ' || random(), 'Demands release', decode(repeat('ab', 300), 'hex'))" for i in range(100))
open(sys.argv[1], "w").write(f"""BEGIN;
WITH ins AS (INSERT INTO statements(name, event, actor, stance, issue_time, quote, summary, data) VALUES {rows} RETURNING name),
 req AS (INSERT INTO requests SELECT md5(random()::text), name FROM ins)
INSERT INTO changes(statement, revision, kind, data) SELECT name, 1, 1, decode(repeat('ab', 300), 'hex') FROM ins;
COMMIT;
""")
PY
rate=$(pgbench -h 127.0.0.1 -p "$port" -U postgres -n -f "$D/batch.sql" -c 4 -j 2 -T "$seconds" postgres 2>&1 | tps)
echo "{\"scenario\":\"equivalent\",\"payload\":\"batch\",\"batch\":100,\"concurrency\":4,\"seconds\":$seconds,\"statements_per_s\":$(python3 -c "print(round(${rate:-0} * 100))")}"
