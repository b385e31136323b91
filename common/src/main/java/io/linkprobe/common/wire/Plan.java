package io.linkprobe.common.wire;

import java.util.List;
import java.util.Map;

/**
 * What one site measures, as the collector decides it: {@code GET /api/v1/plan} with the site's
 * bearer token answers this, with {@code ETag: "<version>"} ({@code If-None-Match} → 304). It holds
 * everything an agent needs to run without {@code targets:} of its own: the latency targets and
 * settings, the window, the site's labels and contracted rates, and the throughput schedule with
 * its slot on a responder of the pool.
 *
 * <pre>
 * {
 *   "site": "gp-leeds-0042",
 *   "version": "3f1c9a0b7d2e4c55",
 *   "labels": {"region": "yorkshire", "link": "copper"},
 *   "expected": {"down_mbps": 20.0, "up_mbps": 2.0},
 *   "targets": [
 *     {"name": "hub-sw", "host": "linkprobe-sw.example.net", "stamp_port": 862, "throughput_port": 0, "connect_port": 0}
 *   ],
 *   "window_millis": 60000,
 *   "latency": {"interval_millis": 200, "schedule": "poisson", "packet_size": 44, "timeout_millis": 3000},
 *   "throughput": {
 *     "enabled": true, "every_millis": 28800000, "offset_millis": 10305000, "duration_millis": 8000,
 *     "direction": "down", "streams": 1, "max_bytes_per_test": 0, "max_bytes_per_day": 0, "slot_millis": 15000,
 *     "responder": {"name": "hub-sw", "host": "linkprobe-sw.example.net", "stamp_port": 862, "throughput_port": 9863},
 *     "stretch": 1.0
 *   },
 *   "video": {
 *     "enabled": true, "every_millis": 14400000, "offset_millis": 5120000, "duration_millis": 20000,
 *     "step_duration_millis": 5000, "rate_kbps": 1200, "packet_size": 1200, "max_calls": 8, "dscp": "BE",
 *     "max_bytes_per_day": 0, "slot_millis": 60000,
 *     "responder": {"name": "hub-sw", "host": "linkprobe-sw.example.net", "stamp_port": 862, "throughput_port": 9863},
 *     "stretch": 1.0
 *   }
 * }
 * </pre>
 *
 * <p>Durations are integer milliseconds ({@code _millis}), rates Mbit/s as in {@code agent.yml}.
 * Scheduled throughput tests run only against {@code throughput.responder} (that is the slot the
 * collector reserved); a plan target's {@code throughput_port} is therefore always 0, and the
 * targets are for STAMP and TCP connect probes. Scheduled video-readiness tests ({@code video})
 * likewise run only against {@code video.responder}'s STAMP port, in their own slot. Unknown keys
 * are ignored on read ({@link Json}), so an older agent reads a newer plan; a plan without
 * {@code video} (an older collector) leaves the video test to {@code agent.yml}.
 *
 * @param version a hash of everything else in the plan: the {@code ETag} without its quotes; an
 *     agent names it in its health sample so the collector can tell which plan a site runs
 * @param windowMillis the latency summary window
 */
public record Plan(
        String site,
        String version,
        Map<String, String> labels,
        Expected expected,
        List<Target> targets,
        long windowMillis,
        Latency latency,
        Throughput throughput,
        Video video) {

    public Plan {
        require(site != null && !site.isEmpty(), "site is missing");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        expected = expected == null ? Expected.NONE : expected;
        targets = targets == null ? List.of() : List.copyOf(targets);
        require(windowMillis >= 1_000, "window_millis must be at least 1000");
        require(latency != null, "latency is missing");
        require(throughput != null, "throughput is missing");
    }

    /** The same plan carrying {@code newVersion}. */
    public Plan withVersion(String newVersion) {
        return new Plan(site, newVersion, labels, expected, targets, windowMillis, latency, throughput, video);
    }

    /** The site's contracted line rates; 0 = not known. */
    public record Expected(double downMbps, double upMbps) {
        public static final Expected NONE = new Expected(0, 0);

        public Expected {
            require(downMbps >= 0 && upMbps >= 0, "expected rates cannot be negative");
        }
    }

    /**
     * A far end for STAMP ({@code stamp_port}) and TCP connect ({@code connect_port}) probes; 0 =
     * that probe is off. {@code throughput_port} is always 0 in a plan (see the class comment).
     */
    public record Target(String name, String host, int stampPort, int throughputPort, int connectPort) {
        public Target {
            require(name != null && !name.isEmpty(), "a target has no name");
            require(host != null && !host.isEmpty(), "target '" + Names.printable(name) + "' has no host");
            require(port(stampPort) && port(throughputPort) && port(connectPort),
                    "target '" + Names.printable(name) + "' has a port outside 0-65535");
        }
    }

    /** The continuous STAMP session towards every target. */
    public record Latency(long intervalMillis, String schedule, int packetSize, long timeoutMillis) {
        public Latency {
            require("poisson".equals(schedule) || "periodic".equals(schedule),
                    "latency.schedule must be poisson or periodic");
            require(intervalMillis > 0 && timeoutMillis > 0 && packetSize > 0,
                    "latency interval, timeout and packet size must be positive");
        }
    }

    /** The throughput responder a site's tests are scheduled on. */
    public record Responder(String name, String host, int stampPort, int throughputPort) {
        public Responder {
            require(name != null && !name.isEmpty(), "the throughput responder has no name");
            require(host != null && !host.isEmpty(), "throughput responder '" + Names.printable(name) + "' has no host");
            require(port(stampPort) && throughputPort > 0 && throughputPort <= 65535,
                    "throughput responder '" + Names.printable(name) + "' needs a throughput_port (1-65535)");
        }
    }

    /**
     * Scheduled throughput tests, epoch-anchored: a test starts at every Unix time {@code t} (ms)
     * with {@code (t - offset_millis) mod every_millis == 0}, so that the agent, from its own
     * NTP-synchronised clock, starts exactly in the slot the collector reserved on
     * {@code responder} ({@link #nextStartAtOrAfter}). {@code every_millis} is the period in force,
     * already stretched; {@code stretch} is the factor by which it exceeds the period the fleet
     * file asked for: 1.0 normally; more when the responder pool is over capacity; a little less when
     * the asked period had to be rounded down to the collector's 5-second slot grid or to share a
     * cycle with the other sites' periods.
     *
     * @param responder null when {@code enabled} is false
     * @param maxBytesPerTest 0 = derived by the agent from the contracted rate
     * @param maxBytesPerDay 0 = no daily budget
     * @param slotMillis how long the collector reserved the responder for one test (both directions,
     *     their idle RTT and set-up); a test that starts late in its slot is shortened to end by then.
     *     0 = not stated (absent from an older collector's plan): the test runs its full duration
     */
    public record Throughput(
            boolean enabled,
            long everyMillis,
            long offsetMillis,
            long durationMillis,
            String direction,
            int streams,
            long maxBytesPerTest,
            long maxBytesPerDay,
            Long slotMillis,
            Responder responder,
            double stretch) {

        public Throughput {
            // Absent from an older collector's plan: boxed so that such a plan still parses.
            slotMillis = slotMillis == null ? 0L : slotMillis;
            require("down".equals(direction) || "up".equals(direction) || "both".equals(direction),
                    "throughput.direction must be down, up or both");
            require(everyMillis > 0 && durationMillis > 0 && streams > 0,
                    "throughput every, duration and streams must be positive");
            // Found by fuzzing: a period near Long.MAX_VALUE made the next slot overflow to a time
            // in 1970s' past. A week stretched by any demand a pool can have stays far below this.
            require(everyMillis <= MAX_EVERY_MILLIS, "throughput.every_millis must be at most " + MAX_EVERY_MILLIS
                    + " (1000 years)");
            require(offsetMillis >= 0 && offsetMillis < everyMillis,
                    "throughput.offset_millis must be at least 0 and less than every_millis");
            require(maxBytesPerTest >= 0 && maxBytesPerDay >= 0, "throughput byte limits cannot be negative");
            require(slotMillis >= 0 && slotMillis <= everyMillis,
                    "throughput.slot_millis must be at least 0 and at most every_millis");
            require(!enabled || responder != null, "enabled throughput tests need a responder");
            require(stretch > 0, "throughput.stretch must be positive");
        }

        /**
         * What a slot allows each direction besides its load, in the collector's slot grid and in
         * the agent's test alike: the idle RTT sampled before the load (the bufferbloat reference)...
         */
        public static final long IDLE_RTT_MILLIS = 1_500;
        /** ...and connection set-up, the hello and the agents' clock error (NTP keeps it well under). */
        public static final long SET_UP_MILLIS = 1_000;

        /** Far beyond any real period, and small enough that a slot time never overflows. */
        public static final long MAX_EVERY_MILLIS = 1000L * 365 * 86_400_000L;

        /** The first slot start at or after {@code nowMillis} (Unix epoch ms). */
        public long nextStartAtOrAfter(long nowMillis) {
            return Plan.nextStartAtOrAfter(nowMillis, everyMillis, offsetMillis);
        }
    }

    /**
     * Scheduled video-readiness tests (a call-shaped STAMP session, then the ladder of concurrent
     * calls), epoch-anchored like {@link Throughput}: a test starts at every Unix time {@code t}
     * with {@code (t - offset_millis) mod every_millis == 0}, on {@code responder}'s STAMP port,
     * where the collector reserved {@code slot_millis} of one test lane and {@code max_calls} ×
     * {@code rate_kbps} of the responder's {@code max_mbps}.
     *
     * @param responder null when {@code enabled} is false
     * @param maxBytesPerDay the video tests' own daily budget; 0 = none beyond the throughput one
     * @param slotMillis how long the collector reserved the responder for one test (the whole ladder)
     */
    public record Video(
            boolean enabled,
            long everyMillis,
            long offsetMillis,
            long durationMillis,
            long stepDurationMillis,
            int rateKbps,
            int packetSize,
            int maxCalls,
            String dscp,
            long maxBytesPerDay,
            long slotMillis,
            Responder responder,
            double stretch) {

        public Video {
            require(everyMillis > 0 && durationMillis > 0 && stepDurationMillis > 0 && slotMillis > 0,
                    "video every, duration, step duration and slot must be positive");
            require(offsetMillis >= 0 && offsetMillis < everyMillis,
                    "video.offset_millis must be at least 0 and less than every_millis");
            require(rateKbps > 0 && packetSize > 0 && maxCalls > 0, "video rate, packet size and max_calls must be positive");
            require(dscp != null && !dscp.isEmpty(), "video.dscp is missing");
            require(maxBytesPerDay >= 0, "video.max_bytes_per_day cannot be negative");
            require(!enabled || responder != null && responder.stampPort() > 0,
                    "enabled video tests need a responder with a stamp_port");
            require(stretch > 0, "video.stretch must be positive");
        }
    }

    /**
     * The first start at or after {@code nowMillis} of a scheduled test that runs at every Unix
     * time {@code t} (ms) with {@code (t - offsetMillis) mod everyMillis == 0}: the one rule both the
     * collector's slots and the agent's test loop follow, for throughput now and for any later
     * scheduled test of the same shape.
     */
    public static long nextStartAtOrAfter(long nowMillis, long everyMillis, long offsetMillis) {
        long phase = Math.floorMod(nowMillis - offsetMillis, everyMillis);
        return phase == 0 ? nowMillis : nowMillis - phase + everyMillis;
    }

    private static boolean port(int port) {
        return port >= 0 && port <= 65535;
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("unusable plan: " + problem);
        }
    }
}
