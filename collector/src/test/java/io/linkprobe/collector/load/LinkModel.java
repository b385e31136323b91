package io.linkprobe.collector.load;

import io.linkprobe.common.wire.LatencyWindow;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * RTT and loss of one site's link, drawn the way real access links behave, so that the collector
 * sees realistic histograms (values spread over several buckets) and realistic loss counters.
 *
 * <p>Each probe's RTT is the path's base RTT, plus access-link jitter (exponential: most probes
 * near the floor, a tail), plus now and then a queueing burst (bufferbloat while someone uploads)
 * of tens to hundreds of ms. Loss comes in regimes: most windows lose nothing or one probe, a few
 * windows of a bad line lose a few percent. A window is 60 s of Poisson probing at a mean 200 ms,
 * so about 300 probes.
 *
 * @param kind the link label value ({@code fttp}, {@code fttc}, {@code adsl}, {@code 4g})
 * @param baseMicros the path's propagation and serialisation floor
 * @param jitterMeanMicros mean of the exponential per-probe jitter
 * @param burstProbability per window, the chance of one queueing burst
 * @param downBytesPerSecond the contracted download rate
 * @param upBytesPerSecond the contracted upload rate
 */
record LinkModel(String kind, int baseMicros, int jitterMeanMicros, double burstProbability,
        double downBytesPerSecond, double upBytesPerSecond) {

    static final long WINDOW_MILLIS = 60_000;
    static final int PROBES_PER_WINDOW = 300;
    static final int PACKET_BYTES = 44;

    /** A link for a site: mostly fibre, some copper still, a few 4G backups. */
    static LinkModel draw(SplittableRandom random) {
        double r = random.nextDouble();
        if (r < 0.55) {
            return new LinkModel("fttp", 4_000 + random.nextInt(14_000), 150 + random.nextInt(400), 0.02,
                    10_000_000 + random.nextInt(4) * 12_500_000, 2_500_000 + random.nextInt(4) * 2_500_000);
        } else if (r < 0.85) {
            return new LinkModel("fttc", 12_000 + random.nextInt(20_000), 600 + random.nextInt(1_500), 0.08,
                    5_000_000 + random.nextInt(5) * 1_000_000, 1_250_000 + random.nextInt(2) * 1_250_000);
        } else if (r < 0.95) {
            return new LinkModel("adsl", 25_000 + random.nextInt(30_000), 2_000 + random.nextInt(4_000), 0.15,
                    1_000_000 + random.nextInt(1_000_000), 125_000 + random.nextInt(60_000));
        }
        return new LinkModel("4g", 35_000 + random.nextInt(40_000), 5_000 + random.nextInt(10_000), 0.10,
                3_000_000 + random.nextInt(3_000_000), 1_000_000 + random.nextInt(1_000_000));
    }

    /** One 60 s window towards {@code target} that ended at {@code endMillis}. */
    LatencyWindow window(SplittableRandom random, String target, long endMillis) {
        int sent = Math.max(1, (int) Math.round(PROBES_PER_WINDOW + Math.sqrt(PROBES_PER_WINDOW) * gaussian(random)));
        double lossRate = lossRate(random);
        int burstStart = random.nextDouble() < burstProbability ? random.nextInt(sent) : -1;
        int burstLength = 5 + random.nextInt(40);
        int burstPeakMicros = 20_000 + random.nextInt(280_000);
        int[] rtt = new int[sent];
        int received = 0;
        long lostForward = 0;
        long lostBackward = 0;
        for (int i = 0; i < sent; i++) {
            if (random.nextDouble() < lossRate) {
                if (random.nextBoolean()) {
                    lostForward++;
                } else {
                    lostBackward++;
                }
                continue;
            }
            double micros = baseMicros - jitterMeanMicros * Math.log(1 - random.nextDouble());
            if (burstStart >= 0 && i >= burstStart && i < burstStart + burstLength) {
                // Queueing builds up and drains: a triangle over the burst.
                double phase = (i - burstStart) / (double) burstLength;
                micros += burstPeakMicros * (1 - Math.abs(2 * phase - 1));
            }
            rtt[received++] = (int) Math.min(Integer.MAX_VALUE, Math.round(micros));
        }
        int[] values = Arrays.copyOf(rtt, received);
        long duplicates = random.nextDouble() < 0.002 ? 1 : 0;
        long reordered = random.nextDouble() < 0.01 ? 1 + random.nextInt(3) : 0;
        Statistics s = Statistics.of(values);
        return new LatencyWindow(target, endMillis - WINDOW_MILLIS, endMillis, sent, received, lostForward,
                lostBackward, duplicates, reordered, s.summary(), s.jitterMicros(), s.ipdvP50(), s.ipdvP99(),
                (long) sent * PACKET_BYTES, (long) received * PACKET_BYTES, null, null, values);
    }

    private static double lossRate(SplittableRandom random) {
        double regime = random.nextDouble();
        if (regime < 0.90) {
            return 0.0005;
        }
        return regime < 0.99 ? 0.005 : 0.03 + random.nextDouble() * 0.05;
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller; SplittableRandom has no nextGaussian on Java 17.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** The summary an agent computes from a window's RTTs (RFC 3550 jitter on consecutive RTTs). */
    record Statistics(LatencyWindow.RttSummary summary, double jitterMicros, Double ipdvP50, Double ipdvP99) {
        static Statistics of(int[] rtt) {
            if (rtt.length == 0) {
                return new Statistics(null, 0, null, null);
            }
            int[] sorted = rtt.clone();
            Arrays.sort(sorted);
            double jitter = 0;
            int[] ipdv = new int[Math.max(0, rtt.length - 1)];
            long sum = rtt[0];
            for (int i = 1; i < rtt.length; i++) {
                int d = Math.abs(rtt[i] - rtt[i - 1]);
                jitter += (d - jitter) / 16;
                ipdv[i - 1] = d;
                sum += rtt[i];
            }
            Arrays.sort(ipdv);
            LatencyWindow.RttSummary summary = new LatencyWindow.RttSummary(sorted[0], at(sorted, 0.5),
                    at(sorted, 0.9), at(sorted, 0.99), sorted[sorted.length - 1], (double) sum / rtt.length);
            return new Statistics(summary, Math.round(jitter * 10) / 10.0,
                    ipdv.length == 0 ? null : (double) at(ipdv, 0.5), ipdv.length == 0 ? null : (double) at(ipdv, 0.99));
        }

        private static int at(int[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }
}
