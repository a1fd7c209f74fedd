#!/usr/bin/env bash
# Constant memory on a large stream: generates about SIZE_MB MiB of NDJSON events on the fly (the
# sample events of Grammar/examples repeated, with a bad line and a blank line now and then) and
# pipes them into `winnow match`, once with --count and once writing every match to /dev/null,
# then does the same from a file (which `winnow match` maps rather than reads; the file is
# written to a temporary directory and deleted), measuring the peak resident set size.
#
# Usage: Benchmarks/constant-memory.sh [SIZE_MB (default 1024)] [path/to/winnow]
# Fails (exit 1) when the peak RSS exceeds LIMIT_MB (default 64) or a count is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${1:-1024}
BIN=${2:-.build/release/winnow}
LIMIT_MB=${LIMIT_MB:-64}
SAMPLE=Grammar/examples/events.ndjson
SPECIFIER='machines.*.*.Object.Stage=Eq("complete")'

if [ ! -x "$BIN" ]; then
  swift build -c release --product winnow --static-swift-stdlib >&2
fi

# Writes SIZE_MB MiB of events to stdout in 4 MiB blocks; the counts it expects go to fd 3.
generate() {
  python3 - "$SIZE_MB" "$SAMPLE" <<'PY'
import json, os, sys
size = int(sys.argv[1]) << 20
events = open(sys.argv[2], "rb").read().splitlines()
block, lines = [], 0
while sum(map(len, block)) + len(block) < 4 << 20:
    block.extend(events)
block.append(b"this line is not JSON")
block.append(b"   ")
data = b"\n".join(block) + b"\n"
def matches(line):
    try:
        event = json.loads(line)
    except ValueError:
        return False
    obj = event.get("Object") if isinstance(event, dict) else None
    return event.get("Type") == "machines" and isinstance(obj, dict) and obj.get("Stage") == "complete"
matched_per_block = sum(map(matches, block))
written = blocks = 0
out = sys.stdout.buffer
while written < size:
    out.write(data)
    written += len(data)
    blocks += 1
out.flush()
os.write(3, f"{blocks * len(block)} {blocks * matched_per_block} {blocks} {written}\n".encode())
PY
}

# Runs a command, writing its peak resident set size in KiB to the file $1: from /usr/bin/time
# when there is one, else from VmHWM in /proc, polled. Returns the command's status.
measure() {
  local rss_file=$1
  shift
  if [ -x /usr/bin/time ]; then
    local rc=0
    /usr/bin/time -v -o "$rss_file.time" "$@" || rc=$?
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$rss_file.time" > "$rss_file"
    return $rc
  fi
  "$@" <&0 &
  local pid=$! peak=0 hwm rc=0
  while kill -0 "$pid" 2>/dev/null; do
    hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ]; then peak=$hwm; fi
    sleep 0.02
  done
  wait "$pid" || rc=$?
  echo "$peak" > "$rss_file"
  return $rc
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

mib() { echo "scale=1; $1 / 1024" | bc; }

# run LABEL OUTPUT [OPTIONS...]: the generated stream piped into `winnow match`; with FILE=1,
# written to a file first and given by name (a regular file is mapped, not read).
run() {
  local label=$1 output=$2
  shift 2
  local start end rss lines matched bad bytes
  if [ "${FILE:-0}" = 1 ]; then
    generate 3>"$work/expected" > "$work/events.ndjson"
    start=$(date +%s.%N)
    measure "$work/rss" "$BIN" match --stats "$@" "$SPECIFIER" "$work/events.ndjson" \
      > "$output" 2> "$work/err" || true
    rm -f "$work/events.ndjson"
  else
    start=$(date +%s.%N)
    generate 3>"$work/expected" \
      | measure "$work/rss" "$BIN" match --stats "$@" "$SPECIFIER" > "$output" 2> "$work/err" || true
  fi
  end=$(date +%s.%N)
  rss=$(cat "$work/rss")
  read -r lines matched bad bytes < "$work/expected"
  local got_lines got_matched got_errors seconds
  got_lines=$(awk '/^lines read/ { print $NF }' "$work/err")
  got_matched=$(awk '/^matched/ { print $NF }' "$work/err")
  got_errors=$(awk '/^skipped as errors/ { print $NF }' "$work/err")
  seconds=$(echo "scale=2; ($end - $start) / 1" | bc)
  local timed="including the generator"
  if [ "${FILE:-0}" = 1 ]; then timed="the file written beforehand"; fi
  echo "$label: $((bytes >> 20)) MiB in $seconds s ($(echo "$bytes / 1048576 / $seconds" | bc) MiB/s," \
    "$timed), $got_lines lines, $got_matched matched, $got_errors bad;" \
    "peak RSS $rss KiB ($(mib "$rss") MiB)"
  if [ "$got_lines" != "$lines" ] || [ "$got_matched" != "$matched" ] || [ "$got_errors" != "$bad" ]; then
    echo "  wrong counts: expected $lines lines, $matched matched, $bad bad" >&2
    status=1
  fi
  if [ "$rss" -gt $((LIMIT_MB * 1024)) ]; then
    echo "  peak RSS above the limit of $LIMIT_MB MiB" >&2
    status=1
  fi
}

measure "$work/base" "$BIN" match --count "$SPECIFIER" < /dev/null > /dev/null || true
echo "empty input (baseline): peak RSS $(cat "$work/base") KiB ($(mib "$(cat "$work/base")") MiB)"
run "match --count" "$work/out" --count
run "match > /dev/null" /dev/null
FILE=1 run "match --count FILE (mapped)" "$work/out" --count
FILE=1 run "match FILE > /dev/null (mapped)" /dev/null
exit $status
