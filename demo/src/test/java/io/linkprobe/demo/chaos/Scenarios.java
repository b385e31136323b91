package io.linkprobe.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;

/**
 * What the chaos scenarios share. They run as four classes side by side (each with its own
 * collector and agents on ports of its own), so that the suite takes about as long as the
 * three-minute outage: {@link CollectorChaosIT}, {@link AgentChaosIT}, {@link OperatorChaosIT},
 * {@link LongOutageChaosIT}. Each scenario counts what the agents produced against what the
 * archive holds ({@link Ledger}) and fails on one result lost or stored twice; catch-up times are
 * printed against the one-minute target, and a bound on each only stops a hang.
 */
final class Scenarios {
    static final Duration DRAIN = Duration.ofSeconds(90);
    static final Duration CATCH_UP_BOUND = Duration.ofSeconds(150);

    private Scenarios() {}

    static String catchUpText(double seconds) {
        return String.format(Locale.ROOT, "%.1f s (%s)", seconds, seconds <= 60 ? "within 60 s" : "MISSED 60 s");
    }

    static void assertNothingLostOrDuplicated(Ledger.Tally t) {
        assertEquals(0, t.lost(), () -> "lost: " + t.problems());
        assertEquals(0, t.duplicated(), () -> "duplicated: " + t.problems());
        assertTrue(t.produced() > 0);
    }

    /** Overwrites the file page holding {@code marker} with noise (the file closed: no WAL). */
    static void damagePageHolding(Path file, String marker) throws Exception {
        byte[] all = Files.readAllBytes(file);
        int pageSize = ((all[16] & 0xFF) << 8) | (all[17] & 0xFF);
        byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        int at = -1;
        outer:
        for (int i = 0; i <= all.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (all[i + j] != needle[j]) {
                    continue outer;
                }
            }
            at = i;
            break;
        }
        assertTrue(at >= 0, marker + " is in " + file);
        byte[] noise = new byte[pageSize];
        new Random(at).nextBytes(noise);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek((long) (at / pageSize) * pageSize);
            f.write(noise);
        }
    }
}
