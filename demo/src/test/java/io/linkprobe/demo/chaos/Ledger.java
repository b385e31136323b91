package io.linkprobe.demo.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Counts what agents produced against what the archive holds, by two rules that need no clock:
 *
 * <ol>
 *   <li><b>Every result spooled is accounted for.</b> A spool's ids are AUTOINCREMENT, never reused,
 *       and a transaction a kill cuts short takes its id back with it: the file's last issued id is
 *       the number of results it ever took in. Each of them must be in the archive (once), still
 *       in the spool, or in a spool file the test itself destroyed. (A spool the agent replaced
 *       after corruption counts with the rows it held then; those it salvaged count once.)
 *   <li><b>Nothing was lost before the spool.</b> An agent's latency windows towards a target form
 *       a chain within one boot: each starts where the previous ended. A chain breaks only at a
 *       restart (the boot killed with -9 loses its in-memory partial window, which was never
 *       produced). Every window is followed by one health sample before the next window ends
 *       (health is filed right after the windows at each window's end); the last window of a boot
 *       killed with -9 may lack it.
 * </ol>
 *
 * Lost = per agent, the larger of the two rules' counts (a result lost after the spool breaks
 * both; one lost before it only the second); duplicated = the same result (site, kind, target,
 * start, end) stored more than once, or windows that overlap.
 */
final class Ledger {
    /** One start of an agent process, and whether the process was then killed with -9. */
    static final class Boot {
        final long startedAt;
        boolean killed;

        Boot(long startedAt) {
            this.startedAt = startedAt;
        }
    }

    /** A spool file an agent used: its last issued id, and (for one replaced) the rows it held then. */
    record SpoolFile(long spooledTotal, List<Result> heldWhenReplaced) {}

    /** What the ledger knows of one agent. */
    record Agent(String site, String agentId, List<Boot> boots, List<SpoolFile> spools, List<Result> pendingAtEnd) {}

    record Tally(String scenario, long produced, long archived, long pending, long destroyed, long lost,
            long duplicated, List<String> problems) {
        String line() {
            return String.format("chaos %-22s produced %5d, archived %5d, still spooled %3d, destroyed by the test %3d"
                    + " -> lost %d, duplicated %d", scenario, produced, archived, pending, destroyed, lost, duplicated);
        }
    }

    private Ledger() {}

    static Tally count(String scenario, List<Result> archive, List<Agent> agents, long windowMillis) {
        return count(scenario, archive, List.of(), agents, windowMillis);
    }

    /**
     * @param formerlyArchived results an archive held before the test destroyed it: they were
     *     stored (and acked), so they count as delivered, and as destroyed unless the new archive
     *     holds them too
     */
    static Tally count(String scenario, List<Result> archive, List<Result> formerlyArchived, List<Agent> agents,
            long windowMillis) {
        long produced = 0;
        long archived = 0;
        long pending = 0;
        long destroyed = 0;
        long lost = 0;
        long duplicated = 0;
        List<String> problems = new ArrayList<>();
        for (Agent a : agents) {
            Map<Result.Key, Integer> stored = new HashMap<>();
            for (Result r : archive) {
                if (r.agentId().equals(a.agentId())) {
                    stored.merge(r.key(), 1, Integer::sum);
                }
            }
            for (Map.Entry<Result.Key, Integer> e : stored.entrySet()) {
                if (e.getValue() > 1) {
                    duplicated += e.getValue() - 1;
                    problems.add(a.site() + ": stored " + e.getValue() + " times: " + e.getKey());
                }
            }
            Set<Result.Key> delivered = new HashSet<>(stored.keySet());
            long lostWithTheArchive = 0;
            for (Result r : formerlyArchived) {
                if (r.agentId().equals(a.agentId()) && delivered.add(r.key())) {
                    lostWithTheArchive++;
                }
            }
            Set<Result.Key> stillSpooled = new HashSet<>();
            for (Result r : a.pendingAtEnd()) {
                if (!delivered.contains(r.key())) {
                    stillSpooled.add(r.key());
                }
            }
            // Rule 1: every spooled result accounted for.
            long expected = 0;
            long destroyedHere = 0;
            List<Result> destroyedRows = new ArrayList<>();
            for (SpoolFile f : a.spools()) {
                expected += f.spooledTotal();
                if (f.heldWhenReplaced() != null) {
                    for (Result r : f.heldWhenReplaced()) {
                        if (delivered.contains(r.key()) || stillSpooled.contains(r.key())) {
                            expected--; // salvaged into the new spool: counted by that file too
                        } else {
                            destroyedHere++;
                            destroyedRows.add(r);
                        }
                    }
                }
            }
            long accounted = delivered.size() + stillSpooled.size() + destroyedHere;
            destroyedHere += lostWithTheArchive;
            long spoolLost = 0;
            if (expected != accounted) {
                if (expected > accounted) {
                    spoolLost = expected - accounted;
                } else {
                    duplicated += accounted - expected;
                }
                problems.add(a.site() + ": " + expected + " results went into its spool, " + accounted
                        + " are accounted for (" + delivered.size() + " archived, " + stillSpooled.size()
                        + " still spooled, " + destroyedHere + " destroyed by the test)");
            }
            produced += expected;
            archived += delivered.size() - lostWithTheArchive;
            pending += stillSpooled.size();
            destroyed += destroyedHere;

            // Rule 2: chains and health, over everything produced that the test can see.
            List<Result> seen = new ArrayList<>();
            Set<Result.Key> unique = new HashSet<>();
            for (List<Result> rows : List.of(archive, formerlyArchived)) {
                for (Result r : rows) {
                    if (r.agentId().equals(a.agentId()) && unique.add(r.key())) {
                        seen.add(r);
                    }
                }
            }
            for (Result r : a.pendingAtEnd()) {
                if (unique.add(r.key())) {
                    seen.add(r);
                }
            }
            for (Result r : destroyedRows) {
                if (unique.add(r.key())) {
                    seen.add(r);
                }
            }
            long[] chainLost = {0};
            long[] chainDup = {0};
            chains(a, seen, windowMillis, chainLost, chainDup, problems);
            lost += Math.max(spoolLost, chainLost[0]);
            duplicated += chainDup[0];
        }
        return new Tally(scenario, produced, archived, pending, destroyed, lost, duplicated, problems);
    }

    private static void chains(Agent a, List<Result> seen, long windowMillis, long[] lost, long[] dup,
            List<String> problems) {
        List<Boot> boots = a.boots().stream().sorted(Comparator.comparingLong(b -> b.startedAt)).toList();
        Map<String, List<Result>> byTarget = seen.stream().filter(r -> r.type().equals("latency"))
                .collect(Collectors.groupingBy(Result::target, TreeMap::new, Collectors.toList()));
        List<Result> health = seen.stream().filter(r -> r.type().equals("health"))
                .sorted(Comparator.comparingLong(Result::end)).toList();
        boolean first = true;
        for (Map.Entry<String, List<Result>> target : byTarget.entrySet()) {
            for (int b = 0; b < boots.size(); b++) {
                long from = boots.get(b).startedAt;
                long to = b + 1 < boots.size() ? boots.get(b + 1).startedAt : Long.MAX_VALUE;
                List<Result> windows = target.getValue().stream().filter(w -> w.start() >= from && w.start() < to)
                        .sorted(Comparator.comparingLong(Result::start).thenComparingLong(Result::end)).toList();
                for (int i = 1; i < windows.size(); i++) {
                    Result prev = windows.get(i - 1);
                    Result next = windows.get(i);
                    if (next.start() > prev.end()) {
                        long missing = Math.max(1, Math.round((next.start() - prev.end()) / (double) windowMillis));
                        lost[0] += missing;
                        problems.add(a.site() + "/" + target.getKey() + ": ~" + missing + " window(s) missing between "
                                + prev.end() + " and " + next.start() + " within one boot");
                    } else if (next.start() < prev.end()) {
                        dup[0]++;
                        problems.add(a.site() + "/" + target.getKey() + ": windows overlap: " + prev + " and " + next);
                    }
                }
                if (first) { // health pairs with the windows of one target
                    pairHealth(a, windows, health, to, boots.get(b).killed, lost, problems);
                }
            }
            first = false;
        }
    }

    /** One health sample after each window, before the next window ends. */
    private static void pairHealth(Agent a, List<Result> windows, List<Result> health, long to, boolean killed,
            long[] lost, List<String> problems) {
        for (int i = 0; i < windows.size(); i++) {
            long lo = windows.get(i).end();
            long hi = i + 1 < windows.size() ? windows.get(i + 1).end() : to;
            boolean last = i + 1 == windows.size();
            long n = health.stream().filter(h -> h.end() >= lo && h.end() < hi).count();
            if (n == 0 && !(last && killed)) {
                lost[0]++;
                problems.add(a.site() + ": no health sample after the window ending " + lo);
            }
        }
    }
}
