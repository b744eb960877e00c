"""The peers' figures published from this machine on 2026-11-21.

Transcribed from shared/peerbench/summary-2026-11-21.md (run_peers.sh, 3 runs each,
medians; delivered/expected is the worst run). Used only where DIR/peers/raw.jsonl
has no runs for a broker and workload, and always labelled as such.
"""

LABEL = "peers (published 2026-11-21)"

FIELDS = ("del_rate", "pub_rate", "mb_s", "lat_p50_us", "lat_p99_us", "lat_p999_us", "lat_max_us",
          "srv_cpu_pct", "lg_cpu_pct", "rss_after_kb", "srv_hwm_kb", "delivered", "expected")

_ROWS = {
    ("nats", "W1"): (5_007_799, 1_669_972, 500.8, 1_507, 4_850, None, None, 113, 42, 17_088, 19_552, 9_000_000, 9_000_000),
    ("redis", "W1"): (3_686_310, 1_229_456, 368.6, 2_720, 5_046, None, None, 99, 54, 12_608, 12_608, 9_000_000, 9_000_000),
    ("mosquitto", "W1"): (219_172, 73_205, 21.9, 53_000, 70_300, None, None, 100, 19, 8_632, 8_632, 9_000_000, 9_000_000),
    ("nats", "W1s"): (3_691_806, 6_886_578, 369.2, 1_442, 2_090, None, None, 167, 33, 15_400, 15_400, 9_000, 9_000),
    ("redis", "W1s"): (2_341_863, 2_687_358, 234.2, 2_949, 3_506, None, None, 0, 50, 12_588, 12_588, 9_000, 9_000),
    ("mosquitto", "W1s"): (164_246, 8_481_428, 16.4, 25_200, 50_300, None, None, 87, 20, 8_692, 8_692, 9_000, 9_000),
    ("nats", "W2"): (5_052_566, 505_670, 505.3, 1_655, 4_456, None, None, 106, 32, 17_236, 19_904, 10_000_000, 10_000_000),
    ("redis", "W2"): (4_816_752, 482_506, 481.7, 2_392, 4_391, None, None, 99, 58, 12_680, 12_680, 10_000_000, 10_000_000),
    ("mosquitto", "W2"): (298_269, 29_887, 29.8, 43_500, 57_700, None, None, 100, 31, 8_768, 8_768, 10_000_000, 10_000_000),
    ("nats", "W3"): (2_853_429, 2_853_608, 285.3, 3_113, 10_600, None, None, 117, 45, 17_512, 21_404, 10_000_000, 10_000_000),
    ("redis", "W3"): (1_722_336, 1_722_562, 172.2, 7_668, 11_900, None, None, 99, 50, 16_912, 19_772, 10_000_000, 10_000_000),
    ("mosquitto", "W3"): (182_936, 183_320, 18.3, 71_300, 89_100, None, None, 100, 8, 8_704, 8_704, 10_000_000, 10_000_000),
    ("nats", "W4"): (7_774, 7_780, 509.5, 1_933, 7_274, None, None, 115, 23, 18_992, 36_180, 50_000, 50_000),
    ("redis", "W4"): (23_329, 23_342, 1528.9, 729, 1_769, None, None, 96, 70, 12_624, 12_624, 50_000, 50_000),
    ("mosquitto", "W4"): (27_398, 27_403, 1795.5, 647, 1_229, None, None, 74, 74, 8_932, 8_932, 50_000, 50_000),
    ("nats", "W5"): (10_000, None, None, 62, 154, 918, 4_123, 59, 35, 15_888, 16_828, 100_000, 100_000),
    ("redis", "W5"): (10_000, None, None, 59.9, 133, 1_229, 4_205, 35, 56, 12_152, 12_152, 100_000, 100_000),
    ("mosquitto", "W5"): (10_000, None, None, 42, 89.1, 705, 3_707, 22, 39, 8_704, 8_704, 100_000, 100_000),
    ("nats", "W6"): (3_329_084, 1_666_235, 332.9, 1_901, 6_357, None, None, 117, 42, 17_016, 18_084, 2_000_000, 2_000_000),
    ("redis", "W6"): (2_540_448, 1_272_821, 254, 3_539, 7_274, None, None, 97, 51, 12_720, 12_720, 2_000_000, 2_000_000),
    ("mosquitto", "W6"): (231_432, 116_686, 23.1, 44_600, 58_700, None, None, 100, 28, 8_700, 8_700, 2_000_000, 2_000_000),
}

RUNS = 3


def summaries():
    """{(broker, workload): summary dict} in the shape e2e.summarize() returns."""
    out = {}
    for (broker, workload), values in _ROWS.items():
        s = dict(zip(FIELDS, values))
        s.update(broker=broker, workload=workload, source=LABEL, runs=RUNS, statuses="complete",
                 noisy=0, retried=0, srv_cpu_s=None, lg_cpu_s=None)
        out[(broker, workload)] = s
    return out
