#!/usr/bin/env bash
# Runs three Parcours nodes on one PostgreSQL behind HAProxy (sticky by map), with the
# web app: open http://127.0.0.1:8090. Ctrl-C stops everything.
#
#   scripts/cluster.sh [postgres://URL]
#
# Default database: postgres://root@127.0.0.1:5432/parcours_cluster (created if
# missing, through the local server's trust authentication). The nodes listen on
# 127.0.0.1:8091-8093 and keep their data directories under data/cluster/; they share
# one session key (data/cluster/session-key, made once), which every node of a
# cluster must. Installs HAProxy (Debian's package) if it is missing. With
# PARCOURS_REDIS_URL set (e.g. redis://127.0.0.1:6379) the nodes carry maps' updates
# and presence on Redis streams there (README, "Several nodes").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
log() { echo "cluster: $*" >&2; }

URL="${1:-${PARCOURS_DATABASE_URL:-postgres://root@127.0.0.1:5432/parcours_cluster}}"
FRONT="${PARCOURS_CLUSTER_LISTEN:-127.0.0.1:8090}"
PORTS=(8091 8092 8093)
DIR="$ROOT/data/cluster"

if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then
  log "installing haproxy"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy
fi
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"

# The default database on the local server: created when missing.
if [ -z "${1:-}" ] && [ -z "${PARCOURS_DATABASE_URL:-}" ]; then
  if ! psql -h 127.0.0.1 -U root -d postgres -tAc "select 1 from pg_database where datname = 'parcours_cluster'" | grep -q 1; then
    log "creating database parcours_cluster"
    psql -h 127.0.0.1 -U root -d postgres -c "create database parcours_cluster" >/dev/null
  fi
fi

scripts/build-client.sh
cargo build --release -p parcours-server --bin parcours
BIN="$ROOT/target/release/parcours"

mkdir -p "$DIR"
chmod 700 "$DIR"
if [ ! -s "$DIR/session-key" ]; then
  (umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n' > "$DIR/session-key")
fi
KEY="$(cat "$DIR/session-key")"

PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

NODES=()
for i in "${!PORTS[@]}"; do
  port="${PORTS[$i]}"
  NODES+=("127.0.0.1:$port")
  PARCOURS_SESSION_KEY="$KEY" "$BIN" serve --cluster --node-name "node$((i + 1))" \
    --listen "127.0.0.1:$port" --database-url "$URL" --data-dir "$DIR/node$((i + 1))" \
    --web-dir "$ROOT/client/dist" --trusted-proxies 127.0.0.1 \
    --public-url "http://$FRONT" &
  PIDS+=($!)
done
NODE_LIST="$(IFS=,; echo "${NODES[*]}")"
"$BIN" haproxy-config --listen "$FRONT" --nodes "$NODE_LIST" > "$DIR/haproxy.cfg"
"$HAPROXY" -c -q -f "$DIR/haproxy.cfg"
"$HAPROXY" -db -f "$DIR/haproxy.cfg" &
PIDS+=($!)
log "three nodes (${NODE_LIST}) behind http://$FRONT; Ctrl-C stops them"
wait -n "${PIDS[@]}"
