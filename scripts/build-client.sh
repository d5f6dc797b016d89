#!/usr/bin/env bash
# Builds the Parcours web app (crate `client/`) into client/dist, which the server serves at `/`.
#
# Layout of client/dist (the server answers unknown non-API paths with index.html):
#   /index.html                     the page; loads /pkg/parcours_client.js as a module
#   /boot.js                        starts the app (a file, not inline: the CSP forbids inline scripts)
#   /style.css                      the app's stylesheet
#   /pkg/parcours_client.js         wasm-bindgen glue (ES module, `--target web`)
#   /pkg/parcours_client_bg.wasm    the app, optimised by wasm-opt -Oz
#
# Needs rustup, cargo, node 20 and npm. Installs what else it needs, where it is missing:
# the wasm32 target, wasm-bindgen-cli at the exact version in Cargo.lock (the CLI and the
# library must match), and wasm-opt from the npm package `binaryen` pinned in
# scripts/tools/package.json (not Debian's binaryen: its output breaks in the browser).
# Safe to run again: every run rebuilds client/dist from scratch.
#
# Honours CARGO_TARGET_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

readonly TARGET=wasm32-unknown-unknown
# Cargo profile from the root Cargo.toml: opt-level z, lto, panic abort.
readonly PROFILE=wasm-release
readonly PACKAGE=parcours-client
readonly CRATE=parcours_client
readonly TOOLS="$ROOT/scripts/tools"
readonly DIST="$ROOT/client/dist"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
readonly TARGET_DIR
readonly STAGING="$TARGET_DIR/client-dist-staging"
# Wasm features rustc emits for wasm32-unknown-unknown by default (bulk memory,
# sign extension, saturating float-to-int, multi-value, reference types) that wasm-opt
# must accept and keep; every current browser supports them.
readonly WASM_FEATURES=(
  --enable-bulk-memory
  --enable-bulk-memory-opt
  --enable-sign-ext
  --enable-nontrapping-float-to-int
  --enable-mutable-globals
  --enable-multivalue
  --enable-reference-types
)

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

log() { echo "build-client: $*" >&2; }

# 1. The wasm target.
if ! rustup target list --installed | grep -qx "$TARGET"; then
  log "adding the $TARGET target"
  rustup target add "$TARGET"
fi

# 2. wasm-bindgen-cli at the version Cargo.lock pins for the wasm-bindgen library.
WB_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$WB_VERSION" ]; then
  log "no wasm-bindgen entry in Cargo.lock"
  exit 1
fi
wasm_bindgen_version() { wasm-bindgen --version 2>/dev/null | awk '{ print $2 }'; }
if [ "$(wasm_bindgen_version)" != "$WB_VERSION" ]; then
  # Another install of the CLI may be running (a parallel build): let it finish first.
  if command -v pgrep >/dev/null && pgrep -f "cargo install wasm-bindgen-cli" >/dev/null; then
    log "waiting for a running 'cargo install wasm-bindgen-cli' to finish"
    while pgrep -f "cargo install wasm-bindgen-cli" >/dev/null; do sleep 5; done
  fi
  if [ "$(wasm_bindgen_version)" != "$WB_VERSION" ]; then
    log "installing wasm-bindgen-cli $WB_VERSION"
    cargo install wasm-bindgen-cli --version "$WB_VERSION"
  fi
fi

# 3. wasm-opt from npm's binaryen, into scripts/tools/node_modules (gitignored).
WASM_OPT="$TOOLS/node_modules/.bin/wasm-opt"
if [ ! -x "$WASM_OPT" ] || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]; then
  log "installing wasm-opt (npm binaryen)"
  (cd "$TOOLS" && npm ci --no-audit --no-fund)
fi

# 4. The crate, for the browser.
log "cargo build ($PROFILE, $TARGET)"
cargo build -p "$PACKAGE" --lib --target "$TARGET" --profile "$PROFILE"
WASM_IN="$TARGET_DIR/$TARGET/$PROFILE/$CRATE.wasm"

# 5. JS glue. Staged next to the build, then swapped in, so client/dist is never half-written.
rm -rf "$STAGING"
mkdir -p "$STAGING/pkg"
log "wasm-bindgen $WB_VERSION"
wasm-bindgen --target web --no-typescript --out-dir "$STAGING/pkg" "$WASM_IN"

# 6. Smaller wasm.
WASM_OUT="$STAGING/pkg/${CRATE}_bg.wasm"
log "wasm-opt -Oz"
"$WASM_OPT" -Oz "${WASM_FEATURES[@]}" -o "$WASM_OUT.opt" "$WASM_OUT"
mv "$WASM_OUT.opt" "$WASM_OUT"

# 7. The page and its stylesheet.
cp client/index.html client/boot.js client/style.css "$STAGING/"
rm -rf "$DIST"
mv "$STAGING" "$DIST"

# 8. What the browser downloads.
RAW=$(wc -c <"$DIST/pkg/${CRATE}_bg.wasm")
GZ=$(gzip -9 -c "$DIST/pkg/${CRATE}_bg.wasm" | wc -c)
JS=$(wc -c <"$DIST/pkg/${CRATE}.js")
echo "wasm bundle: $RAW bytes raw, $GZ bytes gzipped (glue js: $JS bytes); output in client/dist"
