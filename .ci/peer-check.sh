#!/usr/bin/env bash
# A client no one here wrote talks to bitrix24-mock: install fast_bitrix24 from PyPI in a
# virtual environment, start the mock binary, run a full list and a batch of gets, and check
# that every item arrives exactly once.
#
# Never fails CI for lack of Python, venv or network: it says why and skips (exit 0). It fails
# (exit 1) only when the peer ran and the mock answered it wrongly.
set -uo pipefail
cd "$(dirname "$0")/.."

skip() { echo "peer-check: SKIPPED: $*"; exit 0; }

PY="${PYTHON:-python3}"
command -v "$PY" >/dev/null 2>&1 || skip "no $PY on PATH"
VENV="${PEER_VENV:-target/peer-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PY" -m venv "$VENV" >/dev/null 2>&1; then
    # Debian images ship python3 without ensurepip; install it when we may, else skip.
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      timeout 120 apt-get install -y -qq python3-venv >/dev/null 2>&1 || skip "python3-venv missing and could not be installed"
      "$PY" -m venv "$VENV" >/dev/null 2>&1 || skip "cannot create a virtual environment"
    else
      skip "python3-venv missing (apt-get python3-venv)"
    fi
  fi
fi
timeout 180 "$VENV/bin/pip" install -q --disable-pip-version-check fast_bitrix24 >/dev/null 2>&1 \
  || skip "cannot install fast_bitrix24 from PyPI (no network?)"

cargo build -q -p bitrix24-mock --bin bitrix24-mock || { echo "peer-check: mock does not build"; exit 1; }
N=3000
OUT="$(mktemp)"
target/debug/bitrix24-mock --port 0 --deals "$N" >"$OUT" 2>&1 &
MOCK=$!
trap 'kill "$MOCK" 2>/dev/null; rm -f "$OUT"' EXIT
for _ in $(seq 1 300); do grep -q webhook "$OUT" && break; sleep 0.1; done
HOOK="$("$VENV/bin/python" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["webhook"])' "$OUT")" \
  || { echo "peer-check: mock did not start"; cat "$OUT"; exit 1; }

status=0
for workload in "list $N" "gets 1000"; do
  # shellcheck disable=SC2086
  if line="$(timeout 120 "$VENV/bin/python" .ci/peer/fast_b24_workload.py "$HOOK" $workload 2>&1 | tail -n 1)" \
     && echo "$line" | grep -q '"ok": true'; then
    echo "peer-check: fast_bitrix24 $workload: $line"
  else
    echo "peer-check: FAILED: fast_bitrix24 $workload: $line"
    status=1
  fi
done
exit $status
