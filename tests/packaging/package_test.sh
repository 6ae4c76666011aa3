#!/usr/bin/env bash
# scripts/package's output as an operator and a user install it:
#  1. the .debs' files, control fields (version, dependencies that Debian 12's
#     packages resolve), conffiles and maintainer scripts (dpkg-deb);
#  2. both installed with dpkg into a throw-away root (maintainer scripts
#     run chrootless, with DPKG_ROOT set);
#  3. the installed rollcalld run with the installed flags file (and the
#     root's data directory) under a NOTIFY_SOCKET that checks READY=1 and
#     STOPPING=1, the installed rollcall importing and listing against it;
#  4. the installed unit checked by systemd-analyze verify and for its
#     settings (notify, state directory, user, hardening);
#  5. the Python wheel in a fresh venv and the Node tarball in a fresh npm
#     project (offline: its dependencies pinned as client/node's lock pins
#     them, from npm's cache), each listing the roll call; the tarball's
#     types checked by tsc;
#  6. reinstalling keeps the edited flags file and the database, removing
#     keeps them, purging deletes them.
# Usage: package_test.sh VERSION SOURCE_DIR
set -euo pipefail
version=$1
source_dir=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rollcall-packages.XXXXXX")
server_pid= notify_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  [[ -n $notify_pid ]] && kill "$notify_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/*.log; do [[ -f $f ]] && { echo "== $f" >&2; cat "$f" >&2; }; done
  exit 1
}
step() { echo "== $(date +%T) $*"; }

step "scripts/package"
packages=$work/packages
ROLLCALL_PACKAGE_DIR=$packages "$source_dir/scripts/package" >"$work/package.log" 2>&1 ||
  fail "scripts/package failed"
arch=$(dpkg --print-architecture)
server_deb=$packages/rollcall-server_${version}_$arch.deb
cli_deb=$packages/rollcall-cli_${version}_$arch.deb
wheel=$packages/rollcall-$version-py3-none-any.whl
tarball=$packages/rollcall-client-$version.tgz
for f in "$server_deb" "$cli_deb" "$wheel" "$tarball"; do
  [[ -f $f ]] || fail "scripts/package did not write $f: $(ls "$packages")"
done

step "package contents and control fields"
contents() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's|^\./|/|'; }
for path in /usr/bin/rollcalld /usr/lib/systemd/system/rollcalld.service \
    /usr/lib/sysusers.d/rollcall.conf /etc/rollcall/rollcalld.flags \
    /usr/share/man/man1/rollcalld.1 /usr/share/doc/rollcall-server/INSTALL.md; do
  contents "$server_deb" | grep -qx -- "$path" || fail "rollcall-server lacks $path"
done
for path in /usr/bin/rollcall /usr/share/man/man1/rollcall.1 \
    /usr/share/bash-completion/completions/rollcall; do
  contents "$cli_deb" | grep -qx -- "$path" || fail "rollcall-cli lacks $path"
done
contents "$cli_deb" | grep -q rollcalld && fail "rollcall-cli carries server files"
# The extractor's knowledge files, where the packaged rollcalld looks.
if [[ -d $source_dir/data/extract ]]; then
  for file in $(cd "$source_dir/data/extract" && find . -type f | sed 's|^\./||'); do
    contents "$server_deb" | grep -qx -- "/usr/share/rollcall/extract/$file" ||
      fail "rollcall-server lacks /usr/share/rollcall/extract/$file"
  done
fi
# Every dependency (one alternative of each) must be a package Debian 12
# has, or one that a Debian 12 package provides (libspdlog1.10-fmt9).
has_candidate() {  # has_candidate NAME: apt knows a version of NAME
  awk -v name="$1" '$1 == name && $2 != "(none)" { found = 1 } END { exit !found }' <<<"$candidates"
}
is_provided() {  # is_provided NAME: a package Provides NAME
  [[ -n $(apt-cache showpkg "$1" | sed -n '/^Reverse Provides:/,$p' | tail -n +2) ]]
}
for deb in "$server_deb" "$cli_deb"; do
  [[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "$deb: Version $(dpkg-deb -f "$deb" Version)"
  depends=$(dpkg-deb -f "$deb" Depends)
  grep -q 'libgrpc++1' <<<"$depends" || fail "$deb does not depend on gRPC: $depends"
  groups=$(tr ',' '\n' <<<"$depends" | sed 's/([^)]*)//g; s/^ *//; s/ *$//')
  # One apt-cache call for all names ("NAME CANDIDATE" lines).
  candidates=$(apt-cache policy $(tr '|' '\n' <<<"$groups" | sort -u) |
    awk '/^[^ ]/ { name = $1; sub(/:$/, "", name) } /Candidate:/ { print name, $2 }')
  while read -r group; do
    resolved=
    for alternative in ${group//|/ }; do
      if has_candidate "$alternative" || is_provided "$alternative"; then
        resolved=$alternative
        break
      fi
    done
    [[ -n $resolved ]] || fail "$deb: no Debian package satisfies '$group'"
  done <<<"$groups"
done
dpkg-deb -f "$server_deb" Depends | grep -q libsystemd0 || fail "rollcall-server: no libsystemd0"
dpkg-deb -e "$server_deb" "$work/control"
[[ $(cat "$work/control/conffiles") == /etc/rollcall/rollcalld.flags ]] ||
  fail "conffiles: $(cat "$work/control/conffiles")"
for script in postinst prerm postrm; do
  [[ -x $work/control/$script ]] || fail "rollcall-server has no executable $script"
  sh -n "$work/control/$script" || fail "$script is not valid sh"
done

step "dpkg -i into a throw-away root"
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg_root() {
  dpkg --root="$root" --force-script-chrootless --force-depends --force-not-root \
    --log=/dev/null "$@" >>"$work/dpkg.log" 2>&1 || fail "dpkg $*"
}
dpkg_root -i "$server_deb" "$cli_deb"
for name in rollcall-server rollcall-cli; do
  [[ $(dpkg-query --root="$root" -W -f='${Status} ${Version}' "$name") == "install ok installed $version" ]] ||
    fail "$name is not installed in the root"
done
[[ -d $root/var/lib/rollcall ]] || fail "postinst did not create /var/lib/rollcall"
flags=$root/etc/rollcall/rollcalld.flags
# The flags file lists every flag of the installed rollcalld, only the
# package's data directory set.
for name in $("$root/usr/bin/rollcalld" --help | sed -n 's/^    --\([a-z_]*\) .*/\1/p'); do
  grep -Eq -- "^#?--$name=" "$flags" || fail "the flags file lacks --$name"
done
[[ $(grep -- '^--' "$flags") == "--data_dir=/var/lib/rollcall" ]] ||
  fail "set in the flags file: $(grep -- '^--' "$flags")"
grep -q "^#--listen=localhost:50051$" "$flags" || fail "the flags file lacks --listen's default"
grep -q "rollcalld $version" "$root/usr/share/man/man1/rollcalld.1" || fail "rollcalld.1 lacks the version"
grep -q '^\.SH OPTIONS' "$root/usr/share/man/man1/rollcall.1" || fail "rollcall.1 lacks its options"

step "the installed rollcalld, under a NOTIFY_SOCKET"
python3 - "$work/notify" >"$work/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    print(s.recv(4096).decode().replace("\n", " "), flush=True)
PY
notify_pid=$!
for _ in $(seq 50); do [[ -S $work/notify ]] && break; sleep 0.1; done
NOTIFY_SOCKET=$work/notify "$root/usr/bin/rollcalld" --flagfile="$flags" \
  --data_dir="$root/var/lib/rollcall" --listen=127.0.0.1:0 >"$work/server.log" 2>"$work/server-err.log" &
server_pid=$!
address=
for _ in $(seq 100); do
  address=$(sed -n 's/^rollcalld listening on //p' "$work/server.log")
  [[ -n $address ]] && break
  sleep 0.1
done
[[ -n $address ]] || fail "the installed rollcalld did not start"
for _ in $(seq 50); do grep -q READY=1 "$work/notify.log" && break; sleep 0.1; done
grep -q "READY=1 STATUS=serving $address" "$work/notify.log" || fail "no READY=1 through sd_notify"
grep -q "rollcalld $version (commit [0-9a-f]*.*) serving $address" "$work/server-err.log" ||
  fail "the start-up log line does not name the version"
[[ -f $root/var/lib/rollcall/rollcall.db ]] || fail "no database in the root's /var/lib/rollcall"

rollcall=$root/usr/bin/rollcall
[[ $("$rollcall" version) == "rollcall $version "* ]] || fail "rollcall version: $("$rollcall" version)"
"$rollcall" --server "$address" import "$source_dir/data/niger-coup-2023.jsonl" >"$work/import.log" ||
  fail "the installed rollcall could not import"
count=$("$rollcall" --server "$address" --output json statements list --event niger-coup-2023 --limit 0 | wc -l)
[[ $count == 21 ]] || fail "the installed rollcall lists $count statements, not 21"

step "systemd-analyze verify"
# On the host's systemd, a copy of the installed unit whose ExecStart is the
# root's rollcalld (verify checks that it is executable), with the root's
# man pages for Documentation=man:rollcalld(1). verify reports problems
# (an unknown setting, a bad value) on stderr, some with status 0: any
# output fails.
mkdir -p "$work/unit"
sed "s|^ExecStart=/usr/bin/rollcalld |ExecStart=$root/usr/bin/rollcalld |" \
  "$root/usr/lib/systemd/system/rollcalld.service" >"$work/unit/rollcalld.service"
grep -q "^ExecStart=$root/usr/bin/rollcalld --flagfile=/etc/rollcall/rollcalld.flags$" \
  "$work/unit/rollcalld.service" || fail "the unit's ExecStart: $(grep ExecStart "$work/unit/rollcalld.service")"
MANPATH=$root/usr/share/man systemd-analyze verify "$work/unit/rollcalld.service" \
  >"$work/verify.log" 2>&1 || fail "systemd-analyze verify failed"
[[ ! -s $work/verify.log ]] || fail "systemd-analyze verify reported problems"
for setting in Type=notify StateDirectory=rollcall User=rollcall NoNewPrivileges=yes \
    ProtectSystem=strict ProtectHome=yes PrivateTmp=yes TimeoutStopSec=30; do
  grep -qx "$setting" "$work/unit/rollcalld.service" || fail "the unit lacks $setting"
done

step "the Python wheel in a fresh venv"
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index "$wheel" >"$work/pip.log" 2>&1 || fail "pip install"
(cd "$work" && "$work/venv/bin/python" - "$address" "$version" "$work/venv" <<'PY') || fail "the Python package"
import sys
import rollcall
import rollcall.v1.statement_pb2 as statement_pb2

address, version, venv = sys.argv[1:]
assert rollcall.__version__ == version, rollcall.__version__
assert statement_pb2.__file__.startswith(venv), statement_pb2.__file__
with rollcall.Client(address) as client:
    statements = list(client.list_statements('event = "events/niger-coup-2023"'))
assert len(statements) == 21, len(statements)
assert isinstance(statements[0], statement_pb2.Statement)
print("python: 21 statements")
PY

step "the Node tarball in a fresh project"
project=$work/node-project
mkdir -p "$project"
cp "$tarball" "$project/"
(cd "$project" &&
  node "$source_dir/tests/packaging/fresh_node_project.mjs" \
    "$source_dir/client/node/package-lock.json" "$(basename "$tarball")" &&
  npm install --offline --no-audit --no-fund --loglevel=error "./$(basename "$tarball")" \
    >"$work/npm.log" 2>&1) || fail "npm install of the tarball"
installed=$project/node_modules/@rollcall/client
[[ $(node -p 'require(process.argv[1]).version' "$installed/package.json") == "$version" ]] ||
  fail "the Node package's version"
[[ -f $installed/index.d.ts && -f $installed/proto/rollcall/v1/statement.proto ]] ||
  fail "the tarball lacks its types or protos"
cat >"$project/roll-call.mjs" <<'JS'
import { Client } from '@rollcall/client';
const client = new Client(process.argv[2]);
let count = 0;
for await (const s of client.listStatements({ filter: 'event = "events/niger-coup-2023"' })) {
  if (!s.actor.startsWith('actors/')) throw new Error(`actor ${s.actor}`);
  count += 1;
}
client.close();
console.log(count);
JS
[[ $(cd "$project" && node roll-call.mjs "$address") == 21 ]] || fail "the Node package lists no roll call"
cat >"$project/check.mts" <<'TS'
import { Client } from '@rollcall/client';
const client: Client = new Client('localhost:1');
// @ts-expect-error: listStatements takes options, not a number.
client.listStatements(42);
TS
node "$source_dir/client/node/node_modules/typescript/bin/tsc" --noEmit --strict \
  --module node16 --moduleResolution node16 "$project/check.mts" >"$work/tsc.log" 2>&1 ||
  fail "the installed package's types do not type-check"

step "SIGTERM: STOPPING=1, clean exit"
kill -TERM "$server_pid"
wait "$server_pid" || fail "rollcalld exited with $?"
server_pid=
grep -q STOPPING=1 "$work/notify.log" || fail "no STOPPING=1 through sd_notify"

step "reinstall (an upgrade), remove, purge"
echo "--log_level=debug" >>"$flags"
dpkg_root -i "$server_deb"
grep -qx -- "--log_level=debug" "$flags" || fail "reinstalling replaced the edited flags file"
[[ -f $root/var/lib/rollcall/rollcall.db ]] || fail "reinstalling lost the database"
dpkg_root -r rollcall-server
[[ -f $root/var/lib/rollcall/rollcall.db ]] || fail "removing deleted the database"
[[ -f $flags ]] || fail "removing deleted the flags file"
[[ ! -e $root/usr/bin/rollcalld ]] || fail "removing left rollcalld"
dpkg_root -P rollcall-server
[[ ! -e $root/var/lib/rollcall ]] || fail "purging left /var/lib/rollcall"
[[ ! -e $flags ]] || fail "purging left the flags file"
echo PASS
