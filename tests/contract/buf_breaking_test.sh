#!/usr/bin/env bash
# The breaking-change check must be able to fail: renumbering a field of
# Statement (a wire-incompatible change) is reported, naming the field; an
# unchanged contract passes.
# Usage: buf_breaking_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
buf=$source_dir/tools/node_modules/.bin/buf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp -r "$source_dir/proto" "$work/before"
cp -r "$source_dir/proto" "$work/after"
(cd "$work/after" && "$buf" breaking . --against "$work/before")
echo "unchanged contract: no breaking change reported"

# Move Statement.quote to another field number.
statement=$work/after/rollcall/v1/statement.proto
grep -qE '^  string quote = [0-9]+;' "$statement"
sed -i -E 's/^  string quote = [0-9]+;/  string quote = 999;/' "$statement"
if output=$(cd "$work/after" && "$buf" breaking . --against "$work/before" 2>&1); then
  echo "FAIL: renumbering Statement.quote was not reported as breaking" >&2
  exit 1
fi
echo "$output"
grep -q 'quote' <<<"$output" || { echo "FAIL: the report does not name the field" >&2; exit 1; }
echo "renumbered field: reported as breaking"
