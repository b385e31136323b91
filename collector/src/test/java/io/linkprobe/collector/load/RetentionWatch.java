package io.linkprobe.collector.load;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows the collector's log while a load phase runs: when the archive's retention starts
 * dropping partitions (the log line is seen within ~10 ms) the phase's counters are reset, and the
 * phase is measured until every partition named is dropped and 2 s more, so its ack latencies are
 * those of pushes acked while whole days were dropped and just after (a push queued behind a drop
 * is acked, and counted, after it).
 */
final class RetentionWatch {
    private static final Pattern START = Pattern.compile("archive retention: dropping (\\d+) partitions whole");
    private static final Pattern DROPPED = Pattern.compile("archive retention: dropped partition \\S+ in (\\d+) ms");
    private static final Pattern FAILED = Pattern.compile("archive retention: dropping .* failed: ");

    private final int partitions;
    private final long dropMillis;

    private RetentionWatch(int partitions, long dropMillis) {
        this.partitions = partitions;
        this.dropMillis = dropMillis;
    }

    int partitions() {
        return partitions;
    }

    /** What the collector says dropping took, summed over the partitions. */
    double dropSeconds() {
        return dropMillis / 1000.0;
    }

    /** Waits up to {@code timeout} for the retention run; returns once it is over (counters are then the run's). */
    static RetentionWatch await(Path log, Duration timeout, LoadRun run) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int expected = -1;
        int dropped = 0;
        long dropMillis = 0;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(f.length()); // a retention run before the phase does not count
            StringBuilder partial = new StringBuilder();
            while (System.nanoTime() < deadline) {
                for (String line : newLines(f, partial)) {
                    Matcher start = START.matcher(line);
                    Matcher done = DROPPED.matcher(line);
                    if (expected < 0 && start.find()) {
                        run.resetStats();
                        expected = Integer.parseInt(start.group(1));
                        System.err.println("retention started: " + expected + " partitions to drop");
                    } else if (expected >= 0 && done.find()) {
                        dropped++;
                        dropMillis += Long.parseLong(done.group(1));
                    } else if (expected >= 0 && FAILED.matcher(line).find()) {
                        throw new IOException("the collector's retention failed: " + line);
                    }
                }
                if (expected >= 0 && dropped >= expected) {
                    Thread.sleep(2_000);
                    return new RetentionWatch(expected, dropMillis);
                }
                Thread.sleep(10);
            }
        }
        throw new IOException("no retention run of the collector in " + log + " within " + timeout
                + " (it runs a minute after the start, when partitions are past the raw retention)");
    }

    private static List<String> newLines(RandomAccessFile f, StringBuilder partial) throws IOException {
        List<String> lines = new ArrayList<>();
        long available = f.length() - f.getFilePointer();
        if (available <= 0) {
            return lines;
        }
        byte[] bytes = new byte[(int) Math.min(available, 1 << 20)];
        f.readFully(bytes);
        partial.append(new String(bytes, StandardCharsets.ISO_8859_1));
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            lines.add(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
        return lines;
    }
}
