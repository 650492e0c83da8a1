#!/usr/bin/env bash
# Creates/updates the shared benchmark venv (.bench/venv in the repo root) and
# installs the Bytewax peer's pinned requirements. Idempotent: a stamp file
# holding the installed requirements makes a repeat run a no-op.
set -euo pipefail
cd "$(dirname "$0")/../../.."

VENV=.bench/venv
REQ=bench/peers/bytewax/requirements.txt
STAMP=$VENV/.requirements-bytewax.txt

if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p .bench
  python3 -m venv "$VENV"
fi
if [ -f "$STAMP" ] && cmp -s "$REQ" "$STAMP"; then
  echo "bytewax peer: requirements already installed in $VENV"
  exit 0
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
cp "$REQ" "$STAMP"
echo "bytewax peer: installed $(grep -m1 '^bytewax' "$REQ") into $VENV"
