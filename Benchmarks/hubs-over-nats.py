#!/usr/bin/env python3
"""Events/s through 1, 2 and 3 `winnow serve` hubs sharing a NATS cluster, and the
publish-to-delivery latency the bus adds.

Usage: Benchmarks/hubs-over-nats.py [WINNOW_BINARY] [--events N] [--subscribers N]
(default .build/release/winnow; build it with `make release`). Needs nats-server and
websocket-client (`make deps`).

Configurations, each started fresh on loopback ports:
  local    1 hub, no NATS (the hub's own in-process bus): the baseline
  nats-1   1 hub on a 1-node NATS
  nats-2   2 hubs, each on its own node of a 2-node NATS cluster
  nats-3   3 hubs, each on its own node of a 3-node NATS cluster

Subscriber population (the same in every configuration): SUBSCRIBERS websocket clients, each
in its own process, spread round-robin over the hubs, registering in turn one of the six
registration sets of MIX below (wildcards, lists, a job type, a regex filter).

Throughput phase: EVENTS events (5 kinds, DRP-shaped, ~200 bytes) posted as NDJSON batches of
500, round-robin over the hubs, one posting thread per hub, as fast as the hubs accept them.
Reported: events/s = EVENTS / (last delivery - first post), deliveries/s likewise, with every
client having received exactly what it selects.

Latency phase: one event every 5 ms for 2 s, posted to the hubs in turn; each event carries
its post time (ns); every client records receive time - post time; p50 and p99 over all
deliveries. Latency added by the bus = nats-N minus local.
"""

import argparse
import json
import multiprocessing as mp
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

MIX = [
    ["*.*.*"],
    ["machines.*.*"],
    ["machines,profiles.save,update.*"],
    ["jobs.*.*", "*.delete.*"],
    ['params.*.*.Object.Name=Re("^a")'],
    ["*.save.*"],
]
KINDS = [("machines", "save"), ("machines", "update"), ("profiles", "save"), ("jobs", "create"),
         ("params", "delete")]


def selects(mix_index, type_, action, name):
    for spec in MIX[mix_index]:
        t, a = spec.split(".")[0], spec.split(".")[1]
        if (t == "*" or type_ in t.split(",")) and (a == "*" or action in a.split(",")):
            if "Re(" in spec and not name.startswith("a"):
                continue
            return True
    return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout=10.0, step=0.01):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=0.5) as r:
            return r.status == 200
    except Exception:
        return False


def nats_binary():
    for path in [os.environ.get("NATS_SERVER"), shutil.which("nats-server"), "/usr/sbin/nats-server"]:
        if path and os.access(path, os.X_OK):
            return path
    sys.exit("nats-server not found (make deps)")


def start_cluster(n):
    ports, routes, monitors = [free_port() for _ in range(n)], [free_port() for _ in range(n)], [free_port() for _ in range(n)]
    procs = []
    for i in range(n):
        args = [nats_binary(), "-a", "127.0.0.1", "-p", str(ports[i]), "-m", str(monitors[i])]
        if n > 1:
            args += ["--cluster_name", "bench", "--cluster", f"nats://127.0.0.1:{routes[i]}",
                     "--routes", ",".join(f"nats://127.0.0.1:{r}" for j, r in enumerate(routes) if j != i)]
        procs.append(subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for m in monitors:
        wait_until(lambda: answers(f"http://127.0.0.1:{m}/varz"))

    def routed():
        for m in monitors:
            with urllib.request.urlopen(f"http://127.0.0.1:{m}/routez") as r:
                if json.loads(r.read())["num_routes"] != n - 1:
                    return False
        return True

    wait_until(routed)
    return procs, [f"nats://127.0.0.1:{p}" for p in ports]


def start_hub(winnow, nats_urls):
    port = free_port()
    args = [winnow, "serve", "--listen", f"127.0.0.1:{port}", "--no-auth", "--max-queue", "1000000"]
    if nats_urls:
        args += ["--nats", ",".join(nats_urls)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_until(lambda: answers(f"http://127.0.0.1:{port}/api/v3/info")):
        sys.exit("hub did not start")
    return proc, port


def subscriber(port, mix_index, ready, commands, results):
    import websocket
    ws = websocket.create_connection(f"ws://127.0.0.1:{port}/api/v3/ws", timeout=30)
    for spec in MIX[mix_index] + ["benchprobe.*.*"]:
        ws.send("register " + spec)
        ws.recv()
    ready.put(("ready", mix_index))
    while True:
        command = commands.get()
        if command is None:
            break
        expected, phase = command
        latencies, count, last = [], 0, 0.0
        ws.settimeout(20)
        while count < expected:
            try:
                frame = ws.recv()
            except Exception:
                break
            now = time.time_ns()
            if '"Phase":"%s"' % phase not in frame:
                continue  # acks, connection events, probes, an earlier phase
            count += 1
            last = now
            latencies.append(now - json.loads(frame)["T"])
        results.put((mix_index, count, last, latencies))
    ws.close()


def post(port, lines):
    body = ("\n".join(lines) + "\n").encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v3/events", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=60) as r:
        r.read()


def event(n, phase):
    type_, action = KINDS[n % len(KINDS)]
    name = "a%d" % n if n % 2 else "b%d" % n
    return json.dumps({"Time": "2026-11-28T12:00:00Z", "Type": type_, "Action": action, "Key": name,
                       "Principal": "user:bench", "Phase": phase, "T": time.time_ns(),
                       "Object": {"Name": name, "Machine": "m%d" % (n % 7), "Stage": "discover"}},
                      separators=(",", ":"))


def expected_counts(events, subscribers):
    per_mix = [0] * len(MIX)
    for n in range(events):
        type_, action = KINDS[n % len(KINDS)]
        name = "a%d" % n if n % 2 else "b%d" % n
        for m in range(len(MIX)):
            per_mix[m] += selects(m, type_, action, name)
    return [per_mix[i % len(MIX)] for i in range(subscribers)]


def run(winnow, mode, hubs_count, events, subscribers):
    nats_procs, urls = ([], [])
    if mode != "local":
        nats_procs, urls = start_cluster(hubs_count)
    hubs = [start_hub(winnow, ([urls[i]] + [u for j, u in enumerate(urls) if j != i]) if urls else None)
            for i in range(hubs_count)]
    ports = [p for _, p in hubs]
    ctx = mp.get_context("fork")
    ready, results = ctx.Queue(), ctx.Queue()
    commands = [ctx.Queue() for _ in range(subscribers)]
    procs = [ctx.Process(target=subscriber, args=(ports[i % hubs_count], i % len(MIX), ready, commands[i], results))
             for i in range(subscribers)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=30)
    # Interest has reached every node once a probe posted to each hub reaches... every hub's
    # subscribers registered benchprobe last; give routes a moment and post probes.
    for port in ports:
        post(port, [json.dumps({"Type": "benchprobe", "Action": "x", "Key": "p"})])
    time.sleep(0.3)

    def phase(name, total, counts, feed):
        for i, q in enumerate(commands):
            q.put((counts[i], name))
        started = time.time_ns()
        feed()
        got = [results.get(timeout=120) for _ in procs]
        last = max(g[2] for g in got)
        delivered = sum(g[1] for g in got)
        lat = sorted(l for g in got for l in g[3])
        return started, last, delivered, lat, sum(counts), got

    # Throughput.
    counts = expected_counts(events, subscribers)
    batches = [[event(n, "tput") for n in range(k, min(k + 500, events))] for k in range(0, events, 500)]

    def feed_all():
        threads = []
        for h in range(hubs_count):
            mine = batches[h::hubs_count]
            threads.append(threading.Thread(target=lambda m=mine, p=ports[h]: [post(p, b) for b in m]))
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    started, last, delivered, _, wanted, _ = phase("tput", events, counts, feed_all)
    seconds = (last - started) / 1e9
    tput = (events / seconds, delivered / seconds, delivered == wanted)

    # Latency at a low rate.
    lat_events = 400
    lat_counts = expected_counts(lat_events, subscribers)

    def feed_slow():
        for n in range(lat_events):
            post(ports[n % hubs_count], [event(n, "lat")])
            time.sleep(0.005)

    _, _, lat_delivered, lat, lat_wanted, _ = phase("lat", lat_events, lat_counts, feed_slow)
    p50 = lat[len(lat) // 2] / 1e6 if lat else float("nan")
    p99 = lat[int(len(lat) * 0.99)] / 1e6 if lat else float("nan")

    for q in commands:
        q.put(None)
    for p in procs:
        p.join(timeout=10)
    for proc, _ in hubs:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    for proc in nats_procs:
        proc.kill()
        proc.wait()
    return tput, (p50, p99, lat_delivered == lat_wanted)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("winnow", nargs="?", default=".build/release/winnow")
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--subscribers", type=int, default=12)
    parser.add_argument("--only", default="local,nats-1,nats-2,nats-3")
    args = parser.parse_args()
    winnow = os.path.abspath(args.winnow)
    print(f"{args.events} events, {args.subscribers} subscribers (one process each), "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", flush=True)
    print("| configuration | events/s | deliveries/s | complete | latency p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for mode in args.only.split(","):
        hubs = 1 if mode in ("local", "nats-1") else int(mode[-1])
        (eps, dps, complete), (p50, p99, lat_ok) = run(winnow, mode, hubs, args.events, args.subscribers)
        print(f"| {mode} ({hubs} hub{'s' if hubs > 1 else ''}) | {eps:,.0f} | {dps:,.0f} | "
              f"{'yes' if complete and lat_ok else 'NO'} | {p50:.2f} | {p99:.2f} |", flush=True)


if __name__ == "__main__":
    main()
