#!/bin/sh
# `make demo`, part 2: a hub for a few seconds. Starts `winnow serve`, subscribes `winnow watch`
# (the project's own client) with one specifier and a filter, posts the sample events, shows the
# filtered stream the client printed, and stops the hub with SIGTERM (sockets closed with 1001).
# Each step waits for the previous one to be ready (the hub listening, the client registered)
# with a time limit; nothing is left running, whatever fails.
# Usage: Scripts/hub-demo.sh [path/to/winnow]
set -eu
BIN=${1:-.build/release/winnow}
EVENTS=Grammar/examples/events.ndjson
SPEC='machines.save,update.*.Stage=Changed()'
TOKEN=demo
DIR=$(mktemp -d)
HUB=
WATCH=
stop() { # PID: SIGTERM, and SIGKILL if it has not ended after 5 s
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  [ -n "$WATCH" ] && stop "$WATCH"
  [ -n "$HUB" ] && stop "$HUB"
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# Waits up to 10 s for FILE to contain TEXT; fails with the file shown.
wait_for() {
  for _ in $(seq 40); do
    grep -q "$2" "$1" && return 0
    sleep 0.25
  done
  echo "hub-demo: gave up waiting for '$2' in:" >&2
  cat "$1" >&2
  exit 1
}
cut_long() { awk '{ if (length($0) > 150) print substr($0, 1, 149) "…"; else print }'; }

echo "\$ winnow serve --token $TOKEN --listen 127.0.0.1:0 &"
"$BIN" serve --token "$TOKEN" --listen 127.0.0.1:0 2>"$DIR/hub.log" &
HUB=$!
wait_for "$DIR/hub.log" 'listening on'
cat "$DIR/hub.log"
URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$DIR/hub.log" | head -1)

# The client ends by itself after as many events as `winnow match` selects at rest.
COUNT=$("$BIN" match --count "$SPEC" "$EVENTS" || true)
echo
echo "# A client subscribes to stage changes of machines and ends after $COUNT events:"
echo "\$ winnow watch --token $TOKEN --count $COUNT --verbose $URL '$SPEC' &"
"$BIN" watch --token "$TOKEN" --count "$COUNT" --verbose "$URL" "$SPEC" \
  >"$DIR/stream.ndjson" 2>"$DIR/watch.log" &
WATCH=$!
wait_for "$DIR/watch.log" 'registered'
cat "$DIR/watch.log"

echo
echo "# The sample events are posted to the hub:"
echo "\$ curl -H 'Authorization: Bearer $TOKEN' --data-binary @$EVENTS $URL/api/v3/events"
if command -v curl >/dev/null 2>&1; then
  curl -sS --fail --max-time 10 -H "Authorization: Bearer $TOKEN" --data-binary @"$EVENTS" \
    "$URL/api/v3/events"
  echo
else # the same request without curl
  python3 - "$URL/api/v3/events" "$TOKEN" "$EVENTS" <<'PY'
import sys, urllib.request
url, token, path = sys.argv[1:]
with open(path, "rb") as f:
    request = urllib.request.Request(url, data=f.read(), headers={"Authorization": "Bearer " + token})
print(urllib.request.urlopen(request, timeout=10).read().decode())
PY
fi
# `winnow watch --count` exits 0 once it has printed its events; give it 10 s.
for _ in $(seq 40); do
  kill -0 "$WATCH" 2>/dev/null || break
  sleep 0.25
done
if kill -0 "$WATCH" 2>/dev/null; then
  echo "hub-demo: winnow watch did not receive $COUNT events in 10 s" >&2
  exit 1
fi
status=0
wait "$WATCH" || status=$?
WATCH=
echo
echo "# What the client printed: one NDJSON line per event, byte for byte as posted (cut at"
echo "# 150 characters here), and the stage change each one is:"
cut_long <"$DIR/stream.ndjson"
python3 - "$DIR/stream.ndjson" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    event = json.loads(line)
    before, after = event.get("Original") or {}, event.get("Object") or {}
    print(f"  {event['Type']}.{event['Action']}.{event['Key'][:8]}…  Stage "
          f"{before.get('Stage')!r} -> {after.get('Stage')!r}")
PY
echo "winnow watch exited with status $status after $(wc -l <"$DIR/stream.ndjson") events"
[ "$status" -eq 0 ]

echo
echo '$ kill -TERM %1   # every websocket is closed with 1001, exit status 0'
kill -TERM "$HUB"
wait "$HUB" && echo "winnow serve exited with status 0"
HUB=
