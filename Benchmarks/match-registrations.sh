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
# marginal cost per event: (time with events - time without) / N. The time compared is the
# process's CPU time (user + system), which a machine shared with other work disturbs far less
# than the wall clock (also printed).
#
# Usage: Benchmarks/match-registrations.sh [N] [path/to/winnow]
# BASELINE=path/to/other/winnow also times that binary at 1,000 registrations (a peer in the
# same run, e.g. a build of main before the index served `match -f`).
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
  swift build -c release --product winnow --static-swift-stdlib >&2
fi

GEN=${GEN_EVENTS:-../shared/peers/gen_events.py}
if [ -f "$GEN" ]; then
  python3 "$GEN" -n "$N" --seed 1 -o "$WORK/events.ndjson"
else
  swift run --package-path Benchmarks -c release GenerateEvents -n "$N" --seed 1 -o "$WORK/events.ndjson" >&2
fi

python3 - "$WORK" "$BIN" "$N" "$REPEAT" "$MAX_RATIO" "${BASELINE:-}" <<'PY'
import json, resource, subprocess, sys, time
work, binary, n, repeat, max_ratio = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
baseline = sys.argv[6]
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

def timed(specifiers, input_path, binary=binary):
    """Best of `repeat` runs: (CPU seconds of the process, user + system; wall seconds; output)."""
    best_cpu = best_wall = None
    out = None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run([binary, "match", "--count", "-f", specifiers, input_path],
                             capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if run.returncode not in (0, 1):
            sys.exit(f"winnow failed ({run.returncode}): {run.stderr}")
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        best_wall = wall if best_wall is None else min(best_wall, wall)
        out = run.stdout.strip()
    return best_cpu, best_wall, out

empty = f"{work}/empty.ndjson"
open(empty, "w").close()
rows = []
for total in (1_000, 100_000):
    specifiers = write(f"specifiers-{total}", total)
    startup_cpu, startup_wall, _ = timed(specifiers, empty)
    cpu, wall, count = timed(specifiers, events)
    marginal = (cpu - startup_cpu) / n
    rows.append((total, count, marginal))
    print(f"{total:>7} registrations: {count} matches; CPU: no events {startup_cpu*1000:7.1f} ms, "
          f"{n} events {cpu*1000:7.1f} ms, {marginal*1e6:5.2f} us/event marginal; "
          f"wall: {startup_wall*1000:7.1f} ms, {wall*1000:7.1f} ms ({wall/n*1e6:5.2f} us/event)")
if baseline:
    specifiers = f"{work}/specifiers-1000.txt"
    startup_cpu, _, _ = timed(specifiers, empty, baseline)
    cpu, wall, count = timed(specifiers, events, baseline)
    print(f"baseline {baseline} at 1000 registrations: {count} matches; CPU "
          f"{(cpu - startup_cpu) / n * 1e6:5.2f} us/event marginal, wall {wall*1000:7.1f} ms")
(_, c1, m1), (_, c2, m2) = rows
if m1 <= 0 or m2 <= 0:
    sys.exit("the runs without events took longer than with them: the machine is too busy to measure")
ratio = m2 / m1
print(f"ratio 100k/1k of the CPU time per event: {ratio:.2f} (limit {max_ratio})")
if c1 != c2:
    sys.exit(f"the counts differ: {c1} vs {c2}")
if ratio > max_ratio:
    sys.exit(1)
PY
