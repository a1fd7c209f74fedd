#!/usr/bin/env bash
# Builds and runs one fuzz target, or all of them one after another.
#
#   Fuzz/run.sh FuzzJSON 300     # five minutes of FuzzJSON
#   Fuzz/run.sh all 120          # every target, two minutes each
#   Fuzz/run.sh smoke            # CI: every target, a fixed number of runs from seed 1
#   Fuzz/run.sh smoke FuzzJSON   # the same for one target
#
# The seed corpus Corpus/<Target>/ is copied into a scratch corpus .work/<Target>/corpus/
# (git-ignored, kept between runs so coverage accumulates). A crash, timeout or out-of-memory
# input is copied into FailCases/<Target>/, where FuzzRegressionTests replays it, and the
# script exits 1. Extra arguments after SECONDS go to libFuzzer (e.g. -jobs=2).
#
# `smoke` starts each target from its seed corpus alone (a fresh scratch corpus) and stops after
# a fixed number of inputs (about 20 s each here) from seed 1, so a run is the same on every
# machine: what passed before submitting passes in CI, and a failure in CI repeats here.
set -euo pipefail

cd "$(dirname "$0")"
if [ "${1:-}" = smoke ]; then
  target=smoke
  seconds=300  # a cap only: the run count ends each target long before
  only=${2:-}  # `smoke FuzzNDJSON`: that target alone
  shift $#
elif [ $# -lt 2 ]; then
  echo "usage: $0 TARGET|all SECONDS [libFuzzer options...] | $0 smoke" >&2
  exit 2
else
  target=$1
  seconds=$2
  shift 2
fi

all_targets() {
  for dir in Sources/Fuzz*/; do
    name=$(basename "$dir")
    [ -f "Sources/$name/$name.swift" ] && echo "$name"
  done
}

# Per target: the longest input worth trying and the dictionary.
max_len() {
  case $1 in
    FuzzJSON) echo 4096 ;;
    FuzzEval) echo 512 ;;
    FuzzFilter) echo 2048 ;;
    FuzzSpecifier) echo 1024 ;;
    FuzzRegex) echo 512 ;;
    FuzzNDJSON) echo 4096 ;;
    FuzzSubscriptions) echo 512 ;;
    *) echo 4096 ;;
  esac
}
dictionary() {
  case $1 in
    FuzzJSON) echo Dictionaries/json.dict ;;
    FuzzFilter) echo Dictionaries/filter.dict ;;
    FuzzSpecifier) echo Dictionaries/specifier.dict ;;
    FuzzRegex) echo Dictionaries/regex.dict ;;
    FuzzNDJSON) echo Dictionaries/json.dict ;;
    FuzzSubscriptions) echo Dictionaries/specifier.dict ;;
    *) echo "" ;;
  esac
}

# Per target: the inputs a smoke run tries (about 20 s of each on this 2-core machine).
smoke_runs() {
  case $1 in
    FuzzJSON) echo 200000 ;;
    FuzzEval) echo 40000 ;;
    FuzzFilter) echo 240000 ;;
    FuzzSpecifier) echo 100000 ;;
    FuzzRegex) echo 6000 ;;
    FuzzNDJSON) echo 150000 ;;
    FuzzSubscriptions) echo 25000 ;;
    *) echo 50000 ;;
  esac
}

build() {
  swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing \
    -Xswiftc -use-ld=lld --product "$1" 2>&1 | grep -v 'warning: ' | tail -n 3
  [ "${PIPESTATUS[0]}" -eq 0 ]
}

run_one() {
  local name=$1
  shift
  local work=.work/$name
  local corpus=$work/corpus
  if [ "$target" = smoke ]; then
    corpus=$work/smoke-corpus
    rm -rf "$corpus"
    set -- "$@" -runs="$(smoke_runs "$name")" -seed=1
  fi
  mkdir -p "$corpus" "$work/artifacts" "FailCases/$name"
  cp -n Corpus/"$name"/* "$corpus/" 2>/dev/null || true
  build "$name" || return 1
  local binary
  binary="$(swift build -c release --show-bin-path)/$name"
  local dict
  dict=$(dictionary "$name")
  local options=(
    -max_total_time="$seconds" -max_len="$(max_len "$name")" -timeout=5 -rss_limit_mb=2048
    -print_final_stats=1 -artifact_prefix="$work/artifacts/"
  )
  [ -n "$dict" ] && options+=(-dict="$dict")
  if [ "$target" = smoke ]; then
    echo "== $name: $(smoke_runs "$name") runs from seed 1" >&2
  else
    echo "== $name: ${seconds}s" >&2
  fi
  rm -f "$work/artifacts/"*
  local status=0
  # A Swift trap must reach libFuzzer as a plain crash, not through the backtracer.
  # lsan.supp: one known global that LeakSanitizer cannot see as reachable.
  SWIFT_BACKTRACE=enable=no LSAN_OPTIONS="suppressions=$PWD/lsan.supp:print_suppressions=0" "$binary" "${options[@]}" "$@" "$corpus" 2>"$work/log" || status=$?
  grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb' "$work/log" >&2 || true
  local found=0
  for artifact in "$work/artifacts/"*; do
    [ -f "$artifact" ] || continue
    cp "$artifact" "FailCases/$name/"
    echo "!! $name: $(basename "$artifact") copied to Fuzz/FailCases/$name/" >&2
    found=1
  done
  if [ $found -eq 1 ] || [ $status -ne 0 ]; then
    grep -E 'Fatal error|ERROR: |SUMMARY' "$work/log" | head -n 5 >&2 || true
    echo "!! $name failed (exit $status); full log in Fuzz/$work/log" >&2
    return 1
  fi
}

if [ "$target" = all ] || [ "$target" = smoke ]; then
  failed=0
  for name in $(all_targets); do
    [ -z "${only:-}" ] || [ "$name" = "$only" ] || continue
    run_one "$name" "$@" || failed=1
  done
  exit $failed
fi
[ -f "Sources/$target/$target.swift" ] || { echo "no target $target; have: $(all_targets | tr '\n' ' ')" >&2; exit 2; }
run_one "$target" "$@"
