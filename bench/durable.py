#!/usr/bin/env python3
"""Durable registration changes per second, by fsync policy (not part of `make test`).

Starts the release daemon once per policy on a fresh data directory, then C
clients (one connection each, HELLO lease=600) send K profile changes each,
pipelining W at a time, and the run is timed from the first send to the last
+OK. Lease 0 is measured too: the same commands with nothing to persist.

    python3 bench/durable.py [--clients 32] [--changes 300] [--window 4] [--runs 3]

Prints one line per configuration with the median of the runs and the fsyncs
the broker made (from /stats), so group commit is visible as changes per fsync.
"""
import argparse, json, os, re, selectors, shutil, socket, statistics, subprocess, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "blackboardd")


def start(data_dir, fsync):
    proc = subprocess.Popen([BINARY, "--port", "0", "--admin-port", "0", "--data-dir", data_dir, "--fsync", fsync,
                             "--log-level", "warning"], stderr=subprocess.PIPE, text=True)
    ports = {}
    # --log-level warning hides the listening lines; find the ports from /proc instead.
    deadline = time.time() + 20
    while len(ports) < 2 and time.time() < deadline:
        out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout
        found = [int(m.group(1)) for line in out.splitlines() if f"pid={proc.pid}," in line
                 for m in [re.search(r":(\d+)\s", line)] if m]
        if len(found) >= 2:
            ports = sorted(found)
        time.sleep(0.02)
    if len(ports) < 2:
        proc.kill()
        raise SystemExit("daemon did not start")
    return proc, ports


def admin_port(proc, ports):
    for port in ports:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=2) as r:
                return port, json.load(r)
        except Exception:
            continue
    raise SystemExit("no admin port")


def run_clients(port, clients, changes, window, lease):
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(clients):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(f"HELLO urn:bench:durable:{i} lease={lease}\r\n".encode())
        conns.append({"sock": s, "sent": 0, "done": 0, "buf": b"", "hello": False})
    for c in conns:  # wait for every HELLO
        while not c["hello"]:
            c["buf"] += c["sock"].recv(65536)
            if b"\r\n" in c["buf"]:
                line, c["buf"] = c["buf"].split(b"\r\n", 1)
                assert line.startswith(b"+OK HELLO"), line
                c["hello"] = True

    def send(c):
        while c["sent"] < changes and c["sent"] - c["done"] < window:
            n = c["sent"]
            c["sock"].sendall(f"ADD 1\r\nc:{n % 997}\r\n".encode() if n else b"SUB 1\r\nc:0\r\n")
            c["sent"] += 1

    started = time.perf_counter()
    for c in conns:
        c["sock"].setblocking(False)
        sel.register(c["sock"], selectors.EVENT_READ, c)
        send(c)
    remaining = clients
    while remaining:
        for key, _ in sel.select(timeout=10):
            c = key.data
            data = c["sock"].recv(65536)
            if not data:
                raise SystemExit("connection closed")
            c["buf"] += data
            while b"\r\n" in c["buf"]:
                line, c["buf"] = c["buf"].split(b"\r\n", 1)
                if not line.startswith(b"+OK"):
                    raise SystemExit(f"unexpected reply {line!r}")
                c["done"] += 1
            if c["done"] == changes:
                sel.unregister(c["sock"])
                remaining -= 1
            else:
                c["sock"].setblocking(True)
                send(c)
                c["sock"].setblocking(False)
    elapsed = time.perf_counter() - started
    for c in conns:
        c["sock"].close()
    return clients * changes / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--changes", type=int, default=300)
    ap.add_argument("--window", type=int, default=4)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not os.path.exists(BINARY):
        subprocess.run(["swift", "build", "-c", "release", "--product", "blackboardd"], cwd=ROOT, check=True)
    configs = [("always", 600), ("interval", 600), ("never", 600), ("always", 0)]
    print(f"{args.clients} clients x {args.changes} changes, window {args.window}, median of {args.runs}")
    print(f"{'fsync':<9} {'lease':>5} {'changes/s':>10} {'fsyncs':>7} {'changes/fsync':>14}")
    # Interleave the configurations run by run: this machine's speed drifts.
    results = {c: [] for c in configs}
    fsyncs = {c: [] for c in configs}
    for _ in range(args.runs):
        for fsync, lease in configs:
            data = tempfile.mkdtemp(prefix="bb-durable-")
            proc, ports = start(data, fsync)
            try:
                port_admin, _ = admin_port(proc, ports)
                port = [p for p in ports if p != port_admin][0]
                results[(fsync, lease)].append(run_clients(port, args.clients, args.changes, args.window, lease))
                _, stats = admin_port(proc, [port_admin])
                fsyncs[(fsync, lease)].append(stats.get("fsyncs", 0))
            finally:
                proc.terminate()
                proc.wait(timeout=30)
                shutil.rmtree(data, ignore_errors=True)
    total = args.clients * args.changes
    for fsync, lease in configs:
        rate = statistics.median(results[(fsync, lease)])
        syncs = statistics.median(fsyncs[(fsync, lease)])
        per = f"{total / syncs:.1f}" if syncs else "-"
        print(f"{fsync:<9} {lease:>5} {rate:>10.0f} {syncs:>7.0f} {per:>14}")


if __name__ == "__main__":
    main()
