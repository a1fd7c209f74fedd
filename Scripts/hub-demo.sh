#!/bin/sh
# `make demo`, part 2: a hub for a few seconds. Starts `winnow serve`, connects a websocket client
# (Python websocket-client) that registers one specifier with a filter, posts the sample events,
# shows the client's filtered stream, and stops the hub with SIGTERM (sockets closed with 1001).
# Usage: Scripts/hub-demo.sh [path/to/winnow]
set -eu
BIN=${1:-.build/release/winnow}
LOG=$(mktemp)
trap 'rm -f "$LOG"; [ -n "${HUB:-}" ] && kill "$HUB" 2>/dev/null || true' EXIT

echo '$ winnow serve --token demo --listen 127.0.0.1:0 &'
"$BIN" serve --token demo --listen 127.0.0.1:0 2>"$LOG" &
HUB=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  grep -q 'listening on' "$LOG" && break
  sleep 0.25
done
cat "$LOG"
URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$LOG" | head -1)
PORT=${URL##*:}

SPEC='machines.save,update.*.Stage=Changed()'
echo
echo "# A client registers '$SPEC' (stage changes of machines),"
echo "# then the sample events are posted; the client prints what it receives:"
python3 - "$PORT" "$SPEC" Grammar/examples/events.ndjson <<'PY'
import json, sys, threading, urllib.request, websocket
port, spec, path = sys.argv[1], sys.argv[2], sys.argv[3]
ws = websocket.create_connection(f"ws://127.0.0.1:{port}/api/v3/ws?token=demo", timeout=5)
ws.send(f"register {spec}")
ack = json.loads(ws.recv())
print(f"ack: {ack['Action']} {ack['Object']['Specifier']} (references {ack['Object']['References']})")
body = open(path, "rb").read()
request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v3/events", data=body,
                                 headers={"Authorization": "Bearer demo"})
print("POST /api/v3/events ->", urllib.request.urlopen(request).read().decode())
ws.settimeout(1)
try:
    while True:
        event = json.loads(ws.recv())
        obj, orig = event.get("Object") or {}, event.get("Original") or {}
        print(f"event: {event['Type']}.{event['Action']}.{event['Key'][:8]}…  Stage {orig.get('Stage')!r} -> {obj.get('Stage')!r}")
except websocket.WebSocketTimeoutException:
    pass
PY
echo
echo '# The same selection at rest, for comparison:'
echo "\$ winnow match --count '$SPEC' Grammar/examples/events.ndjson"
"$BIN" match --count "$SPEC" Grammar/examples/events.ndjson || true
echo
echo '$ kill -TERM %1   # every websocket is closed with 1001, exit status 0'
kill -TERM "$HUB"
wait "$HUB" && echo "winnow serve exited with status 0"
HUB=
