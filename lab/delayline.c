/*
 * delayline — a userspace delay / jitter / loss line between two TUN devices.
 *
 * This kernel has no netem, so the link lab's router namespace routes every forwarded packet into
 * one of two TUN devices (policy routing by incoming interface). This program reads a packet from
 * one TUN, decides whether to lose it, holds it until its release time and writes it to the other
 * TUN, where the kernel receives it and routes it on. Two independent directions:
 *
 *     up:   read --up-in  (packets from the site side)  -> write --up-out  (towards the hub)
 *     down: read --down-in (packets from the hub side)  -> write --down-out (towards the site)
 *
 * Ordering: each direction is a FIFO. A packet's release time is
 *     max(arrival + delay + uniform(-jitter, +jitter), release time of the packet before it)
 * so jitter never reorders packets (a real copper line does not reorder; its jitter comes from
 * queueing). The price: with jitter close to the gap between packets, the mean delay rises above
 * the configured delay. Because release times are monotonic per direction, a ring of timestamped
 * slots is enough — the head is always the next packet due — and no heap is needed.
 *
 * Timing: CLOCK_MONOTONIC, ppoll() with a nanosecond timeout, timer slack set to 1 ns (the default
 * 50 us slack would be our own added delay), optional SCHED_FIFO (--rt PRIO) so that the other
 * busy processes on a small machine do not delay our wake-ups. ppoll still wakes ~25 us late in a
 * VM: we learn that overshoot (moving average), ask to be woken that much early and spin the rest.
 * While spinning, arriving packets wait (their arrival is stamped when read): tens of microseconds.
 * Lateness (start of the write minus the release time) is recorded per packet in 1 us buckets; the
 * time spent inside write() (the kernel forwarding the packet on) is reported apart.
 *
 * Statistics: on SIGUSR1 (and at exit) a JSON object is written to --stats FILE (via a temporary
 * file and rename, so readers never see half a file). "seq" counts the dumps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define SLOT_BYTES 2048          /* > TUN mtu 1500; a longer packet is counted and dropped */
#define LATE_BUCKETS 2001        /* 1 us buckets 0..1999 us, last bucket = 2 ms and more */
#define READ_BATCH 64            /* packets read per direction per wake-up, for fairness */

struct slot {
    uint64_t due_ns;
    uint32_t len;
    uint8_t data[SLOT_BYTES];
};

struct direction {
    const char *name;
    const char *in_name, *out_name;
    int in_fd, out_fd;
    uint64_t delay_ns, jitter_ns;
    double loss;                 /* probability 0..1 */
    struct slot *ring;
    uint32_t mask, head, tail;   /* head == tail: empty; tail - head == mask + 1: full */
    uint64_t last_due_ns;
    /* statistics */
    uint64_t packets_in, bytes_in, dropped_loss, dropped_full, dropped_oversize;
    uint64_t packets_out, bytes_out, write_errors, max_packet_bytes;
    uint64_t late_sum_ns, late_max_ns, write_sum_ns;
    uint64_t late_hist[LATE_BUCKETS];
};

static volatile sig_atomic_t dump_requested, stop_requested;
static const char *stats_path;
static uint64_t dumps;
static uint64_t rng_state;
/* Running estimate of how late ppoll wakes us (EWMA); we ask to be woken that much earlier. */
static uint64_t wake_overshoot_ns = 20000;
static uint64_t max_overshoot_ns = 100000;   /* --spin-max-us: 0 turns compensation and spinning off */

static void on_signal(int sig) {
    if (sig == SIGUSR1) dump_requested = 1; else stop_requested = 1;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

/* splitmix64: small, fast, good enough for Bernoulli loss and uniform jitter. */
static uint64_t next_random(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double next_unit(void) { return (double) (next_random() >> 11) * 0x1.0p-53; }

static void die(const char *what) {
    fprintf(stderr, "delayline: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int attach_tun(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) die("open /dev/net/tun");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) die(name);
    return fd;
}

static void record_lateness(struct direction *d, uint64_t late_ns) {
    d->late_sum_ns += late_ns;
    if (late_ns > d->late_max_ns) d->late_max_ns = late_ns;
    uint64_t bucket = late_ns / 1000;
    d->late_hist[bucket < LATE_BUCKETS - 1 ? bucket : LATE_BUCKETS - 1]++;
}

static void emit(struct direction *d, const uint8_t *data, uint32_t len, uint64_t due_ns) {
    uint64_t start = now_ns();
    record_lateness(d, start > due_ns ? start - due_ns : 0);
    ssize_t n = write(d->out_fd, data, len);
    /* The write runs the kernel's forwarding path on our time (tun -> routing -> tbf -> veth ->
     * the far namespace's stack), work that a hardware router would do anyway: kept apart. */
    d->write_sum_ns += now_ns() - start;
    if (n != (ssize_t) len) { d->write_errors++; return; }
    d->packets_out++;
    d->bytes_out += len;
}

/*
 * Writes every packet whose release time has come; returns the next release time or 0.
 * A wait shorter than the expected wake-up overshoot of ppoll is spun instead of slept: sleeping
 * would make the packet late by that overshoot (~25 us in a VM), spinning costs at most as long.
 */
static uint64_t release_due(struct direction *d) {
    while (d->head != d->tail) {
        struct slot *s = &d->ring[d->head & d->mask];
        uint64_t now = now_ns();
        if (s->due_ns > now) {
            if (s->due_ns - now > wake_overshoot_ns) return s->due_ns;
            while (now_ns() < s->due_ns) { }
        }
        emit(d, s->data, s->len, s->due_ns);
        d->head++;
    }
    return 0;
}

static uint64_t sample_delay_ns(const struct direction *d) {
    if (d->jitter_ns == 0) return d->delay_ns;
    double offset = (2.0 * next_unit() - 1.0) * (double) d->jitter_ns;
    double delay = (double) d->delay_ns + offset;
    return delay > 0 ? (uint64_t) delay : 0;
}

static void read_packets(struct direction *d) {
    for (int i = 0; i < READ_BATCH; i++) {
        struct slot *s = &d->ring[d->tail & d->mask];
        int full = d->tail - d->head > d->mask;
        static uint8_t spill[SLOT_BYTES];
        uint8_t *buf = full ? spill : s->data;
        ssize_t n = read(d->in_fd, buf, SLOT_BYTES);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) die(d->in_name);
            return;
        }
        uint64_t arrival = now_ns();
        d->packets_in++;
        d->bytes_in += (uint64_t) n;
        if ((uint64_t) n > d->max_packet_bytes) d->max_packet_bytes = (uint64_t) n;
        if (n >= SLOT_BYTES) { d->dropped_oversize++; continue; }
        if (d->loss > 0 && next_unit() < d->loss) { d->dropped_loss++; continue; }
        if (full) { d->dropped_full++; continue; }
        uint64_t due = arrival + sample_delay_ns(d);
        if (due < d->last_due_ns) due = d->last_due_ns;   /* keep FIFO order */
        d->last_due_ns = due;
        if (d->head == d->tail && due <= arrival) {        /* zero delay: no queueing at all */
            emit(d, s->data, (uint32_t) n, due);
            continue;
        }
        s->len = (uint32_t) n;
        s->due_ns = due;
        d->tail++;
    }
}

static uint64_t percentile_us(const struct direction *d, double q) {
    uint64_t total = 0, seen = 0;
    for (int i = 0; i < LATE_BUCKETS; i++) total += d->late_hist[i];
    if (total == 0) return 0;
    uint64_t rank = (uint64_t) (q * (double) (total - 1)) + 1;
    for (int i = 0; i < LATE_BUCKETS; i++) {
        seen += d->late_hist[i];
        if (seen >= rank) return (uint64_t) i;
    }
    return LATE_BUCKETS - 1;
}

static void write_direction(FILE *f, const struct direction *d) {
    double sent = d->packets_out + d->write_errors;
    double mean_us = sent > 0 ? (double) d->late_sum_ns / sent / 1000.0 : 0;
    double write_us = sent > 0 ? (double) d->write_sum_ns / sent / 1000.0 : 0;
    fprintf(f, "\"%s\":{\"delay_us\":%llu,\"jitter_us\":%llu,\"loss\":%.6f,"
               "\"packets_in\":%llu,\"bytes_in\":%llu,\"dropped_loss\":%llu,\"dropped_full\":%llu,"
               "\"dropped_oversize\":%llu,\"packets_out\":%llu,\"bytes_out\":%llu,"
               "\"write_errors\":%llu,\"queued\":%u,\"max_packet_bytes\":%llu,"
               "\"late_us\":{\"mean\":%.2f,\"p50\":%llu,\"p99\":%llu,\"max\":%.1f},"
               "\"write_us_mean\":%.2f,\"wake_overshoot_us\":%.2f}",
            d->name, (unsigned long long) (d->delay_ns / 1000), (unsigned long long) (d->jitter_ns / 1000),
            d->loss, (unsigned long long) d->packets_in, (unsigned long long) d->bytes_in,
            (unsigned long long) d->dropped_loss, (unsigned long long) d->dropped_full,
            (unsigned long long) d->dropped_oversize, (unsigned long long) d->packets_out,
            (unsigned long long) d->bytes_out, (unsigned long long) d->write_errors, d->tail - d->head,
            (unsigned long long) d->max_packet_bytes, mean_us,
            (unsigned long long) percentile_us(d, 0.5), (unsigned long long) percentile_us(d, 0.99),
            (double) d->late_max_ns / 1000.0, write_us, (double) wake_overshoot_ns / 1000.0);
}

static void dump_stats(const struct direction *up, const struct direction *down) {
    if (!stats_path) return;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", stats_path);
    FILE *f = fopen(tmp, "w");
    if (!f) { fprintf(stderr, "delayline: %s: %s\n", tmp, strerror(errno)); return; }
    fprintf(f, "{\"seq\":%llu,", (unsigned long long) ++dumps);
    write_direction(f, up);
    fputc(',', f);
    write_direction(f, down);
    fputs("}\n", f);
    if (fclose(f) == 0) rename(tmp, stats_path);
}

static void usage(void) {
    fputs("usage: delayline --up-in TUN --up-out TUN --down-in TUN --down-out TUN\n"
          "         [--delay-up-us N] [--delay-down-us N] [--jitter-up-us N] [--jitter-down-us N]\n"
          "         [--loss-up PCT] [--loss-down PCT] [--slots POW2] [--seed N] [--rt PRIO] [--spin-max-us N]\n"
          "         [--stats FILE] [--pidfile FILE]\n", stderr);
    exit(2);
}

static uint64_t parse_u64(const char *s) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || *s == '-') usage();
    return v;
}

static double parse_percent(const char *s) {
    char *end;
    double v = strtod(s, &end);
    if (*end || v < 0 || v > 100) usage();
    return v / 100.0;
}

int main(int argc, char **argv) {
    static struct direction up = {.name = "up"}, down = {.name = "down"};
    uint64_t slots = 8192, seed = now_ns() ^ ((uint64_t) getpid() << 32);
    int rt_priority = 0;
    const char *pidfile = NULL;
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(k, "--up-in")) up.in_name = v;
        else if (!strcmp(k, "--up-out")) up.out_name = v;
        else if (!strcmp(k, "--down-in")) down.in_name = v;
        else if (!strcmp(k, "--down-out")) down.out_name = v;
        else if (!strcmp(k, "--delay-up-us")) up.delay_ns = parse_u64(v) * 1000;
        else if (!strcmp(k, "--delay-down-us")) down.delay_ns = parse_u64(v) * 1000;
        else if (!strcmp(k, "--jitter-up-us")) up.jitter_ns = parse_u64(v) * 1000;
        else if (!strcmp(k, "--jitter-down-us")) down.jitter_ns = parse_u64(v) * 1000;
        else if (!strcmp(k, "--loss-up")) up.loss = parse_percent(v);
        else if (!strcmp(k, "--loss-down")) down.loss = parse_percent(v);
        else if (!strcmp(k, "--slots")) slots = parse_u64(v);
        else if (!strcmp(k, "--seed")) seed = parse_u64(v);
        else if (!strcmp(k, "--rt")) rt_priority = (int) parse_u64(v);
        else if (!strcmp(k, "--spin-max-us")) max_overshoot_ns = parse_u64(v) * 1000;
        else if (!strcmp(k, "--stats")) stats_path = v;
        else if (!strcmp(k, "--pidfile")) pidfile = v;
        else usage();
    }
    if (!up.in_name || !up.out_name || !down.in_name || !down.out_name) usage();
    if (slots < 2 || (slots & (slots - 1)) || slots > (1u << 20)) usage();
    rng_state = seed;
    if (wake_overshoot_ns > max_overshoot_ns) wake_overshoot_ns = max_overshoot_ns;

    /* Two TUN devices, each read by one direction and written by the other. */
    up.in_fd = attach_tun(up.in_name);
    down.in_fd = attach_tun(down.in_name);
    up.out_fd = !strcmp(up.out_name, down.in_name) ? down.in_fd : attach_tun(up.out_name);
    down.out_fd = !strcmp(down.out_name, up.in_name) ? up.in_fd : attach_tun(down.out_name);
    struct direction *dirs[2] = {&up, &down};
    for (int i = 0; i < 2; i++) {
        dirs[i]->mask = (uint32_t) slots - 1;
        dirs[i]->ring = calloc(slots, sizeof(struct slot));   /* large: pages are touched lazily */
        if (!dirs[i]->ring) die("calloc");
    }

    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    if (rt_priority > 0) {
        struct sched_param sp = {.sched_priority = rt_priority};
        if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
            fprintf(stderr, "delayline: SCHED_FIFO not available (%s), running unprioritised\n",
                    strerror(errno));
    }

    /* Signals are blocked except inside ppoll, so a request is never lost between checks. */
    sigset_t blocked, during_wait;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGINT);
    sigprocmask(SIG_BLOCK, &blocked, &during_wait);
    sigdelset(&during_wait, SIGUSR1);
    sigdelset(&during_wait, SIGTERM);
    sigdelset(&during_wait, SIGINT);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    dump_stats(&up, &down);
    if (pidfile) {   /* written last: its presence tells the lab script we are attached */
        FILE *f = fopen(pidfile, "w");
        if (!f) die(pidfile);
        fprintf(f, "%d\n", getpid());
        fclose(f);
    }

    struct pollfd fds[2] = {{.fd = up.in_fd, .events = POLLIN}, {.fd = down.in_fd, .events = POLLIN}};
    while (!stop_requested) {
        uint64_t next_up = release_due(&up), next_down = release_due(&down);
        uint64_t next = next_up && (!next_down || next_up < next_down) ? next_up : next_down;
        struct timespec timeout, *tp = NULL;
        uint64_t wake_at = 0;
        if (next) {
            uint64_t now = now_ns();
            wake_at = next - wake_overshoot_ns;   /* release_due spins the last stretch */
            uint64_t wait = wake_at > now ? wake_at - now : 0;
            timeout.tv_sec = (time_t) (wait / 1000000000ull);
            timeout.tv_nsec = (long) (wait % 1000000000ull);
            tp = &timeout;
        }
        int n = ppoll(fds, 2, tp, &during_wait);
        if (n == 0 && wake_at) {   /* a timer wake-up: learn how late it was */
            uint64_t late = now_ns() - wake_at;
            if (late > max_overshoot_ns) late = max_overshoot_ns;
            wake_overshoot_ns = (7 * wake_overshoot_ns + late) / 8;
        }
        if (n < 0 && errno != EINTR) die("ppoll");
        if (n > 0) {
            if (fds[0].revents & POLLIN) read_packets(&up);
            if (fds[1].revents & POLLIN) read_packets(&down);
            if ((fds[0].revents | fds[1].revents) & (POLLERR | POLLHUP | POLLNVAL)) {
                fputs("delayline: TUN device went away\n", stderr);
                break;
            }
        }
        if (dump_requested) { dump_requested = 0; dump_stats(&up, &down); }
    }
    dump_stats(&up, &down);
    return 0;
}
