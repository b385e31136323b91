package io.linkprobe.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The collector does not depend on the agent: the shaded {@code linkprobe-collector.jar} that
 * {@code mvn package} builds carries the collector and common, and no agent class (the demo, which
 * needs both, is {@code linkprobe-demo.jar}).
 */
class CollectorJarIT {
    @Test
    void theCollectorJarCarriesNoAgentClass() throws Exception {
        Path jar = Path.of(System.getProperty("linkprobe.collector.jar", "target/linkprobe-collector.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is built by `mvn package`");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("io.linkprobe.collector.CollectorMain", j.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(j.getEntry("io/linkprobe/collector/CollectorMain.class"));
            assertNotNull(j.getEntry("io/linkprobe/common/responder/Responder.class"), "common is shaded in");
            List<String> agent = j.stream().map(ZipEntry::getName).filter(n -> n.startsWith("io/linkprobe/agent/"))
                    .toList();
            assertEquals(List.of(), agent, "agent classes in " + jar);
            assertTrue(j.stream().map(ZipEntry::getName).noneMatch(n -> n.startsWith("io/linkprobe/demo/")));
        }
    }
}
