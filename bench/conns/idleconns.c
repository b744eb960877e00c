/* idleconns: hold N subscriber connections open against blackboardd, to
 * measure what a connection and a subscription cost the broker in memory.
 *
 *   idleconns PORT N CONCEPTS HOLD_SECONDS
 *
 * Connection i says `HELLO urn:idle:i`, subscribes to CONCEPTS concepts (no
 * SUB at all when CONCEPTS is -1)
 * (`idle.c<k>`, drawn so that profiles overlap a little, as real ones do),
 * then `PING`. Once every connection has its PONG, it prints `ready N` and
 * holds them until HOLD_SECONDS pass or stdin closes, then exits. Connections
 * are spread over source addresses 127.0.0.1-127.0.0.8 so that ephemeral
 * ports never run out. Loopback only; every wait is bounded.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: idleconns PORT N CONCEPTS HOLD_SECONDS\n");
        return 2;
    }
    int port = atoi(argv[1]), n = atoi(argv[2]), concepts = atoi(argv[3]);
    double hold = atof(argv[4]);
    int *fds = calloc((size_t)n, sizeof *fds);
    char *ready = calloc((size_t)n, 1);
    int ep = epoll_create1(0);
    if (!fds || !ready || ep < 0) die("setup");

    char frame[8192];
    for (int i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) die("socket");
        struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001 + (uint32_t)(i % 8))};
        if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) die("bind");
        struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(0x7f000001)};
        if (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0) die("connect");
        int len = snprintf(frame, sizeof frame, "HELLO urn:idle:%d\r\n", i);
        if (concepts >= 0) len += snprintf(frame + len, sizeof frame - (size_t)len, "SUB %d\r\n", concepts);
        for (int k = 0; k < concepts; k++)  /* 1 in 3 concepts shared by many, the rest this one's own */
            len += snprintf(frame + len, sizeof frame - (size_t)len, (k % 3 == 0) ? "idle.shared%d\r\n" : "idle.c%d.%d\r\n",
                            (k % 3 == 0) ? k : i, k);
        len += snprintf(frame + len, sizeof frame - (size_t)len, "PING\r\n");
        if (write(fd, frame, (size_t)len) != len) die("write");
        fcntl(fd, F_SETFL, O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
        fds[i] = fd;
    }

    /* Every connection's replies end with PONG once HELLO and SUB are done. */
    int pending = n;
    double deadline = now() + 60;
    struct epoll_event evs[256];
    char buf[4096];
    while (pending > 0 && now() < deadline) {
        int k = epoll_wait(ep, evs, 256, 1000);
        for (int e = 0; e < k; e++) {
            int i = (int)evs[e].data.u32;
            ssize_t r = read(fds[i], buf, sizeof buf - 1);
            if (r <= 0) { fprintf(stderr, "idleconns: connection %d closed by the broker\n", i); return 1; }
            buf[r] = 0;
            if (strstr(buf, "-ERR")) { fprintf(stderr, "idleconns: connection %d: %s", i, buf); return 1; }
            if (!ready[i] && strstr(buf, "PONG")) { ready[i] = 1; pending--; }
        }
    }
    if (pending > 0) { fprintf(stderr, "idleconns: %d connections not ready after 60 s\n", pending); return 1; }
    printf("ready %d\n", n);
    fflush(stdout);

    struct pollfd in = {.fd = 0, .events = POLLIN};
    poll(&in, 1, (int)(hold * 1000));
    for (int i = 0; i < n; i++) close(fds[i]);
    return 0;
}
