/*
 * udpping — a minimal UDP ping-pong for measuring the lab's own latency in microseconds.
 *
 *     udpping server ADDR PORT
 *     udpping client ADDR PORT COUNT INTERVAL_US      -> one JSON line of RTT percentiles
 *
 * irtt measures the lines under test; this measures the lab itself. With a round trip of ~20 us
 * through plain kernel forwarding, a language runtime's own wake-ups (irtt's Go scheduler parks
 * and unparks threads around each reply) would be larger than the delay line cost being measured.
 * One probe in flight at a time: send, block in recv (1 s timeout), sleep the interval.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

static double percentile_us(const int64_t *sorted, int n, double q) {
    return (double) sorted[(int) (q * (n - 1))] / 1000.0;
}

int main(int argc, char **argv) {
    if (argc < 4 || (strcmp(argv[1], "server") && (strcmp(argv[1], "client") || argc < 6))) {
        fputs("usage: udpping server ADDR PORT | udpping client ADDR PORT COUNT INTERVAL_US\n", stderr);
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(argv[3]))};
    if (fd < 0 || inet_pton(AF_INET, argv[2], &addr.sin_addr) != 1) { perror("udpping"); return 1; }
    char buf[64] = {0};

    if (!strcmp(argv[1], "server")) {
        if (bind(fd, (struct sockaddr *) &addr, sizeof addr) < 0) { perror("bind"); return 1; }
        for (;;) {
            struct sockaddr_in peer;
            socklen_t len = sizeof peer;
            ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *) &peer, &len);
            if (n > 0) sendto(fd, buf, (size_t) n, 0, (struct sockaddr *) &peer, len);
        }
    }

    int count = atoi(argv[4]), received = 0;
    useconds_t interval_us = (useconds_t) atoi(argv[5]);
    struct timeval timeout = {1, 0};
    if (count <= 0 || connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0
            || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) < 0) {
        perror("udpping client");
        return 1;
    }
    int64_t *rtts = calloc((size_t) count, sizeof *rtts);
    for (int i = 0; i < count; i++) {
        usleep(interval_us);
        int64_t start = now_ns();
        if (send(fd, buf, 32, 0) < 0) continue;
        if (recv(fd, buf, sizeof buf, 0) < 0) continue;   /* lost or late: not an RTT sample */
        rtts[received++] = now_ns() - start;
    }
    if (received == 0) { fputs("udpping: no replies\n", stderr); return 1; }
    qsort(rtts, (size_t) received, sizeof *rtts, compare);
    printf("{\"sent\":%d,\"received\":%d,\"min_us\":%.1f,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f}\n",
           count, received, percentile_us(rtts, received, 0), percentile_us(rtts, received, 0.5),
           percentile_us(rtts, received, 0.9), percentile_us(rtts, received, 0.99));
    return 0;
}
