package io.linkprobe.collector.load;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The figures of a phase as {@code result <phase>.<name> <value>} lines on stdout, for
 * {@code bench/ingest.sh} to compare against targets; progress goes to stderr.
 */
final class Report {
    private final String phase;

    Report(String phase) {
        this.phase = phase;
    }

    void put(String name, double value) {
        System.out.printf(Locale.ROOT, "result %s.%s %s%n", phase, name,
                value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                        : String.format(Locale.ROOT, "%.3f", value));
    }

    /** The counters every phase reports. */
    void stats(LoadStats s, double seconds) {
        put("seconds", seconds);
        put("pushes_acked", s.acked.sum());
        put("duplicates", s.duplicates.sum());
        put("results", s.windows.sum());
        put("rtt_values", s.rttValues.sum());
        put("samples", s.samples.sum());
        put("results_per_second", s.windows.sum() / seconds);
        put("rtt_values_per_second", s.rttValues.sum() / seconds);
        put("samples_per_second", s.samples.sum() / seconds);
        put("pushes_per_second", s.acked.sum() / seconds);
        put("mean_body_bytes", s.acked.sum() == 0 ? 0 : (double) s.bodyBytes.sum() / s.acked.sum());
        put("ack_p50_ms", s.ackLatency.percentileMicros(0.50) / 1000.0);
        put("ack_p90_ms", s.ackLatency.percentileMicros(0.90) / 1000.0);
        put("ack_p99_ms", s.ackLatency.percentileMicros(0.99) / 1000.0);
        put("ack_p999_ms", s.ackLatency.percentileMicros(0.999) / 1000.0);
        put("ack_max_ms", s.ackLatency.percentileMicros(1.0) / 1000.0);
        put("retried_429", s.retried429.sum());
        put("retried_503", s.retried503.sum());
        put("late_pushes", s.late.sum());
        put("connect_failures", s.connectFailures.sum());
        put("connections_lost", s.connectionsLost.sum());
        put("timeouts", s.timeouts.sum());
        for (Map.Entry<Integer, Long> e : s.errorStatuses().entrySet()) {
            put("error_status_" + e.getKey(), e.getValue());
        }
        put("errors", s.errors());
    }

    /** CPU seconds this JVM has used so far. */
    static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** Prints a progress line every 5 s until the returned executor is shut down. */
    static ScheduledExecutorService progress(String phase, LoadRun run) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-progress");
            t.setDaemon(true);
            return t;
        });
        long[] lastWindows = {0};
        LoadStats[] lastStats = {null};
        timer.scheduleAtFixedRate(() -> {
            LoadStats s = run.stats();
            if (s != lastStats[0]) {
                lastStats[0] = s;
                lastWindows[0] = 0;
            }
            long windows = s.windows.sum();
            System.err.printf(Locale.ROOT, "[%s] %5.0fs acked %d pushes, %.0f results/s, 429 %d, 503 %d, errors %d,"
                    + " open %d, agents left %d%n", phase, s.elapsedSeconds(), s.acked.sum(),
                    (windows - lastWindows[0]) / 5.0, s.retried429.sum(), s.retried503.sum(), s.errors(),
                    run.openConnections(), run.unfinished());
            lastWindows[0] = windows;
        }, 5, 5, TimeUnit.SECONDS);
        return timer;
    }
}
