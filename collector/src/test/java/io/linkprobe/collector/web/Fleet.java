package io.linkprobe.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.TestCollector;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.PushBatch;
import io.linkprobe.common.wire.Sample;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Four sites pushed through a test collector's API, one of each kind the status page tells apart,
 * and helpers to read the table back.
 */
final class Fleet {
    static final Map<String, String> TOKENS = Map.of("leeds-gp", "tok-leeds", "york-hosp", "tok-york",
            "hull-clinic", "tok-hull", "quiet-site", "tok-quiet", "evil", "tok-evil");

    final TestCollector c;
    final long now;

    Fleet(TestCollector c) {
        this.c = c;
        this.now = c.clock.millis();
    }

    static AgentIdentity agent(String site, String region, String link, String version, double downBytesPerSecond) {
        return new AgentIdentity(site, "agent-" + site, "boot-1", version, Map.of("region", region, "link", link),
                new AgentIdentity.Contract(downBytesPerSecond, 2_500_000));
    }

    void push(String site, AgentIdentity agent, long sequence, Sample... samples) throws Exception {
        HttpResponse<String> r = c.push(TOKENS.get(site), new PushBatch(agent, sequence, List.of(samples)));
        assertEquals(200, r.statusCode(), r.body());
    }

    /**
     * leeds: ok, 6 h of windows, tests at 98 % and 96 % of contract; york: degraded by 20 % loss up,
     * upload at 40 % of contract; hull: down (no replies); quiet: ok, no windows at all.
     */
    void pushFleet() throws Exception {
        AgentIdentity leeds = agent("leeds-gp", "yorkshire", "fttp", "0.1.0", 10_000_000);
        List<Sample> history = new ArrayList<>();
        for (int i = 360; i >= 1; i--) {
            int base = 9_000 + (i % 30) * 100;
            history.add(Samples.window("hub", now - i * 60_000L, new int[] {base, base + 500, base + 2_000}, 0, 0));
        }
        push("leeds-gp", leeds, 1, history.toArray(Sample[]::new));
        push("leeds-gp", leeds, 2, Samples.throughput("hub", now - 5_000, "down", 9_760_000),
                Samples.throughput("hub", now - 4_000, "up", 2_400_000));
        push("york-hosp", agent("york-hosp", "yorkshire", "sogea", "0.1.0", 5_000_000), 1,
                Samples.window("hub", now - 1_000, new int[] {30_000, 31_000, 32_000, 33_000}, 1, 0),
                Samples.throughput("hub", now - 4_000, "up", 1_000_000));
        push("hull-clinic", agent("hull-clinic", "humber", "fttp", "0.1.0", 12_500_000), 1,
                Samples.window("hub", now - 1_000, new int[0], 3, 2));
        push("quiet-site", agent("quiet-site", "humber", "adsl", "0.1.0", 1_000_000), 1, Samples.health(now - 1_000, 0));
    }

    /** Site names in the order the table lists them. */
    static List<String> siteOrder(String html) {
        Matcher m = Pattern.compile("<tr><td class=\"name\"><a href=\"/sites/[^\"]*\">([^<]*)</a>").matcher(html);
        List<String> sites = new ArrayList<>();
        while (m.find()) {
            sites.add(m.group(1));
        }
        return sites;
    }

    /** The table row of {@code site}. */
    static String row(String html, String site) {
        int start = html.indexOf("<tr><td class=\"name\"><a href=\"/sites/" + site + "\">");
        assertTrue(start >= 0, "no row for " + site);
        return html.substring(start, html.indexOf("</tr>", start));
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
