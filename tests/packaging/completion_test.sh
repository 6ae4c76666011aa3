#!/usr/bin/env bash
# The bash completion of rollcall completes subcommands level by level,
# options (the subcommand's and the global ones) and --output's values,
# from the rollcall binary it is given.
# Usage: completion_test.sh COMPLETION_FILE ROLLCALL
set -euo pipefail
source "$1"
rollcall=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
complete_words() {  # complete_words WORD... : COMPREPLY for the last word
  COMP_WORDS=("$rollcall" "$@")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  _rollcall
  echo "${COMPREPLY[*]}"
}
expect() {  # expect "WANTED" WORD...
  local wanted=$1; shift
  local got; got=$(complete_words "$@")
  [[ $got == "$wanted" ]] || fail "completing '$*': got '$got', wanted '$wanted'"
}
[[ $(complete -p rollcall) == "complete -F _rollcall rollcall" ]] || fail "not registered"
expect "actors events statements import export summary watch extract drafts version" ""
expect "statements summary" s
expect "add get list update retract history" statements ""
expect "list" --server localhost:1 statements li
expect "--stance" statements list --stan
expect "--server" statements list --serv
expect "table json" --output ""
expect "list get accept reject review" drafts ""
echo PASS
