#!/usr/bin/env python3
"""Load test of `winnow serve`, and of `nats-server` side by side: many websocket subscribers,
one publisher, on loopback.

    python3 Benchmarks/HubLoad/hub_load.py --winnow .build/release/winnow --events FILE \
        [--targets winnow,nats] [--subscribers 1000] [--registrations 100] [--count 200000] \
        [--body 1000] [--processes 2] [--client c|python] [--perf FILE]

Subscribers are raw websocket clients (no per-frame library overhead), spread over
`--processes` worker processes. With `--client c` (the default) a worker is
`subscribers.c`, compiled here with `cc -O2` (into `--build-dir`, again when the source is
newer), one epoll loop over its connections; with `--client python` it is a Python process
running one `selectors` loop. Both speak the same protocol to the servers and report the same
counts; the compiled one takes a fraction of the CPU, which leaves more of the machine to the
server under test. Each subscriber registers
`--registrations` specifiers drawn like the `Dispatch_100k` population (Benchmarks/README.md):
a hot set naming machines of the stream (`machines.*.<uuid>`, `machine_jobs.*.<uuid>`, filters
on them, and dashboards `machines.*.*`, `jobs.create,update.*`,
`machines.*.*.Stage=Changed(,"complete")`), the rest cold (machines no event names). Every
subscriber also registers `bench.marker.*`.

A publisher thread sends the corpus in bodies of `--body` events as fast as the server accepts
them; after every body it sends a one-event marker, and publish-to-delivery latency is measured
on the markers (queued behind the body's events on every connection).

- winnow: `register SPECIFIER` frames; bodies POSTed as NDJSON to /api/v3/events on one
  keep-alive connection (a body is accepted when the 201 arrives).
- nats: `nats-server` with a websocket listener; each registration becomes the NATS subject of
  its `type.action.key` part (what NATS can express: `*` stays `*`, an `a,b` list becomes one
  subscription per name, filters are dropped), deduplicated per subscriber; events are
  published on `Type.Action.Key` over one core-protocol TCP connection (a body is accepted when
  the PONG to a PING sent after it arrives).

Reported per target: events/s accepted, frames/s delivered, marker latency p50/p99, server RSS,
CPU seconds of the server (per 1,000 events too) and of the load client (workers, publisher;
the workers' per event too) over the publishing phase, and losses (frames the server sent by its own counters minus
frames received; slow-consumer disconnects; both must be 0). With `--perf FILE`, `perf record
-g` samples the winnow hub during the publishing phase.
"""
import argparse
import base64
import http.client
import json
import multiprocessing
import os
import re
import resource
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

TICKS = os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def metric(port, name):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    match = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", text, re.M)
    return float(match.group(1)) if match else None


def nats_varz(monitor_port):
    with urllib.request.urlopen(f"http://127.0.0.1:{monitor_port}/varz", timeout=30) as response:
        return json.load(response)


def masked_frame(payload, opcode=0x1):
    mask = os.urandom(4)
    header = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        header += bytes([0x80 | n])
    elif n < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", n)
    masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
    return header + mask + masked


def upgrade(port, path):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
         f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(4096)
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(head[:100])
    return sock, bytearray(head.split(b"\r\n\r\n", 1)[1])


class Subscriber:
    """A websocket subscriber; `frames` counts the events it received (markers apart)."""
    __slots__ = ("sock", "buffer", "frames", "acks", "markers", "stream")

    def frames_of(self):
        """Yields (opcode, start, end) of each complete frame in the buffer, answering pings."""
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
            if opcode == 9:   # ping: answer with a pong
                self.sock.sendall(masked_frame(bytes(buffer[start:start + length]), 0xA))
            else:
                yield opcode, start, start + length
            position = start + length
        del buffer[:position]


class WinnowSubscriber(Subscriber):
    def __init__(self, port, specifiers):
        self.sock, self.buffer = upgrade(port, "/api/v3/ws")
        self.frames = self.acks = 0
        self.markers = []
        self.sock.sendall(b"".join(masked_frame(("register " + s).encode()) for s in specifiers))
        self.sock.setblocking(False)
        self.acks_expected = len(specifiers)

    __slots__ = ("acks_expected",)

    def registered(self):
        return self.acks >= self.acks_expected

    def parse(self, now):
        buffer = self.buffer
        for opcode, start, end in self.frames_of():
            if opcode != 1:
                continue
            if buffer.startswith(b'{"Time"', start):      # an ack (hub-written events start so)
                if buffer.find(b'"Type":"websocket"', start, start + 80) >= 0:
                    self.acks += 1
                else:
                    self.frames += 1
            elif buffer.startswith(b'{"Type":"bench"', start):
                key = buffer.find(b'"Key":"', start, end) + 7
                self.markers.append((int(buffer[key:end].split(b'"', 1)[0]), now))
            else:
                self.frames += 1


def nats_subjects(specifier):
    """The NATS subjects of a specifier's `type.action.key` part."""
    parts = specifier.split(".")[:3]
    subjects = [""]
    for part in parts:
        subjects = [f"{s}.{name}" if s else name for s in subjects for name in part.split(",")]
    return subjects


def event_subject(type_, action, key):
    token = lambda t: re.sub(r"[.\s*>]", "_", t) or "_"
    return f"{token(type_)}.{token(action)}.{token(key)}"


class NATSSubscriber(Subscriber):
    __slots__ = ("pongs", "errors")

    def __init__(self, port, specifiers):
        self.sock, self.buffer = upgrade(port, "/")
        self.frames = self.acks = self.pongs = 0
        self.errors = []
        self.markers = []
        self.stream = bytearray()
        subjects = sorted({subject for s in specifiers for subject in nats_subjects(s)})
        commands = [b'CONNECT {"verbose":false,"pedantic":false,"protocol":1,"lang":"python","version":"0"}\r\n']
        commands += [b"SUB %s %d\r\n" % (subject.encode(), sid) for sid, subject in enumerate(subjects, 1)]
        commands.append(b"PING\r\n")
        self.sock.sendall(masked_frame(b"".join(commands), 0x2))
        self.sock.setblocking(False)

    def registered(self):
        return self.pongs >= 1

    def parse(self, now):
        buffer = self.buffer
        for opcode, start, end in self.frames_of():
            if opcode in (0, 1, 2):
                self.stream += buffer[start:end]
        stream = self.stream
        position = 0
        size = len(stream)
        while True:
            eol = stream.find(b"\r\n", position)
            if eol < 0:
                break
            if stream.startswith(b"MSG ", position):
                head = stream[position:eol].split(b" ")
                length = int(head[-1])
                if size < eol + 2 + length + 2:
                    break
                subject = head[1]
                if subject.startswith(b"bench.marker."):
                    self.markers.append((int(subject[13:]), now))
                else:
                    self.frames += 1
                position = eol + 2 + length + 2
                continue
            line = bytes(stream[position:eol])
            if line == b"PING":
                self.sock.sendall(masked_frame(b"PONG\r\n", 0x2))
            elif line == b"PONG":
                self.pongs += 1
            elif line.startswith(b"-ERR"):
                self.errors.append(line.decode())
            position = eol + 2
        del stream[:position]


def worker(kind, port, populations, markers_expected, pipe):
    """Runs subscribers in one selector loop: registers, reports, then collects until every
    subscriber has its markers or the parent says stop."""
    cls = WinnowSubscriber if kind == "winnow" else NATSSubscriber
    selector = selectors.DefaultSelector()
    subscribers = []
    for specifiers in populations:
        subscriber = cls(port, specifiers)
        subscribers.append(subscriber)
        selector.register(subscriber.sock, selectors.EVENT_READ, subscriber)

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

    while not all(s.registered() for s in subscribers):
        pump(0.05)
    pipe.send(("registered", sum(s.acks for s in subscribers)))
    while not pipe.poll():
        pump(0.05)
    pipe.recv()   # go
    cpu0 = own_cpu_seconds()
    while True:
        pump(0.02)
        if all(len(s.markers) >= markers_expected for s in subscribers):
            break
        if pipe.poll():
            pipe.recv()   # stop
            break
    cpu = own_cpu_seconds() - cpu0
    pipe.send(("done", {
        "frames": sum(s.frames for s in subscribers),
        "markers": [m for s in subscribers for m in s.markers],
        "cpu": cpu,
        "errors": [e for s in subscribers for e in getattr(s, "errors", [])][:5],
    }))
    # Stay connected until told to leave (the parent reads the server's counters first).
    while not pipe.poll(0.05):
        pump(0)
    pipe.recv()


class PythonWorker:
    """A `worker` in a process of its own, talked to over a pipe."""

    def __init__(self, kind, port, populations, markers_expected):
        self.pipe, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(
            target=worker, args=(kind, port, populations, markers_expected, child))
        self.process.start()

    def send(self, message):
        self.pipe.send(message)

    def poll(self, timeout=0):
        return self.pipe.poll(timeout)

    def recv(self):
        return self.pipe.recv()

    def join(self, timeout):
        self.process.join(timeout)


class CWorker:
    """A compiled `subscribers.c` worker: the same messages as `PythonWorker`, over its stdin and
    stdout (see the protocol in subscribers.c)."""

    def __init__(self, binary, kind, port, populations, markers_expected):
        import queue
        self.file = tempfile.NamedTemporaryFile("w", prefix="hubload-population-", delete=False)
        for specifiers in populations:
            lines = specifiers if kind == "winnow" else sorted(
                {subject for s in specifiers for subject in nats_subjects(s)})
            self.file.write("\n".join(lines) + "\n\n")
        self.file.close()
        self.process = subprocess.Popen(
            [binary, kind, str(port), str(markers_expected), self.file.name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.messages = queue.Queue()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        out = self.process.stdout
        for line in out:
            words = line.split()
            if words[0] == "registered":
                self.messages.put(("registered", int(words[1])))
            elif words[0] == "done":
                frames, cpu, markers, errors = int(words[1]), float(words[2]), int(words[3]), int(words[4])
                marks = []
                for _ in range(markers):
                    number, when = out.readline().split()
                    marks.append((int(number), float(when)))
                self.messages.put(("done", {
                    "frames": frames, "markers": marks, "cpu": cpu,
                    "errors": [out.readline().rstrip("\n") for _ in range(errors)]}))
        if self.process.wait() != 0:
            self.messages.put(("failed", self.process.returncode))

    def send(self, message):
        self.process.stdin.write(message + "\n")
        self.process.stdin.flush()

    def poll(self, timeout=0):
        deadline = time.time() + timeout
        while self.messages.empty() and time.time() < deadline:
            time.sleep(min(0.005, timeout))
        return not self.messages.empty()

    def recv(self):
        message = self.messages.get()
        if message[0] == "failed":
            raise RuntimeError(f"a subscriber worker exited with status {message[1]}")
        return message

    def join(self, timeout):
        try:
            self.process.wait(timeout)
        finally:
            os.unlink(self.file.name)


def compiled_subscribers(build_dir):
    """The path of the compiled `subscribers.c`, compiling it when missing or older than its source."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "subscribers.c")
    os.makedirs(build_dir, exist_ok=True)
    binary = os.path.join(build_dir, "subscribers")
    if not os.path.exists(binary) or os.path.getmtime(source) > os.path.getmtime(binary):
        print(f"compiling {source}", flush=True)
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-o", binary, source], check=True)
    return binary


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


class WinnowTarget:
    name = "winnow"

    def __init__(self, args):
        self.process = subprocess.Popen(
            [args.winnow, "serve", "--no-auth", "--listen", "127.0.0.1:0", "--max-queue",
             str(args.max_queue), "--log-level", "error"], stderr=subprocess.PIPE, text=True)
        self.port = int(re.search(r":(\d+)\s*$", self.process.stderr.readline()).group(1))
        threading.Thread(target=self.process.stderr.read, daemon=True).start()
        self.ws_port = self.port

    def prepare(self, events, bodies):
        self.bodies = [b"\n".join(events[i:i + bodies]) + b"\n" for i in range(0, len(events), bodies)]
        return len(self.bodies)

    def publish(self, marker_sent, published):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        begin = time.time()
        for number, body in enumerate(self.bodies):
            conn.request("POST", "/api/v3/events", body=body)
            response = conn.getresponse()
            response.read()
            assert response.status == 201, response.status
            marker = b'{"Type":"bench","Action":"marker","Key":"%d"}' % number
            marker_sent[number] = time.time()
            conn.request("POST", "/api/v3/events", body=marker)
            conn.getresponse().read()
        published[:] = [begin, time.time()]
        conn.close()

    def sent_counter(self):
        """Event frames the hub queued so far (markers included)."""
        return metric(self.port, "winnow_hub_events_delivered_total") or 0

    def slow_consumers(self):
        return int(metric(self.port, "winnow_hub_slow_consumer_disconnects_total") or 0)

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


class NATSTarget:
    name = "nats"

    def __init__(self, args):
        self.directory = tempfile.mkdtemp(prefix="hubload-nats-")
        self.port, self.ws_port, self.monitor = free_port(), free_port(), free_port()
        config = os.path.join(self.directory, "nats.conf")
        with open(config, "w") as f:
            f.write(f"listen: 127.0.0.1:{self.port}\nhttp: 127.0.0.1:{self.monitor}\n"
                    f"max_payload: 1048576\n"
                    f"websocket {{\n  listen: 127.0.0.1:{self.ws_port}\n  no_tls: true\n}}\n")
        self.process = subprocess.Popen([shutil.which("nats-server"), "-c", config],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.ws_port)).close()
                socket.create_connection(("127.0.0.1", self.port)).close()
                break
            except OSError:
                time.sleep(0.05)

    def prepare(self, events, bodies):
        subjects = []
        for line in events:
            head = line[:400]
            fields = [re.search(rb'"%s":"([^"]*)"' % name, head) for name in (b"Type", b"Action", b"Key")]
            subjects.append(event_subject(*(m.group(1).decode() if m else "_" for m in fields)).encode())
        self.bodies = [b"".join(b"PUB %s %d\r\n%s\r\n" % (subjects[j], len(events[j]), events[j])
                                for j in range(i, min(i + bodies, len(events))))
                       for i in range(0, len(events), bodies)]
        return len(self.bodies)

    def publish(self, marker_sent, published):
        sock = socket.create_connection(("127.0.0.1", self.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pending = bytearray()

        def until_pong():
            nonlocal pending
            while b"PONG\r\n" not in pending:
                data = sock.recv(65536)
                if not data:
                    raise RuntimeError("nats-server closed the publisher")
                pending += data
                if b"PING\r\n" in pending:
                    sock.sendall(b"PONG\r\n")
                    pending = pending.replace(b"PING\r\n", b"")
            pending = pending[pending.index(b"PONG\r\n") + 6:]

        sock.sendall(b'CONNECT {"verbose":false,"pedantic":false,"protocol":1}\r\nPING\r\n')
        until_pong()
        begin = time.time()
        for number, body in enumerate(self.bodies):
            sock.sendall(body + b"PING\r\n")
            until_pong()
            marker = b'{"Type":"bench","Action":"marker","Key":"%d"}' % number
            marker_sent[number] = time.time()
            sock.sendall(b"PUB bench.marker.%d %d\r\n%s\r\nPING\r\n" % (number, len(marker), marker))
            until_pong()
        published[:] = [begin, time.time()]
        sock.close()

    def sent_counter(self):
        return nats_varz(self.monitor)["out_msgs"]

    def slow_consumers(self):
        return int(nats_varz(self.monitor).get("slow_consumers", 0))

    def stop(self):
        self.process.terminate()
        self.process.wait(30)
        shutil.rmtree(self.directory, ignore_errors=True)


def run(target_class, args, events, populations):
    target = target_class(args)
    bodies = target.prepare(events, args.body)
    pid = target.process.pid
    rss_idle = rss_kib(pid)
    start = time.time()
    pipes = []
    for n in range(args.processes):
        share = populations[n::args.processes]
        if args.client == "c":
            pipes.append(CWorker(args.subscribers_binary, target.name, target.ws_port, share, bodies))
        else:
            pipes.append(PythonWorker(target.name, target.ws_port, share, bodies))
    acks = sum(pipe.recv()[1] for pipe in pipes)
    registered = time.time() - start
    rss_registered = rss_kib(pid)
    print(f"{target.name}: {args.subscribers} subscribers registered in {registered:.1f} s "
          f"({acks} acks); RSS {rss_idle // 1024} MiB idle, {rss_registered // 1024} MiB registered",
          flush=True)

    sent_before = target.sent_counter()
    perf = None
    if args.perf and target.name == "winnow":
        perf = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-p", str(pid), "-o", args.perf],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
    marker_sent = {}
    published = [0.0, 0.0]
    server_cpu0, client_cpu0 = cpu_seconds(pid), own_cpu_seconds()
    t0 = time.time()
    for pipe in pipes:
        pipe.send("go")
    thread = threading.Thread(target=target.publish, args=(marker_sent, published))
    thread.start()
    rss_peak = 0
    results = [None] * len(pipes)
    while any(r is None for r in results):
        rss_peak = max(rss_peak, rss_kib(pid))
        for n, pipe in enumerate(pipes):
            if results[n] is None and pipe.poll(0.1):
                results[n] = pipe.recv()[1]
        if not thread.is_alive() and time.time() - published[1] > 30:
            for n, pipe in enumerate(pipes):
                if results[n] is None:
                    pipe.send("stop")
                    results[n] = pipe.recv()[1]
    t1 = time.time()
    server_cpu = cpu_seconds(pid) - server_cpu0
    worker_cpu = sum(r["cpu"] for r in results)
    client_cpu = worker_cpu + own_cpu_seconds() - client_cpu0
    thread.join()
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait(60)
    time.sleep(0.5)
    sent = target.sent_counter() - sent_before
    slow = target.slow_consumers()
    for pipe in pipes:
        pipe.send("leave")
    for pipe in pipes:
        pipe.join(30)
    target.stop()

    frames = sum(r["frames"] for r in results)
    latencies = sorted(now - marker_sent[number] for r in results for number, now in r["markers"])
    markers_expected = bodies * args.subscribers
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
    accept_seconds = published[1] - published[0]
    deliver_seconds = t1 - t0
    return {
        "target": target.name, "events": len(events), "bodies": bodies, "subscribers": args.subscribers,
        "registrations_acknowledged": acks, "registration_seconds": round(registered, 1),
        "accepted_events_per_s": round(len(events) / accept_seconds),
        "delivered_frames": frames, "frames_per_s": round(frames / deliver_seconds),
        "delivery_seconds": round(deliver_seconds, 2), "accept_seconds": round(accept_seconds, 2),
        "marker_latency_ms": {"p50": round(p(0.5), 1), "p99": round(p(0.99), 1), "max": round(p(1.0), 1)},
        "server_rss_mib": {"idle": rss_idle // 1024, "registered": rss_registered // 1024, "peak": rss_peak // 1024},
        "server_cpu_s": round(server_cpu, 2), "server_cpu_s_per_1000_events": round(server_cpu / len(events) * 1000, 4),
        "client": args.client, "client_cpu_s": round(client_cpu, 2),
        "worker_cpu_us_per_event": round(worker_cpu / len(events) * 1e6, 2),
        "worker_cpu_us_per_frame": round(worker_cpu / max(frames + len(latencies), 1) * 1e6, 2),
        "cpu_share": {"server": round(server_cpu / (2 * deliver_seconds), 2),
                      "client": round(client_cpu / (2 * deliver_seconds), 2)},
        "lost": int(sent - frames - len(latencies)), "slow_consumer_disconnects": slow,
        "markers_received": len(latencies), "markers_expected": markers_expected,
        "errors": [e for r in results for e in r["errors"]][:5],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--winnow", default=".build/release/winnow")
    parser.add_argument("--events", required=True)
    parser.add_argument("--targets", default="winnow,nats")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--registrations", type=int, default=100)
    parser.add_argument("--count", type=int, default=200000)
    parser.add_argument("--body", type=int, default=1000)
    parser.add_argument("--max-queue", type=int, default=100000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--client", choices=["c", "python"], default="c",
                        help="the subscriber workers: compiled subscribers.c (default) or Python")
    parser.add_argument("--build-dir", default=os.path.join(tempfile.gettempdir(), "hubload"),
                        help="where subscribers.c is compiled")
    parser.add_argument("--perf", help="perf record the winnow hub while publishing, into FILE")
    args = parser.parse_args()
    if args.client == "c":
        args.subscribers_binary = compiled_subscribers(args.build_dir)

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
    import random
    rng = random.Random(1)
    populations = [population(machines, args.registrations, rng, n) for n in range(args.subscribers)]

    print(f"{len(events)} events, {os.cpu_count()} CPUs, load average {os.getloadavg()}", flush=True)
    results = {}
    for name in args.targets.split(","):
        target_class = {"winnow": WinnowTarget, "nats": NATSTarget}[name]
        results[name] = run(target_class, args, events, populations)
        print(json.dumps(results[name], indent=1), flush=True)
    if "winnow" in results and "nats" in results:
        w, n = results["winnow"], results["nats"]
        print(json.dumps({
            "winnow_over_nats": {
                "accepted_events_per_s": round(w["accepted_events_per_s"] / n["accepted_events_per_s"], 2),
                "frames_per_s": round(w["frames_per_s"] / n["frames_per_s"], 2),
                "server_cpu_per_event": round(w["server_cpu_s_per_1000_events"] / n["server_cpu_s_per_1000_events"], 2),
                "p99": round(w["marker_latency_ms"]["p99"] / max(n["marker_latency_ms"]["p99"], 0.001), 2),
            }}, indent=1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
