package io.linkprobe.agent.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The collector, with its embedded responder, in the hub: the STAMP reflector agents measure against
 * by default. Runs the collector's own jar ({@code collector/target/linkprobe-collector.jar}, built
 * by the full {@code mvn verify} that CI runs before the lab suite); skips where it is not built.
 */
final class CollectorCli {

    private CollectorCli() {
    }

    static Process startEmbeddedResponder(LabNetwork lab) {
        Path jar = LabScript.path().getParent().getParent().resolve("collector/target/linkprobe-collector.jar");
        assumeTrue(Files.isRegularFile(jar), jar + " is not built (mvn -B package -DskipTests from the repository root): "
                + "skipping the embedded reflector");
        Path dir = lab.logDir().resolve("collector");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("tokens"), "");
            Files.writeString(dir.resolve("collector.yml"), String.join("\n",
                    "http: {bind: " + lab.hubAddress() + ", port: 9862}",
                    "tokens_file: " + dir.resolve("tokens"),
                    "archive: {path: " + dir.resolve("archive.db") + "}",
                    "responder: {enabled: true, stamp_port: " + LinkprobeCli.STAMP_PORT
                            + ", throughput_port: " + LinkprobeCli.THROUGHPUT_PORT + "}",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process collector = lab.startInHub(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "run", "--config", dir.resolve("collector.yml").toString()));
        lab.awaitHubListening(collector, "udp", LinkprobeCli.STAMP_PORT, Duration.ofSeconds(60));
        return collector;
    }
}
