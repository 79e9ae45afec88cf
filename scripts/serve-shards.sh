#!/usr/bin/env bash
# Serves each shard of a Cari sharded index with its own xapian-tcpsrv
# (read-only) on one host, for tests and demos, and writes a Xapian stub file
# with one "remote HOST:PORT" line a shard, which cari-search opens as one index.
#
#   scripts/serve-shards.sh start INDEX STUB [BASE_PORT]   # ports BASE_PORT+K (default: free ports)
#   scripts/serve-shards.sh stop STUB
#   scripts/serve-shards.sh status STUB
#
# Environment: CARI_SERVE_HOST (default 127.0.0.1: loopback only),
# CARI_SERVE_TIMEOUT_MS (xapian-tcpsrv --active-timeout, default 15000),
# CARI_SERVE_IDLE_MS (--idle-timeout, default 60000).
# Each server runs in its own process group (setsid), recorded in STUB.pids;
# stop ends each group (the server and the children serving open
# connections), TERM first, KILL after 5 s.
set -euo pipefail

die() { echo "serve-shards: $*" >&2; exit 2; }
HOST=${CARI_SERVE_HOST:-127.0.0.1}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Whether a process group still has a live (not zombie) process.
group_alive() { ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ {found = 1} END {exit !found}'; }

stop() {
    local stub=$1 pids="$1.pids"
    [[ -f $pids ]] || { echo "serve-shards: no servers recorded in $pids"; return 0; }
    while read -r pgid port; do
        kill -TERM -- "-$pgid" 2>/dev/null || true
        for _ in $(seq 50); do group_alive "$pgid" || break; sleep 0.1; done
        kill -KILL -- "-$pgid" 2>/dev/null || true
        echo "stopped xapian-tcpsrv on port $port (process group $pgid)"
    done <"$pids"
    rm -f "$pids"
}

case ${1:-} in
start)
    [[ $# -ge 3 ]] || die "usage: $0 start INDEX STUB [BASE_PORT]"
    index=${2%/} stub=$3 base=${4:-}
    command -v xapian-tcpsrv >/dev/null || die "xapian-tcpsrv not found (Debian package xapian-tools)"
    [[ -f $index/XAPIANDB ]] || die "$index is not a sharded index (no $index/XAPIANDB; build one with 'cari-index build --shards N')"
    [[ ! -f $stub.pids ]] || die "servers already recorded in $stub.pids: stop them first ($0 stop $stub)"
    shards=()
    while read -r kind path; do
        [[ -z $kind || $kind == \#* ]] && continue
        [[ $kind == auto ]] || die "$index/XAPIANDB: unexpected line '$kind $path'"
        shards+=("$index/$path")
    done <"$index/XAPIANDB"
    : >"$stub.pids"
    lines=""
    for k in "${!shards[@]}"; do
        if [[ -n $base ]]; then port=$((base + k)); else port=$(free_port); fi
        setsid xapian-tcpsrv --quiet --interface "$HOST" --port "$port" \
            --active-timeout "${CARI_SERVE_TIMEOUT_MS:-15000}" --idle-timeout "${CARI_SERVE_IDLE_MS:-60000}" \
            "${shards[$k]}" </dev/null >>"$stub.log" 2>&1 &
        pid=$!
        echo "$pid $port" >>"$stub.pids"
        for _ in $(seq 100); do port_open "$HOST" "$port" && break; sleep 0.05; done
        if ! port_open "$HOST" "$port"; then
            stop "$stub"
            die "xapian-tcpsrv for ${shards[$k]} did not start on $HOST:$port (see $stub.log)"
        fi
        echo "serving ${shards[$k]} on $HOST:$port (process group $pid)"
        lines+="remote $HOST:$port"$'\n'
    done
    printf '# %s served by xapian-tcpsrv (scripts/serve-shards.sh)\n%s' "$index" "$lines" >"$stub.tmp"
    mv "$stub.tmp" "$stub"
    echo "stub file: $stub (cari-search --db $stub QUERY)"
    ;;
stop)
    [[ $# -eq 2 ]] || die "usage: $0 stop STUB"
    stop "$2"
    ;;
status)
    [[ $# -eq 2 ]] || die "usage: $0 status STUB"
    [[ -f $2.pids ]] || die "no servers recorded in $2.pids"
    rc=0
    while read -r pgid port; do
        if port_open "$HOST" "$port"; then echo "port $port: up"; else echo "port $port: DOWN"; rc=1; fi
    done <"$2.pids"
    exit $rc
    ;;
*)
    die "usage: $0 start INDEX STUB [BASE_PORT] | stop STUB | status STUB"
    ;;
esac
