"""Scripted OpenFlow clients (websocket-client) against `winnow serve` at /ws/v1 and /, behaving
as the real ones do (shared/protocols/WIRE.md): chunks of 500 and 4,096 characters, count and
index as numbers and as strings, answering watchevent or not, a watch whose data spans several
chunks, and events larger than the package size joined back byte for byte."""

import json
import itertools

import websocket  # websocket-client

from events import EVENTS
from hub import Hub, run, test, watched_lines

HUB = Hub()
_ids = itertools.count(1)


class OpenFlowClient:
    def __init__(self, path="/ws/v1", chunk=500, string_counts=False, answer_events=True):
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{HUB.port}{path}", timeout=10)
        self.chunk = chunk
        self.string_counts = string_counts
        self.answer_events = answer_events
        self.parts = {}
        self.events = []  # (data text, message) of joined watchevents

    def send(self, command, data, id=None, replyto=None):
        id = id or f"c{next(_ids)}"
        text = json.dumps(data, separators=(",", ":")) if not isinstance(data, str) else data
        chunks = [text[i:i + self.chunk] for i in range(0, len(text), self.chunk)] or [""]
        for index, piece in enumerate(chunks):
            count = len(chunks)
            message = {"id": id, "command": command, "data": piece,
                       "count": str(count) if self.string_counts else count,
                       "index": str(index) if self.string_counts else index, "priority": 2}
            if replyto:
                message["replyto"] = replyto
            self.ws.send(json.dumps(message))
        return id

    def receive_joined(self):
        """The next complete message (chunks joined), with its data text."""
        while True:
            opcode, frame = self.ws.recv_data(control_frame=False)
            assert opcode == websocket.ABNF.OPCODE_TEXT, (opcode, frame)
            message = json.loads(frame)
            assert isinstance(message["count"], int) and isinstance(message["index"], int), message
            parts = self.parts.setdefault(message["id"], {})
            parts[message["index"]] = message["data"]
            if len(parts) < message["count"]:
                continue
            del self.parts[message["id"]]
            message["data"] = "".join(parts[i] for i in range(message["count"]))
            return message

    def reply_to(self, request_id):
        """The reply to `request_id`, collecting the watchevents that come before it."""
        while True:
            message = self.receive_joined()
            if message["command"] == "watchevent":
                self._event(message)
                continue
            assert message.get("replyto") == request_id, message
            return message

    def _event(self, message):
        self.events.append(message["data"])
        if self.answer_events:
            self.send("watchevent", message["data"], replyto=message["id"])

    def wait_events(self, n):
        while len(self.events) < n:
            message = self.receive_joined()
            assert message["command"] == "watchevent", message
            self._event(message)
        return self.events

    def signin(self):
        request = {"username": "alice", "password": "wonderland", "clientagent": "scripted",
                   "clientversion": "0" * 700}
        reply = self.reply_to(self.send("signin", request))
        assert reply["command"] == "signin", reply
        data = json.loads(reply["data"])
        assert data["user"]["name"] == "user:alice" and data["supports_watch"] is True, data
        assert data["websocket_package_size"] == 25000, data
        return data

    def watch(self, collection, aggregates):
        reply = self.reply_to(self.send("watch", {"collectionname": collection, "aggregates": aggregates}))
        assert reply["command"] == "watch", reply
        data = json.loads(reply["data"])
        assert data["collectionname"] == collection and data["aggregates"] == aggregates, data
        return data["id"]

    def close(self):
        self.ws.close()


def expect_events(client, watch_id, collection, aggregates, lines):
    expected = watched_lines(collection, aggregates, lines)
    assert expected, "the test must select something"
    got = client.wait_events(len(expected))
    want = ['{"id":' + json.dumps(watch_id) + ',"result":' + line + "}" for line in expected]
    assert got == want, (got, want)


@test
def chunked_clients_watch_with_winnow_filters():
    for path, chunk, string_counts, answer in [("/ws/v1", 500, False, True), ("/ws/v1", 4096, True, False),
                                               ("/", 500, True, True), ("/", 4096, False, False)]:
        client = OpenFlowClient(path, chunk, string_counts, answer)
        try:
            client.signin()
            aggregates = ["Object.Runnable=Eq(true)", 'Action=Eq("delete")']
            watch_id = client.watch("machines", aggregates)
            HUB.publish(EVENTS)
            expect_events(client, watch_id, "machines", aggregates, EVENTS)
        finally:
            client.close()


@test
def a_watch_whose_data_spans_several_chunks():
    for chunk, string_counts in [(500, False), (500, True), (4096, True)]:
        client = OpenFlowClient(chunk=chunk, string_counts=string_counts)
        try:
            client.signin()
            # Many aggregates: the watch's data is several chunks long.
            aggregates = [f'Object.Name=Eq("name-{n:04}-{"x" * 150}")' for n in range(60)]
            aggregates.append('Object.Name=Eq("alpha")')
            assert len(json.dumps(aggregates)) > 2 * chunk
            watch_id = client.watch("", aggregates)
            HUB.publish(EVENTS)
            expect_events(client, watch_id, "", aggregates, EVENTS)
        finally:
            client.close()


@test
def events_larger_than_the_package_size_are_chunked_and_join_back_byte_for_byte():
    client = OpenFlowClient(chunk=4096)
    try:
        client.signin()
        watch_id = client.watch("blobs", [])
        big = [json.dumps({"Type": "blobs", "Action": "save", "Key": f"b{n}",
                           "Object": {"Blob": ("é\"\\ ✓ 😀 " * (n * 4000))}},
                          separators=(",", ":"), ensure_ascii=False) for n in (1, 3)]
        assert all(len(line) > 25000 for line in big)
        HUB.publish(big)
        expect_events(client, watch_id, "blobs", [], big)
    finally:
        client.close()


@test
def unwatch_stops_events():
    client = OpenFlowClient()
    try:
        client.signin()
        watch_id = client.watch("machines", [])
        HUB.publish(EVENTS)
        expect_events(client, watch_id, "machines", [], EVENTS)
        reply = client.reply_to(client.send("unwatch", {"id": watch_id}))
        assert reply["command"] == "unwatch", reply
        other = client.watch("profiles", [])
        HUB.publish(EVENTS)
        before = len(client.events)
        expected = watched_lines("profiles", [], EVENTS)
        got = client.wait_events(before + len(expected))[before:]
        assert all(json.loads(g)["id"] == other for g in got), got
    finally:
        client.close()


@test
def errors_unknown_command_no_command_bad_filter_before_signin():
    client = OpenFlowClient()
    try:
        reply = client.reply_to(client.send("watch", {"collectionname": "machines"}))
        assert reply["command"] == "error" and "signin" in json.loads(reply["data"])["message"], reply
        reply = client.reply_to(client.send("query", {}))
        assert reply["command"] == "error" and json.loads(reply["data"]) == {"message": "Unknown command query"}, reply
        client.ws.send(json.dumps({"id": "nocmd", "data": "{}", "count": 1, "index": 0}))
        reply = client.reply_to("nocmd")
        assert reply["command"] == "error", reply
        reply = client.reply_to(client.send("ping", "{}"))
        assert reply["command"] == "pong", reply
        client.signin()
        reply = client.reply_to(client.send("watch", {"collectionname": "m", "aggregates": ["Name=Foo(1)"]}))
        message = json.loads(reply["data"])["message"]
        assert reply["command"] == "error" and '"Name=Foo(1)"' in message and "column 6" in message, reply
        reply = client.reply_to(client.send("signin", {"username": "alice", "password": "nope"}))
        assert reply["command"] == "error", reply
    finally:
        client.close()


if __name__ == "__main__":
    try:
        run("openflow")
    finally:
        HUB.stop()
