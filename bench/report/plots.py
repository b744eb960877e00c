"""PNG figures with matplotlib (Agg): the paper's Figures 9-11 and end-to-end throughput."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import core  # noqa: E402
import e2e  # noqa: E402
import paper  # noqa: E402
from peers_published import LABEL as PUBLISHED  # noqa: E402

PAPER_LINE = dict(color="0.35", linestyle="--", linewidth=1.2)
PAPER_NOTE_STYLE = dict(fontsize=8, color="0.3", style="italic")


def _save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def subscribe_figure(rows, key, path):
    """Figures 9 and 10: time vs store size, one line per profile size, log x (the empty store is left out)."""
    fig, ax = plt.subplots(figsize=(10, 4.8))
    for size, points in core.subscribe_series(rows, key).items():
        points = [p for p in points if p[0] > 0]
        if not points:
            continue
        xs = [p[0] for p in points]
        line, = ax.plot(xs, [p[1] for p in points], marker="o", label=f"{size} concepts, median")
        ax.plot(xs, [p[2] for p in points], linestyle=":", color=line.get_color(), label=f"{size} concepts, p90")
    ax.axvline(paper.SUBSCRIPTIONS_MAX, label=f"{paper.LABEL}: measured up to 1,000 subscriptions", **PAPER_LINE)
    said = ("grew linearly with subscriptions and with profile size" if key == "subscribe"
            else "grew linearly; almost independent of profile size")
    ax.text(0.05, 0.97, f"{paper.LABEL}, Fig. {9 if key == 'subscribe' else 10}: {said}\n"
            "(values not stated in the text; .NET on a 3.0 GHz Core 2 Duo)",
            transform=ax.transAxes, va="top", **PAPER_NOTE_STYLE)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(top=ax.get_ylim()[1] * 6)
    ax.set_xlabel("subscribers already in the store (log; the empty store is not shown)")
    ax.set_ylabel(f"{key} time (µs, log)")
    ax.set_title(f"{key.capitalize()} time vs number of subscriptions (corebench)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _save(fig, path)


def latency_figure(summaries, separation, path):
    """Figure 11: end-to-end p50/p99 vs payload size (L100..L1M) and, if present, in-process separation."""
    fig, ax = plt.subplots(figsize=(10, 4.8))
    ours = [summaries[(e2e.OURS, w)] for w in e2e.LATENCY_WORKLOADS if (e2e.OURS, w) in summaries]
    ours = [s for s in ours if s.get("size") and s.get("lat_p50_us")]
    if ours:
        xs = [s["size"] for s in ours]
        ax.plot(xs, [s["lat_p50_us"] for s in ours], marker="o", label="end to end p50 (loadgen 1x1, 200 msg/s)")
        ax.plot(xs, [s["lat_p99_us"] for s in ours], marker="s", label="end to end p99")
    disjoint = [r for r in core.separation_case(separation or [], "disjoint") if r["separate_us_median"] > 0]
    if disjoint:
        ax.plot([r["message_bytes"] for r in disjoint], [r["separate_us_median"] for r in disjoint], marker="^",
                label="separation in process, median (corebench, 10 subs, disjoint)")
    if not ours and not disjoint:
        plt.close(fig)
        return None
    ax.axvline(paper.SEPARATION_MAX_BYTES, label=f"{paper.LABEL}: largest message, 1 MB", **PAPER_LINE)
    ax.text(0.02, 0.97, f"{paper.LABEL}, Fig. 11: publish time linear in message size, up to 1 MB\n"
            "(10 subscribers, 1,000 concepts each; values not stated in the text)",
            transform=ax.transAxes, va="top", **PAPER_NOTE_STYLE)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(top=ax.get_ylim()[1] * 8)
    ax.set_xlabel("message size (bytes)")
    ax.set_ylabel("latency (µs)")
    ax.set_title("Publishing latency vs message size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _save(fig, path)


def throughput_figure(summaries, path):
    """Grouped bars: delivered msg/s per workload per broker, log y; the paper's §5.3 figure at W1s."""
    workloads = [w for w in e2e.THROUGHPUT_WORKLOADS if any(k[1] == w for k in summaries)]
    brokers = e2e.broker_order(b for b, w in summaries if w in workloads)
    if not workloads:
        return None
    fig, ax = plt.subplots(figsize=(12, 5))
    width = 0.8 / max(len(brokers), 1)
    for i, b in enumerate(brokers):
        bars = {True: ([], []), False: ([], [])}  # measured? -> (xs, ys)
        for j, w in enumerate(workloads):
            s = summaries.get((b, w))
            if s and s.get("del_rate"):
                xs, ys = bars[s["source"] == e2e.MEASURED]
                xs.append(j + (i - (len(brokers) - 1) / 2) * width)
                ys.append(s["del_rate"])
        for measured, (xs, ys) in bars.items():
            if xs:
                ax.bar(xs, ys, width, color=f"C{i}", label=b if measured else f"{b}, {PUBLISHED}",
                       hatch=None if measured else "//", edgecolor="white" if measured else "0.25")
    if paper.E2E_WORKLOAD in workloads:
        j = workloads.index(paper.E2E_WORKLOAD)
        ax.hlines(paper.E2E_MSGS_PER_S, j - 0.45, j + 0.45, colors="black", linestyles="--", linewidth=2,
                  label=f"{paper.LABEL}: ~{paper.E2E_MSGS_PER_S:,} msg/s (3x3, 100 B, 3,000 msgs)")
        ax.annotate(f"{paper.LABEL}\n~{paper.E2E_MSGS_PER_S:,} msg/s", (j, paper.E2E_MSGS_PER_S),
                    xytext=(0, -24), textcoords="offset points", ha="center", va="top", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylim(bottom=min(ax.get_ylim()[0], paper.E2E_MSGS_PER_S / 10))
    ax.set_xticks(range(len(workloads)))
    ax.set_xticklabels(workloads)
    ax.set_ylabel("delivered messages/s (log)")
    ax.set_title("End-to-end throughput over loopback (median of runs)")
    ax.grid(True, axis="y", which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _save(fig, path)


def all_figures(summaries, data, out_dir, notes):
    made = []
    if "subscribe" in data:
        made.append(subscribe_figure(data["subscribe"], "subscribe", os.path.join(out_dir, "fig9_subscribe.png")))
        made.append(subscribe_figure(data["subscribe"], "unsubscribe", os.path.join(out_dir, "fig10_unsubscribe.png")))
    else:
        notes.append("fig9/fig10 not drawn: no core_subscribe.csv")
    p = latency_figure(summaries, data.get("separation"), os.path.join(out_dir, "fig11_latency_vs_size.png"))
    made.append(p) if p else notes.append("fig11 not drawn: no L100..L1M runs and no core_separation.csv")
    p = throughput_figure(summaries, os.path.join(out_dir, "e2e_throughput.png"))
    made.append(p) if p else notes.append("e2e_throughput not drawn: no end-to-end runs")
    return made
