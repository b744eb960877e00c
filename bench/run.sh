#!/usr/bin/env bash
# `make bench`: every benchmark, then the tables, CSV files and plots.
#
#   1. corebench: the core in process (subscribe, separation, churn, memory)
#   2. e2e.sh: W1-W7 and the latency-vs-size points against blackboardd
#   3. memory.sh: the daemon's memory per connection and per subscriber
#   4. run_peers.sh (../shared/peerbench): nats-server, Redis, Mosquitto, same
#      workloads, same load generator, same sitting (PEERS=0 skips it)
#   5. report.py: bench/results/*.csv, SUMMARY.md and the PNG figures
#   6. interleaved.sh: blackboardd, nats-server and Redis alternated run by run
#
# Takes about 30 minutes on 2 cores, most of it the peers (Mosquitto alone ~12). Results of the
# raw runs go to $OUT (default .build-bench/results); what report.py makes
# goes to bench/results. STEPS="core e2e memory peers report interleaved" picks steps.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/.build-bench/results}
STEPS=${STEPS:-"core e2e memory peers report interleaved"}
PEERS=${PEERS:-1}
# peerbench: beside the repository (../shared), else where this machine keeps it.
if [ -z "${PEERBENCH:-}" ]; then
    PEERBENCH=$ROOT/../shared/peerbench
    [ -d "$PEERBENCH" ] || PEERBENCH=/work/shared/peerbench
fi
export OUT

# A C compiler for the load tools (run_peers.sh wants gcc too).
command -v gcc >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc; }

has() { case " $STEPS " in *" $1 "*) return 0;; *) return 1;; esac; }
say() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }

if has e2e || has memory; then
    say "building blackboardd (release), the load generator and idleconns"
    swift build -c release --product blackboardd
    PEERBENCH=$PEERBENCH bench/loadgen/build.sh "$ROOT/.build-bench" >/dev/null
    gcc -O2 -Wall -o "$ROOT/.build-bench/idleconns" bench/conns/idleconns.c
fi
if has core; then
    say "corebench (in process)"
    swift build -c release --package-path bench/core --scratch-path "$ROOT/.build-corebench"
    "$ROOT/.build-corebench/release/corebench" all --out bench/results
fi
if has e2e; then
    say "end-to-end workloads against blackboardd"
    rm -f "$OUT/raw.jsonl"
    bench/e2e.sh
fi
if has memory; then
    say "daemon memory per connection"
    bench/memory.sh
    cp "$OUT/memory.csv" bench/results/memory_connections.csv
fi
if has peers && [ "$PEERS" = 1 ]; then
    say "peers: nats-server, Redis, Mosquitto (run_peers.sh)"
    [ -x "$PEERBENCH/run_peers.sh" ] || { echo "no $PEERBENCH/run_peers.sh (set PEERBENCH, or PEERS=0)" >&2; exit 2; }
    rm -rf "$OUT/peers"
    OUT="$OUT/peers" "$PEERBENCH/run_peers.sh"
fi
if has report; then
    say "report"
    PY=$(bench/setup-python.sh)
    "$PY" bench/report.py --results "$OUT" --core bench/results --out bench/results
fi
if has interleaved && [ "$PEERS" = 1 ]; then
    say "interleaved: blackboardd, nats-server, Redis alternated"
    bench/interleaved.sh
    cp "$OUT/interleaved.jsonl" bench/results/interleaved_runs.jsonl
fi
