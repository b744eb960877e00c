#!/usr/bin/env bash
# The broker's memory per connection and per subscriber, on the real daemon:
# for each point, a fresh blackboardd, then bench/conns/idleconns holds N
# connections (each a subscriber of CONCEPTS concepts, or only HELLO when -1),
# and the daemon's RSS is read from /proc. Writes $OUT/memory.csv.
#
# This machine caps open files at 20,000 per process (ulimit -Hn, and it
# cannot be raised here), so one daemon holds at most ~19,900 connections;
# the 100,000-subscriber figure comes from the per-connection slope measured
# here plus corebench's in-process store (core_memory.csv).
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/.build-bench/results}
PORT=${PORT:-17073}
DAEMON=${DAEMON:-$ROOT/.build/release/blackboardd}
TOOL=${TOOL:-$ROOT/.build-bench/idleconns}
POINTS=${POINTS:-"0 1000 5000 10000 19000"}
mkdir -p "$OUT"
CSV=$OUT/memory.csv
echo "kind,connections,concepts,rss_kb,hwm_kb" > "$CSV"

rss() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

measure() {  # $1 = connections, $2 = concepts per subscriber (-1 = no SUB)
    local n=$1 c=$2 kind
    kind=$([ "$c" -lt 0 ] && echo idle || echo subscriber)
    "$DAEMON" --host 127.0.0.1 --port "$PORT" --log-level warning --max-connections 20000 & local bpid=$!
    for _ in $(seq 1 100); do timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null && break; sleep 0.1; done
    if [ "$n" -gt 0 ]; then
        coproc HOLD { exec "$TOOL" "$PORT" "$n" "$c" 60; }
        local line=""
        read -r -t 90 line <&"${HOLD[0]}"
        [ "$line" = "ready $n" ] || { echo "memory.sh: idleconns failed: $line" >&2; kill "$bpid"; return 1; }
    fi
    local r h
    r=$(rss "$bpid" VmRSS); h=$(rss "$bpid" VmHWM)
    echo "$kind,$n,$c,$r,$h" | tee -a "$CSV"
    if [ "$n" -gt 0 ]; then eval "exec ${HOLD[1]}>&-"; wait "$HOLD_PID" 2>/dev/null; fi
    kill "$bpid"; wait "$bpid" 2>/dev/null
}

for n in $POINTS; do measure "$n" -1; done
for n in $POINTS; do measure "$n" 10; done
python3 - "$CSV" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for kind in ("idle", "subscriber"):
    pts = [(int(r["connections"]), int(r["rss_kb"])) for r in rows if r["kind"] == kind]
    if len(pts) < 2: continue
    n = len(pts); mx = sum(p[0] for p in pts) / n; my = sum(p[1] for p in pts) / n
    slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    base = my - slope * mx
    print(f"{kind}: {slope * 1024:,.0f} bytes per connection (least squares over {n} points), base {base / 1024:.1f} MiB;"
          f" at 100,000: {(base + slope * 100000) / 1024:,.0f} MiB")
PY
