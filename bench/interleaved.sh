#!/usr/bin/env bash
# Ratios measured in one sitting: the machine here is a shared 2-core VM whose
# speed drifts by 2x over minutes, so broker-after-broker runs (run_peers.sh,
# then e2e.sh) can compare different phases. This script keeps every broker
# running and alternates them run by run, workload by workload, so each
# comparison is between neighbouring runs. Writes $OUT/interleaved.jsonl.
#
#   bench/interleaved.sh                        # W1 W2 W3 W4 W6, 3 rounds
#   WORKLOADS="W1 W5" ROUNDS=5 bench/interleaved.sh
#
# Needs nats-server and redis-server (run_peers.sh installs them) and the
# loadgen and daemon that bench/run.sh builds. Loopback only; every broker is
# stopped by PID on exit. Mosquitto is left out: it is 10-30x behind on every
# throughput workload here, and its runs take minutes.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/.build-bench/results}
ROUNDS=${ROUNDS:-3}
WORKLOADS=${WORKLOADS:-"W1 W2 W3 W4 W6"}
DAEMON=${DAEMON:-$ROOT/.build/release/blackboardd}
LOADGEN=${LOADGEN:-$ROOT/.build-bench/loadgen}
BB_PORT=17076 NATS_PORT=14223 REDIS_PORT=16380
mkdir -p "$OUT/interleaved"
RAW=$OUT/interleaved.jsonl
: > "$RAW"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

wait_port() { for _ in $(seq 1 100); do timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

"$DAEMON" --host 127.0.0.1 --port $BB_PORT --log-level warning --max-pending 1073741824 \
    > "$OUT/interleaved/blackboard.log" 2>&1 & BB=$!; PIDS+=($BB)
printf 'listen: 127.0.0.1:%s\nmax_payload: 1MB\nmax_pending: 1GB\nwrite_deadline: "10s"\n' $NATS_PORT > "$OUT/interleaved/nats.conf"
nats-server -c "$OUT/interleaved/nats.conf" -l "$OUT/interleaved/nats.log" & NATS=$!; PIDS+=($NATS)
redis-server --port $REDIS_PORT --bind 127.0.0.1 --protected-mode yes --save '' --appendonly no \
    --daemonize no --dir "$OUT/interleaved" --logfile "$OUT/interleaved/redis.log" \
    --client-output-buffer-limit 'pubsub 0 0 0' & REDIS=$!; PIDS+=($REDIS)
for p in $BB_PORT $NATS_PORT $REDIS_PORT; do wait_port $p || { echo "a broker did not start on $p" >&2; exit 1; }; done

wl_args() {  # as in run_peers.sh and e2e.sh
    case $1 in
    W1) echo "--pubs 3 --subs 3 --size 100 --msgs 1000000" ;;
    W2) echo "--pubs 1 --subs 10 --size 100 --msgs 1000000" ;;
    W3) echo "--pubs 10 --subs 1 --size 100 --msgs 1000000" ;;
    W4) echo "--pubs 1 --subs 1 --size 65536 --msgs 50000" ;;
    W5) echo "--pubs 1 --subs 1 --size 100 --rate 10000 --duration 10" ;;
    W6) echo "--pubs 4 --subs 8 --size 100 --msgs 250000 --layout split --topics 16 --sub-topics 4" ;;
    esac
}

for w in $WORKLOADS; do
    for r in $(seq 1 "$ROUNDS"); do
        for b in blackboard nats redis; do
            case $b in
            blackboard) proto=blackboard port=$BB_PORT pid=$BB ;;
            nats) proto=nats port=$NATS_PORT pid=$NATS ;;
            redis) proto=redis port=$REDIS_PORT pid=$REDIS ;;
            esac
            out=$OUT/interleaved/$b.$w.$r.txt
            timeout 180 "$LOADGEN" --proto $proto --port $port $(wl_args "$w") --timeout 120 --server-pid $pid \
                --label "$b/$w/$r" > "$out" 2>&1
            res=$(grep '^RESULT ' "$out" | sed 's/^RESULT //')
            [ -n "$res" ] || res="{\"label\":\"$b/$w/$r\",\"status\":\"noresult\"}"
            echo "$res" | python3 -c "
import json,sys
d=json.load(sys.stdin); d.update(broker='$b', workload='$w', run=$r, attempt=1, noisy=0)
print(json.dumps(d))" >> "$RAW"
            printf '%s %-10s %s run %s: %s\n' "$(date +%T)" "$b" "$w" "$r" \
                "$(grep -E 'delivered:' "$out" | sed 's/^ *//' | cut -c1-90)"
        done
    done
done
python3 - "$RAW" <<'PY'
import json, statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    d = json.loads(line)
    runs[(d["workload"], d["broker"])].append(d)
print("\nmedians, interleaved (delivered msg/s; W4 MB/s; W5 p99 us) and blackboard / best peer")
for w in dict.fromkeys(k[0] for k in runs):
    metric, better = ("mb_s", max) if w == "W4" else (("lat_p99_us", min) if w == "W5" else ("del_rate", max))
    med = {b: statistics.median(x.get(metric, 0) for x in runs[(w, b)]) for (ww, b) in runs if ww == w}
    peers = {b: v for b, v in med.items() if b != "blackboard"}
    best = better(peers, key=peers.get)
    ratio = med["blackboard"] / peers[best] if metric != "lat_p99_us" else peers[best] / med["blackboard"]
    print(f"{w}: " + ", ".join(f"{b} {v:,.0f}" for b, v in med.items()) + f"  -> {ratio:.2f}x best peer ({best})")
PY
