package io.linkprobe.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.Executables;
import io.linkprobe.collector.TestCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser parses the status page: the DOM Chromium builds has the table with one row per
 * site and the sparkline SVG, so no unbalanced markup swallowed a row. Skipped without
 * {@code chromium} on PATH.
 */
class HeadlessBrowserTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void chromiumBuildsTheTableFromThePage() throws Exception {
        Optional<Path> chromium = Executables.onPath("chromium");
        Assumptions.assumeTrue(chromium.isPresent(), "skipped: no 'chromium' on PATH (apt-get install chromium)");
        String dom;
        try (TestCollector c = TestCollector.start(dir, Fleet.TOKENS)) {
            new Fleet(c).pushFleet();
            dom = dumpDom(chromium.get(), c.uri("/?sort=site").toString());
        }

        Matcher table = Pattern.compile("<table class=\"sites\">(.*?)</table>", Pattern.DOTALL).matcher(dom);
        assertTrue(table.find(), dom);
        assertEquals(List.of("hull-clinic", "leeds-gp", "quiet-site", "york-hosp"), Fleet.siteOrder(table.group(1)));
        assertEquals(4, Fleet.count(table.group(1), "<tr>") - 1, "four site rows under the heading row");
        assertTrue(Fleet.row(table.group(1), "leeds-gp").contains("<svg class=\"spark\""), "the sparkline is in the DOM");
    }

    private String dumpDom(Path chromium, String url) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path out = dir.resolve("dom.html");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + profile, "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(dir.resolve("chromium.log").toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish in 60 s: " + Files.readString(dir.resolve("chromium.log")));
            }
        } finally {
            // Its renderer and zygote are its children: end them by pid too, never by name.
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium.log")));
        return Files.readString(out);
    }
}
