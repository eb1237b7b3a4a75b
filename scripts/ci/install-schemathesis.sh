#!/usr/bin/env bash
# Installs the pinned schemathesis (PyPI) that test/sidecar/schemathesis.e2e.spec.ts runs
# against a live sidecar's /openapi.json. With CI=true that test fails when it is missing.
set -euo pipefail
SCHEMATHESIS_VERSION=4.32.5
if command -v schemathesis >/dev/null 2>&1 && [ "$(schemathesis --version 2>/dev/null | awk '{print $NF}')" = "$SCHEMATHESIS_VERSION" ]; then
  exit 0
fi
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
  # Debian's python3 comes without pip
  apt-get install -y -qq --no-install-recommends python3-pip python3-venv >/dev/null
fi
# A virtualenv keeps it clear of the system's packages (Debian marks them externally managed).
VENV=${SCHEMATHESIS_VENV:-/opt/schemathesis}
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
ln -sf "$VENV/bin/schemathesis" /usr/local/bin/schemathesis
schemathesis --version
