#!/usr/bin/env python3
"""A scripted stand-in for an older DRP endpoint, for testing `winnow watch` (SPEC section 9).

It does NOT advertise `websocket-changed-filter`: it understands `register type.action.key`
only (each part `*` or a comma list, as old DRP servers), answers each command with one
acknowledgement event, and sends every event of --events whose type, action and key match a
registration of the connection, once per connection, in file order. The client has to apply
filters itself.

Standard library only (asyncio, a minimal RFC 6455 server), so tests need no installs.

Options:
  --port-file F     write the bound port (loopback, ephemeral) to F once listening
  --token T         required as `Authorization: Bearer T` or `?token=T` (else HTTP 401)
  --open-info       /api/v3/info needs no token (so a bad token is refused at the upgrade)
  --events F        NDJSON events to send after a connection's registrations are acknowledged
  --drop-after N    the first connection is cut (TCP reset, no close frame) after N events;
                    the next connection is sent the events from N on
  --hold-events-until F
                    send no event before the file F exists (a test's trigger)
  --error-on TEXT   `register TEXT` is answered with an error acknowledgement
  --registrations-before-events N
                    send the events once the connection holds N registrations (default 1)
  --log F           one JSON line per command received: {"connection": k, "command": "..."}
"""

import argparse
import asyncio
import base64
import hashlib
import json
import os
import signal
import struct
import sys
from urllib.parse import parse_qs, urlsplit

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Server:
    def __init__(self, args):
        self.args = args
        self.events = []
        if args.events:
            with open(args.events, "rb") as f:
                self.events = [line.rstrip(b"\r\n") for line in f if line.strip()]
        self.connections = 0
        self.sent_before_drop = 0

    def log(self, record):
        if self.args.log:
            with open(self.args.log, "a") as f:
                f.write(json.dumps(record) + "\n")

    def authorized(self, path, headers):
        if not self.args.token:
            return True
        auth = headers.get("authorization", "")
        if auth == "Bearer " + self.args.token:
            return True
        query = parse_qs(urlsplit(path).query)
        return (query.get("token") or query.get("Token") or [None])[0] == self.args.token

    async def handle(self, reader, writer):
        try:
            await self.serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def serve(self, reader, writer):
        request = await reader.readuntil(b"\r\n\r\n")
        lines = request.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        route = urlsplit(path).path

        if route == "/api/v3/info" and method == "GET":
            if not self.args.open_info and not self.authorized(path, headers):
                return respond(writer, 401, b'{"Error":"unauthorized"}')
            body = json.dumps({"version": "v4.3.0-old", "features": ["api-v3", "sane-exit-codes"]})
            return respond(writer, 200, body.encode())
        if route != "/api/v3/ws":
            return respond(writer, 404, b'{"Error":"not found"}')
        if not self.authorized(path, headers):
            return respond(writer, 401, b'{"Error":"unauthorized"}')
        key = headers.get("sec-websocket-key")
        if headers.get("upgrade", "").lower() != "websocket" or not key:
            return respond(writer, 400, b'{"Error":"not a websocket request"}')
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        writer.write(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        await self.websocket(reader, writer)

    async def websocket(self, reader, writer):
        connection = self.connections
        self.connections += 1
        registrations = []
        start = self.sent_before_drop if connection > 0 else 0
        drop_after = self.args.drop_after if connection == 0 else None
        sent = 0
        while True:
            opcode, payload = await read_frame(reader)
            if opcode == 8:  # close: answer and end
                send_frame(writer, 8, payload[:2])
                await writer.drain()
                return
            if opcode == 9:
                send_frame(writer, 10, payload)
                continue
            if opcode != 1:
                continue
            command = payload.decode("utf-8", "replace").rstrip("\r\n")
            self.log({"connection": connection, "command": command})
            word, _, spec = command.partition(" ")
            if word == "register" and spec != self.args.error_on:
                registrations.append(spec)
                ack = {"Type": "websocket", "Action": "register", "Key": spec, "Principal": "user:old",
                       "Object": {"Specifier": spec, "References": registrations.count(spec)}}
            else:
                ack = {"Type": "websocket", "Action": "error", "Key": spec, "Principal": "user:old",
                       "Object": {"Command": word, "Code": "rejected", "Message": "this server refuses it",
                                  "Column": None}}
            send_frame(writer, 1, json.dumps(ack).encode())
            await writer.drain()
            if ack["Action"] != "register":
                continue
            if len(registrations) != self.args.registrations_before_events:
                continue
            while self.args.hold_events_until and not os.path.exists(self.args.hold_events_until):
                await asyncio.sleep(0.02)
            # Every registration is in: the events matching any of them, from where the
            # previous (dropped) connection stopped.
            for index in range(start, len(self.events)):
                event = self.events[index]
                if not matches_any(registrations, event):
                    continue
                if drop_after is not None and sent >= drop_after:
                    self.sent_before_drop = index
                    await writer.drain()
                    # Cut the TCP connection without a close frame.
                    writer.transport.abort()
                    return
                send_frame(writer, 1, event)
                sent += 1
            await writer.drain()


def respond(writer, status, body):
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}[status]
    writer.write(
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n".encode() + body
    )


def matches_any(registrations, event_bytes):
    event = json.loads(event_bytes)
    fields = [event.get("Type") or "", event.get("Action") or "", event.get("Key") or ""]
    for registration in registrations:
        parts = registration.split(".", 2)
        if len(parts) == 3 and all(p == "*" or f in p.split(",") for p, f in zip(parts, fields)):
            return True
    return False


async def read_frame(reader):
    head = await reader.readexactly(2)
    opcode = head[0] & 0x0F
    length = head[1] & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", await reader.readexactly(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", await reader.readexactly(8))
    mask = await reader.readexactly(4) if head[1] & 0x80 else b"\0\0\0\0"
    data = await reader.readexactly(length)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def send_frame(writer, opcode, payload):
    head = bytes([0x80 | opcode])
    if len(payload) < 126:
        head += bytes([len(payload)])
    elif len(payload) < 65536:
        head += bytes([126]) + struct.pack("!H", len(payload))
    else:
        head += bytes([127]) + struct.pack("!Q", len(payload))
    writer.write(head + payload)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--token")
    parser.add_argument("--open-info", action="store_true")
    parser.add_argument("--events")
    parser.add_argument("--drop-after", type=int)
    parser.add_argument("--error-on")
    parser.add_argument("--hold-events-until")
    parser.add_argument("--registrations-before-events", type=int, default=1)
    parser.add_argument("--log")
    args = parser.parse_args()
    # A parent (a test runner's thread) may have blocked these; the default action is wanted.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    server = Server(args)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as f:
        f.write(str(port))
    os.replace(temporary, args.port_file)
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
