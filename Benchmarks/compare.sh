#!/usr/bin/env bash
# Side-by-side comparison of `winnow match` with the peers of shared/peers/RESULTS.md (jq, gojq,
# the simdjson C++ program, and the Python + orjson predicate when orjson is installed) on the
# same generated NDJSON file, in one run, for the six workloads W1..W6.
#
#   bash Benchmarks/compare.sh            # 200,000 events (429 MB), 3 rounds: ~6-8 minutes
#   bash Benchmarks/compare.sh 50000      # a smaller file (expected counts from reference.py)
#   ROUNDS=5 ONLY="W1 W4" bash Benchmarks/compare.sh
#
# Method: whole-process wall time of each command (bash $EPOCHREALTIME around it), output to
# /dev/null. Each round runs every workload once with every tool, the tools in an order that
# rotates from round to round (tool i starts round r at position (i + r) mod tools), so that no
# tool always follows the same neighbour or always meets the same background load. A first,
# untimed round warms the page cache and checks counts. The table gives the median over
# ROUNDS of MB/s (decimal, file bytes / seconds) and the ratio Winnow / peer of those medians.
# Every timed run's match count is checked against the expected count (workloads.md for the
# 200k seed-1 file, reference.py otherwise); a mismatch marks the cell with X and makes the
# script exit 1.
#
# Environment:
#   ROUNDS     timed rounds (default 3)
#   ONLY       workloads (default "W1 W2 W3 W4 W5 W6")
#   TOOLS      tools (default "winnow winnow-print simdjson py-orjson jq gojq"); py-orjson is
#              dropped when orjson is not importable
#   DATA       work directory for the events, binaries and results (default /tmp/winnow-compare)
#   SKIP_INSTALL=1   never call apt-get or pip (missing peers are then dropped)
#   SKIP_BUILD=1     use the existing release build of winnow
#   WINNOW     the winnow binary to time (default: the release build; set SKIP_BUILD=1 too)
#   WINNOW_THREADS   passed on to winnow: its filtering threads (1 = sequential)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(git -C "$HERE" rev-parse --show-toplevel)
PEERS=$(cd "$ROOT/../shared/peers" && pwd)
N=${1:-200000}
ROUNDS=${ROUNDS:-3}
ONLY=${ONLY:-"W1 W2 W3 W4 W5 W6"}
TOOLS=${TOOLS:-"winnow winnow-print simdjson py-orjson jq gojq"}
DATA=${DATA:-/tmp/winnow-compare}
mkdir -p "$DATA/progs"
log() { printf '%s\n' "$*" >&2; }

# ---- peers: install only what is missing ---------------------------------------------------
missing=()
command -v jq >/dev/null || missing+=(jq)
command -v gojq >/dev/null || missing+=(gojq)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v g++ >/dev/null || missing+=(g++)
[[ -e /usr/include/simdjson.h ]] || missing+=(libsimdjson-dev)
[[ -e /usr/include/pcre2.h ]] || missing+=(libpcre2-dev)
if ((${#missing[@]})) && [[ ${SKIP_INSTALL:-0} != 1 ]]; then
  log "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ " $TOOLS " == *" py-orjson "* ]] && ! python3 -c 'import orjson' 2>/dev/null; then
  if [[ ${SKIP_INSTALL:-0} != 1 ]]; then python3 -m pip install -q orjson || true; fi
  python3 -c 'import orjson' 2>/dev/null || { log "orjson not available: py-orjson dropped"; TOOLS=${TOOLS/py-orjson/}; }
fi
for t in jq gojq; do
  if [[ " $TOOLS " == *" $t "* ]] && ! command -v $t >/dev/null; then log "$t missing: dropped"; TOOLS=${TOOLS/$t/}; fi
done

# ---- builds --------------------------------------------------------------------------------
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building winnow (release)"
  # As `make release` builds it: the Swift runtime linked statically (faster start).
  swift build -c release --package-path "$ROOT" --product winnow --static-swift-stdlib >&2
fi
WINNOW=${WINNOW:-$(swift build -c release --package-path "$ROOT" --show-bin-path)/winnow}
[[ -x $WINNOW ]] || { log "no winnow at $WINNOW"; exit 2; }

SIMD=$DATA/simd_filter
if [[ " $TOOLS " == *" simdjson "* ]]; then
  if [[ ! -x $SIMD || $PEERS/simd_filter.cpp -nt $SIMD ]]; then
    log "compiling simd_filter.cpp"
    g++ -O3 -march=native -std=c++17 "$PEERS/simd_filter.cpp" -lsimdjson -lpcre2-8 -o "$SIMD"
  fi
fi

# ---- events and expected counts ------------------------------------------------------------
EV=$DATA/events-$N.ndjson
if [[ ! -s $EV ]]; then
  log "generating $N events"
  if swift build -c release --package-path "$HERE" --product GenerateEvents >&2; then
    "$(swift build -c release --package-path "$HERE" --show-bin-path)/GenerateEvents" -n "$N" --seed 1 >"$EV.tmp"
  else
    python3 "$PEERS/gen_events.py" -n "$N" -o "$EV.tmp"
  fi
  mv "$EV.tmp" "$EV"
fi
BYTES=$(stat -c %s "$EV")
EXP=$DATA/events-$N.expected.tsv
if [[ ! -s $EXP ]]; then
  if [[ $N == 200000 && $(md5sum "$EV" | cut -d' ' -f1) == b1f9db21f9cbbda435e3dc470aea8f0e ]]; then
    # shared/peers/workloads.md (reference.py on this file)
    printf 'W1\t18164\nW2\t12876\nW3\t3601\nW4\t6964\nW5\t123203\nW6\t4666\n' >"$EXP"
  else
    log "computing expected counts with reference.py"
    python3 "$PEERS/reference.py" "$EV" -o "$DATA/events-$N.expected.json" >/dev/null
    python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['workloads']
for w in sorted(d): print(w + '\t' + str(d[w]['matches']))" "$DATA/events-$N.expected.json" >"$EXP"
  fi
fi
expected() { awk -v w="$1" '$1 == w { print $2 }' "$EXP"; }

# ---- programs ------------------------------------------------------------------------------
declare -A SPEC
for w in $ONLY; do
  SPEC[$w]="*.*.*.$(python3 "$PEERS/workloads.py" drp "$w")"
  for t in jq gojq; do
    printf 'reduce inputs as $e (0; if any($e | %s; .) then . + 1 else . end)\n' \
      "$(python3 "$PEERS/workloads.py" "$t" "$w")" >"$DATA/progs/${t}_${w}_count.jq"
  done
done

# run TOOL W: runs one command; its stdout (a count, or the matching lines for winnow-print)
# goes to $DATA/out. Prints the count found.
run() {
  local tool=$1 w=$2
  case $tool in
    winnow) "$WINNOW" match --count -- "${SPEC[$w]}" "$EV" >"$DATA/out" || true ;;
    winnow-print) "$WINNOW" match -- "${SPEC[$w]}" "$EV" >/dev/null || true ;;
    simdjson) "$SIMD" "$w" "$EV" >"$DATA/out" ;;
    py-orjson) python3 "$PEERS/py_peers.py" plain "$w" "$EV" --parser orjson >"$DATA/out" ;;
    jq | gojq) $tool -n -f "$DATA/progs/${tool}_${w}_count.jq" "$EV" >"$DATA/out" ;;
  esac
}
# count TOOL W: the count of the last run (print mode: counted by a separate, untimed run).
count() {
  local tool=$1 w=$2
  if [[ $tool == winnow-print ]]; then
    "$WINNOW" match -- "${SPEC[$w]}" "$EV" | wc -l
  else
    tail -n 1 "$DATA/out" | awk '{ print $1 }'
  fi
}

read -ra TOOLV <<<"$TOOLS"
NT=${#TOOLV[@]}
RES=$DATA/times.tsv
: >"$RES"
FAIL=0
declare -A BAD
START=$(date -u +%H:%M)
for ((r = 0; r <= ROUNDS; r++)); do
  for w in $ONLY; do
    for ((i = 0; i < NT; i++)); do
      tool=${TOOLV[$(((i + r) % NT))]}
      t0=$EPOCHREALTIME
      run "$tool" "$w"
      t1=$EPOCHREALTIME
      secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
      # Counts: every timed run of the count modes; the print mode in the warm-up round.
      if [[ $tool != winnow-print || $r == 0 ]]; then
        got=$(count "$tool" "$w")
        if [[ $got != "$(expected "$w")" ]]; then
          BAD[$tool.$w]=1
          FAIL=1
          log "MISMATCH $tool $w: $got, expected $(expected "$w")"
        fi
      fi
      if ((r == 0)); then
        log "warm-up $w $tool: ${secs}s, count ok"
      else
        printf '%s\t%s\t%s\t%s\n' "$r" "$w" "$tool" "$secs" >>"$RES"
        log "round $r/$ROUNDS $w $tool: ${secs}s"
      fi
    done
  done
done
END=$(date -u +%H:%M)

# ---- table ---------------------------------------------------------------------------------
python3 - "$RES" "$BYTES" "$N" "$TOOLS" "$ONLY" "$EXP" "$(declare -p BAD 2>/dev/null | tr -d '\n')" <<'PY'
import statistics, sys
res, size, n, tools, only, exp, bad = sys.argv[1:]
size, n = int(size), int(n)
tools, only = tools.split(), only.split()
expected = dict(line.split() for line in open(exp))
times = {}
for line in open(res):
    r, w, t, s = line.split()
    times.setdefault((w, t), []).append(float(s))
med = {k: statistics.median(v) for k, v in times.items()}
mbs = lambda w, t: size / med[(w, t)] / 1e6
mark = lambda w, t: " X" if f"[{t}.{w}]" in bad else ""
print(f"MB/s (decimal) of the whole process, median of {len(next(iter(times.values())))} rounds; "
      f"{n:,} events, {size:,} bytes. X: a match count differed from the expected one.\n")
print("| workload | expected | " + " | ".join(tools) + " |")
print("|---|---:|" + "---:|" * len(tools))
for w in only:
    cells = [f"{mbs(w, t):,.0f}{mark(w, t)}" for t in tools]
    print(f"| {w} | {int(expected[w]):,} | " + " | ".join(cells) + " |")
peers = [t for t in tools if not t.startswith("winnow")]
for mode in [t for t in ("winnow", "winnow-print") if t in tools]:
    print(f"\nRatio {mode} / peer (MB/s over MB/s; > 1: Winnow is faster)\n")
    print("| workload | " + " | ".join(peers) + " |")
    print("|---|" + "---:|" * len(peers))
    for w in only:
        cells = [f"{mbs(w, mode) / mbs(w, p):.2f}×" for p in peers]
        print(f"| {w} | " + " | ".join(cells) + " |")
print("\nMedian seconds per run\n")
print("| workload | " + " | ".join(tools) + " |")
print("|---|" + "---:|" * len(tools))
for w in only:
    print(f"| {w} | " + " | ".join(f"{med[(w, t)]:.3f}" for t in tools) + " |")
PY
log "rounds from $START to $END UTC; raw times in $RES"
exit $FAIL
