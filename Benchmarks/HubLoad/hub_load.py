#!/usr/bin/env python3
"""Load test of `winnow serve`: many websocket subscribers, one publisher, on loopback.

    python3 Benchmarks/HubLoad/hub_load.py --winnow .build/release/winnow --events FILE \
        [--subscribers 1000] [--registrations 100] [--count 200000] [--body 1000]

Subscribers are raw websocket clients in one selector loop (no per-frame library overhead):
each registers `--registrations` specifiers drawn like the `Dispatch_100k` population
(Benchmarks/README.md): a hot set naming machines of the stream (`machines.*.<uuid>`,
`machine_jobs.*.<uuid>`, filters on them, and dashboards `machines.*.*`,
`jobs.create,update.*`, `machines.*.*.Stage=Changed(,"complete")`), the rest cold (machines
no event names). Every subscriber also registers `bench.marker.*`. A publisher thread POSTs
the corpus in bodies of `--body` events as fast as the hub accepts them; after every body it
posts a one-event marker body, and publish-to-delivery latency is measured on the markers
(queued behind the body's events on every connection). Reported: events/s accepted, frames/s
delivered, marker latency p50/p99, hub RSS, and losses = frames the hub queued minus frames
received (with slow-consumer disconnects, which must both be 0).
"""
import argparse
import base64
import http.client
import json
import os
import random
import re
import selectors
import socket
import struct
import subprocess
import sys
import threading
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def metric(port, name):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    match = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", text, re.M)
    return float(match.group(1)) if match else None


def masked_frame(text):
    payload = text.encode()
    mask = os.urandom(4)
    header = bytes([0x81])
    n = len(payload)
    if n < 126:
        header += bytes([0x80 | n])
    elif n < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", n)
    masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
    return header + mask + masked


class Subscriber:
    __slots__ = ("sock", "buffer", "frames", "acks", "markers")

    def __init__(self, port, specifiers):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (f"GET /api/v3/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(4096)
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(head[:100])
        self.buffer = bytearray(head.split(b"\r\n\r\n", 1)[1])
        self.frames = 0
        self.acks = 0
        self.markers = []
        self.sock.sendall(b"".join(masked_frame("register " + s) for s in specifiers))
        self.sock.setblocking(False)

    def parse(self, now):
        buffer = self.buffer
        position = 0
        end = len(buffer)
        while end - position >= 2:
            opcode = buffer[position] & 0x0F
            length = buffer[position + 1] & 0x7F
            start = position + 2
            if length == 126:
                if end - position < 4:
                    break
                length = (buffer[position + 2] << 8) | buffer[position + 3]
                start = position + 4
            elif length == 127:
                if end - position < 10:
                    break
                length = struct.unpack_from("!Q", buffer, position + 2)[0]
                start = position + 10
            if end - start < length:
                break
            if opcode == 1:
                if buffer.startswith(b'{"Time"', start):      # an ack (hub-written events start so)
                    if buffer.find(b'"Type":"websocket"', start, start + 80) >= 0:
                        self.acks += 1
                    else:
                        self.frames += 1
                elif buffer.startswith(b'{"Type":"bench"', start):
                    key = buffer.find(b'"Key":"', start, start + length) + 7
                    self.markers.append((int(buffer[key:start + length].split(b'"', 1)[0]), now))
                else:
                    self.frames += 1
            elif opcode == 9:   # ping: answer with a pong
                payload = bytes(buffer[start:start + length])
                mask = os.urandom(4)
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask +
                                  bytes(b ^ mask[i & 3] for i, b in enumerate(payload)))
            position = start + length
        del buffer[:position]


def population(machines, count, rng, subscriber):
    """`count` specifiers for one subscriber, in the spirit of DispatchPopulation."""
    hot = []
    if subscriber < 10:
        hot = ["machines.*.*", "jobs.create,update.*", 'machines.*.*.Stage=Changed(,"complete")',
               "machines.*.*.Object.Runnable=Eq(true)"]
    for _ in range(5):
        uuid = rng.choice(machines)
        form = rng.random()
        if form < 0.55:
            hot.append(f"machines.*.{uuid}")
        elif form < 0.8:
            hot.append(f"machine_jobs.*.{uuid}")
        elif form < 0.9:
            hot.append(f"machines.*.{uuid}.Object.Runnable=Eq(true)")
        else:
            hot.append(f'machines.*.{uuid}.Stage=Changed(,"complete")')
    cold = []
    while len(hot) + len(cold) < count:
        uuid = "%08x-0000-4000-8000-%012x" % (rng.getrandbits(32), rng.getrandbits(48))
        form = rng.random()
        if form < 0.45:
            cold.append(f"machines.*.{uuid}")
        elif form < 0.70:
            cold.append(f"machine_jobs.*.{uuid}")
        elif form < 0.85:
            cold.append(f"machines.*.{uuid}.Object.Runnable=Eq(true)")
        else:
            cold.append(f"{rng.choice(['work_orders', 'jobs'])}.*.{uuid}")
    return hot + cold + ["bench.marker.*"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--winnow", required=True)
    parser.add_argument("--events", required=True)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--registrations", type=int, default=100)
    parser.add_argument("--count", type=int, default=200000)
    parser.add_argument("--body", type=int, default=1000)
    parser.add_argument("--max-queue", type=int, default=100000)
    args = parser.parse_args()

    events = []
    machines = set()
    with open(args.events, "rb") as f:
        for line in f:
            if len(events) >= args.count:
                break
            line = line.rstrip(b"\r\n")
            if not line:
                continue
            events.append(line)
            if line.startswith(b'{"Time"') and b'"Type":"machines"' in line[:120]:
                key = re.search(rb'"Key":"([^"]+)"', line)
                if key:
                    machines.add(key.group(1).decode())
    machines = sorted(machines)
    bodies = [b"\n".join(events[i:i + args.body]) + b"\n" for i in range(0, len(events), args.body)]

    hub = subprocess.Popen(
        [args.winnow, "serve", "--no-auth", "--listen", "127.0.0.1:0", "--max-queue", str(args.max_queue),
         "--log-level", "error"], stderr=subprocess.PIPE, text=True)
    port = int(re.search(r":(\d+)\s*$", hub.stderr.readline()).group(1))
    threading.Thread(target=hub.stderr.read, daemon=True).start()
    rss_idle = rss_kib(hub.pid)

    rng = random.Random(1)
    selector = selectors.DefaultSelector()
    subscribers = []
    start = time.time()
    for n in range(args.subscribers):
        subscriber = Subscriber(port, population(machines, args.registrations, rng, n))
        subscribers.append(subscriber)
        selector.register(subscriber.sock, selectors.EVENT_READ, subscriber)
    expected_acks = args.subscribers * (args.registrations + 1)

    def pump(timeout):
        now = time.time()
        for key, _ in selector.select(timeout):
            subscriber = key.data
            try:
                data = subscriber.sock.recv(1 << 20)
            except BlockingIOError:
                continue
            if data:
                subscriber.buffer += data
                subscriber.parse(now)

    while sum(s.acks for s in subscribers) < expected_acks and time.time() - start < 300:
        pump(0.05)
    registered = time.time() - start
    rss_registered = rss_kib(hub.pid)
    print(f"{args.subscribers} subscribers, {expected_acks} registrations acknowledged in {registered:.1f} s; "
          f"hub RSS {rss_idle // 1024} MiB idle, {rss_registered // 1024} MiB registered", flush=True)

    marker_sent = {}
    published = [0, 0.0, 0.0]

    def publish():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        begin = time.time()
        for number, body in enumerate(bodies):
            conn.request("POST", "/api/v3/events", body=body)
            response = conn.getresponse()
            response.read()
            assert response.status == 201, response.status
            marker = b'{"Type":"bench","Action":"marker","Key":"%d"}' % number
            marker_sent[number] = time.time()
            conn.request("POST", "/api/v3/events", body=marker)
            conn.getresponse().read()
        published[:] = [len(events), begin, time.time()]
        conn.close()

    thread = threading.Thread(target=publish)
    rss_peak = 0
    t0 = time.time()
    thread.start()
    last_check = 0
    while thread.is_alive() or sum(len(s.markers) for s in subscribers) < len(bodies) * args.subscribers:
        pump(0.05)
        now = time.time()
        if now - last_check > 0.5:
            rss_peak = max(rss_peak, rss_kib(hub.pid))
            last_check = now
        if not thread.is_alive() and now - published[2] > 30:
            break
    t1 = time.time()
    thread.join()
    # Drain what is still in flight.
    drain_until = time.time() + 2
    while time.time() < drain_until:
        pump(0.05)

    frames = sum(s.frames for s in subscribers)
    queued = metric(port, "winnow_hub_events_delivered_total")
    slow = metric(port, "winnow_hub_slow_consumer_disconnects_total")
    markers_expected = len(bodies) * args.subscribers
    queued_events = queued - markers_expected - 0  # markers are queued too
    latencies = sorted(now - marker_sent[number] for s in subscribers for number, now in s.markers)
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
    accept_seconds = published[2] - published[1]
    deliver_seconds = t1 - t0
    print(json.dumps({
        "events": len(events), "bodies": len(bodies), "subscribers": args.subscribers,
        "registrations": expected_acks,
        "accepted_events_per_s": round(len(events) / accept_seconds),
        "delivered_frames": frames, "frames_per_s": round(frames / deliver_seconds),
        "delivery_seconds": round(deliver_seconds, 2), "accept_seconds": round(accept_seconds, 2),
        "marker_latency_ms": {"p50": round(p(0.5), 1), "p99": round(p(0.99), 1), "max": round(p(1.0), 1)},
        "hub_rss_mib": {"idle": rss_idle // 1024, "registered": rss_registered // 1024, "peak": rss_peak // 1024},
        "lost": int(queued_events - frames), "slow_consumer_disconnects": int(slow or 0),
        "markers_received": len(latencies), "markers_expected": markers_expected,
    }, indent=1), flush=True)
    hub.terminate()
    hub.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
