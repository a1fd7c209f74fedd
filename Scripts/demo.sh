#!/bin/sh
# `make demo`: a few winnow commands on the sample events of Grammar/examples, each shown before
# its output. Long event lines are cut at 150 characters (marked …); winnow itself never cuts.
# Usage: Scripts/demo.sh [path/to/winnow]
BIN=${1:-.build/release/winnow}
winnow() { "$BIN" "$@"; }
cut_long() { awk '{ if (length($0) > 150) print substr($0, 1, 149) "…"; else print }'; }

while IFS= read -r command; do
  case $command in '#'*) printf '%s\n' "$command"; continue ;; esac
  printf '$ %s\n' "$command"
  (eval "$command") < /dev/null 2>&1 | cut_long
  echo
done <<'COMMANDS'
# Machines saved into the stage "complete" (Changed compares Original with Object):
winnow match 'machines.save.*.Stage=Changed(,"complete")' Grammar/examples/events.ndjson
# The jobs of one machine:
winnow match 'machine_jobs.*.3f7c2a9e-5d41-4b8a-9c0e-7d2b5e8f1a60' Grammar/examples/events.ndjson
# How many job events, and how every line was accounted for:
winnow match --count --stats 'jobs.*.*' Grammar/examples/events.ndjson
# Why does (or doesn't) a filter match an event?
winnow explain --event Grammar/examples/sample-machine-event.json 'And(Type=Eq("machines"), Stage=Changed(,"complete"), Or(Object.Locked=Eq(true), Object.Params.bar=Exists()))'
# One document, true or false (exit status 0 or 1):
winnow eval --event 'Object.Name=Re("^node-[0-9]+\\.lab$")' Grammar/examples/sample-machine-event.json
# Errors point at the problem and suggest a fix (exit status 2):
winnow check 'And(Type=Eq("machines"), Object.Stage=eq("complete"))'
COMMANDS
