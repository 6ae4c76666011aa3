#!/usr/bin/env bash
# Every program and package reports the one CMake version (and rollcalld
# and rollcall the same commit): rollcalld --version, rollcall version and
# --version, the Python package (pyproject.toml) and the Node package
# (package.json).
# Usage: versions_test.sh VERSION ROLLCALLD ROLLCALL SOURCE_DIR
set -euo pipefail
version=$1 rollcalld=$2 rollcall=$3 source_dir=$4
fail() { echo "FAIL: $*" >&2; exit 1; }

[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "CMake's version '$version' is not X.Y.Z"
line=$("$rollcalld" --version)
[[ $line =~ ^rollcalld\ ${version//./\\.}\ \(commit\ ([0-9a-f]{12}(-dirty)?|unknown)\)$ ]] ||
  fail "rollcalld --version: '$line'"
commit=${BASH_REMATCH[1]}
if git -C "$source_dir" rev-parse HEAD >/dev/null 2>&1; then
  [[ ${commit%-dirty} == $(git -C "$source_dir" rev-parse --short=12 HEAD) ]] ||
    fail "rollcalld reports commit $commit, the checkout is at $(git -C "$source_dir" rev-parse HEAD)"
fi
[[ $("$rollcall" version) == "rollcall $version (commit $commit)" ]] ||
  fail "rollcall version: '$("$rollcall" version)'"
[[ $("$rollcall" --version) == "rollcall $version (commit $commit)" ]] ||
  fail "rollcall --version: '$("$rollcall" --version)'"
python_version=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
  "$source_dir/client/python/pyproject.toml")
[[ $python_version == "$version" ]] || fail "client/python/pyproject.toml says $python_version"
node_version=$(node -p 'require(process.argv[1]).version' "$source_dir/client/node/package.json")
[[ $node_version == "$version" ]] || fail "client/node/package.json says $node_version"
# --help lists rollcalld's own flags with their defaults (not "No flags matched").
help=$("$rollcalld" --help || true)
grep -q -- '--listen (host:port to serve gRPC on.*default: "localhost:50051";' <<<"$(tr -s ' \n' ' ' <<<"$help")" ||
  fail "rollcalld --help does not list --listen with its default: $help"
grep -q 'Flags from server/main.cc:' <<<"$help" || fail "rollcalld --help: no group for server/main.cc"
echo "PASS: version $version, commit $commit"
