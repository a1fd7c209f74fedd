"""Watch events per second that `winnow serve` delivers to 100 clients, side by side in one run:
OpenIAP over the websocket /ws/v2, OpenIAP over gRPC, and DRP's websocket /api/v3/ws with the
same subscription. Every client subscribes to every published `machines` event; the time is from
the first POST until the last client holds all N events.

Run with the OpenIAP test venv (Scripts/openiap-tests.sh creates it):
  /opt/openiap-venv/bin/python Benchmarks/openiap/bench.py [--winnow .build/release/winnow]
Clients run in separate processes (asyncio, several connections each) on the same machine as
the hub, so the numbers include the clients' own CPU use; compare the three within one run."""

import argparse
import asyncio
import json
import multiprocessing
import os
import struct
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "OpenIAPClient"))
from hub import Hub  # noqa: E402


def event(n):
    return json.dumps({"Time": "2026-11-28T12:00:00Z", "Type": "machines", "Action": "save",
                       "Key": f"m{n}", "Principal": "user:bench",
                       "Object": {"Name": f"machine-{n}", "Runnable": n % 2 == 0,
                                  "Address": f"10.0.{n // 256 % 256}.{n % 256}"}},
                      separators=(",", ":"))


async def drp_client(port, ready, total, done):
    import websockets
    async with websockets.connect(f"ws://127.0.0.1:{port}/api/v3/ws?token=alice:wonderland",
                                  max_size=None) as ws:
        await ws.send("register machines.*.*")
        await ws.recv()  # the acknowledgement
        ready()
        got = 0
        while got < total:
            await ws.recv()
            got += 1
        done()


def envelope(command, seq, message=None):
    from proto import base_pb2
    env = base_pb2.Envelope(command=command, seq=seq, id=f"r{seq}")
    if message is not None:
        env.data.Pack(message)
    body = env.SerializeToString()
    return struct.pack("<I", len(body)), body


async def openiap_ws_client(port, ready, total, done):
    import websockets
    from proto import base_pb2, watch_pb2
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/v2", max_size=None) as ws:
        for seq, (command, message) in enumerate([
                ("signin", base_pb2.SigninRequest(username="alice", password="wonderland")),
                ("watch", watch_pb2.WatchRequest(collectionname="machines"))]):
            for frame in envelope(command, seq, message):
                await ws.send(frame)
            await ws.recv()
            await ws.recv()
        ready()
        got = 0
        while got < total:
            await ws.recv()  # length
            await ws.recv()  # Envelope
            got += 1
        done()


async def openiap_grpc_clients(port, count, ready, total, done):
    import grpc
    from proto import base_pb2, watch_pb2
    from proto.base_pb2_grpc import FlowServiceStub

    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = FlowServiceStub(channel)

        async def one():
            def requests_():
                for command, message in [
                        ("signin", base_pb2.SigninRequest(username="alice", password="wonderland")),
                        ("watch", watch_pb2.WatchRequest(collectionname="machines"))]:
                    env = base_pb2.Envelope(command=command, id=command)
                    env.data.Pack(message)
                    yield env
            queue = asyncio.Queue()

            async def request_iterator():
                for env in requests_():
                    yield env
                await queue.get()  # keep the stream open

            call = stub.SetupStream(request_iterator())
            replies = 0
            got = 0
            async for message in call:
                if message.command == "watchevent":
                    got += 1
                    if got == total:
                        done()
                        break
                else:
                    replies += 1
                    if replies == 2:
                        ready()
            queue.put_nowait(None)
            call.cancel()

        await asyncio.gather(*(one() for _ in range(count)))


def worker(kind, port, count, total, ready_queue, done_queue):
    async def main():
        ready = lambda: ready_queue.put(1)  # noqa: E731
        done = lambda: done_queue.put(time.time())  # noqa: E731
        if kind == "grpc":
            await openiap_grpc_clients(port, count, ready, total, done)
        else:
            client = drp_client if kind == "drp" else openiap_ws_client
            await asyncio.gather(*(client(port, ready, total, done) for _ in range(count)))
    asyncio.run(main())


def measure(hub, kind, clients, processes, events):
    port = hub.grpc_port if kind == "grpc" else hub.port
    ready, done = multiprocessing.Queue(), multiprocessing.Queue()
    per = clients // processes
    workers = [multiprocessing.Process(target=worker, args=(kind, port, per, len(events), ready, done))
               for _ in range(processes)]
    for w in workers:
        w.start()
    for _ in range(clients):
        ready.get(timeout=120)
    started = time.time()
    for i in range(0, len(events), 1000):
        hub.publish(events[i:i + 1000])
    finished = max(done.get(timeout=600) for _ in range(clients))
    for w in workers:
        w.join(timeout=30)
    seconds = finished - started
    return seconds, clients * len(events) / seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--winnow", default=os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "winnow"))
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ["WINNOW"] = os.path.abspath(args.winnow)
    events = [event(n) for n in range(args.events)]
    hub = Hub()
    try:
        results = {}
        for round_ in range(args.rounds):
            for kind in ("drp", "openiap-ws", "grpc"):
                seconds, rate = measure(hub, kind, args.clients, args.processes, events)
                results.setdefault(kind, []).append(rate)
                print(f"round {round_ + 1} {kind:11} {args.clients} clients x {args.events} events: "
                      f"{seconds:6.2f} s, {rate:10.0f} deliveries/s", flush=True)
        print("best of rounds (deliveries/s):")
        base = max(results["drp"])
        for kind, rates in results.items():
            print(f"  {kind:11} {max(rates):10.0f}  ({max(rates) / base:.2f} x DRP websocket)")
    finally:
        hub.stop()


if __name__ == "__main__":
    main()
