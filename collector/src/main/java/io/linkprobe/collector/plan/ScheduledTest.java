package io.linkprobe.collector.plan;

/**
 * One recurring test of one site, as the scheduler sees it: how often, how long a slot it holds
 * the responder, and at what rate.
 *
 * @param everyMillis the period the site asks for
 * @param slotMillis how long one run holds a place on the responder (see {@link SlotGrid#slotMillis})
 * @param mbps the rate it may reach (the larger of the site's contracted down and up rates);
 *     0 = not known, which reserves a whole lane of the responder ({@code max_mbps / max_concurrent_tests})
 */
public record ScheduledTest(String site, TestKind kind, long everyMillis, long slotMillis, double mbps) {
    public ScheduledTest {
        if (everyMillis <= 0 || slotMillis <= 0 || mbps < 0) {
            throw new IllegalArgumentException("a scheduled test needs a positive period and slot, and a rate of at least 0");
        }
    }

    public Key key() {
        return new Key(site, kind);
    }

    /** A site's test of one kind: what a slot is kept for. */
    public record Key(String site, TestKind kind) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = site.compareTo(o.site);
            return c != 0 ? c : kind.compareTo(o.kind);
        }
    }
}
