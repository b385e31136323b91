package io.linkprobe.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * irtt's per-packet one-way delays (its JSON {@code round_trips[].delay.send / receive}, exact in
 * the lab since the namespaces share one clock), reduced the way linkprobe's video test reduces its
 * own transits: RFC 3550 jitter averaged over the run, and delay variation p99 − min (nearest rank).
 * The probes of a time span only can be taken, to compare with a test that ran during it.
 * irtt's own mean IPDV ({@code stats.ipdv_send.mean}, the mean of |D|) is kept for the record.
 */
record IrttOneWay(Direction up, Direction down, double upLossPercent, double downLossPercent, long packets) {

    /** One direction: RFC 3550 jitter (mean of the estimator), PDV and irtt's mean IPDV, all in ms. */
    record Direction(double jitterMillis, double delayVariationMillis, double meanIpdvMillis, int samples) {}

    /** Every answered probe of the run. */
    static IrttOneWay parse(String json) {
        return parse(json, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The probes irtt sent between two wall-clock times (ns since the epoch): those sent alongside another test. */
    static IrttOneWay parse(String json, long fromEpochNanos, long toEpochNanos) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("irtt output: " + json, e);
        }
        JsonNode trips = root.path("round_trips");
        double[] send = new double[trips.size()];
        double[] receive = new double[trips.size()];
        int n = 0;
        for (JsonNode rt : trips) {
            JsonNode delay = rt.path("delay");
            long sent = rt.path("timestamps").path("client").path("send").path("wall").asLong();
            if (sent < fromEpochNanos || sent > toEpochNanos) {
                continue;
            }
            if (rt.path("lost").asText().equals("false") && delay.has("send") && delay.has("receive")) {
                send[n] = delay.path("send").asLong() / 1e6;
                receive[n] = delay.path("receive").asLong() / 1e6;
                n++;
            }
        }
        JsonNode stats = root.path("stats");
        return new IrttOneWay(direction(Arrays.copyOf(send, n), stats.path("ipdv_send")),
                direction(Arrays.copyOf(receive, n), stats.path("ipdv_receive")),
                stats.path("upstream_loss_percent").asDouble(), stats.path("downstream_loss_percent").asDouble(),
                stats.path("packets_sent").asLong());
    }

    private static Direction direction(double[] delays, JsonNode ipdv) {
        if (delays.length < 2) throw new AssertionError("irtt measured too few one-way delays: " + delays.length);
        double j = 0;
        double sum = 0;
        for (int i = 1; i < delays.length; i++) {
            j += (Math.abs(delays[i] - delays[i - 1]) - j) / 16;
            sum += j;
        }
        double[] sorted = delays.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(0.99 * sorted.length);
        return new Direction(sum / (delays.length - 1), sorted[rank - 1] - sorted[0], ipdv.path("mean").asLong() / 1e6,
                delays.length);
    }
}
