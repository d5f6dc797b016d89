#!/usr/bin/env bash
# Fuzzes what a peer's bytes reach: `frame` (decoding one WebSocket message) and `room`
# (frames from two editors and a viewer applied to a room, invariants checked); and what
# an uploaded map file reaches: `import` (a JSON or CSV upload read, checked and written).
#
#   fuzz/run.sh [TARGET ...]        each target for $FUZZ_SECONDS (default 600) seconds
#
# Installs what it needs, idempotently: a nightly toolchain (rustup) and cargo-fuzz.
# New corpus entries land in fuzz/corpus/TARGET (commit the minimised ones: `cargo
# +nightly fuzz cmin TARGET`); crashes in fuzz/artifacts/TARGET. tests/fuzz_corpus.rs
# replays the corpus on the stable toolchain in CI.
#
# yrs reserves memory from counts an update claims (a 53-byte frame asks for 5.8 GB
# for a JSON item's strings, another for 176 GB of client table; fuzz/findings.md),
# with `try_reserve`: the server's allocator refuses or reserves only virtual memory,
# and the decode then fails cleanly. So the fuzzers let such single allocations
# through (-malloc_limit_mb) and make ASan return null instead of aborting, as the
# real allocator does, while resident memory stays limited (-rss_limit_mb).
set -euo pipefail
export ASAN_OPTIONS="allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
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
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(frame room import)
for target in "${TARGETS[@]}"; do
  mkdir -p "corpus/$target"
  echo "fuzz: $target for ${SECONDS_EACH}s" >&2
  cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -max_len=65536 -print_final_stats=1 \
    -rss_limit_mb=4096 -malloc_limit_mb=1000000000
done
