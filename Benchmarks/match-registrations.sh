#!/usr/bin/env bash
# `winnow match --count -f` with 1,000 and 100,000 registrations over the same events: the cost
# per event must stay flat (issue 18: at most 1.5x at 100k what it is at 1k).
#
# The events are N (default 50,000) generated DRP events (shared/peers/gen_events.py, or the
# Swift port in Benchmarks/Sources/GenerateEvents). The specifier files mix five forms in equal
# shares: machines.*.UUID, machine_jobs.*.UUID, profiles.save,update.NAME,
# machines.save.UUID.Object.Stage=Changed() and *.*.*.Object.Uuid=Eq("UUID"). The 1,000-line
# file names entities of the stream (200 per form, object UUIDs making up for missing profiles); the 100,000-line file holds the same 1,000
# plus 99,000 of the same forms for entities no event mentions, so both match the same events
# and the difference is the engine's. Each run is timed best of REPEAT (default 3), and so is
# a run over no events (reading, parsing and indexing the specifiers), which gives the
# marginal cost per event: (time with events - time without) / N.
#
# Usage: Benchmarks/match-registrations.sh [N] [path/to/winnow]
# Exits 1 when the counts differ or the ratio of marginal costs exceeds MAX_RATIO (1.5).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-50000}
BIN=${2:-.build/release/winnow}
REPEAT=${REPEAT:-3}
MAX_RATIO=${MAX_RATIO:-1.5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ ! -x "$BIN" ]; then
  swift build -c release --product winnow >&2
fi

GEN=${GEN_EVENTS:-../shared/peers/gen_events.py}
if [ -f "$GEN" ]; then
  python3 "$GEN" -n "$N" --seed 1 -o "$WORK/events.ndjson"
else
  swift run --package-path Benchmarks -c release GenerateEvents -n "$N" --seed 1 -o "$WORK/events.ndjson" >&2
fi

python3 - "$WORK" "$BIN" "$N" "$REPEAT" "$MAX_RATIO" <<'PY'
import json, subprocess, sys, time
work, binary, n, repeat, max_ratio = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
events = f"{work}/events.ndjson"

def escape(value):
    return value.replace(".", "\\1").replace(",", "\\2").replace("*", "\\3")

# Entities of the stream, in order of first appearance.
machines, job_machines, profiles, uuids = [], [], [], []
def note(values, value):
    if isinstance(value, str) and value and value not in seen[id(values)]:
        seen[id(values)].add(value)
        values.append(value)
seen = {id(v): set() for v in (machines, job_machines, profiles, uuids)}
with open(events) as f:
    for line in f:
        event = json.loads(line)
        obj = event.get("Object") if isinstance(event.get("Object"), dict) else {}
        if event.get("Type") == "machines": note(machines, event.get("Key"))
        if event.get("Type") == "jobs": note(job_machines, obj.get("Machine"))
        if event.get("Type") == "profiles": note(profiles, event.get("Key"))
        note(uuids, obj.get("Uuid"))

forms = [
    lambda m: f"machines.*.{escape(m)}",
    lambda m: f"machine_jobs.*.{escape(m)}",
    lambda p: f"profiles.save,update.{escape(p)}",
    lambda m: f"machines.save.{escape(m)}.Object.Stage=Changed()",
    lambda u: f'*.*.*.Object.Uuid=Eq({json.dumps(u)})',
]
hot_sources = [machines, job_machines, profiles, machines, uuids]
hot = []
for form, source in zip(forms, hot_sources):
    hot += [form(value) for value in source[:200]]
# Fewer than 200 profiles in a short stream: more object UUIDs make up the 1,000.
hot += [forms[4](value) for value in uuids[200:200 + 1_000 - len(hot)]]
assert len(hot) == 1_000, f"only {len(hot)} entities in the stream"

def cold(i):
    uuid = f"c01d0000-0000-4000-8000-{i:012x}"
    return forms[i % 5](f"cold-profile-{i}" if i % 5 == 2 else uuid)

def write(name, total):
    path = f"{work}/{name}.txt"
    with open(path, "w") as f:
        f.write("\n".join(hot + [cold(i) for i in range(total - len(hot))]) + "\n")
    return path

def timed(specifiers, input_path):
    best, out = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        run = subprocess.run([binary, "match", "--count", "-f", specifiers, input_path],
                             capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if run.returncode not in (0, 1):
            sys.exit(f"winnow failed ({run.returncode}): {run.stderr}")
        best = elapsed if best is None else min(best, elapsed)
        out = run.stdout.strip()
    return best, out

empty = f"{work}/empty.ndjson"
open(empty, "w").close()
rows = []
for total in (1_000, 100_000):
    specifiers = write(f"specifiers-{total}", total)
    startup, _ = timed(specifiers, empty)
    elapsed, count = timed(specifiers, events)
    marginal = (elapsed - startup) / n
    rows.append((total, count, startup, elapsed, marginal))
    print(f"{total:>7} registrations: {count} matches; no events {startup*1000:7.1f} ms, "
          f"{n} events {elapsed*1000:7.1f} ms; {elapsed/n*1e6:6.2f} us/event total, "
          f"{marginal*1e6:6.2f} us/event marginal")
(_, c1, _, _, m1), (_, c2, _, _, m2) = rows
if m1 <= 0 or m2 <= 0:
    sys.exit("the runs without events took longer than with them: the machine is too busy to measure")
ratio = m2 / m1
print(f"ratio 100k/1k per event (marginal): {ratio:.2f} (limit {max_ratio})")
if c1 != c2:
    sys.exit(f"the counts differ: {c1} vs {c2}")
if ratio > max_ratio:
    sys.exit(1)
PY
