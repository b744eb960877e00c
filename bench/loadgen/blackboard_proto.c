/* The Blackboard wire protocol for peerbench's loadgen.
 *
 * peerbench (../shared/peerbench/loadgen.c) is the load generator that
 * measured nats-server, Redis and Mosquitto; its README invites a new broker
 * to plug in as one `proto_t` entry. bench/loadgen/build.sh compiles loadgen.c
 * with this file included just before its protocol table and one entry added,
 * so every broker is measured by the same code. Nothing here is copied from
 * loadgen.c: it is written against the interface the README documents
 * (conn_t, on_ready, on_delivery, queue_reply, ROLE_SUB).
 *
 * One message = `PUB n` with n pairs. Normally n = 1 (the pair's concept is
 * loadgen's topic). W7, the blackboard's own workload, sets BB_PAIRS=20 and
 * BB_WANT=4: every message carries 20 pairs `bench.c0`..`bench.c19`, each
 * holding the payload, and subscriber s asks for the 4 concepts starting at
 * 2*s (mod 20), so each subscriber's MSG is a different 4-pair cut of the
 * message. A delivery is counted once per MSG (its first value carries
 * loadgen's header); a MSG with any other pair count is counted as bad.
 */
#include <stdlib.h>

static int bb_pairs = -1, bb_want = 0;

static void bb_config(void) {
    if (bb_pairs >= 0) return;
    const char *p = getenv("BB_PAIRS"), *w = getenv("BB_WANT");
    bb_pairs = p ? atoi(p) : 1;
    if (bb_pairs < 1) bb_pairs = 1;
    bb_want = w ? atoi(w) : bb_pairs;
    if (bb_want < 1 || bb_want > bb_pairs) bb_want = bb_pairs;
}

static size_t bb_hello(conn_t *c, uint8_t *out, size_t cap) {
    bb_config();
    size_t n = (size_t)snprintf((char *)out, cap, "HELLO urn:bench:%s:%d name=loadgen\r\n",
                                c->role == ROLE_SUB ? "sub" : "pub", c->idx);
    if (c->role == ROLE_SUB) {
        if (bb_pairs > 1) {
            n += (size_t)snprintf((char *)out + n, cap - n, "SUB %d\r\n", bb_want);
            for (int j = 0; j < bb_want; j++)
                n += (size_t)snprintf((char *)out + n, cap - n, "bench.c%d\r\n", (c->idx * 2 + j) % bb_pairs);
        } else {
            n += (size_t)snprintf((char *)out + n, cap - n, "SUB %d\r\n", c->ntopics);
            for (int i = 0; i < c->ntopics; i++)
                n += (size_t)snprintf((char *)out + n, cap - n, "%s\r\n", c->topics[i]);
        }
    }
    /* PONG proves HELLO and SUB have been processed: the profile is in force. */
    n += (size_t)snprintf((char *)out + n, cap - n, "PING\r\n");
    return n;
}

/* Decimal digits of v at o; returns how many. */
static size_t bb_digits(uint8_t *o, size_t v) {
    char tmp[24];
    size_t n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (size_t i = 0; i < n; i++) o[i] = (uint8_t)tmp[n - 1 - i];
    return n;
}

/* `concept nbytes\r\n` value `\r\n`, formatted by hand: loadgen calls this
 * once per message, and printf would cost more than the broker's work. */
static uint8_t *bb_record(uint8_t *o, const char *concept, size_t clen, const uint8_t *pl, size_t plen) {
    memcpy(o, concept, clen); o += clen;
    *o++ = ' ';
    o += bb_digits(o, plen);
    *o++ = '\r'; *o++ = '\n';
    memcpy(o, pl, plen); o += plen;
    *o++ = '\r'; *o++ = '\n';
    return o;
}

static size_t bb_publish(conn_t *c, const char *topic, size_t tlen, const uint8_t *pl, size_t plen,
                         uint8_t *out, size_t cap) {
    (void)c;
    if (cap < (size_t)bb_pairs * (plen + tlen + 48) + 32) return 0;
    uint8_t *o = out;
    memcpy(o, "PUB ", 4); o += 4;
    o += bb_digits(o, (size_t)bb_pairs);
    *o++ = '\r'; *o++ = '\n';
    if (bb_pairs == 1) return (size_t)(bb_record(o, topic, tlen, pl, plen) - out);
    static const char *const names[] = {"bench.c0", "bench.c1", "bench.c2", "bench.c3", "bench.c4", "bench.c5",
        "bench.c6", "bench.c7", "bench.c8", "bench.c9"};
    for (int i = 0; i < bb_pairs; i++) {
        char concept[32];
        size_t cl;
        if (i < 10) { cl = 8; memcpy(concept, names[i], 8); }
        else { memcpy(concept, "bench.c", 7); cl = 7 + bb_digits((uint8_t *)concept + 7, (size_t)i); }
        o = bb_record(o, concept, cl, pl, plen);
    }
    return (size_t)(o - out);
}

static uint64_t bb_u64(const uint8_t *p, const uint8_t *end) {
    uint64_t v = 0;
    while (p < end && *p >= '0' && *p <= '9') v = v * 10 + (uint64_t)(*p++ - '0');
    return v;
}

/* The last space-separated field of [line, end): a record's byte count. */
static uint64_t bb_last_field(const uint8_t *line, const uint8_t *end) {
    const uint8_t *sp = end;
    while (sp > line && sp[-1] != ' ') sp--;
    return bb_u64(sp, end);
}

/* The line starting at p: returns its end (before CR/LF) and sets *next past
 * the LF, or returns NULL when the line is incomplete. */
static const uint8_t *bb_line(const uint8_t *p, const uint8_t *end, const uint8_t **next) {
    const uint8_t *lf = memchr(p, '\n', (size_t)(end - p));
    if (!lf) return NULL;
    *next = lf + 1;
    return (lf > p && lf[-1] == '\r') ? lf - 1 : lf;
}

/* One MSG frame: [line, eol) is its header, its records start at p. Returns the frame's
 * end, NULL if incomplete, or (const uint8_t *)-1 on garbage. */
static const uint8_t *bb_msg(conn_t *c, const uint8_t *line, const uint8_t *eol, const uint8_t *p,
                             const uint8_t *end) {
    /* MSG seq n publisher ts */
    const uint8_t *f = line + 4;
    while (f < eol && *f != ' ') f++;        /* skip seq */
    uint64_t n = bb_u64(f + 1, eol);
    const uint8_t *first = NULL;
    size_t first_len = 0;
    for (uint64_t i = 0; i < n; i++) {
        const uint8_t *next;
        const uint8_t *rend = bb_line(p, end, &next);
        if (!rend) return NULL;
        uint64_t sz = bb_last_field(p, rend);
        if ((uint64_t)(end - next) < sz + 2) return NULL;
        if (i == 0) { first = next; first_len = (size_t)sz; }
        p = next + sz;
        if (p[0] == '\r') p++;
        if (p >= end) return NULL;
        if (*p != '\n') return (const uint8_t *)-1;
        p++;
    }
    if (n != (uint64_t)bb_want || !first) c->bad++;
    else on_delivery(c, first, first_len);
    return p;
}

static ssize_t bb_parse(conn_t *c, const uint8_t *in, size_t len) {
    const uint8_t *p = in, *end = in + len;
    while (p < end) {
        const uint8_t *next;
        const uint8_t *eol = bb_line(p, end, &next);
        if (!eol) {
            if (end - p > 4096) return -1;
            break;
        }
        size_t ll = (size_t)(eol - p);
        if (ll >= 4 && memcmp(p, "MSG ", 4) == 0) {
            const uint8_t *after = bb_msg(c, p, eol, next, end);
            if (!after) break;
            if (after == (const uint8_t *)-1) return -1;
            p = after;
            continue;
        }
        if ((ll >= 8 && memcmp(p, "PROFILE ", 8) == 0) || (ll >= 6 && memcmp(p, "DELTA ", 6) == 0)) {
            /* n entry lines follow; publishers here never REG, so skip them. */
            uint64_t n = bb_last_field(p, eol);
            const uint8_t *q = next;
            uint64_t i = 0;
            for (; i < n; i++) {
                const uint8_t *after;
                if (!bb_line(q, end, &after)) break;
                q = after;
            }
            if (i < n) break;
            p = q;
            continue;
        }
        if (ll == 4 && memcmp(p, "PING", 4) == 0) queue_reply(c, "PONG\r\n", 6);
        else if (ll == 4 && memcmp(p, "PONG", 4) == 0) on_ready(c);
        else if (ll >= 4 && memcmp(p, "-ERR", 4) == 0)
            fprintf(stderr, "loadgen: %s: server error: %.*s\n", c->id, (int)ll, p);
        /* +OK HELLO, +OK SUB: nothing to do */
        p = next;
    }
    return (ssize_t)(p - in);
}
