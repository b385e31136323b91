package io.linkprobe.collector.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.CollectorMain;
import io.linkprobe.common.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan simulate} on a region of 10,000 sites of mixed links (2 Mbit/s copper to 1 Gbit/s
 * fibre, some with no contract known) and three responders. Prints the planner's report; the
 * generated fleet file is kept as {@code target/fleet-10k.yml} so the same run can be repeated
 * with the jar.
 */
class PlanSimulateTest {
    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(() -> CollectorMain.commandLine().execute(args));
    }

    /** Contracts (down/up Mbit/s) and link labels, dealt out to sites in turn. */
    static final String[][] LINKS = {
        {"adsl", "2", "0.5"}, {"adsl", "8", "1"}, {"adsl", "17", "1"}, {"adsl", "20", "2"},
        {"fttc", "40", "10"}, {"fttc", "80", "20"}, {"fttc", "80", "20"},
        {"fttp", "100", "20"}, {"fttp", "330", "50"}, {"fttp", "500", "75"},
        {"leased", "1000", "1000"}, {"fttc", null, null},
    };

    static String fleet(int sites, String responders) {
        StringBuilder y = new StringBuilder(responders).append("""
                embedded_responder: {enabled: false}
                defaults:
                  throughput: {every: 4h, duration: 10s, direction: both}
                  video: {enabled: false}
                groups:
                  - {name: copper, match: {link: adsl}, throughput: {every: 8h, duration: 8s}}
                sites:
                """);
        for (int i = 0; i < sites; i++) {
            String[] link = LINKS[i % LINKS.length];
            y.append(String.format(Locale.ROOT, "  gp-%05d: {labels: {link: %s}", i, link[0]));
            if (link[1] != null) {
                y.append(", expected: {down_mbps: ").append(link[1]).append(", up_mbps: ").append(link[2]).append('}');
            }
            y.append("}\n");
        }
        return y.toString();
    }

    static final String THREE_HUBS = """
            responders:
              - {name: hub-north, host: hub-north.example.net, max_concurrent_tests: 8, max_mbps: 10000}
              - {name: hub-south, host: hub-south.example.net, max_concurrent_tests: 8, max_mbps: 10000}
              - {name: hub-west, host: hub-west.example.net, max_concurrent_tests: 4, max_mbps: 2000}
            """;

    @Test
    void tenThousandMixedSitesOnThreeRespondersAllGetTheirTests() throws Exception {
        Path file = Files.writeString(dir.resolve("fleet-10k.yml"), fleet(10_000, THREE_HUBS));
        Files.createDirectories(Path.of("target"));
        Files.copy(file, Path.of("target", "fleet-10k.yml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        CliRun r = run("plan", "simulate", "--fleet", file.toString(), "--days", "7", "--worst", "5");
        System.out.println("$ linkprobe-collector plan simulate --fleet target/fleet-10k.yml --days 7 --worst 5\n" + r.out());

        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("linkprobe plan simulate: 10000 sites (10000 with throughput tests), 3 responders, 7 days"),
                r.out());
        assertTrue(r.out().contains("; 0 sites got fewer than asked"), r.out());
        // Every responder row: peak tests within its lanes, peak Mbit/s within its max (the simulation's own count).
        Matcher row = Pattern.compile("^(hub-\\S+)\\s+(\\d+)\\s+(\\d+)\\s+\\S+\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(r.out());
        int rows = 0;
        while (row.find()) {
            rows++;
            assertTrue(Integer.parseInt(row.group(4)) <= Integer.parseInt(row.group(2)), row.group());
            assertTrue(Double.parseDouble(row.group(5)) <= Double.parseDouble(row.group(3)), row.group());
        }
        assertEquals(3, rows, r.out());
    }

    @Test
    void aPoolTooSmallStretchesThePeriodsAndExitsOne() throws Exception {
        Path file = Files.writeString(dir.resolve("fleet-small.yml"), fleet(2_000, """
                responders:
                  - {name: hub, host: hub.example.net, max_concurrent_tests: 1, max_mbps: 1000}
                """));

        CliRun r = run("plan", "simulate", "--fleet", file.toString(), "--days", "2", "--worst", "3");
        System.out.println("$ linkprobe-collector plan simulate --fleet fleet-small.yml --days 2 --worst 3\n" + r.out());

        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("every period stretched x"), r.out());
        assertTrue(r.out().contains("; 2000 sites got fewer than asked"), r.out());
    }

    @Test
    void aBrokenFleetFileIsAConfigError() throws Exception {
        Path file = Files.writeString(dir.resolve("fleet.yml"), "responders: [{name: hub, host: h}]\n");
        CliRun r = run("plan", "simulate", "--fleet", file.toString());
        assertEquals(2, r.exit());
        assertEquals(file + ":1:14: responder 'hub' needs 'max_mbps', its bandwidth for tests in Mbit/s "
                + "(e.g. 1000 for a hub on a 1 Gbit/s port)\n", r.err());
    }
}
