"""End-to-end runs: raw.jsonl (loadgen RESULT + broker/workload/run/attempt...) -> runs and summaries."""
import csv
import json
import os
import statistics

OURS = "blackboard"
PEERS = ("nats", "redis", "mosquitto")
MEASURED = "measured"

# Workload titles (arguments as in bench/e2e.sh and shared/peerbench/run_peers.sh).
WORKLOADS = {
    "W1": "W1 - 3 pub x 3 sub, every sub gets every msg, 100 B, 1,000,000 msgs/pub (9 M deliveries)",
    "W1s": "W1s - as W1 but 1,000 msgs/pub (3,000 published, 9,000 deliveries: the paper's §5.3 test size)",
    "W2": "W2 - fan-out: 1 pub x 10 subs, 100 B, 1,000,000 msgs (10 M deliveries)",
    "W3": "W3 - fan-in: 10 pubs x 1 sub, 100 B, 1,000,000 msgs/pub (10 M deliveries)",
    "W4": "W4 - large: 1 pub x 1 sub, 64 KiB payload, 50,000 msgs (3.3 GB)",
    "W5": "W5 - latency: 1 pub x 1 sub, 100 B, fixed 10,000 msg/s for 10 s",
    "W6": "W6 - split: 4 pubs, 8 subs, 16 topics, each sub on 4 topics, 100 B, 250,000 msgs/pub",
    "W7": "W7 - separation: 3 pubs x 10 subs, 20 pairs per msg, each sub wants 4 of the 20 concepts, 200,000 msgs/pub",
}
THROUGHPUT_WORKLOADS = ("W1", "W1s", "W2", "W3", "W4", "W6", "W7")
LATENCY_WORKLOADS = ("L100", "L1K", "L10K", "L100K", "L1M")  # Figure 11: 1 x 1 at 200 msg/s

# Columns of e2e_runs.csv: (csv name, raw field or function of the record).
RUN_COLUMNS = [
    ("broker", "broker"), ("workload", "workload"), ("run", "run"), ("attempt", "attempt"),
    ("attempts", "_attempts"), ("status", "status"), ("rc", "rc"), ("noisy", "noisy"),
    ("pubs", "pubs"), ("subs", "subs"), ("size", "size"), ("msgs_per_pub", "msgs_per_pub"),
    ("delivered_per_s", "del_rate"), ("published_per_s", "pub_rate"), ("mb_per_s", "mb_s"),
    ("lat_p50_us", "lat_p50_us"), ("lat_p99_us", "lat_p99_us"), ("lat_p999_us", "lat_p999_us"),
    ("lat_max_us", "lat_max_us"), ("lat_mean_us", "lat_mean_us"), ("wall_s", "wall_s"),
    ("broker_cpu_s", "srv_cpu_s"), ("loadgen_cpu_s", "lg_cpu_s"), ("other_cpu_s", "other_cpu_s"),
    ("broker_rss_after_kib", "rss_after_kb"), ("broker_peak_rss_kib", "srv_hwm_kb"),
    ("delivered", "delivered"), ("expected", "expected"), ("gaps", "gaps"), ("dups", "dups"), ("bad", "bad"),
]

# Columns of e2e_summary.csv: (csv name, summary key); medians over runs unless said.
SUMMARY_COLUMNS = [
    ("broker", "broker"), ("source", "source"), ("workload", "workload"), ("runs", "runs"),
    ("statuses", "statuses"), ("noisy_runs", "noisy"), ("retried_attempts", "retried"), ("size", "size"),
    ("delivered_per_s", "del_rate"), ("published_per_s", "pub_rate"), ("mb_per_s", "mb_s"),
    ("lat_p50_us", "lat_p50_us"), ("lat_p99_us", "lat_p99_us"), ("lat_p999_us", "lat_p999_us"),
    ("lat_max_us", "lat_max_us"), ("broker_cpu_s", "srv_cpu_s"), ("loadgen_cpu_s", "lg_cpu_s"),
    ("broker_cpu_pct", "srv_cpu_pct"), ("loadgen_cpu_pct", "lg_cpu_pct"),
    ("broker_rss_after_kib", "rss_after_kb"), ("broker_peak_rss_kib", "srv_hwm_kb"),
    ("worst_run_delivered", "delivered"), ("worst_run_expected", "expected"),
]


def load(path, notes):
    """Final attempt of every (broker, workload, run) in raw.jsonl, in file order; None if absent."""
    if not os.path.exists(path):
        notes.append(f"no {path}: skipped")
        return None
    final, attempts, bad = {}, {}, 0
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
            except ValueError:
                bad += 1
                continue
            key = (d.get("broker"), d.get("workload"), d.get("run"))
            attempts[key] = attempts.get(key, 0) + 1
            # Later lines win; an attempt number, when present, must not go backwards.
            if key not in final or (d.get("attempt") or 0) >= (final[key].get("attempt") or 0):
                final[key] = d
    if bad:
        notes.append(f"{path}: {bad} unreadable line(s) ignored")
    runs = []
    for key, d in final.items():
        d = dict(d)
        d["_attempts"] = attempts[key]
        runs.append(d)
    return runs


def number(v):
    """A measurement, or None for missing / negative ("unknown") values."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return v if v >= 0 else None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(runs):
    """{(broker, workload): summary}: per-column medians over runs, worst delivered/expected."""
    groups = {}
    for d in runs:
        groups.setdefault((d.get("broker"), d.get("workload")), []).append(d)
    out = {}
    for (broker, workload), group in groups.items():
        ok = [d for d in group if number(d.get("del_rate")) is not None]
        col = lambda k: median([number(d.get(k)) for d in ok])

        def pct(k):
            return median([100 * number(d.get(k)) / max(number(d.get("wall_s")) or 0, 1e-9)
                           for d in ok if number(d.get(k)) is not None and number(d.get("wall_s"))])

        worst = min(ok, key=lambda d: (d.get("delivered") or 0) / max(d.get("expected") or 0, 1)) if ok else {}
        out[(broker, workload)] = {
            "broker": broker, "workload": workload, "source": MEASURED, "runs": len(group),
            "statuses": ",".join(sorted({str(d.get("status", "?")) for d in group})),
            "noisy": sum(1 for d in group if d.get("noisy")),
            "retried": sum(d["_attempts"] - 1 for d in group),
            **{k: col(k) for k in ("del_rate", "pub_rate", "mb_s", "lat_p50_us", "lat_p99_us", "lat_p999_us",
                                   "lat_max_us", "srv_cpu_s", "lg_cpu_s", "rss_after_kb", "srv_hwm_kb", "size")},
            "srv_cpu_pct": pct("srv_cpu_s"), "lg_cpu_pct": pct("lg_cpu_s"),
            "delivered": worst.get("delivered"), "expected": worst.get("expected"),
        }
    return out


def broker_order(brokers):
    rank = {b: i for i, b in enumerate((OURS,) + PEERS)}
    return sorted(set(brokers), key=lambda b: (rank.get(b, len(rank)), str(b)))


def workload_order(workloads):
    known = list(WORKLOADS) + list(LATENCY_WORKLOADS)
    rank = {w: i for i, w in enumerate(known)}
    return sorted(set(workloads), key=lambda w: (rank.get(w, len(rank)), str(w)))


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}" if abs(v) < 1e6 else f"{v:.0f}"
    return str(v)


def write_runs_csv(path, runs):
    order_b = broker_order(d.get("broker") for d in runs)
    order_w = workload_order(d.get("workload") for d in runs)
    runs = sorted(runs, key=lambda d: (order_b.index(d.get("broker")), order_w.index(d.get("workload")),
                                       d.get("run") or 0))
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([name for name, _ in RUN_COLUMNS])
        for d in runs:
            w.writerow([_cell(d.get(field)) for _, field in RUN_COLUMNS])
    return path


def write_summary_csv(path, summaries):
    order_b = broker_order(b for b, _ in summaries)
    order_w = workload_order(w for _, w in summaries)
    keys = sorted(summaries, key=lambda k: (order_w.index(k[1]), order_b.index(k[0])))
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([name for name, _ in SUMMARY_COLUMNS])
        for k in keys:
            w.writerow([_cell(summaries[k].get(key)) for _, key in SUMMARY_COLUMNS])
    return path
