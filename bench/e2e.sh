#!/usr/bin/env bash
# End-to-end workloads W1..W7 against the real blackboardd, over loopback, with
# peerbench's load generator (bench/loadgen/build.sh adds our protocol to it).
# The workload arguments are those of ../shared/peerbench/run_peers.sh, so the
# numbers sit beside the peers' measured the same way.
#
#   bench/e2e.sh                         # all workloads, 3 runs each
#   WORKLOADS="W1 W5" RUNS=1 bench/e2e.sh
#   BROKER_ARGS="--config auth.conf" bench/e2e.sh   # extra daemon arguments (e.g. auth on)
#
# Writes $OUT/raw.jsonl (one loadgen RESULT per run, plus broker/workload/run)
# and per-run logs. Bounded: every run has loadgen's --timeout and an outer
# `timeout`; the daemon is started here, on loopback, and stopped by PID.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
OUT=${OUT:-$ROOT/.build-bench/results}
WORKLOADS=${WORKLOADS:-"W1 W1s W2 W3 W4 W5 W6 W7 L100 L1K L10K L100K L1M"}
PORT=${PORT:-17070}
LG_TIMEOUT=${LG_TIMEOUT:-120}
DAEMON=${DAEMON:-$ROOT/.build/release/blackboardd}
LOADGEN=${LOADGEN:-$ROOT/.build-bench/loadgen}
QUIET_BUSY_PCT=${QUIET_BUSY_PCT:-15}
QUIET_MAX_WAIT=${QUIET_MAX_WAIT:-60}
NOISY_RETRIES=${NOISY_RETRIES:-2}

mkdir -p "$OUT/blackboard"
RAW=$OUT/raw.jsonl
LOG=$OUT/run.log
[ -x "$DAEMON" ] || { echo "e2e.sh: no daemon at $DAEMON (make release)" >&2; exit 2; }
[ -x "$LOADGEN" ] || { echo "e2e.sh: no loadgen at $LOADGEN (bench/loadgen/build.sh)" >&2; exit 2; }

BPID=""
stop_broker() {
    [ -n "$BPID" ] || return 0
    kill "$BPID" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$BPID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$BPID" 2>/dev/null
    wait "$BPID" 2>/dev/null
    BPID=""
}
trap stop_broker EXIT
trap 'stop_broker; exit 130' INT TERM

start_broker() {  # $1 = log file
    # Generous pending limit, as run_peers.sh gives the peers: loadgen's window
    # keeps real buffering far below it, and the broker is not the one to drop.
    # shellcheck disable=SC2086 # BROKER_ARGS is split into words on purpose
    "$DAEMON" --host 127.0.0.1 --port "$PORT" --log-level notice --max-pending 1073741824 ${BROKER_ARGS:-} > "$1" 2>&1 & BPID=$!
    for _ in $(seq 1 100); do
        if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "blackboardd did not start" | tee -a "$LOG"; stop_broker; return 1
}

busy_pct() {  # machine busy % over $1 seconds (100 = every core busy)
    local a b
    a=$(head -1 /proc/stat); sleep "$1"; b=$(head -1 /proc/stat)
    echo "$a $b" | awk '{b1=$2+$3+$4+$7+$8+$9; i1=$5+$6; b2=$13+$14+$15+$18+$19+$20; i2=$16+$17;
                          d=(b2-b1)+(i2-i1); if (d<=0) print 0; else printf "%d\n", 100*(b2-b1)/d}'
}
wait_quiet() {
    local t0=$SECONDS p
    while :; do
        p=$(busy_pct 1)
        [ "$p" -lt "$QUIET_BUSY_PCT" ] && return 0
        [ $((SECONDS - t0)) -ge "$QUIET_MAX_WAIT" ] && { echo "  machine still ${p}% busy; running anyway" | tee -a "$LOG"; return 0; }
        sleep 2
    done
}

# W1-W6 as in run_peers.sh. W7, the blackboard's own case: 3 publishers send
# messages of 20 pairs, 10 subscribers each want a different 4 of the 20
# concepts, so every message is separated (see bench/loadgen/blackboard_proto.c).
wl_args() {
    case $1 in
    W1)  echo "--pubs 3 --subs 3 --size 100 --msgs 1000000" ;;
    W1s) echo "--pubs 3 --subs 3 --size 100 --msgs 1000" ;;
    W2)  echo "--pubs 1 --subs 10 --size 100 --msgs 1000000" ;;
    W3)  echo "--pubs 10 --subs 1 --size 100 --msgs 1000000" ;;
    W4)  echo "--pubs 1 --subs 1 --size 65536 --msgs 50000" ;;
    W5)  echo "--pubs 1 --subs 1 --size 100 --rate 10000 --duration 10" ;;
    W6)  echo "--pubs 4 --subs 8 --size 100 --msgs 250000 --layout split --topics 16 --sub-topics 4" ;;
    W7)  echo "--pubs 3 --subs 10 --size 100 --msgs 200000" ;;
    W1f) echo "--pubs 3 --subs 3 --size 100 --msgs 1000000 --window 0" ;;
    # Figure 11 of the paper: latency against message size, 1 x 1 at 200 msg/s.
    L100)  echo "--pubs 1 --subs 1 --size 100 --rate 200 --duration 5" ;;
    L1K)   echo "--pubs 1 --subs 1 --size 1000 --rate 200 --duration 5" ;;
    L10K)  echo "--pubs 1 --subs 1 --size 10000 --rate 200 --duration 5" ;;
    L100K) echo "--pubs 1 --subs 1 --size 100000 --rate 200 --duration 5" ;;
    L1M)   echo "--pubs 1 --subs 1 --size 1000000 --rate 200 --duration 5" ;;
    esac
}
wl_env() { case $1 in W7) echo "BB_PAIRS=20 BB_WANT=4" ;; *) echo "" ;; esac; }

echo "# e2e.sh started $(date -Is) $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)" >> "$LOG"
for w in $WORKLOADS; do
    blog=$OUT/blackboard/$w.broker.log
    start_broker "$blog" || continue
    for r in $(seq 1 "$RUNS"); do
        attempt=0
        while :; do
            attempt=$((attempt + 1))
            wait_quiet
            out=$OUT/blackboard/$w.run$r.try$attempt.txt
            cmd="$LOADGEN --proto blackboard --port $PORT $(wl_args "$w") --timeout $LG_TIMEOUT --server-pid $BPID --label blackboard/$w/$r"
            echo "$(date +%T) $(wl_env "$w") $cmd" | tee -a "$LOG"
            env $(wl_env "$w") timeout $((LG_TIMEOUT + 60)) $cmd > "$out" 2>&1
            rc=$?
            rss=$(ps -o rss= -p "$BPID" 2>/dev/null | tr -d ' ')
            res=$(grep '^RESULT ' "$out" | sed 's/^RESULT //')
            grep -E 'status|delivered:|latency|cpu:|machine:' "$out" | sed 's/^/    /' | tee -a "$LOG"
            [ -n "$res" ] || res="{\"label\":\"blackboard/$w/$r\",\"status\":\"noresult\"}"
            noisy=$(echo "$res" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(1 if d.get("other_cpu_s",0) > 0.10*max(d.get("wall_s",1),0.5) else 0)')
            echo "$res" | python3 -c "
import json,sys
d=json.load(sys.stdin)
d.update(broker='blackboard', workload='$w', run=$r, attempt=$attempt, rc=$rc, rss_after_kb=int('${rss:-0}' or 0), noisy=$noisy)
print(json.dumps(d))" >> "$RAW"
            if [ "$noisy" = 1 ] && [ "$attempt" -le "$NOISY_RETRIES" ]; then
                echo "    noisy (other processes busy) -> retry" | tee -a "$LOG"
                continue
            fi
            break
        done
    done
    stop_broker
    n=$(grep -ciE 'slow consumer' "$blog" 2>/dev/null)
    echo "blackboard $w broker-reported-drop-lines=${n:-0}" >> "$OUT/broker_drops.txt"
done
echo "raw results: $RAW"
