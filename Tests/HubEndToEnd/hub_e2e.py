#!/usr/bin/env python3
"""End-to-end test of `winnow serve` with a real third-party websocket client.

Runs the built binary with a tokens file, connects Python `websocket-client` (pinned 1.9.2)
clients with overlapping registrations (filters, machine_jobs, refcounted deregister, a
restricted principal), publishes Grammar/examples/events.ndjson and a generated corpus through
POST /api/v3/events, and checks that each client receives exactly the events `winnow match`
selects for its specifiers (and its principal may see), once each, in publish order, byte for
byte, after one acknowledgement per command. Also: 401/403, a slow consumer closed with 1008
while the others receive everything, and SIGTERM closing every socket with 1001 and exit 0.

    python3 Tests/HubEndToEnd/hub_e2e.py --winnow .build/debug/winnow [--generated FILE]
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import websocket  # websocket-client

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "Grammar", "examples", "events.ndjson")

TOKENS = """\
# token principal rights [restrictions]
alice-token user:alice read
bob-token user:bob read
carol-token user:carol read machines.*.* jobs.*.*
slow-token user:slow read
pub-token user:publisher publish
"""

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)


def lines_of(path):
    with open(path, "rb") as f:
        return [line.rstrip(b"\r\n") for line in f if line.strip()]


def winnow_match(winnow, specifiers, data_path, workdir, name):
    spec_file = os.path.join(workdir, name + ".specs")
    with open(spec_file, "w") as f:
        f.write("\n".join(specifiers) + "\n")
    out = subprocess.run([winnow, "match", "-f", spec_file, data_path], capture_output=True)
    check(out.returncode in (0, 1), f"winnow match {name}: status {out.returncode} {out.stderr[:200]}")
    return [line for line in out.stdout.split(b"\n") if line]


class Client:
    """A websocket client that registers, then reads its frames in a thread."""

    def __init__(self, port, token, name, header=False, rcvbuf=None):
        self.name = name
        url = f"ws://127.0.0.1:{port}/api/v3/ws"
        options = {}
        if rcvbuf:
            options["sockopt"] = ((socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf),)
        if header:
            self.ws = websocket.create_connection(url, header=[f"Authorization: Bearer {token}"], timeout=30, **options)
        else:
            self.ws = websocket.create_connection(f"{url}?token={token}", timeout=30, **options)
        self.events = []
        self.close_code = None
        self.close_reason = None
        self.thread = None

    def command(self, text):
        self.ws.send(text)
        return json.loads(self.ws.recv())

    def read_until(self, count, deadline):
        def run():
            try:
                while len(self.events) < count and time.time() < deadline:
                    opcode, frame = self.ws.recv_data_frame(True)
                    if opcode == websocket.ABNF.OPCODE_TEXT:
                        self.events.append(frame.data)
                    elif opcode == websocket.ABNF.OPCODE_CLOSE:
                        self.close_code = int.from_bytes(frame.data[:2], "big")
                        return
            except Exception as error:  # noqa: BLE001 - reported by the count check
                print(f"{self.name}: reader stopped: {error!r}", flush=True)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def read_close(self, timeout):
        """Reads (and drops) frames until the close frame; returns (code, reason)."""
        self.ws.settimeout(timeout)
        try:
            while True:
                opcode, frame = self.ws.recv_data_frame(True)
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    return int.from_bytes(frame.data[:2], "big"), frame.data[2:].decode()
        except Exception as error:  # noqa: BLE001
            return None, repr(error)


def http(port, method, path, token=None, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def upgrade_status(port, query="", header=None):
    try:
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/api/v3/ws{query}", header=header or [], timeout=10)
        ws.close()
        return 101
    except websocket.WebSocketBadStatusException as error:
        return error.status_code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--winnow", required=True)
    parser.add_argument("--generated", help="NDJSON from GenerateEvents (else only the examples)")
    parser.add_argument("--generated-count", type=int, default=20000)
    args = parser.parse_args()
    winnow = os.path.abspath(args.winnow)
    started = time.time()

    work = tempfile.mkdtemp(prefix="winnow-e2e-")
    tokens = os.path.join(work, "tokens.txt")
    with open(tokens, "w") as f:
        f.write(TOKENS)

    # The published data: the examples, then the generated corpus (first N lines).
    examples = lines_of(EXAMPLES)
    generated = []
    if args.generated:
        with open(args.generated, "rb") as f:
            for line in f:
                if line.strip():
                    generated.append(line.rstrip(b"\r\n"))
                if len(generated) >= args.generated_count:
                    break
    published = os.path.join(work, "published.ndjson")
    with open(published, "wb") as f:
        f.write(b"\n".join(examples + generated) + b"\n")

    # The queue bound lies above what any reading client receives in all (at most 9,129 frames:
    # Bob's events and acks), so whether a reading client keeps up never depends on how fast
    # this machine runs its Python threads; the slow consumer, sent every one of the ~20,000
    # events and reading none, still fills it (its socket buffers hold a few thousand at most).
    hub = subprocess.Popen(
        [winnow, "serve", "--tokens", tokens, "--listen", "127.0.0.1:0", "--max-queue", "12000",
         "--close-grace", "60", "--log-level", "error"],
        stderr=subprocess.PIPE, text=True)
    line = hub.stderr.readline()
    match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
    if not match:
        print("hub did not start:", line, hub.stderr.read(), file=sys.stderr)
        hub.kill()
        return 1
    port = int(match.group(1))
    threading.Thread(target=lambda: hub.stderr.read(), daemon=True).start()

    # Credentials: 401 before any upgrade, 403 beyond the token's rights.
    check(upgrade_status(port) == 401, "no token: 401")
    check(upgrade_status(port, "?token=wrong") == 401, "unknown token: 401")
    check(upgrade_status(port, "?token=pub-token") == 403, "publish-only token on the websocket: 403")
    check(upgrade_status(port, "", ["Authorization: Bearer alice-token"]) == 101, "Bearer: 101")
    check(http(port, "POST", "/api/v3/events", "alice-token", examples[0])[0] == 403, "read-only POST: 403")
    check(http(port, "POST", "/api/v3/events", None, examples[0])[0] == 401, "POST without token: 401")

    # Registrations. Alice holds profiles.*.* twice and drops one reference (still active);
    # Bob registers machines.*.* and drops its only reference (inactive); Carol sees only
    # machines and jobs whatever she registers.
    machine = json.loads(examples[0])["Key"]
    plans = {
        "alice": ("alice-token", False, [
            "register machines.save,update.*",
            'register machines.*.*.Object.Runnable=Eq(true)',
            "register jobs.create.*",
            "register profiles.*.*",
            "register profiles.*.*",
            "deregister profiles.*.*",
        ], ["machines.save,update.*", "machines.*.*.Object.Runnable=Eq(true)", "jobs.create.*", "profiles.*.*"]),
        "bob": ("bob-token", True, [
            f"register machine_jobs.*.{machine}",
            "register machine_jobs.*.*.Object.State = Ne( \"created\" )",
            "register work_orders,leases.*.*",
            "register machines.*.*",
            "deregister machines.*.*",
            "deregister machines.*.*",
            "register no.such.thing.Bad=",
        ], [f"machine_jobs.*.{machine}", 'machine_jobs.*.*.Object.State=Ne("created")', "work_orders,leases.*.*"]),
        "carol": ("carol-token", False, ["register *.*.*", "register leases.*.*"], ["*.*.*"]),
    }
    clients = {}
    for name, (token, header, commands, _) in plans.items():
        client = Client(port, token, name, header=header)
        acks = [client.command(command) for command in commands]
        check(len(acks) == len(commands), f"{name}: one ack per command")
        for command, ack in zip(commands, acks):
            check(ack.get("Type") == "websocket", f"{name}: ack Type websocket: {ack}")
            check(ack.get("Key") == command.split(" ", 1)[1], f"{name}: ack Key is the text as sent: {ack}")
            check(ack.get("Principal") == f"user:{name}", f"{name}: ack Principal: {ack}")
        clients[name] = (client, acks)
    alice_refs = [ack["Object"].get("References") for ack in clients["alice"][1]]
    check(alice_refs == [1, 1, 1, 1, 2, 1], f"alice reference counts {alice_refs}")
    bob_acks = clients["bob"][1]
    check([a["Action"] for a in bob_acks] == ["register"] * 4 + ["deregister", "error", "error"],
          f"bob actions {[a['Action'] for a in bob_acks]}")
    check(bob_acks[5]["Object"].get("Code") == "notRegistered", f"bob notRegistered {bob_acks[5]}")
    check(bob_acks[6]["Object"].get("Column") is not None, f"bob invalid specifier column {bob_acks[6]}")
    check(bob_acks[1]["Object"].get("Specifier") == 'machine_jobs.*.*.Object.State=Ne("created")',
          f"bob canonical specifier {bob_acks[1]}")

    # A slow consumer: registers everything, never reads, tiny receive buffer.
    slow = Client(port, "slow-token", "slow", rcvbuf=4096)
    slow.command("register *.*.*")

    # What each client must receive: `winnow match` over the published data.
    expected = {}
    for name, (_, _, _, active) in plans.items():
        expected[name] = winnow_match(winnow, active, published, work, name)
    carol_visible = set(winnow_match(winnow, ["machines.*.*", "jobs.*.*"], published, work, "carol-restrictions"))
    expected["carol"] = [event for event in expected["carol"] if event in carol_visible]
    deadline = time.time() + 120
    for name, (client, _) in clients.items():
        client.read_until(len(expected[name]), deadline)

    # Publish: the examples in one body, the generated corpus in bodies of 1,000.
    status, body = http(port, "POST", "/api/v3/events", "pub-token", b"\n".join(examples) + b"\n")
    check(status == 201 and json.loads(body) == {"published": len(examples)}, f"examples POST: {status} {body}")
    for start in range(0, len(generated), 1000):
        chunk = generated[start:start + 1000]
        status, body = http(port, "POST", "/api/v3/events", "pub-token", b"\n".join(chunk) + b"\n")
        check(status == 201 and json.loads(body) == {"published": len(chunk)}, f"generated POST: {status} {body}")
    # A bad body publishes nothing.
    status, body = http(port, "POST", "/api/v3/events", "pub-token", examples[0] + b"\n{oops}\n" + examples[1])
    check(status == 400 and json.loads(body).get("line") == 2, f"bad body: {status} {body}")

    for name, (client, _) in clients.items():
        client.thread.join(max(0, deadline - time.time()))
        got = client.events
        check(got == expected[name],
              f"{name}: {len(got)} events, expected {len(expected[name])}"
              + ("" if got == expected[name] else f"; first difference at {next((i for i, (a, b) in enumerate(zip(got, expected[name])) if a != b), min(len(got), len(expected[name])))}"))
        print(f"{name}: {len(got)} events as winnow match selects", flush=True)

    if generated:
        code, reason = slow.read_close(30)
        check(code == 1008 and reason == "slow consumer", f"slow consumer close: {code} {reason}")
    status, metrics = http(port, "GET", "/metrics")
    metrics = metrics.decode()
    if generated:
        check("winnow_hub_slow_consumer_disconnects_total 1" in metrics, "slow consumer counted")
    check(f"winnow_hub_events_published_total {len(examples) + len(generated)}" in metrics
          or "winnow_hub_events_published_total" in metrics, "published counted")

    # Nothing more arrives for the fast clients (once each).
    for name, (client, _) in clients.items():
        client.ws.settimeout(0.3)
        try:
            extra = client.ws.recv()
            check(False, f"{name}: unexpected extra frame {extra[:100]}")
        except websocket.WebSocketTimeoutException:
            pass

    # SIGTERM: every socket closed with 1001, exit status 0.
    hub.send_signal(signal.SIGTERM)
    for name, (client, _) in clients.items():
        code, reason = client.read_close(10)
        check(code == 1001, f"{name}: close on SIGTERM {code} {reason}")
    try:
        status = hub.wait(15)
    except subprocess.TimeoutExpired:
        hub.kill()
        status = "timeout"
    check(status == 0, f"hub exit status on SIGTERM: {status}")

    print(f"hub e2e: {len(examples)} example + {len(generated)} generated events, "
          f"{len(failures)} failure(s), {time.time() - started:.1f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
