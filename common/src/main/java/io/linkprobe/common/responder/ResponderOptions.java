package io.linkprobe.common.responder;

import io.linkprobe.common.net.DefaultPorts;
import io.linkprobe.common.throughput.server.KeyLookup;
import io.linkprobe.common.throughput.server.ServerOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Responder} runs: the agent's {@code responder} command and the collector's
 * embedded responder both build one of these, from flags or from {@code responder.*} keys, so
 * both have the same defaults and the same features. The callers check their users' input and
 * name their own settings in errors; the constructor throws IllegalArgumentException for anything
 * the parts would refuse.
 *
 * @param bindAddress the address both parts listen on
 * @param stampPort UDP port of the STAMP reflector; 0 = any free port; {@link #OFF} = no reflector
 * @param throughputPort TCP port of the throughput server; 0 = any free port; {@link #OFF} = none
 * @param maxConcurrentTests throughput tests at once; others are told busy with a retry time
 * @param maxDuration longest test the responder allows, whatever clients ask
 * @param maxBytes most bytes one test may move
 * @param keys HMAC keys by key id; null = unauthenticated throughput tests (labs)
 * @param congestionControl TCP congestion control of the throughput sockets (they send the
 *     downloads); null = the host's default
 * @param busyPoll the reflector gets an event loop of its own that polls without sleeping: its
 *     wake-up time (~0.1 ms) leaves every RTT, at the cost of one CPU core
 */
public record ResponderOptions(
        String bindAddress,
        int stampPort,
        int throughputPort,
        int maxConcurrentTests,
        Duration maxDuration,
        long maxBytes,
        KeyLookup keys,
        String congestionControl,
        boolean busyPoll) {

    /** A port set to this does not listen at all. */
    public static final int OFF = -1;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";

    public ResponderOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (stampPort < OFF || stampPort > 65535 || throughputPort < OFF || throughputPort > 65535) {
            throw new IllegalArgumentException("ports must be -1 (off), 0 (any) or 1-65535");
        }
        if (stampPort == OFF && throughputPort == OFF) {
            throw new IllegalArgumentException("both parts are off: nothing to serve");
        }
        serverOptions(maxConcurrentTests, maxDuration, maxBytes, keys, congestionControl); // checks the limits
    }

    /**
     * Both parts on their {@link DefaultPorts} on every address, the throughput limits of
     * {@link ServerOptions#defaults()}, unauthenticated, the host's congestion control, no busy-poll.
     */
    public static ResponderOptions defaults() {
        ServerOptions server = ServerOptions.defaults();
        return new ResponderOptions(DEFAULT_BIND_ADDRESS, DefaultPorts.STAMP, DefaultPorts.THROUGHPUT,
                server.maxConcurrentTests(), server.maxDuration(), server.maxBytes(), null, null, false);
    }

    public ResponderOptions withBindAddress(String address) {
        return new ResponderOptions(address, stampPort, throughputPort, maxConcurrentTests, maxDuration, maxBytes,
                keys, congestionControl, busyPoll);
    }

    /** @param stamp UDP port, 0 = any, {@link #OFF} = none; @param throughput TCP port, likewise */
    public ResponderOptions withPorts(int stamp, int throughput) {
        return new ResponderOptions(bindAddress, stamp, throughput, maxConcurrentTests, maxDuration, maxBytes,
                keys, congestionControl, busyPoll);
    }

    public ResponderOptions withMaxConcurrentTests(int n) {
        return new ResponderOptions(bindAddress, stampPort, throughputPort, n, maxDuration, maxBytes,
                keys, congestionControl, busyPoll);
    }

    public ResponderOptions withLimits(Duration duration, long bytes) {
        return new ResponderOptions(bindAddress, stampPort, throughputPort, maxConcurrentTests, duration, bytes,
                keys, congestionControl, busyPoll);
    }

    /** Throughput hellos must be signed with a key this lookup knows; null = unauthenticated. */
    public ResponderOptions withKeys(KeyLookup lookup) {
        return new ResponderOptions(bindAddress, stampPort, throughputPort, maxConcurrentTests, maxDuration, maxBytes,
                lookup, congestionControl, busyPoll);
    }

    public ResponderOptions withCongestionControl(String algorithm) {
        return new ResponderOptions(bindAddress, stampPort, throughputPort, maxConcurrentTests, maxDuration, maxBytes,
                keys, algorithm, busyPoll);
    }

    public ResponderOptions withBusyPoll(boolean on) {
        return new ResponderOptions(bindAddress, stampPort, throughputPort, maxConcurrentTests, maxDuration, maxBytes,
                keys, congestionControl, on);
    }

    /** The throughput server's share of these options. */
    public ServerOptions serverOptions() {
        return serverOptions(maxConcurrentTests, maxDuration, maxBytes, keys, congestionControl);
    }

    private static ServerOptions serverOptions(int maxConcurrentTests, Duration maxDuration, long maxBytes,
            KeyLookup keys, String congestionControl) {
        return ServerOptions.defaults()
                .withMaxConcurrentTests(maxConcurrentTests)
                .withLimits(maxDuration, maxBytes)
                .withKeys(keys)
                .withCongestionControl(congestionControl);
    }
}
