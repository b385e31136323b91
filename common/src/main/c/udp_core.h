/*
 * linkprobe's UDP socket with kernel receive timestamps, received TTL/hop limit and TOS/traffic
 * class: the part of the STAMP path the JVM's sockets cannot do. Plain C with no JNI, so that it
 * can be tested on its own (test/c/udp_core_test.c), also under qemu for other architectures.
 *
 * Every function returns >= 0 on success and -errno on failure.
 */
#ifndef LINKPROBE_UDP_CORE_H
#define LINKPROBE_UDP_CORE_H

#include <stdint.h>
#include <stddef.h>

/*
 * What recvmsg tells besides the data. The layout is shared with Java (NativeUdp reads it from a
 * direct buffer in native byte order): keep both in step.
 */
struct lp_meta {
    int64_t rx_sec;       /* kernel receive time, CLOCK_REALTIME; -1 when the kernel gave none */
    int64_t rx_nsec;
    int32_t ttl;          /* IPv4 TTL or IPv6 hop limit of the received packet; -1 when unknown */
    int32_t tos;          /* IPv4 TOS or IPv6 traffic class; -1 when unknown */
    int32_t family;       /* 4 or 6: the peer address below */
    int32_t port;         /* the peer's port */
    uint8_t addr[16];     /* the peer's address: 4 bytes (IPv4) or 16 (IPv6) */
    int32_t flags;        /* LP_TRUNCATED */
    uint32_t tx_id;       /* lp_recv_tx_timestamp: the send's SOF_TIMESTAMPING_OPT_ID counter */
};

#define LP_TRUNCATED 1
#define LP_META_SIZE 56

/* A non-blocking, close-on-exec UDP socket with receive timestamps, TTL and TOS turned on. */
int lp_open(int ipv6);
int lp_bind(int fd, int ipv6, const uint8_t *addr, int addr_len, int port);
int lp_connect(int fd, int ipv6, const uint8_t *addr, int addr_len, int port);
/* The bound port. */
int lp_local_port(int fd);
/* Sets the TOS (IPv4) / traffic class (IPv6) of what this socket sends, e.g. DSCP << 2. */
int lp_set_tos(int fd, int ipv6, int tos);
/* One datagram into buf; fills meta. -EAGAIN when none is waiting. */
int lp_recv(int fd, void *buf, int cap, struct lp_meta *meta);
/* Sends len bytes to meta's peer, or to the connected peer when meta is NULL. */
int lp_send(int fd, int ipv6, const void *buf, int len, const struct lp_meta *to);
/*
 * Asks the kernel for a timestamp of every datagram this socket sends, taken as it enters the
 * device's queueing discipline (SOF_TIMESTAMPING_TX_SCHED: inside the send call, after the system
 * call's own path, before any local queue, so a loaded uplink's queueing stays in the RTT),
 * numbered 0, 1, 2... by send (SOF_TIMESTAMPING_OPT_ID), read back with lp_recv_tx_timestamp
 * from the socket's error queue.
 */
int lp_enable_tx_timestamps(int fd);
/*
 * One message from the error queue: 1 with meta->rx_sec/rx_nsec the send time and meta->tx_id its
 * number, 0 for a message that is no transmit timestamp, -EAGAIN when the queue is empty.
 */
int lp_recv_tx_timestamp(int fd, struct lp_meta *meta);
int lp_close(int fd);

#endif
