/* See udp_core.h. Linux only: SO_TIMESTAMPNS, IP_RECVTTL, IP_RECVTOS, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS. */
#define _GNU_SOURCE
#include "udp_core.h"

#include <errno.h>
#include <time.h> /* before linux/errqueue.h, which uses struct timespec */
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(struct lp_meta) == LP_META_SIZE, "struct lp_meta must stay 56 bytes (NativeUdp reads it)");
_Static_assert(offsetof(struct lp_meta, addr) == 32, "NativeUdp reads the address at offset 32");
_Static_assert(offsetof(struct lp_meta, flags) == 48, "NativeUdp reads the flags at offset 48");

static int on(int fd, int level, int name) {
    int one = 1;
    return setsockopt(fd, level, name, &one, sizeof(one)) == 0 ? 0 : -errno;
}

int lp_open(int ipv6) {
    int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    int err = on(fd, SOL_SOCKET, SO_TIMESTAMPNS);
    if (err == -ENOPROTOOPT) {
        /* Microseconds where nanoseconds are refused (qemu-user translates only this one). */
        err = on(fd, SOL_SOCKET, SO_TIMESTAMP);
    }
    if (err == 0 && !ipv6) {
        err = on(fd, IPPROTO_IP, IP_RECVTTL);
        if (err == 0) err = on(fd, IPPROTO_IP, IP_RECVTOS);
    } else if (err == 0) {
        int zero = 0;
        /* Dual stack: IPv4 peers arrive as v4-mapped addresses and carry IPv4 ancillary data. */
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) != 0) err = -errno;
        if (err == 0) err = on(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT);
        if (err == 0) err = on(fd, IPPROTO_IPV6, IPV6_RECVTCLASS);
        if (err == 0) {
            on(fd, IPPROTO_IP, IP_RECVTTL); /* for v4-mapped peers; harmless where refused */
            on(fd, IPPROTO_IP, IP_RECVTOS);
        }
    }
    if (err != 0) {
        close(fd);
        return err;
    }
    return fd;
}

static socklen_t sockaddr_of(int ipv6, const uint8_t *addr, int addr_len, int port, struct sockaddr_storage *ss) {
    memset(ss, 0, sizeof(*ss));
    if (!ipv6) {
        struct sockaddr_in *sin = (struct sockaddr_in *) ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t) port);
        if (addr_len == 4) memcpy(&sin->sin_addr, addr, 4);
        return sizeof(*sin);
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons((uint16_t) port);
    if (addr_len == 16) {
        memcpy(&sin6->sin6_addr, addr, 16);
    } else if (addr_len == 4) { /* an IPv4 peer on a dual-stack socket: ::ffff:a.b.c.d */
        sin6->sin6_addr.s6_addr[10] = 0xff;
        sin6->sin6_addr.s6_addr[11] = 0xff;
        memcpy(&sin6->sin6_addr.s6_addr[12], addr, 4);
    }
    return sizeof(*sin6);
}

int lp_bind(int fd, int ipv6, const uint8_t *addr, int addr_len, int port) {
    struct sockaddr_storage ss;
    socklen_t len = sockaddr_of(ipv6, addr, addr_len, port, &ss);
    return bind(fd, (struct sockaddr *) &ss, len) == 0 ? 0 : -errno;
}

int lp_connect(int fd, int ipv6, const uint8_t *addr, int addr_len, int port) {
    struct sockaddr_storage ss;
    socklen_t len = sockaddr_of(ipv6, addr, addr_len, port, &ss);
    return connect(fd, (struct sockaddr *) &ss, len) == 0 ? 0 : -errno;
}

int lp_local_port(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *) &ss, &len) != 0) {
        return -errno;
    }
    return ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *) &ss)->sin6_port)
                                    : ntohs(((struct sockaddr_in *) &ss)->sin_port);
}

int lp_set_tos(int fd, int ipv6, int tos) {
    int r = ipv6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos))
                 : setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
    if (r != 0) {
        return -errno;
    }
    if (ipv6) {
        setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)); /* v4-mapped peers; harmless where refused */
    }
    return 0;
}

static void peer_of(const struct sockaddr_storage *ss, struct lp_meta *meta) {
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) ss;
        meta->port = ntohs(sin6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
            meta->family = 4;
            memcpy(meta->addr, &sin6->sin6_addr.s6_addr[12], 4);
        } else {
            meta->family = 6;
            memcpy(meta->addr, &sin6->sin6_addr, 16);
        }
    } else {
        const struct sockaddr_in *sin = (const struct sockaddr_in *) ss;
        meta->family = 4;
        meta->port = ntohs(sin->sin_port);
        memcpy(meta->addr, &sin->sin_addr, 4);
    }
}

int lp_recv(int fd, void *buf, int cap, struct lp_meta *meta) {
    struct sockaddr_storage peer;
    struct iovec iov = { .iov_base = buf, .iov_len = (size_t) cap };
    /* Room for a timespec, a TTL/hop limit and a TOS/traffic class, each with its header. */
    union {
        /* A timespec, a TTL and a TOS, and room for an SCM_TIMESTAMPING a TX-stamping socket may add. */
        char buf[256];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {
        .msg_name = &peer, .msg_namelen = sizeof(peer),
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.buf, .msg_controllen = sizeof(control.buf),
    };
    ssize_t n;
    do {
        n = recvmsg(fd, &msg, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -errno;
    }
    memset(meta, 0, sizeof(*meta));
    meta->rx_sec = -1;
    meta->rx_nsec = -1;
    meta->ttl = -1;
    meta->tos = -1;
    peer_of(&peer, meta);
    if (msg.msg_flags & MSG_TRUNC) {
        meta->flags |= LP_TRUNCATED;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof(ts));
            meta->rx_sec = ts.tv_sec;
            meta->rx_nsec = ts.tv_nsec;
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMP) {
            struct timeval tv;
            memcpy(&tv, CMSG_DATA(c), sizeof(tv));
            meta->rx_sec = tv.tv_sec;
            meta->rx_nsec = (int64_t) tv.tv_usec * 1000;
        } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
                || (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
            int v;
            memcpy(&v, CMSG_DATA(c), sizeof(v));
            meta->ttl = v;
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
            meta->tos = *(const uint8_t *) CMSG_DATA(c); /* one byte, unlike the others */
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS) {
            int v;
            memcpy(&v, CMSG_DATA(c), sizeof(v));
            meta->tos = v;
        }
    }
    return (int) n;
}

int lp_send(int fd, int ipv6, const void *buf, int len, const struct lp_meta *to) {
    ssize_t n;
    if (to == NULL) {
        do {
            n = send(fd, buf, (size_t) len, 0);
        } while (n < 0 && errno == EINTR);
    } else {
        struct sockaddr_storage ss;
        socklen_t sl = sockaddr_of(ipv6, to->addr, to->family == 6 ? 16 : 4, to->port, &ss);
        do {
            n = sendto(fd, buf, (size_t) len, 0, (struct sockaddr *) &ss, sl);
        } while (n < 0 && errno == EINTR);
    }
    return n < 0 ? -errno : (int) n;
}

int lp_enable_tx_timestamps(int fd) {
    int flags = SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID
            | SOF_TIMESTAMPING_OPT_TSONLY;
    return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) == 0 ? 0 : -errno;
}

int lp_recv_tx_timestamp(int fd, struct lp_meta *meta) {
    char data[64];
    struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
    union {
        char buf[512];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.buf, .msg_controllen = sizeof(control.buf),
    };
    ssize_t n;
    do {
        n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -errno;
    }
    memset(meta, 0, sizeof(*meta));
    meta->rx_sec = -1;
    meta->rx_nsec = -1;
    int have_time = 0, have_id = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
            struct scm_timestamping ts;
            memcpy(&ts, CMSG_DATA(c), sizeof(ts));
            if (ts.ts[0].tv_sec != 0 || ts.ts[0].tv_nsec != 0) { /* [0]: the software timestamp */
                meta->rx_sec = ts.ts[0].tv_sec;
                meta->rx_nsec = ts.ts[0].tv_nsec;
                have_time = 1;
            }
        } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR)
                || (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
            struct sock_extended_err err;
            memcpy(&err, CMSG_DATA(c), sizeof(err));
            if (err.ee_errno == ENOMSG && err.ee_origin == SO_EE_ORIGIN_TIMESTAMPING && err.ee_info == SCM_TSTAMP_SCHED) {
                meta->tx_id = err.ee_data;
                have_id = 1;
            }
        }
    }
    return have_time && have_id ? 1 : 0;
}

int lp_close(int fd) {
    return close(fd) == 0 ? 0 : -errno;
}
