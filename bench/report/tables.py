"""Markdown tables: per-workload results, core measurements, targets, the paper beside ours."""
import math

import core
import e2e
import paper

NO = "-"


def md(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return lines + [""]


def num(v, nd=0):
    if v is None:
        return NO
    return f"{v:,.{nd}f}"


def us(v):
    """Microseconds, switching to ms from 10 ms on (as the peers' summary does)."""
    if v is None:
        return NO
    if v >= 10000:
        return f"{v / 1000:,.1f} ms"
    return f"{v:,.0f} µs" if v >= 100 else f"{v:.1f} µs"


def ratio(v):
    return NO if v is None else f"{v:.2f}x"


def name(s):
    return s["broker"] if s["source"] == e2e.MEASURED else f'{s["broker"]}, {s["source"]}'


def rows_for(summaries, workload):
    brokers = e2e.broker_order(b for b, w in summaries if w == workload)
    return [summaries[(b, workload)] for b in brokers]


def best_peer(summaries, workload, metric, lower_is_better=False):
    """(value, peer summary) of the best peer for a metric, or (None, None)."""
    cands = [s for s in rows_for(summaries, workload) if s["broker"] != e2e.OURS and s.get(metric) is not None]
    if not cands:
        return None, None
    pick = (min if lower_is_better else max)(cands, key=lambda s: s[metric])
    return pick[metric], pick


def vs_best_peer(summaries, workload):
    """Ours over the best peer: throughput ours/best; W5 latency best/ours (> 1 = ours better)."""
    ours = summaries.get((e2e.OURS, workload))
    if not ours:
        return NO
    if workload == "W5":
        parts = []
        for metric, label in (("lat_p99_us", "p99"), ("lat_p999_us", "p99.9")):
            best, peer = best_peer(summaries, workload, metric, lower_is_better=True)
            if best is not None and ours.get(metric):
                parts.append(f"{label} {best / ours[metric]:.2f}x ({peer['broker']})")
        return ", ".join(parts) or NO
    best, peer = best_peer(summaries, workload, "del_rate")
    if best is None or ours.get("del_rate") is None:
        return NO
    return f"{ours['del_rate'] / best:.2f}x ({peer['broker']})"


def _cpu(s):
    return f"{num(s.get('srv_cpu_pct'))}% / {num(s.get('lg_cpu_pct'))}%"


def _rss(s):
    return f"{num(s.get('rss_after_kb'))} ({num(s.get('srv_hwm_kb'))})"


def _de(s):
    if s.get("delivered") is None:
        return NO
    return f"{s['delivered']:,}/{s['expected']:,}"


def _runs(s):
    return f"{s['runs']} ({s['statuses']}; noisy {s['noisy']}, retried {s['retried']})"


NOTES = {
    "W1s": "Runs of a few milliseconds: start-up dominates and runs vary widely; published msg/s and CPU mean "
           "little at this size. W1 is the steady state.",
    "W4": "With 64 KiB payloads loadgen itself uses much of a core; the peers' figures are lower bounds "
          "(shared/peerbench/RESULTS.md).",
    "W7": "Blackboard only: the peers have no per-subscriber separation of a message.",
}


def workload_tables(summaries):
    out = []
    for workload, title in e2e.WORKLOADS.items():
        rows = rows_for(summaries, workload)
        if not rows:
            continue
        out.append(f"### {title}\n")
        vs = lambda s: vs_best_peer(summaries, workload) if s["broker"] == e2e.OURS else ""
        if workload == "W5":
            header = ["broker", "delivered msg/s", "p50", "p99", "p99.9", "max", "delivered/expected (worst run)",
                      "CPU broker / loadgen", "broker RSS KiB after (peak)", "runs", "vs best peer (best p99 / ours)"]
            body = [[name(s), num(s["del_rate"]), us(s["lat_p50_us"]), us(s["lat_p99_us"]), us(s["lat_p999_us"]),
                     us(s["lat_max_us"]), _de(s), _cpu(s), _rss(s), _runs(s), vs(s)] for s in rows]
        else:
            header = ["broker", "delivered msg/s", "published msg/s", "MB/s (payload)", "p50", "p99",
                      "delivered/expected (worst run)", "CPU broker / loadgen", "broker RSS KiB after (peak)",
                      "runs", "vs best peer (delivered msg/s)"]
            body = [[name(s), num(s["del_rate"]), num(s["pub_rate"]), num(s["mb_s"], 1), us(s["lat_p50_us"]),
                     us(s["lat_p99_us"]), _de(s), _cpu(s), _rss(s), _runs(s), vs(s)] for s in rows]
        out += md(header, body)
        if workload in NOTES:
            out += [NOTES[workload], ""]
    return out


def latency_table(summaries):
    """Figure 11 end to end: L100..L1M, blackboard, 1 x 1 at 200 msg/s."""
    rows = [summaries[(e2e.OURS, w)] for w in e2e.LATENCY_WORKLOADS if (e2e.OURS, w) in summaries]
    if not rows:
        return []
    out = ["### L100..L1M - latency vs message size (Figure 11 end to end): 1 pub x 1 sub, 200 msg/s for 5 s\n"]
    out += md(["workload", "payload bytes", "p50", "p99", "p99.9", "max", "delivered/expected (worst run)", "runs"],
              [[s["workload"], num(s["size"]), us(s["lat_p50_us"]), us(s["lat_p99_us"]), us(s["lat_p999_us"]),
                us(s["lat_max_us"]), _de(s), _runs(s)] for s in rows])
    return out


def core_tables(data):
    out = []
    if "subscribe" in data:
        rows = data["subscribe"]
        sizes = sorted({r["profile_concepts"] for r in rows})
        counts = sorted({r["subscribers"] for r in rows})
        by = {(r["profile_concepts"], r["subscribers"]): r for r in rows}
        for key, fig in (("subscribe", "Figure 9"), ("unsubscribe", "Figure 10")):
            out.append(f"### {key.capitalize()} time vs store size ({fig}; corebench, median µs, p90 in brackets)\n")
            header = ["subscribers"] + [f"{s} concepts" for s in sizes]
            body = [[num(n)] + [f"{by[(s, n)][key + '_us_median']:.2f} ({by[(s, n)][key + '_us_p90']:.2f})"
                                if (s, n) in by else NO for s in sizes] for n in counts]
            out += md(header, body)
    if "separation" in data:
        out.append("### Separation time vs message size (Figure 11 in process; corebench)\n")
        out += md(["case", "pairs", "message bytes", "subscribers", "median", "p90", "deliveries"],
                  [[r["case"], num(r["pairs"]), num(r["message_bytes"]), num(r["subscribers"]),
                    us(r["separate_us_median"]), us(r["separate_us_p90"]), num(r["deliveries"])]
                   for r in data["separation"]])
    if "churn" in data:
        out.append("### Aggregate-profile change detection under churn (corebench)\n")
        out += md(["op", "count", "median", "p90", "changed fraction", "delta mean", "delta mean when changed",
                   "delta max"],
                  [[r["op"], num(r["count"]), us(r["time_us_median"]), us(r["time_us_p90"]),
                    f'{r["changed_fraction"]:.3f}', f'{r["delta_mean"]:.3f}', f'{r["delta_mean_when_changed"]:.3f}',
                    num(r["delta_max"])] for r in data["churn"]])
    if "memory" in data:
        out.append("### Memory of the store (corebench; MB = 2^20 bytes)\n")
        out += md(["case", "subscribers", "concepts each", "distinct concepts", "RSS before MB", "RSS after MB",
                   "store MB", "bytes/subscriber"],
                  [[r["case"], num(r["subscribers"]), num(r["concepts_per_subscriber"]), num(r["distinct_concepts"]),
                    num(r["rss_before_mb"], 1), num(r["rss_after_mb"], 1), num(r["store_mb"], 1),
                    num(r["bytes_per_subscriber"])] for r in data["memory"]])
    return out


# --- targets -------------------------------------------------------------------------------------

def _target(what, measured, target, score, good=1.0):
    """score: > 1 = better than the target. Status met when score >= good."""
    if score is None:
        return [what, measured or NO, target, NO, "no data"]
    return [what, measured, target, f"{score:.2f}", "met" if score >= good else "missed"]


def targets(summaries, data):
    rows = []
    w1 = summaries.get((e2e.OURS, "W1"), {}).get("del_rate")
    rows.append(_target("W1 delivered msg/s", num(w1), "> 5,000,000", w1 / 5e6 if w1 else None))
    for workload in ("W1", "W1s", "W2", "W3", "W4", "W6"):
        ours = summaries.get((e2e.OURS, workload), {}).get("del_rate")
        best, peer = best_peer(summaries, workload, "del_rate")
        r = _target(f"{workload} delivered msg/s vs best peer", num(ours),
                    f"> best peer{' (' + peer['broker'] + ' ' + num(best) + ')' if peer else ''}, aim 1.5x",
                    ours / best if ours and best else None)
        if r[4] == "met" and ours / best < 1.5:
            r[4] = "met (below the 1.5x aim)"
        rows.append(r)
    for metric, label in (("lat_p99_us", "p99"), ("lat_p999_us", "p99.9")):
        ours = summaries.get((e2e.OURS, "W5"), {}).get(metric)
        best, peer = best_peer(summaries, "W5", metric, lower_is_better=True)
        rows.append(_target(f"W5 latency {label}", us(ours),
                            f"<= best peer{' (' + peer['broker'] + ' ' + us(best) + ')' if peer else ''}",
                            best / ours if ours and best else None))
    sub = data.get("subscribe")
    for key in ("subscribe", "unsubscribe"):
        growth = core.growth_ratio(sub, key) if sub else {}
        if growth:
            size, (g, largest) = max(growth.items(), key=lambda kv: kv[1][0])
            rows.append(_target(f"{key} cost at {largest:,} / at 1,000 subscribers (worst profile size)",
                                f"{g:.2f} ({size} concepts)", "<= 1.5", 1.5 / g))
        else:
            rows.append(_target(f"{key} cost at 100,000 / at 1,000 subscribers", None, "<= 1.5", None))
    slowest = max((r["subscribe_us_median"] for r in sub or [] if r["profile_concepts"] == 100), default=None)
    rows.append(_target("100-concept profile subscribe (slowest median over store sizes)", us(slowest), "< 20 µs",
                        20 / slowest if slowest else None))
    big = [r for r in data.get("separation", []) if r["case"] == "disjoint" and r["pairs"] == 10000]
    t = big[0]["separate_us_median"] if big else None
    rows.append(_target("separate 1 MB (10,000 pairs) to 10 subscribers", us(t), "< 2 ms", 2000 / t if t else None))
    for r in data.get("memory", []) or [None]:
        if r is None:
            rows.append(_target("100,000 subscribers x 10 concepts, process RSS", None, "< 200 MB", None))
            continue
        rows.append(_target(f"{r['subscribers']:,} subscribers x {r['concepts_per_subscriber']} concepts ({r['case']}),"
                            f" process RSS", f"{r['rss_after_mb']:.1f} MB (store {r['store_mb']:.1f} MB)",
                            "< 200 MB", 200 / r["rss_after_mb"]))
    conns = data.get("connections")
    idle = core.connection_cost(conns, "idle")
    rows.append(_target("an idle connection (HELLO only), daemon RSS per connection",
                        f"{idle[0]:,.0f} B (slope up to {idle[2]:,} connections)" if idle else None,
                        "< 16 KiB", 16384 / idle[0] if idle and idle[0] > 0 else None))
    subs = core.connection_cost(conns, "subscriber")
    if subs:
        projected = (subs[1] + subs[0] / 1024 * 100_000) / 1024
        rows.append(_target("100,000 subscriber connections x 10 concepts, daemon RSS (projected from the slope)",
                            f"{projected:,.0f} MB ({subs[0]:,.0f} B per subscriber, measured up to {subs[2]:,})",
                            "< 200 MB", 200 / projected))
    return md(["target", "measured", "target", "ratio (> 1 = better than target)", "status"], rows)


# --- the paper beside ours -----------------------------------------------------------------------

def _loglog_slope(points):
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else None


def paper_beside_ours(summaries, data):
    rows = []
    w1s = summaries.get((e2e.OURS, paper.E2E_WORKLOAD))
    if w1s and w1s.get("del_rate"):
        mbps = w1s["mb_s"] * 1e6 * 8 / 2 ** 20 if w1s.get("mb_s") is not None else None
        rows.append(["§5.3 end to end, 3 pub x 3 sub, 100 B, 3,000 msgs", f"~{paper.E2E_MSGS_PER_S:,} msg/s",
                     f"W1s: {num(w1s['del_rate'])} delivered msg/s ({num(w1s['pub_rate'])} published)",
                     f"{w1s['del_rate'] / paper.E2E_MSGS_PER_S:,.0f}x"])
        rows.append(["§5.3 bandwidth (payload, 2^20 bit)", f"{paper.E2E_MBPS} Mbps", f"W1s: {num(mbps, 1)} Mbps",
                     f"{mbps / paper.E2E_MBPS:,.0f}x" if mbps else NO])
    else:
        rows.append(["§5.3 end to end, 3 pub x 3 sub, 100 B, 3,000 msgs", f"~{paper.E2E_MSGS_PER_S:,} msg/s",
                     "no W1s run of blackboard", NO])
    w1 = summaries.get((e2e.OURS, "W1"))
    if w1 and w1.get("del_rate"):
        rows.append(["§5.3 set-up at steady state (W1, 1,000,000 msgs/pub; not in the paper)", "-",
                     f"{num(w1['del_rate'])} delivered msg/s", f"{w1['del_rate'] / paper.E2E_MSGS_PER_S:,.0f}x"])
    sub = data.get("subscribe")
    for key, fig, said in (("subscribe", "Fig. 9", "linear in the number of subscriptions (to 1,000); grows with profile size"),
                           ("unsubscribe", "Fig. 10", "linear; almost independent of profile size")):
        if not sub:
            rows.append([f"§5.1 {fig} {key} time", said, "no corebench data", NO])
            continue
        series = core.subscribe_series(sub, key)
        parts, growth = [], core.growth_ratio(sub, key)
        for size, points in series.items():
            by_n = {n: m for n, m, _ in points}
            if 1000 in by_n:
                largest = max(by_n)
                parts.append(f"{size}: {by_n[1000]:.1f} → {by_n[largest]:.1f} µs")
        largest = max(n for pts in series.values() for n, _, _ in pts)
        worst = max((g for g, _ in growth.values()), default=None)
        rows.append([f"§5.1 {fig} {key} time", said,
                     f"median at 1,000 → {largest:,} subscribers: " + "; ".join(parts),
                     f"x{worst:.2f} over 1k → {largest // 1000:,}k (worst)" if worst else NO])
    sep = core.separation_case(data.get("separation", []), "disjoint")
    if sep:
        pts = [(r["pairs"], r["separate_us_median"]) for r in sep if r["pairs"] >= 100 and r["separate_us_median"] > 0]
        slope = _loglog_slope(pts) if len(pts) >= 2 else None
        big = [r for r in sep if r["pairs"] == 10000]
        rows.append(["§5.2 Fig. 11 separation, up to 1 MB, 10 subscribers", "linear in message size (values plot only)",
                     f"1 MB (10,000 pairs): {us(big[0]['separate_us_median']) if big else NO}",
                     f"log-log slope {slope:.2f} (1 = linear)" if slope else NO])
    l1m = summaries.get((e2e.OURS, "L1M"))
    if l1m:
        rows.append(["§5.2 Fig. 11 end to end (ours only: loadgen 1 x 1, 200 msg/s)", "-",
                     f"1 MB payload: p50 {us(l1m['lat_p50_us'])}, p99 {us(l1m['lat_p99_us'])}", NO])
    return md(["paper §", "paper (2008)", "ours", "ours vs paper"], rows)


def paper_facts():
    return md(["where", "what", "value", "unit", "note"],
              [[w, what, f"{v:,}" if isinstance(v, (int, float)) else v, unit, note]
               for w, what, v, unit, note in paper.FACTS])
