package io.linkprobe.collector.ingest;

import static io.linkprobe.collector.Exposition.require;
import static io.linkprobe.collector.Exposition.unlabelled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.archive.ArchiveDump;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.pg.PostgresServer;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.PushAck;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive on a real PostgreSQL that goes away and comes back (the test stops and starts its
 * own server): pushes get 503 counted as {@code archive_error} while it is down, {@code /-/ready}
 * says why, and once the server is back the collector connects again without a restart; the
 * agent's retries are stored, each result once.
 */
class PostgresConnectionLossTest {
    @TempDir
    Path dir;

    @Test
    void lostDatabaseRefusesWith503ThenReconnectsWithoutRestartStoringEveryResultOnce() throws Exception {
        String why = PostgresServer.unavailableReason();
        if (why != null) {
            System.out.println("PostgresConnectionLossTest skipped: " + why);
        }
        Assumptions.assumeTrue(why == null, why);
        try (PostgresServer server = PostgresServer.startOwn()) {
            String url = server.newDatabase();
            try (TestCollector c = TestCollector.start(dir, Map.of("t", FullDiskTest.TOKEN), MutableClock.now(),
                    config -> config.withArchive(CollectorConfig.Archive.postgres(url, null)))) {
                List<Long> acked = new ArrayList<>();
                for (long seq = 1; seq <= 3; seq++) {
                    assertEquals(200, FullDiskTest.push(c, seq).statusCode());
                    acked.add(seq);
                }

                server.stop();
                List<Long> refused = new ArrayList<>();
                for (long seq = 4; seq <= 8; seq++) {
                    HttpResponse<String> r = FullDiskTest.push(c, seq);
                    assertEquals(503, r.statusCode(), "database gone: " + r.body());
                    assertEquals("30", r.headers().firstValue("Retry-After").orElse(""));
                    refused.add(seq);
                }
                HttpResponse<String> notReady = c.get("/-/ready");
                assertEquals(503, notReady.statusCode());
                assertTrue(notReady.body().startsWith("linkprobe collector is not ready: the archive cannot write since "),
                        notReady.body());
                String m = c.metrics();
                assertEquals(refused.size(), require(m, "linkprobe_collector_rejected_total", "reason=\"archive_error\""));
                assertEquals(0, unlabelled(m, "linkprobe_collector_archive_writable"));

                server.start();
                // No push comes: the collector's own probe write connects again (every 5 s).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (c.get("/-/ready").statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals("linkprobe collector is ready\n", c.get("/-/ready").body(), "ready again without a restart");

                for (long seq : refused) {
                    HttpResponse<String> r = FullDiskTest.push(c, seq);
                    assertEquals(200, r.statusCode(), r.body());
                    assertEquals(new PushAck(seq, false), Json.mapper().readValue(r.body(), PushAck.class),
                            "nothing of a push answered 503 was stored");
                    acked.add(seq);
                }
                assertEquals(new PushAck(8, true), Json.mapper().readValue(FullDiskTest.push(c, 2).body(), PushAck.class));

                Map<Long, Long> stored = new TreeMap<>();
                for (ArchiveDump.Push p : ArchiveDump.postgres(url, null)) {
                    assertEquals(null, stored.put(p.sequence(), (long) p.samples().size()), "one row per key");
                }
                Map<Long, Long> expected = new TreeMap<>();
                acked.forEach(seq -> expected.put(seq, (long) FullDiskTest.SAMPLES_PER_PUSH));
                assertEquals(expected, stored, "every acked push stored once, whole");
                System.out.printf("PostgresConnectionLossTest: server stopped and started; %d pushes answered 503"
                        + " (counted archive_error), ready again without a restart, %d keys stored once each%n",
                        refused.size(), stored.size());
            }
        }
    }
}
