package io.linkprobe.collector.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a schedule on a virtual clock: every test of every site starts at each of its slot times in
 * {@code [start, start + days)} and holds its responder for its slot. What it counts is measured
 * on that timeline, independently of how the scheduler keeps its books, so it also checks the
 * scheduler: per responder the tests per day, the peak number running at once, the peak summed
 * rate and the utilisation; per site the tests received against the tests its schedule asks for.
 */
public final class Simulation {
    private Simulation() {}

    /** One responder's day-to-day load. */
    public record ResponderLoad(String name, int maxConcurrentTests, double maxMbps, double testsPerDay,
            int peakConcurrent, double peakMbps, double laneUtilisation, double bandwidthUtilisation) {}

    /** What one site's test of one kind got. */
    public record SiteTests(ScheduledTest.Key key, long asked, long received) {
        public boolean isShort() {
            return received < asked;
        }
    }

    /**
     * @param sites every test, worst (fewest received relative to asked) first
     */
    public record Result(int days, List<ResponderLoad> responders, List<SiteTests> sites) {
        public long shortSites() {
            return sites.stream().filter(SiteTests::isShort).count();
        }

        public long asked() {
            return sites.stream().mapToLong(SiteTests::asked).sum();
        }

        public long received() {
            return sites.stream().mapToLong(SiteTests::received).sum();
        }
    }

    /**
     * @param startMillis Unix time the virtual clock starts at
     */
    public static Result run(List<PoolMember> pool, List<ScheduledTest> tests, Schedule schedule, long startMillis,
            int days) {
        long endMillis = startMillis + days * 86_400_000L;
        Map<String, List<long[]>> events = new LinkedHashMap<>();
        Map<String, PoolMember> byName = new HashMap<>();
        for (PoolMember r : pool) {
            events.put(r.name(), new ArrayList<>());
            byName.put(r.name(), r);
        }
        List<SiteTests> sites = new ArrayList<>(tests.size());
        Map<String, double[]> busy = new HashMap<>();
        for (ScheduledTest t : tests) {
            long asked = days * 86_400_000L / t.everyMillis();
            Slot slot = schedule.slots().get(t.key());
            if (slot == null) {
                sites.add(new SiteTests(t.key(), asked, 0));
                continue;
            }
            PoolMember r = byName.get(slot.responder());
            double rate = r.rateOf(t.mbps());
            // The rate in Mbit/s times 1000 as a long keeps the sweep exact for any rate to 1 kbit/s.
            long milliMbps = Math.round(rate * 1000);
            List<long[]> list = events.get(r.name());
            long received = 0;
            long first = startMillis + Math.floorMod(slot.offsetMillis() - startMillis, slot.everyMillis());
            for (long s = first; s < endMillis; s += slot.everyMillis()) {
                list.add(new long[] {s, 1, milliMbps});
                list.add(new long[] {s + slot.slotMillis(), -1, -milliMbps});
                received++;
            }
            double[] b = busy.computeIfAbsent(r.name(), n -> new double[2]);
            b[0] += received * slot.slotMillis() / 1000.0;
            b[1] += received * slot.slotMillis() / 1000.0 * rate;
            sites.add(new SiteTests(t.key(), asked, received));
        }
        List<ResponderLoad> loads = new ArrayList<>();
        double seconds = days * 86_400.0;
        for (PoolMember r : pool) {
            long[][] ev = events.get(r.name()).toArray(long[][]::new);
            // A slot ends before the next one starting at the same instant begins.
            Arrays.sort(ev, Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
            int running = 0;
            int peak = 0;
            long milliMbps = 0;
            long peakMilliMbps = 0;
            for (long[] e : ev) {
                running += (int) e[1];
                milliMbps += e[2];
                peak = Math.max(peak, running);
                peakMilliMbps = Math.max(peakMilliMbps, milliMbps);
            }
            double[] b = busy.getOrDefault(r.name(), new double[2]);
            loads.add(new ResponderLoad(r.name(), r.maxConcurrentTests(), r.maxMbps(), ev.length / 2.0 / days, peak,
                    peakMilliMbps / 1000.0, b[0] / (seconds * r.maxConcurrentTests()), b[1] / (seconds * r.maxMbps())));
        }
        sites.sort(Comparator.<SiteTests>comparingDouble(s -> s.asked() == 0 ? 1 : (double) s.received() / s.asked())
                .thenComparing(SiteTests::key));
        return new Result(days, loads, sites);
    }
}
