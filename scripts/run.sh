#!/usr/bin/env bash
# Builds the web app and runs Parcours on the embedded SQLite default
# (http://127.0.0.1:8080, data in ./data). Extra arguments go to `parcours serve`,
# e.g. `scripts/run.sh --listen 0.0.0.0:8080`; PARCOURS_* variables work too.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/build-client.sh
# Two malloc arenas instead of glibc's default of eight per core: the same speed, and
# memory that grows least over hours of editing (docs/PERFORMANCE.md, "Soak").
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=2}"
exec cargo run --release -p parcours-server --bin parcours -- serve --web-dir "$ROOT/client/dist" "$@"
