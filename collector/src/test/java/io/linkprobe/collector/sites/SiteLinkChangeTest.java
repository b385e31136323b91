package io.linkprobe.collector.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linkprobe.collector.config.Limits;
import io.linkprobe.collector.metrics.LinkAggregator;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Sample;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A cut-over learned without a fleet file: the first push whose {@code link} label differs. */
class SiteLinkChangeTest {
    static final long NOW = 1_760_000_000_000L;

    final MeterRegistry meters = new SimpleMeterRegistry();
    final SiteRegistry sites = new SiteRegistry(Limits.DEFAULT, Duration.ofMinutes(10),
            new LinkAggregator(meters, Timer.builder("delay").register(meters)));
    final List<String> heard = new ArrayList<>();

    @Test
    void aChangedLinkLabelIsHeardOnceWithTheFirstResultsTime() {
        sites.onLinkChange((site, from, to, at) -> heard.add(site + " " + from.labels().get("link") + "->"
                + to.labels().get("link") + " @" + (at - NOW) + " " + to.expected().downBytesPerSecond()));
        push("copper", NOW, NOW);
        push("copper", NOW + 60_000, NOW + 60_000);
        push("fibre", NOW + 120_000, NOW + 90_000); // the first result with the new label ended at +90 s
        push("fibre", NOW + 180_000, NOW + 180_000);
        assertEquals(List.of("gp1 copper->fibre @90000 1.0E7"), heard);
    }

    @Test
    void aFirstPushOrAMissingLabelIsNoCutOver() {
        sites.onLinkChange((site, from, to, at) -> heard.add(site));
        push(null, NOW, NOW);
        push("fibre", NOW + 60_000, NOW + 60_000);
        push("fibre", NOW + 120_000, NOW + 120_000);
        assertEquals(List.of(), heard);
    }

    private void push(String link, long received, long end) {
        AgentIdentity agent = new AgentIdentity("gp1", "gp1-agent", "boot", "1.0",
                link == null ? Map.of() : Map.of("link", link), new AgentIdentity.Contract(1e7, 2.5e6));
        List<Sample> samples = List.of(Samples.window("hub", end, new int[] {2_000}, 0, 0));
        sites.record(agent, samples, received);
    }
}
