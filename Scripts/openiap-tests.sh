#!/bin/sh
# Runs the OpenIAP/OpenFlow client tests (Tests/OpenIAPClient) against the built `winnow`:
# the real OpenIAP Python client and scripted OpenFlow and raw-socket clients. Creates the
# pinned virtual environment they need when it is missing (OPENIAP_VENV, default
# /opt/openiap-venv): openiap 0.0.37 needs websockets 13.1 (its websocket transport reads the
# `.open` attribute that websockets 14 removed).
set -eu
cd "$(dirname "$0")/.."
venv="${OPENIAP_VENV:-/opt/openiap-venv}"
pins="openiap==0.0.37 websockets==13.1 websocket-client==1.9.2 grpcio==1.85.3 protobuf==7.36.2"
check='import openiap, websocket, grpc, websockets, sys; sys.exit(websockets.__version__ != "13.1")'
if ! "$venv/bin/python" -c "$check" 2>/dev/null; then
  echo "creating $venv ($pins)"
  python3 -m venv "$venv" 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    rm -rf "$venv" && python3 -m venv "$venv"
  }
  "$venv/bin/pip" install -q --disable-pip-version-check $pins
fi
export WINNOW="${WINNOW:-$PWD/.build/debug/winnow}"
status=0
for script in Tests/OpenIAPClient/test_*.py; do
  echo "== $script"
  (cd Tests/OpenIAPClient && timeout 600 "$venv/bin/python" "$(basename "$script")") || status=1
done
exit $status
