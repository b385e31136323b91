package io.linkprobe.collector.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.collector.config.Limits;
import io.linkprobe.collector.http.RefusedException;
import io.linkprobe.collector.http.RejectReason;
import io.linkprobe.collector.metrics.LinkAggregator;
import io.linkprobe.common.testing.Samples;
import io.linkprobe.common.wire.AgentIdentity;
import io.linkprobe.common.wire.Sample;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One entry per site: what admission, a stored push, restore, expiry and retention each do to the
 * site's figures and its meters together.
 */
class SiteRegistryTest {
    static final Duration TTL = Duration.ofMinutes(10);
    static final long NOW = 1_760_000_000_000L;

    final MeterRegistry meters = new SimpleMeterRegistry();
    final SiteRegistry sites = new SiteRegistry(Limits.DEFAULT.withSiteLimits(2, 2, 8), TTL,
            new LinkAggregator(meters, Timer.builder("delay").register(meters)));

    @Test
    void aStoredPushGivesTheSiteItsFiguresAndItsMeters() throws RefusedException {
        push("a", NOW, Samples.window("hub", NOW, new int[] {2_000, 3_000}, 1, 0),
                Samples.throughput("hub", NOW, "down", 1e6));

        SiteView view = sites.view("a", NOW).orElseThrow();
        assertEquals(1, view.latency().size());
        assertEquals(1, view.throughput().size());
        assertFalse(view.seriesExpired());
        assertEquals(3, meters.get("linkprobe.packets.sent").tag("site", "a").counter().count());
        assertNotNull(meters.find("linkprobe.agent.last.push.timestamp").tag("site", "a").gauge());
        assertEquals(1, sites.size());
    }

    @Test
    void silenceBeyondTheTtlExpiresSeriesFreesTargetsAndMarksTheViewAtOnce() throws RefusedException {
        push("a", NOW, Samples.window("hub", NOW, new int[] {2_000}, 0, 0));
        push("b", NOW + TTL.toMillis(), Samples.window("hub", NOW + TTL.toMillis(), new int[] {2_000}, 0, 0));
        long later = NOW + TTL.toMillis() + 1;

        assertEquals(1, sites.expireSilent(later), "a is silent 10 min + 1 ms; b pushed just now");
        assertEquals(0, sites.expireSilent(later), "nothing left to remove");

        assertNull(meters.find("linkprobe.packets.sent").tag("site", "a").counter(), "a's measurement series are gone");
        assertNotNull(meters.find("linkprobe.agent.last.push.timestamp").tag("site", "a").gauge(), "presence stays");
        assertNotNull(meters.find("linkprobe.site.info").tag("site", "a").gauge());
        assertNotNull(meters.find("linkprobe.packets.sent").tag("site", "b").counter());
        assertTrue(sites.view("a", later).orElseThrow().seriesExpired(), "same clock as the expiry");
        assertFalse(sites.view("b", later).orElseThrow().seriesExpired());
        // hub is no longer live for a: two new targets fit under max_targets_per_site 2.
        sites.admit(Samples.agent("a"), Set.of("x", "y"), later);
    }

    @Test
    void restoreListsTheSiteAndPublishesOnlyItsPresence() {
        sites.restore(Samples.agent("a"), NOW - 60_000);

        SiteView view = sites.view("a", NOW).orElseThrow();
        assertEquals(NOW - 60_000, view.lastSeenEpochMillis());
        assertEquals((NOW - 60_000) / 1000.0,
                meters.get("linkprobe.agent.last.push.timestamp").tag("site", "a").gauge().value());
        assertEquals(Set.of("linkprobe.agent.last.push.timestamp", "linkprobe.site.info", "linkprobe.agent.build.info",
                "linkprobe.expected.throughput"), namesOf("a"));
    }

    @Test
    void forgettingASiteRemovesItsEntryAndEverySeriesAndFreesItsPlace() throws RefusedException {
        push("a", NOW, Samples.window("hub", NOW, new int[] {2_000}, 0, 0), Samples.health(NOW, 0));
        push("b", NOW, Samples.window("hub", NOW, new int[] {2_000}, 0, 0));
        RefusedException full = assertThrows(RefusedException.class,
                () -> sites.admit(Samples.agent("c"), Set.of("hub"), NOW));
        assertEquals(RejectReason.MAX_SITES, full.reason());

        sites.forget(List.of("a"));

        assertTrue(sites.view("a", NOW).isEmpty());
        assertTrue(sites.views(NOW).stream().noneMatch(v -> v.site().equals("a")));
        assertEquals(Set.of(), namesOf("a"), "presence goes too");
        assertEquals(1, sites.size());
        push("c", NOW, Samples.window("hub", NOW, new int[] {2_000}, 0, 0));
        assertEquals(2, sites.size());
    }

    @Test
    void aSiteThatReturnsAfterBeingForgottenStartsAfresh() throws RefusedException {
        push("a", NOW, Samples.window("hub", NOW, new int[] {2_000}, 0, 0));
        sites.forget(List.of("a"));

        push("a", NOW + 1, Samples.window("hub", NOW + 1, new int[] {2_000, 2_000}, 0, 0));

        assertEquals(2, meters.get("linkprobe.packets.sent").tag("site", "a").counter().count());
        assertEquals(NOW + 1, sites.view("a", NOW + 1).orElseThrow().lastSeenEpochMillis());
    }

    @Test
    void targetsBeyondTheLimitAreRefusedWhileLive() throws RefusedException {
        push("a", NOW, Samples.window("t1", NOW, new int[] {2_000}, 0, 0),
                Samples.window("t2", NOW, new int[] {2_000}, 0, 0));
        RefusedException e = assertThrows(RefusedException.class,
                () -> sites.admit(Samples.agent("a"), Set.of("t3"), NOW + 1));
        assertEquals(RejectReason.MAX_TARGETS, e.reason());
    }

    private void push(String site, long nowMillis, Sample... samples) throws RefusedException {
        AgentIdentity agent = Samples.agent(site);
        List<Sample> batch = List.of(samples);
        sites.admit(agent, batch.stream().map(Sample::target).filter(t -> t != null).collect(Collectors.toSet()),
                nowMillis);
        sites.record(agent, batch, nowMillis);
    }

    private Set<String> namesOf(String site) {
        return meters.getMeters().stream().filter(m -> site.equals(m.getId().getTag("site")))
                .map(Meter::getId).map(Meter.Id::getName).collect(Collectors.toSet());
    }
}
