package io.linkprobe.collector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.common.testing.Samples;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from cert/key files: a client trusting the CA pushes; plain HTTP is not answered as HTTP. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void pushOverHttpsWithTheConfiguredCertificate() throws Exception {
        X509Bundle ca = new CertificateBuilder().subject("CN=linkprobe test CA").setIsCertificateAuthority(true)
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                .ecp256().buildSelfSigned();
        X509Bundle server = new CertificateBuilder().subject("CN=localhost").addSanIpAddress("127.0.0.1")
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                .ecp256().addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
        Path cert = Files.writeString(dir.resolve("collector.crt"), server.getCertificatePathPEM());
        Path key = Files.writeString(dir.resolve("collector.key"), server.getPrivateKeyPEM());

        try (TestCollector c = TestCollector.start(dir, Map.of("t", "token-t"), MutableClock.now(),
                config -> config.withHttp(new CollectorConfig.Http("127.0.0.1", 0, new CollectorConfig.Tls(cert, key))))) {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, ca.toTrustManagerFactory().getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
            URI uri = URI.create("https://127.0.0.1:" + c.collector.httpPort() + "/api/v1/samples");

            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer token-t")
                    .POST(HttpRequest.BodyPublishers.ofString(Samples.json(Samples.batch("t", 1)))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, r.statusCode(), r.body());
            assertThrows(java.io.IOException.class, () -> c.get("/-/healthy"), "plain HTTP on the TLS port");
        }
    }
}
