"""Starts the built `winnow serve` with every OpenIAP/OpenFlow transport, and helpers shared by
the OpenIAP and OpenFlow client tests (a tiny test runner included, so that the scripts need
nothing beyond the pinned virtual environment)."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Credentials of the hub under test: TOKEN PRINCIPAL RIGHTS.
TOKENS = """\
# OpenIAP clients present USER:PASSWORD as the token.
alice:wonderland user:alice read
publisher-token user:publisher publish
"""
PUBLISHER = "publisher-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def winnow_binary():
    for candidate in (os.environ.get("WINNOW"), os.path.join(ROOT, ".build", "debug", "winnow")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SystemExit("winnow binary not found: run `swift build` first or set WINNOW")


class Hub:
    """A running `winnow serve` on free ports; stop() ends it."""

    def __init__(self, extra=()):
        self.dir = tempfile.mkdtemp(prefix="winnow-openiap-")
        tokens = os.path.join(self.dir, "tokens")
        with open(tokens, "w") as f:
            f.write(TOKENS)
        self.port, self.tcp_port, self.grpc_port = free_port(), free_port(), free_port()
        self.log = open(os.path.join(self.dir, "serve.log"), "w+")
        self.process = subprocess.Popen(
            [winnow_binary(), "serve", "--listen", f"127.0.0.1:{self.port}", "--tokens", tokens,
             "--openiap-listen", f"127.0.0.1:{self.tcp_port}",
             "--grpc-listen", f"127.0.0.1:{self.grpc_port}", *extra],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while True:
            try:
                for port in (self.port, self.tcp_port, self.grpc_port):
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        pass
                break
            except OSError:
                if self.process.poll() is not None or time.time() > deadline:
                    self.log.seek(0)
                    raise SystemExit("winnow serve did not start:\n" + self.log.read())
                time.sleep(0.1)

    def publish(self, lines):
        """POSTs NDJSON events; returns the number published."""
        body = "".join(line + "\n" for line in lines).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v3/events", data=body, method="POST",
            headers={"Authorization": f"Bearer {PUBLISHER}", "Content-Type": "application/x-ndjson"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["published"]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def winnow_match(specifier, lines):
    """The lines `winnow match SPECIFIER` selects (the oracle for what a watch delivers)."""
    result = subprocess.run(
        [winnow_binary(), "match", "--", specifier], input="".join(l + "\n" for l in lines),
        capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise AssertionError(f"winnow match {specifier!r} failed: {result.stderr}")
    return [line for line in result.stdout.split("\n") if line]


_WATCHED = {}


def watched_lines(collection, paths, lines):
    key = (collection, tuple(paths), tuple(lines))
    if key not in _WATCHED:
        _WATCHED[key] = _watched_lines(collection, paths, lines)
    return _WATCHED[key]


def _watched_lines(collection, paths, lines):
    """The lines a watch of `collection` with `paths` must receive, once each, in order: the
    union of `winnow match TYPE.*.*.PATH` (SPEC section 10)."""
    escaped = collection.replace(".", "\\1").replace(",", "\\2").replace("*", "\\3")
    kind = "*" if collection in ("", "*") else escaped
    specifiers = [f"{kind}.*.*.{path}" for path in paths] or [f"{kind}.*.*"]
    selected = set()
    for specifier in specifiers:
        selected.update(winnow_match(specifier, lines))
    return [line for line in lines if line in selected]


def wait_for(predicate, timeout=10.0, interval=0.02):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


# A small runner: each test is a function; the last line is "N passed, N failed".
_TESTS = []


def test(function):
    _TESTS.append(function)
    return function


def run(name):
    passed = failed = 0
    only = os.environ.get("ONLY")
    for function in _TESTS:
        if only and only not in function.__name__:
            continue
        started = time.time()
        try:
            function()
            passed += 1
            print(f"ok   {name}.{function.__name__} ({time.time() - started:.2f}s)", flush=True)
        except BaseException as error:  # noqa: BLE001 - report every failure and go on
            if isinstance(error, KeyboardInterrupt):
                raise
            failed += 1
            print(f"FAIL {name}.{function.__name__}: {error!r}", flush=True)
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed", flush=True)
    sys.exit(1 if failed else 0)
