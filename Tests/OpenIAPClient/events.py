"""Sample DRP events for the front-end tests: each a compact JSON line."""
import json


def _event(kind, action, key, obj, **extra):
    event = {"Time": "2026-11-28T12:00:00Z", "Type": kind, "Action": action, "Key": key,
             "Principal": "user:rocketskates", "Object": obj}
    event.update(extra)
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


EVENTS = [
    _event("machines", "create", "m1", {"Name": "alpha", "Runnable": True, "Address": "10.0.0.1"}),
    _event("machines", "update", "m1", {"Name": "alpha", "Runnable": False},
           Original={"Name": "alpha", "Runnable": True}),
    _event("machines", "delete", "m2", {"Name": "beta", "Runnable": True}),
    _event("profiles", "save", "global", {"Name": "global", "Params": {"foo": "bar"}}),
    _event("profiles", "save", "other", {"Name": "other", "Params": {}}),
    _event("jobs", "create", "j1", {"Machine": "m1", "State": "created"}),
    _event("jobs", "update", "j1", {"Machine": "m1", "State": "failed"}),
    _event("jobs", "update", "j2", {"Machine": "m2", "State": "incomplete"}),
    _event("params", "create", "p1", {"Name": "p1", "Schema": {"type": "string"}}),
    _event("machines", "save", "m3", {"Name": "gämma \"quoted\" ✓", "Runnable": True}),
    _event("my.coll", "create", "k", {"Name": "dotted"}),
]

# (collection, paths): the watches the tests open, with Winnow filters as paths.
WATCHES = [
    ("machines", []),
    ("", ["Object.Runnable=Eq(true)", 'Action=Eq("delete")']),
    ("jobs", ['Object.State=In("failed","incomplete")']),
    ("*", ['And(Type=Eq("profiles"),Object.Params.foo=Exists())', 'Key=Re("^m[13]$")']),
    ("my.coll", []),
]
