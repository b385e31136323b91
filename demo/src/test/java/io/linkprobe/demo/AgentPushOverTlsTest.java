package io.linkprobe.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.push.Backoff;
import io.linkprobe.agent.push.CollectorTls;
import io.linkprobe.agent.push.Pusher;
import io.linkprobe.agent.push.SqliteSpool;
import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.common.testing.Samples;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent pushes to an https collector whose certificate comes from an organisation's own CA once
 * {@code collector.ca_file} names that CA; with the JDK's public CAs alone the same push fails
 * and the results stay in the spool.
 */
class AgentPushOverTlsTest {
    @TempDir
    Path dir;

    @Test
    void thePrivateCaInCaFileIsTrustedAndNothingElseIs() throws Exception {
        Instant now = Instant.now();
        X509Bundle ca = new CertificateBuilder().subject("CN=NHS trust test CA").setIsCertificateAuthority(true)
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256().buildSelfSigned();
        X509Bundle server = new CertificateBuilder().subject("CN=collector").addSanIpAddress("127.0.0.1")
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256().addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
        Path cert = Files.writeString(dir.resolve("collector.crt"), server.getCertificatePathPEM());
        Path key = Files.writeString(dir.resolve("collector.key"), server.getPrivateKeyPEM());
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM());

        try (TestCollector c = TestCollector.start(dir, Map.of("site-t", "token-t"), MutableClock.now(),
                config -> config.withHttp(new CollectorConfig.Http("127.0.0.1", 0, new CollectorConfig.Tls(cert, key))))) {
            URI url = URI.create("https://127.0.0.1:" + c.collector.httpPort());

            PushAttempt trusted = push(url, CollectorTls.trusting(caFile), "trusted", a -> a.pending == 0);
            PushAttempt publicCas = push(url, null, "public", a -> a.failures >= 1);

            assertEquals(0, trusted.pending, "the private CA's collector took the result");
            assertEquals(0, trusted.failures);
            assertEquals(0, trusted.refused, "and accepted it, not refused it");
            assertEquals(1, publicCas.pending, "without ca_file the result stays spooled");
            assertTrue(publicCas.failures >= 1, "and the failure is counted");
        }
    }

    private record PushAttempt(long pending, long failures, long refused) {}

    /**
     * Pushes one result and waits until {@code settled} (or 30 s: a margin for a busy machine, not
     * part of the verdict — a push that settles differently fails the assertions).
     */
    private PushAttempt push(URI url, SSLContext tls, String name, java.util.function.Predicate<PushAttempt> settled)
            throws Exception {
        try (SqliteSpool spool = SqliteSpool.open(dir.resolve(name + ".db"), 1 << 20, 0)) {
            spool.add(Samples.health(System.currentTimeMillis(), 0));
            Pusher pusher = new Pusher(url, io.linkprobe.agent.push.AgentToken.fixed("token-t"), Samples.agent("site-t"),
                    spool, Duration.ofSeconds(30),
                    new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)), tls);
            pusher.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                PushAttempt attempt = new PushAttempt(spool.pendingSamples(), pusher.failuresTotal(),
                        pusher.refusedSamplesTotal());
                while (!settled.test(attempt) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    attempt = new PushAttempt(spool.pendingSamples(), pusher.failuresTotal(),
                            pusher.refusedSamplesTotal());
                }
                return attempt;
            } finally {
                pusher.close();
            }
        }
    }
}
