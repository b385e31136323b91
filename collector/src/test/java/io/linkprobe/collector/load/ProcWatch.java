package io.linkprobe.collector.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the machine's CPUs were shared during a measurement, from Linux {@code /proc}: the collector's
 * threads' time on a CPU and time waiting for one (runqueue, from {@code schedstat}), and the whole
 * machine's busy time. On a machine shared with other work, the waiting share says how much of the
 * collector's latency was the machine's, not the collector's.
 */
final class ProcWatch {
    private final Path task;

    /** A point-in-time reading. */
    record Sample(long nanos, long runNanos, long waitNanos, long busyTicks, long allTicks) {}

    ProcWatch(long pid) {
        this.task = Path.of("/proc", Long.toString(pid), "task");
    }

    Sample sample() throws IOException {
        long run = 0;
        long wait = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(task)) {
            for (Path thread : threads) {
                try {
                    String[] f = Files.readString(thread.resolve("schedstat")).trim().split("\\s+");
                    run += Long.parseLong(f[0]);
                    wait += Long.parseLong(f[1]);
                } catch (IOException e) {
                    // The thread ended between listing and reading: its time is lost, a few ms at most.
                }
            }
        }
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        long all = 0;
        for (int i = 1; i < cpu.length && i <= 8; i++) {
            long v = Long.parseLong(cpu[i]);
            all += v;
            if (i != 4 && i != 5) { // idle, iowait
                busy += v;
            }
        }
        return new Sample(System.nanoTime(), run, wait, busy, all);
    }

    /** Adds the shares between {@code from} and {@code to} to {@code report}. */
    static void report(Report report, Sample from, Sample to, long results) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        long run = to.runNanos() - from.runNanos();
        long wait = to.waitNanos() - from.waitNanos();
        long all = to.allTicks() - from.allTicks();
        report.put("collector_cpu_cores", run / 1e9 / seconds);
        report.put("collector_cpu_wait_share", run + wait == 0 ? 0 : (double) wait / (run + wait));
        report.put("collector_cpu_ms_per_1000_results", results == 0 ? 0 : run / 1e6 / results * 1000);
        report.put("machine_busy_cores", all == 0 ? 0
                : Runtime.getRuntime().availableProcessors() * (double) (to.busyTicks() - from.busyTicks()) / all);
    }
}
