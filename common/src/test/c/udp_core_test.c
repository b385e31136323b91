/*
 * The native UDP core on its own, per architecture (run natively, or under qemu-user for a cross
 * build): a datagram over loopback must come back with its data, the peer's address and port, a
 * kernel receive timestamp between the send and the read (CLOCK_REALTIME), the TTL and TOS it was
 * sent with; IPv6 the same where the host has ::1. Prints "N passed, M failed" and exits non-zero on
 * any failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "udp_core.h"

static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) { passed++; } else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

static int64_t realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int wait_readable(int fd) {
    struct pollfd p = { .fd = fd, .events = POLLIN };
    return poll(&p, 1, 2000);
}

static void round_trip(int ipv6, const uint8_t *loopback, int addr_len, int tos) {
    const char *name = ipv6 ? "ipv6" : "ipv4";
    int a = lp_open(ipv6), b = lp_open(ipv6);
    CHECK(a >= 0 && b >= 0, "%s: open: %s", name, strerror(a < 0 ? -a : -b));
    if (a < 0 || b < 0) return;
    CHECK(lp_bind(a, ipv6, loopback, addr_len, 0) == 0, "%s: bind a", name);
    CHECK(lp_bind(b, ipv6, loopback, addr_len, 0) == 0, "%s: bind b", name);
    int port_a = lp_local_port(a), port_b = lp_local_port(b);
    CHECK(port_a > 0 && port_b > 0, "%s: local ports %d %d", name, port_a, port_b);
    CHECK(lp_set_tos(a, ipv6, tos) == 0, "%s: set tos", name);

    char none[8];
    struct lp_meta meta;
    CHECK(lp_recv(b, none, sizeof(none), &meta) == -EAGAIN, "%s: an empty socket answers EAGAIN", name);

    struct lp_meta to = { .family = ipv6 ? 6 : 4, .port = port_b };
    memcpy(to.addr, loopback, (size_t) addr_len);
    const char payload[] = "stamp-request";
    int64_t before = realtime_ns();
    int sent = lp_send(a, ipv6, payload, sizeof(payload), &to);
    CHECK(sent == (int) sizeof(payload), "%s: send returned %d", name, sent);
    CHECK(wait_readable(b) == 1, "%s: nothing arrived", name);
    char buf[64];
    int n = lp_recv(b, buf, sizeof(buf), &meta);
    int64_t after = realtime_ns();
    CHECK(n == (int) sizeof(payload) && memcmp(buf, payload, sizeof(payload)) == 0, "%s: received %d bytes", name, n);
    int64_t rx = meta.rx_sec * 1000000000 + meta.rx_nsec;
    CHECK(meta.rx_sec > 0, "%s: no kernel timestamp", name);
    CHECK(rx >= before && rx <= after, "%s: kernel timestamp %lld outside [%lld, %lld]", name,
          (long long) rx, (long long) before, (long long) after);
    CHECK(meta.ttl == 64 || meta.ttl == 255, "%s: ttl %d (expected the loopback default, 64)", name, meta.ttl);
    CHECK(meta.tos == tos, "%s: tos %d, sent with %d", name, meta.tos, tos);
    CHECK(meta.port == port_a, "%s: peer port %d, expected %d", name, meta.port, port_a);
    CHECK(meta.family == (ipv6 ? 6 : 4) && memcmp(meta.addr, loopback, (size_t) addr_len) == 0, "%s: peer address", name);

    /* Truncation is reported, not hidden: a 5-byte buffer for a 14-byte datagram. */
    lp_send(a, ipv6, payload, sizeof(payload), &to);
    wait_readable(b);
    n = lp_recv(b, buf, 5, &meta);
    CHECK(n == 5 && (meta.flags & LP_TRUNCATED), "%s: truncated read returned %d flags %d", name, n, meta.flags);

    /* A connected socket sends without an address. */
    CHECK(lp_connect(a, ipv6, loopback, addr_len, port_b) == 0, "%s: connect", name);
    CHECK(lp_send(a, ipv6, payload, 4, NULL) == 4, "%s: connected send", name);
    wait_readable(b);
    CHECK(lp_recv(b, buf, sizeof(buf), &meta) == 4, "%s: connected datagram", name);
    lp_close(a);
    lp_close(b);
}

/* Transmit timestamps: numbered 0, 1, 2 by send, each between the send call's start and end. */
static void tx_timestamps(void) {
    uint8_t v4[4] = {127, 0, 0, 1};
    int a = lp_open(0), b = lp_open(0);
    lp_bind(b, 0, v4, 4, 0);
    CHECK(lp_connect(a, 0, v4, 4, lp_local_port(b)) == 0, "tx: connect");
    int err = lp_enable_tx_timestamps(a);
    if (err == -ENOPROTOOPT) {
        /* qemu-user (7.2) does not translate SO_TIMESTAMPING; Java then keeps the user-space T1. */
        printf("tx timestamps refused here (%s): transmit-timestamp cases skipped\n", strerror(-err));
        lp_close(a);
        lp_close(b);
        return;
    }
    CHECK(err == 0, "tx: enable: %s", strerror(-err));
    struct lp_meta meta;
    CHECK(lp_recv_tx_timestamp(a, &meta) == -EAGAIN, "tx: an empty error queue answers EAGAIN");
    for (uint32_t i = 0; i < 3; i++) {
        int64_t before = realtime_ns();
        CHECK(lp_send(a, 0, "tx", 2, NULL) == 2, "tx: send %u", i);
        int64_t after = realtime_ns();
        int r = -EAGAIN;
        for (int tries = 0; tries < 100 && r == -EAGAIN; tries++) {
            struct pollfd p = { .fd = a, .events = 0 };
            poll(&p, 1, 20); /* POLLERR when the error queue has something */
            r = lp_recv_tx_timestamp(a, &meta);
        }
        int64_t ts = meta.rx_sec * 1000000000 + meta.rx_nsec;
        CHECK(r == 1, "tx: timestamp %u: %d", i, r);
        CHECK(meta.tx_id == i, "tx: id %u, expected %u", meta.tx_id, i);
        CHECK(ts >= before && ts <= after, "tx: timestamp %lld outside the send [%lld, %lld]", (long long) ts,
              (long long) before, (long long) after);
    }
    char buf[8];
    struct lp_meta rx;
    wait_readable(b);
    CHECK(lp_recv(b, buf, sizeof(buf), &rx) == 2 && rx.rx_sec > 0, "tx: receive timestamps still work beside them");
    lp_close(a);
    lp_close(b);
}

int main(void) {
    uint8_t v4[4] = {127, 0, 0, 1};
    round_trip(0, v4, 4, 0xb8); /* DSCP EF */
    tx_timestamps();
    int probe = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 lo6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    if (probe >= 0 && bind(probe, (struct sockaddr *) &lo6, sizeof(lo6)) == 0) {
        uint8_t v6[16] = {0};
        v6[15] = 1;
        round_trip(1, v6, 16, 0x88);
        /* An IPv4 peer on a dual-stack socket reads back as IPv4, with IPv4's TTL and TOS. */
        int d = lp_open(1), a = lp_open(0);
        lp_bind(d, 1, NULL, 0, 0);
        lp_set_tos(a, 0, 0x28);
        struct lp_meta to = { .family = 4, .port = lp_local_port(d) };
        memcpy(to.addr, v4, 4);
        lp_send(a, 0, "x", 1, &to);
        wait_readable(d);
        struct lp_meta meta;
        char buf[8];
        int n = lp_recv(d, buf, sizeof(buf), &meta);
        CHECK(n == 1 && meta.family == 4 && memcmp(meta.addr, v4, 4) == 0, "dual stack: peer read as family %d", meta.family);
        CHECK(meta.ttl == 64 && meta.tos == 0x28, "dual stack: ttl %d tos %d", meta.ttl, meta.tos);
        lp_close(d);
        lp_close(a);
    } else {
        printf("ipv6 loopback unavailable here: IPv6 cases skipped\n");
    }
    if (probe >= 0) close(probe);
    printf("udp_core: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
