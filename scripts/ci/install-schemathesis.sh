#!/usr/bin/env bash
# Installs the pinned schemathesis (PyPI) that test/sidecar/schemathesis.e2e.spec.ts runs
# against a live sidecar's /openapi.json. With CI=true that test fails when it is missing.
set -euo pipefail
SCHEMATHESIS_VERSION=4.32.5
if command -v schemathesis >/dev/null 2>&1 && [ "$(schemathesis --version 2>/dev/null | awk '{print $NF}')" = "$SCHEMATHESIS_VERSION" ]; then
  exit 0
fi
PYTHON=${PYTHON:-python3}
# A virtualenv keeps it clear of the system's packages (Debian marks them externally managed).
VENV=${SCHEMATHESIS_VENV:-/opt/schemathesis}
if ! command -v "$PYTHON" >/dev/null 2>&1 || ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
  # Debian's python3 comes without venv (ensurepip) and pip
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3 python3-venv python3-pip >/dev/null
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
ln -sf "$VENV/bin/schemathesis" /usr/local/bin/schemathesis
schemathesis --version
