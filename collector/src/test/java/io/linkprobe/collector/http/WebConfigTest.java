package io.linkprobe.collector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.linkprobe.collector.Collector;
import io.linkprobe.common.auth.Tokens;
import io.linkprobe.collector.config.CollectorConfig;
import io.linkprobe.collector.config.WebConfig;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.testing.Samples;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web config file in the exporter-toolkit format puts /metrics, the status page and the API reads
 * behind TLS and basic auth, while agents' pushes keep working with their bearer token alone.
 */
class WebConfigTest {
    @TempDir
    Path dir;

    @Test
    void tlsAndBasicAuthGuardReadsAndPushesKeepTheirToken() throws Exception {
        X509Bundle ca = new CertificateBuilder().subject("CN=linkprobe test CA").setIsCertificateAuthority(true)
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                .ecp256().buildSelfSigned();
        X509Bundle server = new CertificateBuilder().subject("CN=localhost").addSanIpAddress("127.0.0.1")
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                .ecp256().addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
        Files.writeString(dir.resolve("collector.crt"), server.getCertificatePathPEM());
        Files.writeString(dir.resolve("collector.key"), server.getPrivateKeyPEM());
        String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
        Path web = Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: collector.crt\n"
                + "  key_file: collector.key\nbasic_auth_users:\n  prometheus: " + hash + "\n");
        Path tokens = Files.writeString(dir.resolve("tokens"), Tokens.fileLine("token-t", "t") + "\n");
        CollectorConfig config = CollectorConfig.defaults(tokens).withHttp(CollectorConfig.Http.loopback(0))
                .withArchive(CollectorConfig.Archive.sqlite(dir.resolve("c.db")))
                .withResponder(CollectorConfig.Responder.DISABLED);

        try (Collector c = Collector.start(config, Collector.Options.defaults().withWeb(WebConfig.load(web)))) {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, ca.toTrustManagerFactory().getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
            String base = "https://127.0.0.1:" + c.httpPort();

            HttpResponse<String> push = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/samples"))
                    .header("Authorization", "Bearer token-t")
                    .POST(HttpRequest.BodyPublishers.ofString(Samples.json(Samples.batch("t", 1)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, push.statusCode(), "a push needs its token only: " + push.body());

            for (String path : new String[] {"/metrics", "/", "/api/v1/sites", "/api/v1/sites/t", "/sites/t"}) {
                HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, anonymous.statusCode(), path);
                assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="), path);
                assertEquals(401, get(client, base + path, "prometheus:wrong").statusCode(), path);
                assertEquals(200, get(client, base + path, "prometheus:s3cret").statusCode(), path);
            }
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/-/healthy")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "health checks stay open");
            assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()), "plain HTTP on the TLS port");
        }
    }

    @Test
    void aWebConfigThatCannotWorkIsRefusedWithTheFix() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.yml"), "basic_auth_users:\n  prometheus: s3cret\n");
        ConfigException e = assertThrows(ConfigException.class, () -> WebConfig.load(plain));
        assertTrue(e.getMessage().contains("basic_auth_users.prometheus is not a bcrypt hash"), e.getMessage());
        Path mtls = Files.writeString(dir.resolve("mtls.yml"), "tls_server_config:\n  cert_file: a\n  key_file: b\n"
                + "  client_auth_type: RequireAndVerifyClientCert\n");
        e = assertThrows(ConfigException.class, () -> WebConfig.load(mtls));
        assertTrue(e.getMessage().contains("needs client_ca_file"), e.getMessage());
    }

    private static HttpResponse<String> get(HttpClient client, String url, String userPassword) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
