package io.linkprobe.collector.plan;

import io.linkprobe.collector.fleet.ExpectedLayer;
import io.linkprobe.collector.fleet.FleetFile;
import io.linkprobe.collector.fleet.FleetTarget;
import io.linkprobe.collector.fleet.LatencyLayer;
import io.linkprobe.collector.fleet.SiteSettings;
import io.linkprobe.collector.fleet.ThroughputLayer;
import io.linkprobe.collector.fleet.VideoLayer;
import io.linkprobe.common.wire.Plan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every site's plan at one moment: the merged fleet settings of each site and the schedule of its
 * tests on the pool. Immutable; the collector swaps in a new book when the fleet file, the tokens
 * or a site's reported labels or rates change.
 */
public final class PlanBook {
    public static final PlanBook EMPTY = new PlanBook(Map.of(), List.of(), List.of(), Schedule.EMPTY);

    private final Map<String, SiteSettings> sites;
    private final List<PoolMember> pool;
    private final Map<String, PoolMember> byName = new HashMap<>();
    private final List<ScheduledTest> tests;
    private final Schedule schedule;

    private PlanBook(Map<String, SiteSettings> sites, List<PoolMember> pool, List<ScheduledTest> tests, Schedule schedule) {
        this.sites = sites;
        this.pool = List.copyOf(pool);
        this.tests = List.copyOf(tests);
        this.schedule = schedule;
        pool.forEach(r -> byName.put(r.name(), r));
    }

    /**
     * Resolves every site and schedules their tests; keeps {@code previous}'s schedule as it is when
     * neither the tests nor the pool changed, and its slots where they still fit otherwise.
     *
     * @param siteIds the sites that get a plan: those with a token and those the fleet file lists
     */
    public static PlanBook build(FleetFile fleet, List<PoolMember> pool, Collection<String> siteIds, SiteFacts facts,
            PlanBook previous) {
        Map<String, SiteSettings> sites = new TreeMap<>();
        List<ScheduledTest> tests = new ArrayList<>();
        for (String site : new TreeSet<>(siteIds)) {
            Optional<SiteFacts.Reported> reported = facts.reported(site);
            SiteSettings settings = fleet.resolve(site, reported.map(SiteFacts.Reported::labels).orElse(Map.of()));
            sites.put(site, settings);
            ThroughputLayer t = settings.throughput();
            double contract = rateMbps(settings.expected(), reported);
            if (t.enabled()) {
                tests.add(new ScheduledTest(site, TestKind.THROUGHPUT, t.every().toMillis(),
                        SlotGrid.slotMillis(t.directions(), t.duration().toMillis()), contract));
            }
            VideoLayer v = settings.video();
            if (v.enabled()) {
                // N calls × the call's rate, each way; the ladder never climbs past the contract.
                tests.add(new ScheduledTest(site, TestKind.VIDEO, v.every().toMillis(),
                        SlotGrid.videoSlotMillis(v.ladderLength().toMillis()),
                        contract > 0 ? Math.min(contract, v.peakMbps()) : v.peakMbps()));
            }
        }
        Schedule schedule = tests.equals(previous.tests) && pool.equals(previous.pool)
                ? previous.schedule
                : Scheduler.place(pool, tests, previous.schedule);
        return new PlanBook(sites, pool, tests, schedule);
    }

    /** The larger contracted rate, from the fleet file if it says, else as the site's agent declared it; 0 = unknown. */
    private static double rateMbps(ExpectedLayer fleet, Optional<SiteFacts.Reported> reported) {
        if (fleet.known()) {
            return Math.max(orZero(fleet.downMbps()), orZero(fleet.upMbps()));
        }
        return reported.map(r -> Math.max(r.downMbps(), r.upMbps())).orElse(0.0);
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    public boolean knows(String site) {
        return sites.containsKey(site);
    }

    public int siteCount() {
        return sites.size();
    }

    public List<PoolMember> pool() {
        return pool;
    }

    public List<ScheduledTest> tests() {
        return tests;
    }

    public Schedule schedule() {
        return schedule;
    }

    public Optional<SiteSettings> settings(String site) {
        return Optional.ofNullable(sites.get(site));
    }

    /**
     * The site's plan, versioned.
     *
     * @param requestHost the host the agent reached the collector at (its Host header without
     *     port), for a responder whose host neither the fleet file nor collector.yml names
     */
    public Optional<Plan> plan(String site, String requestHost) {
        SiteSettings s = sites.get(site);
        if (s == null) {
            return Optional.empty();
        }
        Optional<Slot> slot = schedule.slot(site, TestKind.THROUGHPUT);
        PoolMember home = slot.map(x -> byName.get(x.responder())).orElse(pool.isEmpty() ? null : pool.get(0));
        List<Plan.Target> targets = new ArrayList<>();
        if (s.targets() != null) {
            for (FleetTarget t : s.targets()) {
                targets.add(new Plan.Target(t.name(), t.host(), t.stampPort(), 0, t.connectPort()));
            }
        } else if (home != null && home.stampPort() > 0) {
            targets.add(new Plan.Target(home.name(), hostOf(home, requestHost), home.stampPort(), 0, 0));
        }
        ExpectedLayer e = s.expected();
        LatencyLayer l = s.latency();
        Plan plan = new Plan(site, null, s.labels(),
                e.known() ? new Plan.Expected(orZero(e.downMbps()), orZero(e.upMbps())) : Plan.Expected.NONE,
                targets, s.window().toMillis(),
                new Plan.Latency(l.interval().toMillis(), l.schedule().name().toLowerCase(Locale.ROOT), l.packetSize(),
                        l.timeout().toMillis()),
                throughput(s.throughput(), slot, requestHost),
                video(s.video(), schedule.slot(site, TestKind.VIDEO), requestHost));
        return Optional.of(PlanVersion.versioned(plan));
    }

    private Plan.Video video(VideoLayer v, Optional<Slot> slot, String requestHost) {
        PoolMember r = slot.map(x -> byName.get(x.responder())).orElse(null);
        if (v.enabled() && r != null && r.stampPort() > 0) {
            Slot x = slot.get();
            return new Plan.Video(true, x.everyMillis(), x.offsetMillis(), v.duration().toMillis(),
                    v.stepDuration().toMillis(), v.rateKbps(), v.packetSize(), v.maxCalls(), v.dscp(), v.maxBytesPerDay(),
                    x.slotMillis(), new Plan.Responder(r.name(), hostOf(r, requestHost), r.stampPort(), r.throughputPort()),
                    x.stretch());
        }
        // Off, no slot on the pool, or a responder without a STAMP reflector: no scheduled video tests.
        return new Plan.Video(false, v.every().toMillis(), 0, v.duration().toMillis(), v.stepDuration().toMillis(),
                v.rateKbps(), v.packetSize(), v.maxCalls(), v.dscp(), v.maxBytesPerDay(),
                SlotGrid.videoSlotMillis(v.ladderLength().toMillis()), null, 1.0);
    }

    private Plan.Throughput throughput(ThroughputLayer t, Optional<Slot> slot, String requestHost) {
        if (t.enabled() && slot.isPresent()) {
            Slot x = slot.get();
            PoolMember r = byName.get(x.responder());
            return new Plan.Throughput(true, x.everyMillis(), x.offsetMillis(), t.duration().toMillis(), t.direction(),
                    t.streams(), t.maxBytesPerTest(), t.maxBytesPerDay(), x.slotMillis(),
                    new Plan.Responder(r.name(), hostOf(r, requestHost), r.stampPort(), r.throughputPort()), x.stretch());
        }
        // Off, or no slot on the pool (it is far too small; the status page says so): no scheduled tests.
        return new Plan.Throughput(false, t.every().toMillis(), 0, t.duration().toMillis(), t.direction(), t.streams(),
                t.maxBytesPerTest(), t.maxBytesPerDay(), 0L, null, 1.0);
    }

    private static String hostOf(PoolMember r, String requestHost) {
        return r.host() != null ? r.host() : requestHost;
    }
}
