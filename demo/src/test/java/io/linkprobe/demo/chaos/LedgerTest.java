package io.linkprobe.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chaos tests' counting rule fails on a real loss: each way a result can go missing or twice
 * is built by hand here and must be counted. (The scenarios themselves run as lab tests.)
 */
class LedgerTest {
    static final long W = 5_000;
    static final long T0 = 1_800_000_000_000L;

    /** Boot at {@code start}: {@code n} chained windows from start + 100 ms, each followed by health. */
    static List<Result> boot(long start, int n) {
        List<Result> rows = new ArrayList<>();
        long s = start + 100;
        for (int i = 0; i < n; i++) {
            rows.add(new Result("s1", "a1", "latency", "hub", s, s + W));
            rows.add(new Result("s1", "a1", "health", null, s + W + 2, s + W + 2));
            s += W;
        }
        return rows;
    }

    static Ledger.Tally count(List<Result> archive, List<Ledger.Boot> boots, long spooled, List<Result> pending,
            Ledger.SpoolFile... old) {
        List<Ledger.SpoolFile> files = new ArrayList<>(List.of(old));
        files.add(new Ledger.SpoolFile(spooled, null));
        return Ledger.count("test", archive, List.of(new Ledger.Agent("s1", "a1", boots, files, pending)), W);
    }

    static List<Ledger.Boot> boots(long... starts) {
        List<Ledger.Boot> b = new ArrayList<>();
        for (long s : starts) {
            b.add(new Ledger.Boot(s));
        }
        return b;
    }

    @Test
    void everythingArchivedOnceIsNothingLost() {
        Ledger.Tally t = count(boot(T0, 4), boots(T0), 8, List.of());
        assertEquals(0, t.lost(), t.problems().toString());
        assertEquals(0, t.duplicated());
        assertEquals(8, t.produced());
    }

    @Test
    void aBatchLostAfterTheSpoolIsCounted() {
        List<Result> archive = boot(T0, 4);
        archive.remove(4); // window 3
        archive.remove(4); // and its health
        Ledger.Tally t = count(archive, boots(T0), 8, List.of());
        assertEquals(2, t.lost(), t.problems().toString());
    }

    @Test
    void aWindowThatNeverReachedTheSpoolIsCountedByTheChain() {
        List<Result> archive = boot(T0, 4);
        archive.remove(4); // window 3 never spooled: the spool took in 7
        Ledger.Tally t = count(archive, boots(T0), 7, List.of());
        assertEquals(1, t.lost(), t.problems().toString());
    }

    @Test
    void aResultStoredTwiceIsADuplicate() {
        List<Result> archive = boot(T0, 4);
        archive.add(archive.get(2));
        Ledger.Tally t = count(archive, boots(T0), 8, List.of());
        assertEquals(1, t.duplicated(), t.problems().toString());
        assertEquals(0, t.lost());
    }

    @Test
    void aGapAtAKillIsARestartNotALossButAGapWithoutOneIs() {
        long restart = T0 + 100 + 3 * W + 3_000;
        List<Result> archive = boot(T0, 3);
        archive.remove(archive.size() - 1); // killed between the last window and its health
        archive.addAll(boot(restart, 2));
        List<Ledger.Boot> boots = boots(T0, restart);
        boots.get(0).killed = true;
        assertEquals(0, count(archive, boots, 9, List.of()).lost());

        List<Ledger.Boot> oneBoot = boots(T0);
        Ledger.Tally t = count(archive, oneBoot, 9, List.of());
        assertEquals(2, t.lost(), "the gap (1 window) and the missing health: " + t.problems());
    }

    @Test
    void resultsStillSpooledAtTheEndAreNotLost() {
        List<Result> all = boot(T0, 4);
        Ledger.Tally t = count(all.subList(0, 6), boots(T0), 8, all.subList(6, 8));
        assertEquals(0, t.lost(), t.problems().toString());
        assertEquals(2, t.pending());
    }

    /** A spool the test corrupted held 4 rows; the agent salvaged 2 of them into its new spool. */
    @Test
    void aReplacedSpoolCountsWhatItHeldOnceAndWhatTheTestDestroyedAsDestroyed() {
        List<Result> first = boot(T0, 4);
        long restart = T0 + 100 + 4 * W + 2_000;
        List<Result> second = boot(restart, 2);
        List<Result> archive = new ArrayList<>(first.subList(0, 6)); // 4 delivered before, 2 salvaged after
        archive.addAll(second);
        Ledger.SpoolFile old = new Ledger.SpoolFile(8, first.subList(4, 8)); // held windows 2..3 with health
        // the new spool took in the 2 salvaged rows and the second boot's 4
        Ledger.Tally t = count(archive, boots(T0, restart), 6, List.of(), old);
        assertEquals(0, t.lost(), t.problems().toString());
        assertEquals(2, t.destroyed());
        assertEquals(12, t.produced());

        Ledger.Tally worse = count(archive.subList(0, archive.size() - 1), boots(T0, restart), 6, List.of(), old);
        assertEquals(1, worse.lost(), "one more missing: " + worse.problems());
    }

    /** The collector's archive destroyed by the test after 3 windows: those count as destroyed, not lost. */
    @Test
    void resultsInAnArchiveTheTestDestroyedAreNotLost() {
        List<Result> all = boot(T0, 5);
        Ledger.Tally t = Ledger.count("test", all.subList(6, 10), all.subList(0, 6),
                List.of(new Ledger.Agent("s1", "a1", boots(T0), List.of(new Ledger.SpoolFile(10, null)), List.of())), W);
        assertEquals(0, t.lost(), t.problems().toString());
        assertEquals(6, t.destroyed());
        assertEquals(4, t.archived());
        Ledger.Tally missing = Ledger.count("test", all.subList(7, 10), all.subList(0, 6),
                List.of(new Ledger.Agent("s1", "a1", boots(T0), List.of(new Ledger.SpoolFile(10, null)), List.of())), W);
        assertEquals(1, missing.lost(), missing.problems().toString());
    }
}
