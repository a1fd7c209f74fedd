#!/usr/bin/env bash
# Long lines: reading stays linear in the line length and memory stays bounded by the line
# limit, from a pipe and from a file (SPEC section 6; issue 12).
#
# 1. One line of SIZE MB of zero bytes (no LF), for SIZE in SIZES (default "16 64 128"), read by
#    `winnow match --count --max-line-bytes 256M '*.*.*'` so that the whole line is buffered (the
#    path that was quadratic from a pipe), from a file and through `cat FILE |`. Reports wall
#    time, MB/s and peak RSS; checks that the time per MB at the largest size is at most
#    SLOPE (default 3) times the time per MB at the smallest (linear: ~1; quadratic: 8 at
#    16 → 128 MB) and that the peak RSS is below 2.5 × the line plus 32 MB.
# 2. The endless-line cases with the default limit (64 MiB): `head -c 300000000 /dev/zero` from a
#    file and from a pipe, `winnow match '*.*.*' /dev/zero`, `winnow eval 'a=Exists()'
#    /dev/zero`, `winnow check - < /dev/zero`: each must end with exit 2 within TIMEOUT seconds
#    (default 60) and a peak RSS below RSS_LIMIT_MB (default 200).
#
# Usage: Benchmarks/long-lines.sh [path/to/winnow]   (default .build/release/winnow, built if
# missing). BASE=path/to/another/winnow runs part 1 with that binary too, side by side (e.g. the
# build of the previous commit). Work files go to DATA (default /tmp/winnow-long-lines).
# Needs GNU time (/usr/bin/time). Exit 1 when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-.build/release/winnow}
SIZES=${SIZES:-"16 64 128"}
SLOPE=${SLOPE:-3}
TIMEOUT=${TIMEOUT:-60}
RSS_LIMIT_MB=${RSS_LIMIT_MB:-200}
DATA=${DATA:-/tmp/winnow-long-lines}
mkdir -p "$DATA"

if [ ! -x "$BIN" ]; then swift build -c release --product winnow --static-swift-stdlib >&2; fi
if [ ! -x /usr/bin/time ]; then echo "long-lines.sh needs GNU time (apt-get install time)" >&2; exit 1; fi

failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

# Runs "$@" under GNU time with a timeout; sets STATUS, SECONDS_TAKEN, RSS_KB.
measure() {
  local stats="$DATA/time.txt"
  set +e
  /usr/bin/time -f '%e %M' -o "$stats" timeout "$TIMEOUT" "$@" > /dev/null 2> "$DATA/stderr.txt"
  STATUS=$?
  set -e
  read -r SECONDS_TAKEN RSS_KB < <(tail -1 "$stats")
}

echo "## Part 1: one long line of zero bytes, buffered whole (--max-line-bytes 256M)"
echo
echo "| binary | input | MB | seconds | MB/s | peak RSS MB |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for binary in "$BIN" ${BASE:-}; do
  for source in file pipe; do
    first_rate=""
    last_rate=""
    for size in $SIZES; do
      file="$DATA/zeros-$size.bin"
      [ -f "$file" ] || head -c "$((size * 1000000))" /dev/zero > "$file"
      flags=(match --count '*.*.*')
      [ "$binary" = "$BIN" ] && flags=(match --count --max-line-bytes 256M '*.*.*')
      if [ "$source" = file ]; then
        measure "$binary" "${flags[@]}" "$file"
      else
        measure bash -c 'cat "$1" | "$2" "${@:3}"' bash "$file" "$binary" "${flags[@]}"
      fi
      rss_mb=$((RSS_KB / 1024))
      rate=$(awk -v s="$SECONDS_TAKEN" -v m="$size" 'BEGIN { printf "%.0f", (s > 0 ? m / s : 99999) }')
      echo "| $binary | $source | $size | $SECONDS_TAKEN | $rate | $rss_mb |"
      [ -z "$first_rate" ] && first_rate=$SECONDS_TAKEN/$size
      last_rate=$SECONDS_TAKEN/$size
      if [ "$binary" = "$BIN" ]; then
        [ "$STATUS" = 2 ] || fail "$source $size MB: exit $STATUS, expected 2 (a line of zeros is not JSON)"
        [ "$rss_mb" -le $((size * 5 / 2 + 32)) ] || fail "$source $size MB: peak RSS $rss_mb MB"
      fi
    done
    if [ "$binary" = "$BIN" ]; then
      # Seconds per MB at the largest size against the smallest (0.01 s of slack for timer noise).
      awk -v a="$first_rate" -v b="$last_rate" -v k="$SLOPE" 'BEGIN {
        split(a, x, "/"); split(b, y, "/");
        small = (x[1] + 0.01) / x[2]; large = y[1] / y[2];
        exit !(large <= k * small) }' || fail "$source: time per MB grows from $first_rate to $last_rate (not linear)"
    fi
  done
done

echo
echo "## Part 2: endless and over-long lines with the default limit"
echo
echo "| command | exit | seconds | peak RSS MB | first error |"
echo "| --- | ---: | ---: | ---: | --- |"
head300="$DATA/zeros-300M.bin"
[ -f "$head300" ] || head -c 300000000 /dev/zero > "$head300"
run_case() {
  local label=$1
  shift
  measure "$@"
  local rss_mb=$((RSS_KB / 1024))
  local first
  first=$(head -c 200 "$DATA/stderr.txt" | head -1 | tr -d '\000')
  echo "| \`$label\` | $STATUS | $SECONDS_TAKEN | $rss_mb | $first |"
  [ "$STATUS" = 2 ] || fail "$label: exit $STATUS, expected 2"
  [ "$rss_mb" -le "$RSS_LIMIT_MB" ] || fail "$label: peak RSS $rss_mb MB over $RSS_LIMIT_MB"
}
run_case "winnow match '*.*.*' 300MB-file" "$BIN" match '*.*.*' "$head300"
run_case "head -c 300000000 /dev/zero | winnow match '*.*.*'" sh -c 'head -c 300000000 /dev/zero | "$1" match "*.*.*"' sh "$BIN"
run_case "winnow match '*.*.*' /dev/zero" "$BIN" match '*.*.*' /dev/zero
run_case "winnow match -f /dev/zero '*.*.*' x" "$BIN" match -f /dev/zero '*.*.*' x
run_case "winnow eval 'a=Exists()' /dev/zero" "$BIN" eval 'a=Exists()' /dev/zero
run_case "winnow check - < /dev/zero" sh -c '"$1" check - < /dev/zero' sh "$BIN"
run_case "cat /dev/zero | winnow check -" sh -c 'cat /dev/zero | "$1" check -' sh "$BIN"

exit $failed
