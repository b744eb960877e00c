#!/usr/bin/env python3
"""What a large persisted state costs at shutdown and start-up (not part of `make test`).

Registers N leased subscribers (HELLO lease=3600, SUB of E concepts drawn from a pool
of 10,000) with the release daemon, stops it with SIGTERM (its final snapshot), then
starts it again on the same data directory and times the load. Prints, per N: the
snapshot's size and the time the broker logged for writing it, the time from exec to
`listening` on restart (load + rebuild of the index), and the RSS before and after.

    python3 bench/restart.py [--subscribers 10000 50000] [--entries 10]
"""
import argparse, os, random, re, shutil, signal, socket, subprocess, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "blackboardd")


class Daemon:
    def __init__(self, data_dir):
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([BINARY, "--port", "0", "--admin-port", "0", "--data-dir", data_dir,
                                      "--fsync", "never", "--max-connections", "100000"],
                                     stderr=subprocess.PIPE, text=True)
        self.log = []
        self.listening = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.listening.wait(600):
            raise SystemExit("no listening line")

    def _read(self):
        for line in self.proc.stderr:
            self.log.append(line)
            m = re.search(r"] listening on \S+:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                self.ready = time.perf_counter() - self.started
                self.listening.set()

    def rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=600)
        time.sleep(0.1)
        return "".join(self.log)


def register(port, first, count, entries, seed):
    rng = random.Random(seed)
    for i in range(first, first + count):
        with socket.create_connection(("127.0.0.1", port)) as s:
            concepts = {f"c:{rng.randrange(10_000)}" for _ in range(entries)}
            frame = f"HELLO urn:bench:restart:{i} lease=3600\r\nSUB {len(concepts)}\r\n" + "".join(c + "\r\n" for c in concepts)
            s.sendall(frame.encode())
            buf = b""
            while buf.count(b"\r\n") < 2:
                data = s.recv(4096)
                if not data:
                    raise SystemExit("closed")
                buf += data
            assert b"+OK SUB" in buf, buf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, nargs="+", default=[10_000, 50_000])
    ap.add_argument("--entries", type=int, default=10)
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args()
    if not os.path.exists(BINARY):
        subprocess.run(["swift", "build", "-c", "release", "--product", "blackboardd"], cwd=ROOT, check=True)
    print(f"{'subscribers':>11} {'snapshot':>10} {'write ms':>8} {'start s':>8} {'RSS before':>10} {'RSS after':>10}")
    for n in args.subscribers:
        data = tempfile.mkdtemp(prefix="bb-restart-")
        try:
            daemon = Daemon(data)
            per = n // args.threads
            threads = [threading.Thread(target=register, args=(daemon.port, t * per, per, args.entries, t))
                       for t in range(args.threads)]
            for t in threads: t.start()
            for t in threads: t.join()
            before = daemon.rss_mib()
            log = daemon.stop()
            m = re.search(r" ms=(\d+) .*reason=shutdown", log)
            size = os.path.getsize(os.path.join(data, "blackboard.snapshot"))
            again = Daemon(data)
            after = again.rss_mib()
            again.stop()
            print(f"{per * args.threads:>11} {size / 1e6:>8.1f}MB {m.group(1) if m else '?':>8} {again.ready:>8.2f} "
                  f"{before:>8.1f}Mi {after:>8.1f}Mi")
        finally:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
