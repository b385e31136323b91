package io.linkprobe.collector.metrics;

import static io.linkprobe.collector.Exposition.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.MutableClock;
import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.cli.BuildInfo;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.PushBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole of a real collector's /metrics, after pushes of every sample kind, follows the
 * conventions Prometheus users know from node_exporter and blackbox_exporter: build info, the
 * standard process metrics, no Micrometer {@code _max} gauges, every family in base units with
 * HELP text, {@code _total} on counters and on nothing else, {@code _info} gauges that are 1.
 */
class ExpositionConventionsTest {
    private static final String TOKEN = "token-of-site-t";

    /**
     * Gauges that count things and so carry no unit (Prometheus' own {@code process_open_fds},
     * {@code go_goroutines} are named the same way). Anything else without a unit suffix fails.
     */
    private static final Set<String> DIMENSIONLESS_GAUGES = Set.of(
            "linkprobe_collector_archive_queue", "linkprobe_collector_sites", "linkprobe_collector_tokens",
            "linkprobe_collector_stamp_sessions", "linkprobe_collector_throughput_running",
            "linkprobe_collector_throughput_queue", "linkprobe_probe_success",
            // 0/1 states, named like Prometheus' own up and prometheus_config_last_reload_successful
            "linkprobe_collector_archive_writable", "linkprobe_collector_config_last_reload_successful",
            "process_open_fds", "process_max_fds",
            "netty_eventexecutor_tasks_pending", "netty_eventexecutor_workers");
    /** Micrometer's JVM binders name counted things as a unit; they are counts, not quantities. */
    private static final Pattern COUNTED_THINGS = Pattern.compile(".*_(threads|classes|buffers)(_total)?");
    private static final Pattern BASE_UNIT = Pattern.compile(".*_(seconds|bytes|bytes_per_second|ratio|info)(_total)?");
    private static final Pattern NON_BASE_UNIT = Pattern.compile(
            ".*_(ns|us|ms|nanoseconds|microseconds|milliseconds|minutes|hours|days|kb|kib|mb|mib|kilobytes|megabytes|bits|percent)(_.*|$)");

    @TempDir
    Path dir;

    @Test
    void metricsCarryBuildInfoProcessMetricsNoMaxGaugesAndBaseUnits() throws Exception {
        // A fleet file, so that the plan's ratios are exposed too.
        Path fleet = Files.writeString(dir.resolve("fleet.yml"), """
                responders: [{name: hub, host: hub.example.net, max_concurrent_tests: 1, max_mbps: 1000}]
                embedded_responder: {enabled: false}
                defaults: {targets: [{name: hub, host: hub.example.net}]}
                sites: {t: {}}
                """);
        try (TestCollector c = TestCollector.start(dir, Map.of("t", TOKEN), MutableClock.now(),
                cfg -> cfg.withFleetFile(fleet))) {
            long end = c.clock.millis() - 5_000;
            AgentIdentity agent = Samples.agent("t");
            AgentIdentity withBuild = new AgentIdentity(agent.site(), agent.agentId(), agent.bootId(), agent.version(),
                    agent.labels(), agent.expected(), "0123456789abcdef0123456789abcdef01234567", "17.0.99");
            PushBatch batch = new PushBatch(withBuild, 1, List.of(
                    Samples.window("hub", end, new int[] {900, 1_500, 12_000}, 0, 0),
                    Samples.throughput("hub", end, "down", 1_000_000),
                    Samples.connect("hub", end, 2_000),
                    // health as agents report it since robust-agent and fleet-agent: every running total
                    new AgentHealth(end, 3600, 1024, 0, 2, 1, 1L, end - 60_000, 3L, "v1")));
            assertEquals(200, c.push(TOKEN, batch).statusCode());
            String m = c.metrics();
            Map<String, String> families = families(m);

            BuildInfo build = BuildInfo.current();
            assertEquals(1, require(m, "linkprobe_build_info", "version=\"" + build.version() + "\"",
                    "revision=\"" + build.revision() + "\"", "java_version=\"" + System.getProperty("java.version") + "\""));
            assertEquals(1, require(m, "linkprobe_agent_build_info", "site=\"t\"", "version=\"0.1.0\"",
                    "revision=\"0123456789abcdef0123456789abcdef01234567\"", "java_version=\"17.0.99\""));
            for (String name : List.of("process_cpu_seconds_total", "process_resident_memory_bytes",
                    "process_virtual_memory_bytes", "process_open_fds", "process_max_fds", "process_start_time_seconds")) {
                assertTrue(families.containsKey(name), name + " is missing from:\n" + families.keySet());
            }
            assertEquals(1, require(m, "linkprobe_probe_success", "site=\"t\"", "target=\"hub\"", "probe=\"stamp\""));
            assertEquals(1, require(m, "linkprobe_probe_success", "site=\"t\"", "target=\"hub\"", "probe=\"tcp_connect\""));
            assertEquals(end / 1000.0, require(m, "linkprobe_throughput_last_test_timestamp_seconds", "site=\"t\"",
                    "target=\"hub\"", "direction=\"down\""), 0.001);

            assertEquals(1, require(m, "linkprobe_agent_spool_recovered_total", "site=\"t\""),
                    "a recovery after the site's previous push counts at once");
            for (String name : List.of("linkprobe_agent_spool_dropped_total", "linkprobe_agent_implausible_dropped_total",
                    "linkprobe_collector_test_demand_ratio", "linkprobe_collector_test_stretch_ratio")) {
                assertTrue(families.containsKey(name), name + " is missing from:\n" + families.keySet());
            }

            Map<String, String> help = help(m);
            List<String> wrong = new ArrayList<>();
            families.forEach((name, type) -> {
                if (help.getOrDefault(name, "").isBlank()) {
                    wrong.add(name + ": no HELP text");
                }
                if (type.equals("counter") != name.endsWith("_total")) {
                    wrong.add(name + " (" + type + "): _total is for counters, and every counter has it");
                }
                if (name.endsWith("_info") && !type.equals("gauge")) {
                    wrong.add(name + " (" + type + "): an _info family is a gauge");
                }
            });
            Matcher info = Pattern.compile("^(\\w+_info)\\{[^}]*\\} (\\S+)$", Pattern.MULTILINE).matcher(m);
            while (info.find()) {
                if (Double.parseDouble(info.group(2)) != 1.0) {
                    wrong.add(info.group(0) + ": an _info series is always 1");
                }
            }
            families.forEach((name, type) -> {
                String exposed = name;  // the text format names counters with their _total
                if (name.endsWith("_max")) {
                    wrong.add(exposed + ": a Micrometer _max gauge");
                } else if (NON_BASE_UNIT.matcher(exposed).matches()) {
                    wrong.add(exposed + ": not in a base unit");
                } else if (!type.equals("counter") && !BASE_UNIT.matcher(name).matches()
                        && !COUNTED_THINGS.matcher(name).matches() && !DIMENSIONLESS_GAUGES.contains(name)) {
                    wrong.add(exposed + " (" + type + "): no unit");
                }
            });
            assertTrue(wrong.isEmpty(), "families breaking the conventions:\n" + String.join("\n", wrong));
            assertTrue(!families.containsKey("process_cpu_time_ns_total") && families.containsKey("linkprobe_rtt_seconds") && families.containsKey("linkprobe_tcp_connect_seconds"),
                    "the histograms are there: " + families.keySet());
        }
    }

    /** {@code # HELP name text} lines: family name → text. */
    static Map<String, String> help(String scrape) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher h = Pattern.compile("^# HELP (\\S+) ?(.*)$", Pattern.MULTILINE).matcher(scrape);
        while (h.find()) {
            out.put(h.group(1), h.group(2));
        }
        return out;
    }

    /** {@code # TYPE name type} lines: family name → type. */
    static Map<String, String> families(String scrape) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher t = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        while (t.find()) {
            out.put(t.group(1), t.group(2));
        }
        return out;
    }
}
