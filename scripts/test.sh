#!/usr/bin/env bash
# Runs every Parcours test, installing what the tests need first (idempotent):
# the local PostgreSQL started if it is down, the web app built for wasm (target,
# wasm-bindgen CLI, wasm-opt), the Node packages of the Yjs interop peer, Debian's
# Chromium and playwright-core for the browser tests. Then format and lint checks, then
# `cargo test` over the whole workspace: unit tests, the storage contract on SQLite and
# PostgreSQL, live sync with real clients, durability (restart and SIGKILL), hostile
# input, REST, Yjs interop, access rules, and the web app in a real browser: sharing and
# the live board with its performance figures (screenshots in artifacts/browser/ and
# artifacts/board/).
#
# Under CI=true the PostgreSQL tests fail (never skip) when PostgreSQL is unreachable.
# PARCOURS_TEST_PG overrides the PostgreSQL admin URL the tests create databases with.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
log() { echo "test: $*" >&2; }

# 1. PostgreSQL on 127.0.0.1:5432.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    log "starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p 5432 || log "PostgreSQL is not reachable; its tests will fail under CI=true"
fi

# 2. The web app (also proves the client compiles for wasm; prints the bundle size).
scripts/build-client.sh

# 3. The Yjs interop peer's packages.
if [ ! -d tests/yjs/node_modules/yjs ] || [ tests/yjs/package-lock.json -nt tests/yjs/node_modules/.package-lock.json ]; then
  log "installing tests/yjs packages"
  (cd tests/yjs && npm ci --no-audit --no-fund)
fi

# 4. The browser tests: Debian's Chromium (playwright never downloads a browser) and
#    the playwright-core package that drives it.
if [ ! -x /usr/bin/chromium ]; then
  log "installing Chromium (Debian package)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
# Firefox too (Debian's firefox-esr, driven over Marionette from Python).
if [ ! -x /usr/bin/firefox-esr ]; then
  log "installing Firefox ESR (Debian package)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr
fi
if ! python3 -c "import marionette_driver" 2>/dev/null; then
  log "installing marionette-driver (PyPI)"
  python3 -m pip install -q marionette-driver
fi
# The security tests deliver invitation and verification mail to a real SMTP server.
if ! python3 -c "import aiosmtpd" 2>/dev/null; then
  log "installing aiosmtpd (PyPI)"
  python3 -m pip install -q aiosmtpd
fi
# The evidence tests check their counts against pm4py's on the same log.
if ! python3 -c "import pm4py" 2>/dev/null; then
  log "installing pm4py (PyPI)"
  python3 -m pip install -q pm4py
fi
# The OpenAPI test validates /api/openapi.json with a standard validator.
if ! python3 -c "import openapi_spec_validator" 2>/dev/null; then
  log "installing openapi-spec-validator (PyPI)"
  python3 -m pip install -q openapi-spec-validator
fi
# The export tests read PDFs back with pdftotext, pdfinfo and pdffonts.
if ! command -v pdftotext >/dev/null || ! command -v pdffonts >/dev/null; then
  log "installing poppler-utils (Debian package)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils
fi
# The cluster tests put HAProxy in front of three nodes.
if [ ! -x /usr/sbin/haproxy ] && ! command -v haproxy >/dev/null; then
  log "installing haproxy (Debian package)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy
fi
# The cluster tests on Redis streams start Redis servers of their own.
if ! command -v redis-server >/dev/null; then
  log "installing redis-server (Debian package)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  log "installing tests/browser packages"
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# 5. Format and lint.
log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

# 6. Everything.
log "cargo test"
cargo test --workspace
