package io.linkprobe.collector.fleet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linkprobe.collector.plan.PlanBook;
import io.linkprobe.collector.plan.Pool;
import io.linkprobe.collector.plan.PoolMember;
import io.linkprobe.collector.plan.SiteFacts;
import io.linkprobe.common.config.ConfigException;
import io.linkprobe.common.testing.fuzz.FuzzInput;
import io.linkprobe.common.testing.fuzz.Fuzzing;
import io.linkprobe.common.testing.fuzz.Refusals;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The fleet file as an operator edits it, any bytes: {@link FleetFile#load} and the pool it names
 * ({@link Pool#of}) either accept it or refuse with a {@link ConfigException} (check-config's exit 2;
 * on reload the file in force stays). What they accept must then plan: the scheduler places every
 * site (those the file lists and one that only holds a token), and every site's plan is one the
 * agent can read back from its JSON as the same plan, with slots on their grid. A fleet file that
 * check-config passes but whose plans throw is the finding.
 *
 * <pre>
 * input := embedded responder u8 (bit 0 enabled in collector.yml, bits 1-3 its max concurrent
 *          tests - 0 is taken as 1) then the fleet file's bytes
 * </pre>
 */
class FleetFileFuzzTest {
    private static final Path FILE = tempFile();

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void load(byte[] bytes) throws IOException {
        FuzzInput in = new FuzzInput(bytes);
        int embedded = in.u8();
        Files.write(FILE, in.rest());
        FleetFile[] file = new FleetFile[1];
        List<List<PoolMember>> pool = new ArrayList<>(1);
        boolean accepted = Refusals.accepted(() -> {
            file[0] = FleetFile.load(FILE);
            pool.add(Pool.of(file[0], new Pool.Embedded((embedded & 1) != 0, 862, 9863, Math.max(1, (embedded >> 1) & 7),
                    null), FILE.toString()));
        }, ConfigException.class);
        if (!accepted) {
            return;
        }
        TreeSet<String> sites = new TreeSet<>(file[0].sites().keySet());
        sites.add("token-only-site");
        PlanBook book = PlanBook.build(file[0], pool.get(0), sites, SiteFacts.NONE, PlanBook.EMPTY);
        for (String site : sites) {
            Optional<Plan> plan = book.plan(site, "collector.example");
            if (plan.isEmpty()) {
                throw new AssertionError("no plan for site '" + site + "', which holds a token");
            }
            Plan p = plan.get();
            Plan back = Json.mapper().readValue(Json.mapper().writeValueAsBytes(p), Plan.class);
            if (!p.equals(back)) {
                throw new AssertionError("plan does not read back as itself: " + p + " became " + back);
            }
            Plan.Throughput t = p.throughput();
            long now = 1_767_225_600_000L;
            long next = t.nextStartAtOrAfter(now);
            if (next < now || next - now >= t.everyMillis()) {
                throw new AssertionError("slot " + next + " is not within one period after " + now + ": " + t);
            }
        }
    }

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("fleet-fuzz", ".yml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
