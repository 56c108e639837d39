#!/usr/bin/env bash
# Tools no one here wrote read the OpenAPI document (openapi/bitrix24.openapi.json): a
# maintained validator (openapi-spec-validator, OpenAPI 3.1) and a well-known client
# generator (openapi-python-client), both from PyPI in a virtual environment; and, when npm is
# there, openapi-typescript from npm.
#
# Never fails CI for lack of Python, venv or network: it says why and skips (exit 0). It fails
# (exit 1) only when a tool ran and rejected the document.
set -uo pipefail
cd "$(dirname "$0")/.."

skip() { echo "openapi-check: SKIPPED: $*"; exit 0; }

DOC="${OPENAPI_DOC:-openapi/bitrix24.openapi.json}"
test -f "$DOC" || { echo "openapi-check: FAILED: $DOC is missing (cargo xtask openapi)"; exit 1; }
PY="${PYTHON:-python3}"
command -v "$PY" >/dev/null 2>&1 || skip "no $PY on PATH"
VENV="${OPENAPI_VENV:-target/openapi-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV" >/dev/null 2>&1 || skip "cannot create a virtual environment (python3-venv missing?)"
fi
timeout 300 "$VENV/bin/pip" install -q --disable-pip-version-check openapi-spec-validator openapi-python-client >/dev/null 2>&1 \
  || skip "cannot install openapi-spec-validator and openapi-python-client from PyPI (no network?)"

status=0
if out="$("$VENV/bin/openapi-spec-validator" "$DOC" 2>&1)"; then
  echo "openapi-check: openapi-spec-validator: $(echo "$out" | tail -n 1)"
else
  echo "openapi-check: FAILED: openapi-spec-validator:"; echo "$out" | tail -n 40
  status=1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# openapi-python-client writes a package; warnings about constructs it skips are printed, errors
# fail it. The package must also import.
if out="$(cd "$WORK" && "$OLDPWD/$VENV/bin/openapi-python-client" generate --path "$OLDPWD/$DOC" --meta none --output-path client 2>&1)"; then
  modules="$(find "$WORK/client" -name '*.py' | wc -l)"
  warnings="$(echo "$out" | grep -c '^WARNING' || true)"
  if (cd "$WORK" && "$OLDPWD/$VENV/bin/python" -c 'import client, client.api' 2>&1); then
    echo "openapi-check: openapi-python-client: generated $modules modules ($warnings warnings), imports"
    # What the generator left out (Python name clashes such as `DATE_FROM` and `dateFrom`).
    echo "$out" | grep '^WARNING' | sed 's/^/openapi-check:   /'
  else
    echo "openapi-check: FAILED: the generated client does not import"; status=1
  fi
else
  echo "openapi-check: FAILED: openapi-python-client:"; echo "$out" | tail -n 40
  status=1
fi

# TypeScript types from npm, when npm and the network are there.
NPM_DIR="${OPENAPI_NPM:-target/openapi-npm}"
if ! command -v npm >/dev/null 2>&1; then
  echo "openapi-check: openapi-typescript: SKIPPED: no npm on PATH"
elif ! timeout 300 npm install -s --no-audit --no-fund --prefix "$NPM_DIR" openapi-typescript@7 >/dev/null 2>&1; then
  echo "openapi-check: openapi-typescript: SKIPPED: cannot install it from npm (no network?)"
elif out="$(timeout 300 "$NPM_DIR/node_modules/.bin/openapi-typescript" "$DOC" -o "$WORK/bitrix24.d.ts" 2>&1)"; then
  echo "openapi-check: openapi-typescript: $(grep -c '^' "$WORK/bitrix24.d.ts") lines of types"
else
  echo "openapi-check: FAILED: openapi-typescript:"; echo "$out" | tail -n 40
  status=1
fi
exit $status
