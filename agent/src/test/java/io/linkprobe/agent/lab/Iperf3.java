package io.linkprobe.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** iperf3 as the throughput yardstick: server in the hub, client in the site, JSON results. */
final class Iperf3 {

    static final int PORT = 5201;
    /** Slow start and the first fill of the router's queue; excluded like linkprobe's warm-up. */
    static final double WARM_UP_SECONDS = 2.0;

    /**
     * @param steadyBitsPerSecond goodput counted at the receiver after the warm-up
     * @param meanBitsPerSecond   goodput over the whole test, at the receiver
     * @param retransmits         TCP retransmissions at the sender
     */
    record Result(double steadyBitsPerSecond, double meanBitsPerSecond, long retransmits) {
    }

    private Iperf3() {
    }

    static Process startServer(LabNetwork lab) {
        Process server = lab.startInHub(List.of("iperf3", "-s", "-J", "-B", lab.hubAddress(), "-p", Integer.toString(PORT)));
        lab.awaitHubListening(server, "tcp", PORT, Duration.ofSeconds(10));
        return server;
    }

    /** One single-stream test; extra arguments go to the client (e.g. {@code -C cubic}). */
    static Result run(LabNetwork lab, LinkDirection direction, int seconds, String... extra) {
        List<String> command = new ArrayList<>(List.of("iperf3", "-c", lab.hubAddress(), "-p", Integer.toString(PORT),
                "-t", Integer.toString(seconds), "-J", "--get-server-output"));
        if (direction == LinkDirection.DOWN) command.add("-R");
        command.addAll(List.of(extra));
        ProcessResult result = lab.runInSite(Duration.ofSeconds(seconds + 30L), command).requireSuccess();
        return parse(result.stdout(), direction);
    }

    static Result parse(String json, LinkDirection direction) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("iperf3 output: " + json, e);
        }
        if (root.hasNonNull("error")) throw new AssertionError("iperf3: " + root.get("error").asText());
        // The receiver's own intervals: the client's for a reverse (download) test, the server's for an upload.
        JsonNode intervals = direction == LinkDirection.DOWN
                ? root.path("intervals") : root.path("server_output_json").path("intervals");
        double bytes = 0;
        double seconds = 0;
        // The last receiver interval runs past the sender's stop by a queue's worth of time: excluded too.
        for (int i = 0; i < intervals.size() - 1; i++) {
            JsonNode sum = intervals.get(i).path("sum");
            if (sum.path("start").asDouble() < WARM_UP_SECONDS) continue;
            bytes += sum.path("bytes").asDouble();
            seconds += sum.path("seconds").asDouble();
        }
        if (seconds == 0) throw new AssertionError("iperf3 gave no receiver intervals after the warm-up: " + json);
        JsonNode end = root.path("end");
        return new Result(bytes * 8 / seconds, end.path("sum_received").path("bits_per_second").asDouble(),
                end.path("sum_sent").path("retransmits").asLong());
    }
}
