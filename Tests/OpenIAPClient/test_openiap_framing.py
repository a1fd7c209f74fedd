"""Raw socket tests of OpenIAP framing on `winnow serve`: TCP (--openiap-listen) and the
websocket /ws/v2, with hand-built Envelopes: seq from 0, out-of-order seq held and processed
in order, a repeated seq closing the connection, a length prefix split over several frames, a
type_url other than the command's, a missing data, a frame above the limit."""

import socket
import struct
import time

import websocket  # websocket-client
from proto import base_pb2, watch_pb2

from events import EVENTS
from hub import Hub, run, test, watched_lines

HUB = Hub()


def envelope(command, seq, id="", message=None, type_url=None):
    env = base_pb2.Envelope(command=command, seq=seq, id=id)
    if message is not None:
        env.data.Pack(message)
        if type_url is not None:
            env.data.type_url = type_url
    return env


def signin(seq, id="s", **kwargs):
    request = base_pb2.SigninRequest(username="alice", password="wonderland")
    return envelope("signin", seq, id, request, **kwargs)


class TCP:
    def __init__(self):
        self.sock = socket.create_connection(("127.0.0.1", HUB.tcp_port), timeout=10)
        self.buffer = b""

    def send_bytes(self, data):
        self.sock.sendall(data)

    def send(self, env):
        body = env.SerializeToString()
        self.send_bytes(struct.pack("<I", len(body)) + body)

    def _read(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        self.buffer += chunk

    def receive(self):
        while len(self.buffer) < 4:
            self._read()
        (size,) = struct.unpack("<I", self.buffer[:4])
        while len(self.buffer) < 4 + size:
            self._read()
        body, self.buffer = self.buffer[4:4 + size], self.buffer[4 + size:]
        env = base_pb2.Envelope()
        env.ParseFromString(body)
        return env

    def closed(self):
        """Whether the server closed the connection (after any error Envelope)."""
        try:
            while True:
                self.receive()
        except (ConnectionError, OSError):
            return True

    def close(self):
        self.sock.close()


class WS:
    """/ws/v2 with websocket-client; checks the server sends length and Envelope as two
    binary messages."""

    def __init__(self):
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{HUB.port}/ws/v2", timeout=10)

    def send_bytes(self, data):
        self.ws.send_binary(data)

    def send(self, env):
        body = env.SerializeToString()
        self.send_bytes(struct.pack("<I", len(body)))
        self.send_bytes(body)

    def receive(self):
        opcode, prefix = self.ws.recv_data(control_frame=False)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            raise ConnectionError("closed")
        assert opcode == websocket.ABNF.OPCODE_BINARY and len(prefix) == 4, (opcode, prefix)
        (size,) = struct.unpack("<I", prefix)
        opcode, body = self.ws.recv_data(control_frame=False)
        assert opcode == websocket.ABNF.OPCODE_BINARY and len(body) == size, (opcode, len(body), size)
        env = base_pb2.Envelope()
        env.ParseFromString(body)
        return env

    def closed(self):
        try:
            while True:
                self.receive()
        except (ConnectionError, websocket.WebSocketException, OSError):
            return True

    def close(self):
        self.ws.close()


TRANSPORTS = {"tcp": TCP, "ws": WS}


def each_transport(check):
    for name, make in TRANSPORTS.items():
        connection = make()
        try:
            check(connection)
        except AssertionError as error:
            raise AssertionError(f"over {name}: {error}") from error
        finally:
            connection.close()


def unpack(env, message):
    message.ParseFromString(env.data.value)
    return message


@test
def replies_carry_seq_from_zero_and_rid():
    def check(c):
        c.send(envelope("ping", 0, "p0"))
        c.send(signin(1, "s1"))
        c.send(envelope("ping", 2, "p2"))
        replies = [c.receive() for _ in range(3)]
        assert [r.seq for r in replies] == [0, 1, 2], replies
        assert [(r.command, r.rid) for r in replies] == [("pong", "p0"), ("signinreply", "s1"), ("pong", "p2")], replies
        assert replies[1].data.type_url == "type.googleapis.com/openiap.SigninResponse"
        assert unpack(replies[1], base_pb2.SigninResponse()).user.name == "user:alice"
    each_transport(check)


@test
def out_of_order_seq_is_held_and_processed_in_order():
    def check(c):
        c.send(envelope("ping", 2, "c"))
        c.send(envelope("ping", 1, "b"))
        c.send(envelope("ping", 0, "a"))
        assert [c.receive().rid for _ in range(3)] == ["a", "b", "c"]
    each_transport(check)


@test
def a_repeated_seq_closes_the_connection():
    def check(c):
        c.send(envelope("ping", 0, "a"))
        assert c.receive().rid == "a"
        c.send(envelope("ping", 0, "again"))
        error = c.receive()
        assert error.command == "error", error
        assert "below the next expected seq" in unpack(error, base_pb2.ErrorResponse()).message
        assert c.closed()
    each_transport(check)


@test
def a_length_prefix_split_over_several_frames():
    def check(c):
        body = envelope("ping", 0, "split").SerializeToString()
        data = struct.pack("<I", len(body)) + body
        for piece in (data[:1], data[1:3], data[3:6], data[6:]):
            c.send_bytes(piece)
            time.sleep(0.02)
        assert c.receive().rid == "split"
        # Two Envelopes in one frame work too.
        two = b"".join(struct.pack("<I", len(b)) + b for b in (
            envelope("ping", 1, "x").SerializeToString(), envelope("ping", 2, "y").SerializeToString()))
        c.send_bytes(two)
        assert [c.receive().rid for _ in range(2)] == ["x", "y"]
    each_transport(check)


@test
def a_type_url_other_than_the_commands_is_accepted():
    def check(c):
        c.send(signin(0, "s", type_url="openiap.SomethingElse"))
        reply = c.receive()
        assert reply.command == "signinreply", reply
    each_transport(check)


@test
def a_missing_data_is_an_empty_message():
    def check(c):
        c.send(envelope("ping", 0, "p"))
        assert c.receive().command == "pong"
        c.send(envelope("signin", 1, "s"))  # no data: no credentials
        error = c.receive()
        assert error.command == "error" and error.rid == "s", error
        c.send(signin(2))
        assert c.receive().command == "signinreply"
        c.send(envelope("getelement", 3, "g"))
        reply = c.receive()
        assert reply.command == "getelementreply" and unpack(reply, base_pb2.GetElementResponse()).xpath == ""
    each_transport(check)


@test
def a_frame_above_the_limit_closes_only_that_connection():
    def check(c):
        other = type(c)()
        try:
            c.send_bytes(struct.pack("<I", 0xFFFFFFF0))
            error = c.receive()
            assert error.command == "error", error
            assert "exceeds the limit" in unpack(error, base_pb2.ErrorResponse()).message
            assert c.closed()
            other.send(envelope("ping", 0, "still"))
            assert other.receive().rid == "still"
        finally:
            other.close()
    each_transport(check)


@test
def watch_events_over_raw_tcp_carry_the_event_bytes():
    c = TCP()
    try:
        c.send(signin(0))
        assert c.receive().command == "signinreply"
        c.send(envelope("watch", 1, "w", watch_pb2.WatchRequest(collectionname="machines", paths=["Object.Runnable=Eq(true)"])))
        reply = c.receive()
        watch_id = unpack(reply, watch_pb2.WatchResponse()).id
        HUB.publish(EVENTS)
        expected = watched_lines("machines", ["Object.Runnable=Eq(true)"], EVENTS)
        assert expected
        for line in expected:
            env = c.receive()
            assert env.command == "watchevent", env
            event = unpack(env, watch_pb2.WatchEvent())
            assert event.id == watch_id
            assert event.document.encode() == line.encode(), (event.document, line)
    finally:
        c.close()


if __name__ == "__main__":
    try:
        run("openiap_framing")
    finally:
        HUB.stop()
