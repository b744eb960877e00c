"""corebench's CSVs (bench/core): subscribe, separation, churn, memory."""
import csv
import os

FILES = {
    "subscribe": "core_subscribe.csv",    # profile_concepts,subscribers,subscribe_us_median,subscribe_us_p90,unsubscribe_us_median,unsubscribe_us_p90
    "separation": "core_separation.csv",  # case,pairs,message_bytes,subscribers,separate_us_median,separate_us_p90,deliveries,pairs_delivered
    "churn": "core_churn.csv",            # op,count,time_us_median,time_us_p90,changed_fraction,delta_mean,delta_mean_when_changed,delta_max
    "memory": "core_memory.csv",          # case,subscribers,concepts_per_subscriber,distinct_concepts,rss_before_mb,rss_after_mb,store_mb,bytes_per_subscriber
    "connections": "memory_connections.csv",  # kind,connections,concepts,rss_kb,hwm_kb (bench/memory.sh, the real daemon)
}


def _value(text):
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def load(directory, notes):
    """{name: [row dict]} for every corebench CSV present; a note for each one missing."""
    out = {}
    for name, filename in FILES.items():
        path = os.path.join(directory, filename)
        if not os.path.exists(path):
            notes.append(f"no {path}: skipped (run corebench, bench/core/README.md)")
            continue
        with open(path, newline="") as f:
            rows = [{k: _value(v) for k, v in row.items()} for row in csv.DictReader(f)]
        if rows:
            out[name] = rows
        else:
            notes.append(f"{path} is empty: skipped")
    return out


def subscribe_series(rows, key):
    """{profile size: [(subscribers, median, p90)]} for key 'subscribe' or 'unsubscribe'."""
    series = {}
    for r in rows:
        series.setdefault(r["profile_concepts"], []).append(
            (r["subscribers"], r[f"{key}_us_median"], r[f"{key}_us_p90"]))
    return {size: sorted(points) for size, points in sorted(series.items())}


def growth_ratio(rows, key, small=1000):
    """{profile size: (cost at the largest store / cost at `small`, largest store size)}."""
    out = {}
    for size, points in subscribe_series(rows, key).items():
        by_n = {n: med for n, med, _ in points}
        largest = max(by_n)
        if small in by_n and largest > small and by_n[small] > 0:
            out[size] = (by_n[largest] / by_n[small], largest)
    return out


def separation_case(rows, case):
    return sorted((r for r in rows if r["case"] == case), key=lambda r: r["pairs"])


def connection_cost(rows, kind):
    """(bytes per connection, base KiB, largest N) by least squares over bench/memory.sh's points
    of one kind ('idle': HELLO only; 'subscriber': HELLO and a 10-concept SUB), or None."""
    pts = [(r["connections"], r["rss_kb"]) for r in rows or [] if r["kind"] == kind]
    if len(pts) < 2:
        return None
    n = len(pts)
    mx = sum(x for x, _ in pts) / n
    my = sum(y for _, y in pts) / n
    den = sum((x - mx) ** 2 for x, _ in pts)
    if not den:
        return None
    slope = sum((x - mx) * (y - my) for x, y in pts) / den
    return slope * 1024, my - slope * mx, max(x for x, _ in pts)
