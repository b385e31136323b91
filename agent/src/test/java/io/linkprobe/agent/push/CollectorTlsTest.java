package io.linkprobe.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrong {@code collector.ca_file} is a config error naming the file and the fix, found at start
 * (and by check-config), not a stream of handshake failures later. The trusted path is tested
 * against a real https collector in the collector module (AgentPushOverTlsTest).
 */
class CollectorTlsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileSaysWhereTheCaGoes() {
        Path missing = dir.resolve("ca.pem");
        assertEquals("collector.ca_file " + missing + " does not exist: copy the collector's CA certificate (PEM) "
                + "there or remove ca_file to use the system's trusted CAs.",
                assertThrows(ConfigException.class, () -> CollectorTls.trusting(missing)).getMessage());
    }

    @Test
    void aFileWithoutCertificatesIsRefused() throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"),
                "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIH1m\n-----END PRIVATE KEY-----\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");

        String keyMessage = assertThrows(ConfigException.class, () -> CollectorTls.trusting(key)).getMessage();
        String emptyMessage = assertThrows(ConfigException.class, () -> CollectorTls.trusting(empty)).getMessage();

        assertTrue(keyMessage.startsWith("collector.ca_file " + key + " "), keyMessage);
        assertTrue(keyMessage.contains("BEGIN CERTIFICATE"), keyMessage);
        assertTrue(emptyMessage.startsWith("collector.ca_file " + empty + " "), emptyMessage);
        assertTrue(emptyMessage.contains("BEGIN CERTIFICATE"), emptyMessage);
    }
}
