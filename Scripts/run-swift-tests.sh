#!/bin/sh
# Runs `swift test --skip-build ARGS` under a watchdog, for `make test`: a run that has not
# finished after WINNOW_TEST_TIMEOUT seconds (default 600; a whole run takes one or two minutes) is
# stopped, the tests that started and never ended are named, and the run is repeated once. A
# run that fails is never repeated.
#
# Why: a few times, mostly on a machine running other test processes beside it, a run stopped
# with every thread idle (once in a NATS integration suite; once in a hub server test, whose
# websocket client was left with its socket in CLOSE-WAIT: that test changed). None came back in
# dozens of reruns. Swift Testing's time limits cannot end a test that waits on a continuation
# nobody resumes, so without a watchdog such a hang would hold CI until its own limit.
set -u
limit=${WINNOW_TEST_TIMEOUT:-600}
swift=${SWIFT:-swift}
log=$(mktemp)
trap 'rm -f "$log" "$log.status" "$log.started" "$log.ended"' EXIT

attempt=1
while :; do
  # Line-buffered (stdbuf reaches the test binary too), so a killed run has told what started.
  { timeout --kill-after=10 "$limit" stdbuf -oL -eL "$swift" test --skip-build "$@" 2>&1
    echo $? >"$log.status"; } |
    tee "$log"
  status=$(cat "$log.status")
  [ "$status" = 124 ] || [ "$status" = 137 ] || exit "$status"
  echo "run-swift-tests: swift test did not finish within $limit s (attempt $attempt);" \
    "started and never ended:" >&2
  sed -n 's/^◇ Test \(.*\) started\.$/\1/p' "$log" | sort >"$log.started"
  sed -n 's/^[✔✘] Test \(.*\) \(passed\|failed\) after .*/\1/p' "$log" |
    sed 's/ with [0-9]* test cases\{0,1\}$//' | sort -u >"$log.ended"
  comm -23 "$log.started" "$log.ended" | grep -v '^case passing ' | sed 's/^/  /' >&2
  [ "$attempt" = 1 ] || exit 1
  attempt=2
  echo "run-swift-tests: running the tests once more" >&2
done
