#!/usr/bin/env python3
"""Turn benchmark results into CSV, markdown tables and the paper's plots.

    bench/setup-python.sh                      # once: venv with matplotlib, prints its python
    .build-bench/venv/bin/python bench/report.py [--results DIR] [--core DIR] [--out DIR]

Inputs (missing ones are skipped with a note):
  --results DIR  (.build-bench/results)  DIR/raw.jsonl from bench/e2e.sh (blackboard),
                 DIR/peers/raw.jsonl from shared/peerbench/run_peers.sh with OUT=DIR/peers.
  --core DIR     (bench/results)         core_*.csv from corebench (bench/core).
Outputs in --out DIR (bench/results): e2e_runs.csv, e2e_summary.csv, SUMMARY.md,
fig9_subscribe.png, fig10_unsubscribe.png, fig11_latency_vs_size.png, e2e_throughput.png.
SUMMARY.md is printed to stdout too. Default paths are relative to the repository root.

For every (broker, workload, run) the last attempt counts (noisy attempts were retried);
each metric is the median over runs, delivered/expected the worst run. Where the peers'
runs are missing, their figures published on 2026-11-21 fill in, labelled as such.
Uses only the standard library and matplotlib.
"""
import argparse
import datetime
import os
import platform
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "report"))

import core  # noqa: E402
import e2e  # noqa: E402
import paper  # noqa: E402
import peers_published  # noqa: E402
import tables  # noqa: E402

FIGURES = [
    ("fig9_subscribe.png", "Figure 9 - subscribe time vs subscribers already stored, per profile size (corebench)"),
    ("fig10_unsubscribe.png", "Figure 10 - unsubscribe time vs subscribers already stored (corebench)"),
    ("fig11_latency_vs_size.png", "Figure 11 - latency vs message size: end to end (L100..L1M) and in-process separation"),
    ("e2e_throughput.png", "End-to-end delivered msg/s per workload and broker (log scale), the paper's §5.3 figure at W1s"),
]

COMMANDS = """\
```sh
make release && bench/loadgen/build.sh             # blackboardd and loadgen (see bench/e2e.sh)
bench/e2e.sh                                       # blackboard: W1..W7, L100..L1M, 3 runs -> .build-bench/results/raw.jsonl
OUT=$PWD/.build-bench/results/peers ../shared/peerbench/run_peers.sh   # nats, redis, mosquitto: W1..W6
swift build -c release --package-path bench/core --scratch-path .build-corebench
.build-corebench/release/corebench --out bench/results                 # core_*.csv
bench/setup-python.sh                              # venv with matplotlib at .build-bench/venv
.build-bench/venv/bin/python bench/report.py       # this report
```"""


def machine():
    def first(path, prefix):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(prefix):
                        return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip().strip('"')
        except OSError:
            pass
        return "?"
    mem = first("/proc/meminfo", "MemTotal")
    mem = f"{int(mem.split()[0]) / 2 ** 20:.0f} GiB" if mem != "?" else mem
    return (f"{first('/proc/cpuinfo', 'model name')}, {os.cpu_count()} CPUs, {mem} RAM, "
            f"{first('/etc/os-release', 'PRETTY_NAME=')}, Linux {platform.release()}")


def run_dates(path, marker):
    """The first and last '# <marker> started DATE [COMMIT]' lines of a run.log."""
    try:
        with open(path) as f:
            starts = [line.split("started", 1)[1].strip() for line in f if line.startswith(f"# {marker} started")]
    except OSError:
        return None
    if not starts:
        return None
    return starts[0] if len(starts) == 1 else f"{starts[0]} ... {starts[-1]} ({len(starts)} invocations)"


def use_venv_for_plots(argv):
    """Without matplotlib here, rerun under .build-bench/venv's python if bench/setup-python.sh made it."""
    try:
        import matplotlib  # noqa: F401
        return
    except ImportError:
        pass
    venv = os.path.join(ROOT, ".build-bench", "venv")
    python = os.path.join(venv, "bin", "python")
    if (os.path.exists(python) and os.path.realpath(sys.prefix) != os.path.realpath(venv)
            and not os.environ.get("BENCH_REPORT_REEXEC")):
        os.environ["BENCH_REPORT_REEXEC"] = "1"
        os.execv(python, [python, os.path.abspath(__file__)] + argv)


def relative_to_root(path, default):
    return os.path.join(ROOT, default) if path is None else path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", help="end-to-end results directory (default .build-bench/results)")
    ap.add_argument("--core", help="corebench CSV directory (default bench/results)")
    ap.add_argument("--out", help="output directory (default bench/results)")
    ap.add_argument("--no-published-fallback", action="store_true",
                    help="never fill in the peers' published 2026-11-21 figures")
    ap.add_argument("--no-plots", action="store_true", help="skip the PNG figures")
    args = ap.parse_args(argv)
    if not args.no_plots:
        use_venv_for_plots(sys.argv[1:] if argv is None else argv)
    results = relative_to_root(args.results, ".build-bench/results")
    core_dir = relative_to_root(args.core, "bench/results")
    out_dir = relative_to_root(args.out, "bench/results")
    os.makedirs(out_dir, exist_ok=True)
    notes = []

    # End to end: ours and the peers' runs, then the published figures where runs are missing.
    ours = e2e.load(os.path.join(results, "raw.jsonl"), notes)
    peers_path = os.path.join(results, "peers", "raw.jsonl")
    peers = e2e.load(peers_path, notes)
    runs = (ours or []) + (peers or [])
    summaries = e2e.summarize(runs)
    if not args.no_published_fallback:
        filled = [k for k in peers_published.summaries() if k not in summaries]
        for k in filled:
            summaries[k] = peers_published.summaries()[k]
        if filled:
            by_broker = {}
            for b, w in filled:
                by_broker.setdefault(b, []).append(w)
            which = "; ".join(f"{b} {' '.join(e2e.workload_order(ws))}" for b, ws in sorted(by_broker.items()))
            notes.append(f"no runs in {peers_path} for {which}: the {peers_published.LABEL} figures are shown instead")
    written = []
    if runs:
        written.append(e2e.write_runs_csv(os.path.join(out_dir, "e2e_runs.csv"), runs))
    else:
        notes.append("no end-to-end runs: e2e_runs.csv not written")
    if summaries:
        written.append(e2e.write_summary_csv(os.path.join(out_dir, "e2e_summary.csv"), summaries))

    data = core.load(core_dir, notes)

    made = []
    if not args.no_plots:
        try:
            import plots
        except ImportError as error:
            notes.append(f"no plots ({error}): run bench/setup-python.sh and use .build-bench/venv/bin/python")
        else:
            made = plots.all_figures(summaries, data, out_dir, notes)

    lines = ["# Benchmark summary", "",
             f"Generated {datetime.datetime.now().astimezone().isoformat(timespec='seconds')} by `bench/report.py`.", "",
             f"- machine (where this report ran): {machine()}",
             f"- paper's machine: {paper.MACHINE}"]
    for label, path, marker in (("blackboard runs (bench/e2e.sh)", os.path.join(results, "run.log"), "e2e.sh"),
                                ("peer runs (run_peers.sh)", os.path.join(results, "peers", "run.log"), "run_peers.sh")):
        when = run_dates(path, marker)
        if when:
            lines.append(f"- {label} started: {when}")
    lines.append(f"- inputs: `{results}` ({len(ours or [])} blackboard runs, {len(peers or [])} peer runs), "
                 f"`{core_dir}` ({', '.join(core.FILES[k] for k in data) or 'no corebench CSVs'})")
    lines += [f"- note: {n}" for n in notes] + [""]
    lines += ["## Targets", ""] + tables.targets(summaries, data)
    lines += ["## The paper beside ours", "",
              "The paper's Figures 9-11 are plots; the text gives no values for them, only their shape "
              "(see the paper's numbers at the end). W1s is the paper's §5.3 test size.", ""]
    lines += tables.paper_beside_ours(summaries, data)
    lines += ["## End to end", "",
              "Medians over runs (last attempt of each run); msg/s counted at the subscribers; MB/s = payload "
              "10^6 B/s; CPU = % of one core; RSS from /proc (KiB). \"vs best peer\": ours / best peer for "
              "throughput, best peer / ours for W5 latency (> 1 = blackboard ahead).", ""]
    lines += tables.workload_tables(summaries) + tables.latency_table(summaries)
    if data:
        lines += ["## Core (in process, corebench)", ""] + tables.core_tables(data)
    if made:
        lines += ["## Figures", ""]
        lines += [f"- [{f}]({f}): {what}" for f, what in FIGURES if os.path.join(out_dir, f) in made] + [""]
        lines += [f"![{f}]({f})" for f, _ in FIGURES if os.path.join(out_dir, f) in made] + [""]
    lines += ["## The paper's numbers (§5)", ""] + tables.paper_facts()
    lines += ["## Commands", "", COMMANDS, ""]
    text = "\n".join(lines)
    with open(os.path.join(out_dir, "SUMMARY.md"), "w") as f:
        f.write(text)
    print(text)
    written += [os.path.join(out_dir, "SUMMARY.md")] + made
    print("wrote " + ", ".join(written), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
