package io.linkprobe.common.stamp;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link StampSender} probes.
 *
 * @param meanInterval mean gap between packets (changeable later with {@link StampSender#setMeanInterval})
 * @param schedule Poisson (default) or periodic gaps
 * @param packetSize UDP payload bytes per packet, at least the mode's base (44, or 112 authenticated)
 * @param ssid the Session-Sender Identifier (RFC 8972 §3) the reflector keys its session on
 * @param timeout a packet unanswered this long is lost
 * @param clock what this host says about its wall clock; one-way delays need it synchronised
 * @param auth the shared key for authenticated mode, or null for unauthenticated
 * @param kernelTimestamps take each reply's arrival (T4) from the kernel through the native socket
 *     where this machine has it ({@link StampSender#timestamps()} says what was used); false keeps
 *     the Netty socket and user-space timestamps
 */
public record SenderOptions(Duration meanInterval, ProbeSchedule schedule, int packetSize, int ssid,
        Duration timeout, ClockSync clock, StampAuth auth, boolean kernelTimestamps) {
    public static final Duration DEFAULT_MEAN_INTERVAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration MIN_INTERVAL = Duration.ofMillis(1);
    static final Duration MAX_INTERVAL = Duration.ofHours(1);

    public SenderOptions {
        checkInterval(meanInterval);
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(clock, "clock");
        int base = auth == null ? StampMode.UNAUTHENTICATED.baseSize : StampMode.AUTHENTICATED.baseSize;
        if (packetSize < base || packetSize > StampPacket.MAX_SIZE) {
            throw new IllegalArgumentException("packetSize must be " + base + ".." + StampPacket.MAX_SIZE
                    + (auth == null ? "" : " in authenticated mode") + ", got " + packetSize);
        }
        if (ssid < 0 || ssid > 0xFFFF) {
            throw new IllegalArgumentException("ssid must be 0..65535, got " + ssid);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("timeout must be 1ms..1m, got " + timeout);
        }
    }

    /** Poisson around 200 ms, 44-byte packets, SSID 1, 3 s timeout, unsynchronised clock, no auth, kernel timestamps where possible. */
    public static SenderOptions defaults() {
        return new SenderOptions(DEFAULT_MEAN_INTERVAL, ProbeSchedule.POISSON, StampMode.UNAUTHENTICATED.baseSize,
                1, DEFAULT_TIMEOUT, ClockSync.UNSYNCHRONIZED, null, true);
    }

    static void checkInterval(Duration d) {
        Objects.requireNonNull(d, "meanInterval");
        if (d.compareTo(MIN_INTERVAL) < 0 || d.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("meanInterval must be 1ms..1h, got " + d);
        }
    }

    public StampMode mode() {
        return auth == null ? StampMode.UNAUTHENTICATED : StampMode.AUTHENTICATED;
    }

    public SenderOptions withMeanInterval(Duration d) {
        return new SenderOptions(d, schedule, packetSize, ssid, timeout, clock, auth, kernelTimestamps);
    }

    public SenderOptions withSchedule(ProbeSchedule s) {
        return new SenderOptions(meanInterval, s, packetSize, ssid, timeout, clock, auth, kernelTimestamps);
    }

    public SenderOptions withPacketSize(int size) {
        return new SenderOptions(meanInterval, schedule, size, ssid, timeout, clock, auth, kernelTimestamps);
    }

    public SenderOptions withSsid(int id) {
        return new SenderOptions(meanInterval, schedule, packetSize, id, timeout, clock, auth, kernelTimestamps);
    }

    public SenderOptions withTimeout(Duration d) {
        return new SenderOptions(meanInterval, schedule, packetSize, ssid, d, clock, auth, kernelTimestamps);
    }

    public SenderOptions withClock(ClockSync c) {
        return new SenderOptions(meanInterval, schedule, packetSize, ssid, timeout, c, auth, kernelTimestamps);
    }

    /** Switches to authenticated mode; raises the packet size to 112 if it was smaller. */
    public SenderOptions withAuth(StampAuth a) {
        int size = a == null ? packetSize : Math.max(packetSize, StampMode.AUTHENTICATED.baseSize);
        return new SenderOptions(meanInterval, schedule, size, ssid, timeout, clock, a, kernelTimestamps);
    }

    public SenderOptions withKernelTimestamps(boolean on) {
        return new SenderOptions(meanInterval, schedule, packetSize, ssid, timeout, clock, auth, on);
    }
}
