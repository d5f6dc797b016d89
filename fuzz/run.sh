#!/usr/bin/env bash
# Fuzzes what a peer's bytes reach: `frame` (decoding one WebSocket message) and `room`
# (frames from two editors and a viewer applied to a room, invariants checked).
#
#   fuzz/run.sh [TARGET ...]        each target for $FUZZ_SECONDS (default 600) seconds
#
# Installs what it needs, idempotently: a nightly toolchain (rustup) and cargo-fuzz.
# New corpus entries land in fuzz/corpus/TARGET (commit the minimised ones: `cargo
# +nightly fuzz cmin TARGET`); crashes in fuzz/artifacts/TARGET. tests/fuzz_corpus.rs
# replays the corpus on the stable toolchain in CI.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz
fi
SECONDS_EACH="${FUZZ_SECONDS:-600}"
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(frame room)
for target in "${TARGETS[@]}"; do
  mkdir -p "corpus/$target"
  echo "fuzz: $target for ${SECONDS_EACH}s" >&2
  cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=65536 -print_final_stats=1
done
