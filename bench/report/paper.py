"""Every number the seed paper gives in its section 5 ("Performance").

Valerio, Sahoo, Barga and Jackson (2008), "Capturing Workflow Event Data for
Monitoring, Performance Analysis, and Management of Scientific Workflows".
Figures 9-11 are plots whose values the text does not state: for them only the
set-up and what the text says about the curves are recorded here.
"""

# (where, what, value, unit, note) -- one row per fact, in the paper's order.
FACTS = [
    # §5.1, first paragraph
    ("§5.1", "test machine", "Windows Vista Ultimate, 3.0 GHz Intel Core 2 Duo, 4 GB RAM", "", "all tests"),
    ("§5.1", "method", "in-process \"shims\" mocking the WCF services", "", "core algorithms only, no network"),
    # §5.1, Figure 9
    ("§5.1 / Fig. 9", "profile sizes", "5, 50, 100", "concepts", "randomly generated per iteration"),
    ("§5.1 / Fig. 9", "overlap between two profiles", 33, "% probability", "per subscription item"),
    ("§5.1 / Fig. 9", "subscriptions", 1000, "subscriptions", "each one timed"),
    ("§5.1 / Fig. 9", "subscription time", "linear in the number of subscriptions; grows with profile size",
     "s (plot only)", "spikes blamed on other processes and the .NET garbage collector"),
    # §5.1, Figure 10
    ("§5.1 / Fig. 10", "unsubscription", "after the 1000 subscriptions, each address unsubscribed", "", ""),
    ("§5.1 / Fig. 10", "unsubscription time", "linear trend; almost negligible dependence on profile size",
     "s (plot only)", ""),
    # §5.2, Figure 11
    ("§5.2 / Fig. 11", "subscribers", 10, "subscribers", "profiles do not overlap (worst case)"),
    ("§5.2 / Fig. 11", "profile size", 1000, "concepts per subscriber", ""),
    ("§5.2 / Fig. 11", "largest message", "1 MB = 10,000 pairs x 100 B values", "", ""),
    ("§5.2 / Fig. 11", "samples", 10, "publishes per size, mean plotted", ""),
    ("§5.2 / Fig. 11", "publishing latency", "increases linearly with message size", "s (plot only)",
     "\"most messages will contain less than 10kB\""),
    # §5.3
    ("§5.3", "end-to-end set-up", "3 publishers, blackboard, 3 subscribers in one process (AppDomains), WCF over loopback", "", ""),
    ("§5.3", "messages", 3000, "messages (1000 per publisher)", "100-byte payload"),
    ("§5.3", "throughput", 1600, "messages/s", "\"around\"; the text does not say published or delivered"),
    ("§5.3", "bandwidth", 1.22, "Mbps (maximum)", "= 1600 x 100 B x 8 / 2^20: payload bits, binary mega"),
]

MACHINE = "Windows Vista Ultimate, 3.0 GHz Intel Core 2 Duo, 4 GB RAM (§5.1)"

# §5.1: both figures span 1..1000 subscriptions and profiles of 5, 50, 100 concepts.
SUBSCRIPTIONS_MAX = 1000
PROFILE_SIZES = (5, 50, 100)

# §5.2: messages up to 10,000 pairs of 100-byte values (1 MB), 10 subscribers.
SEPARATION_MAX_BYTES = 1_000_000
SEPARATION_SUBSCRIBERS = 10

# §5.3: 3 x 3, 100 B payload, 1000 messages per publisher (our workload W1s).
E2E_MSGS_PER_S = 1600
E2E_MBPS = 1.22
E2E_WORKLOAD = "W1s"

LABEL = "paper (2008)"
