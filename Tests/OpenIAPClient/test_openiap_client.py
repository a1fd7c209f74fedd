"""The real OpenIAP Python client (openiap 0.0.37) against `winnow serve`, over the websocket
/ws/v2 and over gRPC: signin, Watch with Winnow filters receiving exactly what `winnow match`
selects, UnWatch, a bad token, an invalid filter."""

import asyncio
import json
import threading

from openiap import Client

from events import EVENTS, WATCHES
from hub import Hub, run, test, watched_lines

HUB = Hub()


def ws_url(user="alice", password="wonderland"):
    return f"ws://{user}:{password}@127.0.0.1:{HUB.port}/ws/v2"


def grpc_url():
    return f"grpc://127.0.0.1:{HUB.grpc_port}"


async def wait_for(predicate, timeout=10.0):
    """Waits on the event loop, which runs the client's callbacks."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def signed_in(url, **credentials):
    client = Client(url)
    user = await asyncio.wait_for(client.Signin(**credentials), 20)
    return client, user


class Received:
    """The documents one watch received, in order."""

    def __init__(self):
        self.documents = []
        self.operations = []
        self.lock = threading.Lock()

    async def callback(self, client, operation, document):
        with self.lock:
            self.documents.append(document)
            self.operations.append(operation)

    def count(self):
        with self.lock:
            return len(self.documents)


async def watch_unwatch(url, **credentials):
    client, user = await signed_in(url, **credentials)
    assert user.name == "user:alice", user
    assert user.username == "alice", user
    received = [Received() for _ in WATCHES]
    ids = []
    for (collection, paths), sink in zip(WATCHES, received):
        ids.append(await asyncio.wait_for(client.Watch(collection, paths, sink.callback), 10))
    assert len(set(ids)) == len(ids), ids
    assert HUB.publish(EVENTS) == len(EVENTS)
    expected = [watched_lines(collection, paths, EVENTS) for collection, paths in WATCHES]
    for sink, lines in zip(received, expected):
        assert await wait_for(lambda: sink.count() >= len(lines)), (sink.documents, lines)
    await asyncio.sleep(0.5)  # nothing more may arrive
    for (collection, paths), sink, lines in zip(WATCHES, received, expected):
        assert sink.documents == [json.loads(l) for l in lines], (collection, paths, sink.documents, lines)
        assert sink.operations == [json.loads(l)["Action"] for l in lines]
    assert all(expected), "every watch must select something for the test to mean anything"

    # UnWatch the first: it stops; the others go on.
    await asyncio.wait_for(client.UnWatch(ids[0]), 10)
    before = [sink.count() for sink in received]
    assert HUB.publish(EVENTS) == len(EVENTS)
    for sink, lines, count in list(zip(received, expected, before))[1:]:
        assert await wait_for(lambda: sink.count() >= count + len(lines)), (sink.count(), count, lines)
    await asyncio.sleep(0.5)
    assert received[0].count() == before[0], "an unwatched watch received events"


async def failing_signin(url, **credentials):
    client = Client(url)
    try:
        await asyncio.wait_for(client.Signin(**credentials), 20)
    except ValueError as error:
        assert "signin failed" in str(error), error
        return
    raise AssertionError("Signin with a bad token succeeded")


async def invalid_filter(url, **credentials):
    client, _ = await signed_in(url, **credentials)
    try:
        await asyncio.wait_for(client.Watch("machines", ['Object.Name=Eq("x")', "Name=Foo(1)"], None), 10)
    except ValueError as error:
        message = str(error)
        assert '"Name=Foo(1)"' in message and "column 6" in message, message
        return
    raise AssertionError("Watch with an invalid filter succeeded")


@test
def websocket_watch_receives_what_winnow_match_selects_and_unwatch_stops():
    asyncio.run(watch_unwatch(ws_url()))


@test
def grpc_watch_receives_what_winnow_match_selects_and_unwatch_stops():
    asyncio.run(watch_unwatch(grpc_url(), username="alice", password="wonderland"))


@test
def websocket_bad_token_fails_signin():
    asyncio.run(failing_signin(ws_url(password="wrong")))


@test
def grpc_bad_token_fails_signin():
    asyncio.run(failing_signin(grpc_url(), username="alice", password="wrong"))


@test
def websocket_invalid_filter_fails_watch_with_path_and_column():
    asyncio.run(invalid_filter(ws_url()))


@test
def grpc_invalid_filter_fails_watch_with_path_and_column():
    asyncio.run(invalid_filter(grpc_url(), username="alice", password="wonderland"))


if __name__ == "__main__":
    try:
        run("openiap_client")
    finally:
        HUB.stop()
