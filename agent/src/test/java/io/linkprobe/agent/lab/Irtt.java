package io.linkprobe.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** irtt as the latency and loss yardstick: server in the hub, client in the site, JSON results. */
final class Irtt {

    static final int PORT = 2112;

    /** One answered probe: when it was sent (wall clock, ns since the epoch) and its RTT. */
    record RoundTrip(long sentEpochNanos, double rttMillis) {
    }

    /**
     * @param rttP50Millis          median RTT (irtt subtracts the server's processing time)
     * @param upstreamLossPercent   site → hub loss, from the server's received count
     * @param downstreamLossPercent hub → site loss among the packets the server answered
     * @param latePackets           packets that arrived after a later one (reordering)
     */
    record Result(double rttP50Millis, double rttMinMillis, double rttMaxMillis, double rttStddevMillis,
                  double upstreamLossPercent, double downstreamLossPercent, long packetsSent,
                  long packetsReceived, long latePackets, List<RoundTrip> roundTrips) {

        /** Median RTT of the probes sent within [from, to] (epoch nanoseconds). */
        double rttP50MillisBetween(long fromEpochNanos, long toEpochNanos) {
            return quantile(roundTrips.stream()
                    .filter(rt -> rt.sentEpochNanos() >= fromEpochNanos && rt.sentEpochNanos() <= toEpochNanos)
                    .mapToDouble(RoundTrip::rttMillis).sorted().toArray(), 0.5);
        }

        /** The q-quantile of all answered probes' RTTs (linear between closest ranks). */
        double rttQuantileMillis(double q) {
            return quantile(roundTrips.stream().mapToDouble(RoundTrip::rttMillis).sorted().toArray(), q);
        }

        private static double quantile(double[] sorted, double q) {
            if (sorted.length == 0) throw new AssertionError("no irtt probes to take a quantile of");
            double rank = q * (sorted.length - 1);
            int low = (int) Math.floor(rank);
            int high = Math.min(low + 1, sorted.length - 1);
            return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
        }
    }

    private Irtt() {
    }

    static Process startServer(LabNetwork lab) {
        // -i 0: no minimum interval, so the client may probe every millisecond.
        Process server = lab.startInHub(List.of("irtt", "server", "-b", lab.hubAddress() + ":" + PORT, "-i", "0"));
        lab.awaitHubListening(server, "udp", PORT, Duration.ofSeconds(10));
        return server;
    }

    /** A running client; collect its result with {@link Client#await()} or {@link Client#stop()}. */
    record Client(LabNetwork lab, Process process, Path json, Duration duration) {

        /** Ends the test early: irtt stops on SIGTERM and still writes its JSON. */
        Result stop() {
            process.destroy();
            return await();
        }

        Result await() {
            return parse(awaitJson());
        }

        /** The client's whole JSON output, once it has finished. */
        String awaitJson() {
            try {
                if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
                    Processes.stop(process);
                    throw new AssertionError("irtt client did not finish:\n" + lab.output(process));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (process.exitValue() != 0) throw new AssertionError("irtt client failed:\n" + lab.output(process));
            return Processes.read(json);
        }
    }

    /** A client; {@code extra} goes before the server address (e.g. {@code -l 1200} for the packet length). */
    static Client startClient(LabNetwork lab, Duration interval, Duration duration, String... extra) {
        Path json = Processes.logFile(lab.logDir(), List.of("x", "irtt"), "json");
        List<String> command = new ArrayList<>(List.of("irtt", "client", "-i", interval.toMillis() + "ms",
                "-d", duration.toMillis() + "ms", "-Q", "-o", json.toString()));
        command.addAll(List.of(extra));
        command.add(lab.hubAddress() + ":" + PORT);
        return new Client(lab, lab.startInSite(command), json, duration);
    }

    static Result run(LabNetwork lab, Duration interval, Duration duration) {
        return startClient(lab, interval, duration).await();
    }

    static Result parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("irtt output: " + json, e);
        }
        JsonNode stats = root.path("stats");
        JsonNode rtt = stats.path("rtt");
        List<RoundTrip> roundTrips = new ArrayList<>();
        for (JsonNode rt : root.path("round_trips")) {
            if (rt.path("lost").asText().equals("false")) {
                roundTrips.add(new RoundTrip(rt.path("timestamps").path("client").path("send").path("wall").asLong(),
                        rt.path("delay").path("rtt").asLong() / 1e6));
            }
        }
        return new Result(rtt.path("median").asLong() / 1e6, rtt.path("min").asLong() / 1e6,
                rtt.path("max").asLong() / 1e6, rtt.path("stddev").asLong() / 1e6,
                stats.path("upstream_loss_percent").asDouble(), stats.path("downstream_loss_percent").asDouble(),
                stats.path("packets_sent").asLong(), stats.path("packets_received").asLong(),
                stats.path("late_packets").asLong(), List.copyOf(roundTrips));
    }
}
