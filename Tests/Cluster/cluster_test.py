#!/usr/bin/env python3
"""Several `winnow serve` hubs on one NATS cluster, driven as users drive them.

Starts a three-node nats-server cluster on loopback ports (routes between the nodes), three hubs
each connected to a different node (`--nats`), and websocket clients (websocket-client) with
overlapping registrations on every hub. Then:

1. posts events to all three hubs; each client must receive exactly the events that
   `winnow match` selects over all posted events for its specifiers, once each, and the events
   posted to one hub in the order they were posted;
2. kills the NATS node of hub 0 while events flow and restarts it: hub 0 reconnects to another
   node, its subscriptions are restored, and for its `*.*.*` client, events received plus the
   loss reported in hub 0's /metrics equal the events posted;
3. kills hub 2: its clients connect to hub 0 instead (what `winnow watch` does through a load
   balancer) and register again, and receive what is posted to hub 1 from then on.

Usage: cluster_test.py WINNOW_BINARY. Exits 0 when every check passed. Needs nats-server (make
deps installs it) and websocket-client (make deps installs the pinned version).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import websocket  # websocket-client

WINNOW = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/winnow")
PROBE_TYPE = "winnowprobe"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)
    return condition


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nats_server_binary():
    found = os.environ.get("NATS_SERVER") or shutil.which("nats-server")
    for path in [found, "/usr/sbin/nats-server", "/usr/bin/nats-server"]:
        if path and os.access(path, os.X_OK):
            return path
    sys.exit("nats-server not found: run `make deps` (apt-get install -y nats-server)")


def wait_until(condition, timeout=5.0, step=0.01):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def http_get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read().decode()


def answers(url):
    try:
        return http_get(url, timeout=0.5)[0] == 200
    except Exception:
        return False


class NatsNode:
    def __init__(self, name, port, monitor, route, routes):
        self.port, self.monitor = port, monitor
        self.args = [nats_server_binary(), "-a", "127.0.0.1", "-p", str(port), "-m", str(monitor),
                     "-n", name, "--cluster_name", "winnow-cluster-test",
                     "--cluster", f"nats://127.0.0.1:{route}",
                     "--routes", ",".join(f"nats://127.0.0.1:{r}" for r in routes)]
        self.process = None
        self.start()

    @property
    def url(self):
        return f"nats://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_until(lambda: answers(f"http://127.0.0.1:{self.monitor}/varz")):
            sys.exit(f"nats-server on {self.port} did not start")

    def routes(self):
        try:
            return json.loads(http_get(f"http://127.0.0.1:{self.monitor}/routez")[1])["num_routes"]
        except Exception:
            return -1

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


class Hub:
    def __init__(self, nats_urls):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [WINNOW, "serve", "--listen", f"127.0.0.1:{self.port}", "--no-auth", "--nats", ",".join(nats_urls)],
            stdout=self.log, stderr=subprocess.STDOUT)
        if not wait_until(lambda: answers(self.base + "/api/v3/info"), timeout=10):
            self.log.seek(0)
            sys.exit(f"hub on {self.port} did not start: {self.log.read().decode(errors='replace')}")

    def post(self, lines):
        body = ("\n".join(lines) + "\n").encode()
        request = urllib.request.Request(self.base + "/api/v3/events", data=body, method="POST",
                                         headers={"Content-Type": "application/x-ndjson"})
        with urllib.request.urlopen(request, timeout=5) as r:
            assert r.status == 201, r.status

    def metric(self, name, labels=""):
        text = http_get(self.base + "/metrics")[1]
        pattern = re.escape(name) + (re.escape("{" + labels + "}") if labels else r"(\{[^}]*\})?") + r" (\S+)"
        m = re.search(r"^" + pattern + r"$", text, re.M)
        return float(m.group(m.lastindex)) if m else None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Client:
    """A websocket client: registers its specifiers, then collects the events delivered."""

    def __init__(self, hub, specifiers, name):
        self.name, self.specifiers = name, specifiers
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{hub.port}/api/v3/ws", timeout=5)
        self.events, self.lock = [], threading.Lock()
        for spec in specifiers:
            self.ws.send("register " + spec)
            ack = json.loads(self.ws.recv())
            assert ack["Type"] == "websocket" and ack["Action"] == "register", ack
        self.ws.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        while self.running:
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except Exception:
                return
            if not frame:
                return  # closed
            event = json.loads(frame)
            if event.get("Type") in ("websocket", "connections"):
                continue  # acknowledgements and the hubs' own connection events
            with self.lock:
                self.events.append(frame)

    def received(self, include_probes=False):
        with self.lock:
            return [e for e in self.events if include_probes or PROBE_TYPE not in e]

    def close(self):
        self.running = False
        self.ws.close()


def event(n, type_, action, key, obj=None):
    return json.dumps({"Time": "2026-11-28T12:00:00Z", "Type": type_, "Action": action, "Key": key,
                       "Principal": "user:test", "Object": dict(obj or {}, n=n)}, separators=(",", ":"))


KINDS = [("machines", "save", "m1", {}), ("machines", "update", "m2", {}), ("profiles", "save", "p1", {}),
         ("profiles", "delete", "p2", {}), ("jobs", "create", "j1", {"Machine": "m1"}),
         ("jobs", "update", "j2", {"Machine": "m2"}), ("a.b", "save", "x", {}),
         ("params", "we ird>", "y", {}), ("work_orders", "create", "w1", {})]


def events(first, count):
    return [event(n, *KINDS[n % len(KINDS)]) for n in range(first, first + count)]


def winnow_match(specifiers, lines):
    """The lines any of `specifiers` selects, by `winnow match`, in their order."""
    selected = set()
    with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    try:
        for spec in specifiers:
            out = subprocess.run([WINNOW, "match", "--", spec, f.name], capture_output=True, text=True)
            assert out.returncode in (0, 1), out.stderr
            selected.update(out.stdout.splitlines())
    finally:
        os.unlink(f.name)
    return [line for line in lines if line in selected]


def wait_for_interest(hubs, probes):
    """Every hub's subscriptions have reached every node once probes posted to every hub reach
    a probe client on every hub (each hub subscribed to the probe subject last)."""
    round_ = [0]

    def arrived():
        round_[0] += 1
        for i, hub in enumerate(hubs):
            hub.post([event(round_[0], PROBE_TYPE, f"from{i}", "probe")])
        time.sleep(0.02)
        return all(len({json.loads(e)["Action"] for e in p.received(True)}) == len(hubs) for p in probes)

    return wait_until(arrived, timeout=10, step=0)


def main():
    started = time.time()
    ports = [free_port() for _ in range(3)]
    routes = [free_port() for _ in range(3)]
    monitors = [free_port() for _ in range(3)]
    nodes = [NatsNode(f"n{i}", ports[i], monitors[i], routes[i], [r for j, r in enumerate(routes) if j != i])
             for i in range(3)]
    hubs, clients = [], []
    try:
        check(wait_until(lambda: all(n.routes() == 2 for n in nodes), timeout=10), "cluster routes did not form")
        # Each hub lists its own node first, so each is connected to a different node.
        hubs = [Hub([nodes[i].url] + [n.url for j, n in enumerate(nodes) if j != i]) for i in range(3)]
        registrations = [
            ("hub0-all", 0, ["*.*.*"]),
            ("hub0-machines", 0, ["machines.*.*", "machines.save.*", "*.save.*"]),
            ("hub1-lists", 1, ["machines,profiles.save,update.*"]),
            ("hub1-dotted", 1, [r"a\1b.*.*", "jobs.*.*"]),
            ("hub2-jobs-of-m1", 2, ["machine_jobs.*.m1", "profiles.*.p1"]),
            ("hub2-filter", 2, ['*.*.*.Object.n=In(1,2,3,5,8,13,21,34,55)', "machines.save.m1"]),
            ("hub2-all", 2, ["*.*.*"]),
        ]
        clients = [Client(hubs[h], specs, name) for name, h, specs in registrations]
        probes = [Client(hub, [f"{PROBE_TYPE}.*.*"], f"probe{i}") for i, hub in enumerate(hubs)]
        check(wait_for_interest(hubs, probes), "hub subscriptions did not reach every NATS node")

        # 1. Events posted to all three hubs, in small batches.
        posted, by_hub = [], [[], [], []]
        batch = events(0, 90)
        for k in range(0, len(batch), 5):
            h = (k // 5) % 3
            hubs[h].post(batch[k:k + 5])
            posted += batch[k:k + 5]
            by_hub[h] += batch[k:k + 5]
        for client in clients:
            expected = winnow_match(client.specifiers, posted)
            wait_until(lambda: len(client.received()) >= len(expected), timeout=5)
            time.sleep(0.1)  # a copy would arrive by now
            got = client.received()
            check(sorted(got) == sorted(expected),
                  f"{client.name}: got {len(got)} events, `winnow match` selects {len(expected)}"
                  f" (missing {len(set(expected) - set(got))}, unexpected {len(set(got) - set(expected))})")
            check(len(got) == len(set(got)), f"{client.name}: an event was delivered twice")
            for h in range(3):
                mine = [e for e in got if e in set(by_hub[h])]
                check(mine == [e for e in by_hub[h] if e in set(mine)],
                      f"{client.name}: events posted to hub {h} arrived out of order")
        print(f"delivery across hubs: {len(posted)} events, {len(clients)} clients OK "
              f"({time.time() - started:.1f}s)", flush=True)

        # 2. Hub 0's NATS node killed and restarted while events flow.
        watcher = clients[0]  # hub0-all: every event is for it
        before_received = len(watcher.received())
        lost_before = hubs[0].metric("winnow_nats_events_lost_total", 'reason="gap"') or 0
        flow, stop = [], threading.Event()

        def post_flow():
            n = 1000
            while not stop.is_set():
                lines = events(n, 3)
                hubs[(n // 3) % 3].post(lines)
                flow.extend(lines)
                n += 3
                time.sleep(0.002)

        poster = threading.Thread(target=post_flow)
        poster.start()
        time.sleep(0.15)
        nodes[0].kill()
        time.sleep(0.3)
        nodes[0].start()
        time.sleep(0.15)
        stop.set()
        poster.join()
        check(wait_until(lambda: hubs[0].metric("winnow_nats_reconnects_total") == 1, timeout=5),
              "hub 0 did not report one NATS reconnect")
        # Later events of every kind from every hub, until the watcher has them: every event
        # lost in the gap then lies between two delivered ones of its hub and subject, so it is
        # counted.
        n = [5000]

        def tail_arrived():
            lines = []
            for h in range(3):
                tail = events(n[0], len(KINDS))
                n[0] += len(KINDS)
                hubs[h].post(tail)
                lines += tail
                flow.extend(tail)
            time.sleep(0.05)
            got = set(watcher.received())
            return all(line in got for line in lines)

        check(wait_until(tail_arrived, timeout=10, step=0), "events after the restart did not arrive")
        time.sleep(0.1)
        received = len(watcher.received()) - before_received
        lost = (hubs[0].metric("winnow_nats_events_lost_total", 'reason="gap"') or 0) - lost_before
        check(received + lost == len(flow),
              f"hub 0 after the NATS restart: {received} delivered + {lost:.0f} lost != {len(flow)} posted")
        check(len(watcher.received()) == len(set(watcher.received())), "an event was delivered twice after the restart")
        print(f"NATS node restart while {len(flow)} events flowed: {received} delivered, {lost:.0f} counted lost "
              f"in /metrics ({time.time() - started:.1f}s)", flush=True)

        # 3. Hub 2 killed: its clients move to hub 0 and register again.
        hubs[2].process.send_signal(signal.SIGKILL)
        hubs[2].process.wait()
        moved = []
        for client in [c for c in clients if c.name.startswith("hub2-")]:
            client.close()
            moved.append(Client(hubs[0], client.specifiers, client.name + "-moved"))
        clients += moved
        probe = Client(hubs[0], [f"{PROBE_TYPE}.*.*"], "probe-moved")
        clients.append(probe)
        check(wait_for_interest(hubs[:2], [probe]), "hub 0's new interest did not reach hub 1's node")
        later = events(9000, 45)
        hubs[1].post(later)
        for client in moved:
            expected = winnow_match(client.specifiers, later)
            wait_until(lambda: len(client.received()) >= len(expected), timeout=5)
            time.sleep(0.05)
            check(client.received() == expected,
                  f"{client.name}: after moving to hub 0 got {len(client.received())}, expected {len(expected)}")
        print(f"hub 2 killed: {len(moved)} clients moved to hub 0 and received what they select "
              f"({time.time() - started:.1f}s)", flush=True)
    finally:
        for client in clients:
            client.close()
        for hub in hubs:
            hub.stop()
        for node in nodes:
            node.kill()
    if failures:
        print(f"cluster test: {len(failures)} check(s) failed", flush=True)
        sys.exit(1)
    print(f"cluster test passed in {time.time() - started:.1f}s", flush=True)


if __name__ == "__main__":
    main()
