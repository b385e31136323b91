package io.linkprobe.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.Sample;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark (tag {@code load}, run by .ci/run, not by {@code mvn verify}): a site page over a full
 * day of archived windows (1,440, each with 300 raw RTTs); prints the median render time.
 */
@Tag("load")
class SitePageTimingTest {
    @TempDir
    Path dir;

    @Test
    void aDayOfWindowsRendersQuickly() throws Exception {
        try (TestCollector c = TestCollector.start(dir, Map.of("busy", "tok-busy"))) {
            long now = c.clock.millis();
            Random random = new Random(7);
            int minute = 1_440;
            for (int seq = 0; seq < 24; seq++) {
                Sample[] windows = new Sample[60];
                for (int k = 0; k < 60; k++, minute--) {
                    int[] rtts = new int[300];
                    Arrays.setAll(rtts, i -> 12_000 + random.nextInt(4_000));
                    windows[k] = Samples.window("hub", now - minute * 60_000L, rtts, minute % 40 == 0 ? 1 : 0, 0);
                }
                assertEquals(200, c.push("tok-busy", Samples.batch("busy", seq, windows)).statusCode());
            }
            for (int warm = 0; warm < 3; warm++) {
                c.get("/sites/busy");
            }
            long[] nanos = new long[5];
            HttpResponse<String> page = null;
            for (int run = 0; run < nanos.length; run++) {
                long t0 = System.nanoTime();
                page = c.get("/sites/busy");
                nanos[run] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "site page, 1,440 archived windows of 300 RTTs: median %.1f ms, max %.1f ms,"
                    + " %d kB%n", nanos[2] / 1e6, nanos[4] / 1e6, page.body().length() / 1000);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<svg class=\"plot\""));
        }
    }
}
