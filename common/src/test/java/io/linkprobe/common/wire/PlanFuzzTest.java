package io.linkprobe.common.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import io.linkprobe.common.testing.fuzz.FuzzInput;
import io.linkprobe.common.testing.fuzz.Fuzzing;

/**
 * The plan JSON an agent reads from {@code GET /api/v1/plan} (or from its cached copy on disk),
 * through {@link PlanReader#read}, the one reader the agent's plan keeper uses: any bytes either
 * read as a {@link Plan} or are refused with {@link UnusablePlanException} and one printable line
 * saying why, never anything else. A plan read writes back as JSON that reads as the same plan, and
 * its throughput slots are slots: for any time between 1970 and 2100, the next start is at or after
 * it, less than one period later, on the period's grid.
 *
 * <pre>
 * input := now u16 u16 u16 (milliseconds since 1970, 48 bits, folded into 1970-2100) then the JSON
 * </pre>
 */
class PlanFuzzTest {
    /** 2100-01-01 in Unix milliseconds. */
    private static final long YEAR_2100_MILLIS = 4_102_444_800_000L;

    @FuzzTest(maxDuration = Fuzzing.DURATION)
    void plan(byte[] bytes) throws IOException {
        FuzzInput in = new FuzzInput(bytes);
        long now = Math.floorMod(((long) in.u16() << 32) | ((long) in.u16() << 16) | in.u16(), YEAR_2100_MILLIS);
        byte[] json = in.rest();
        Plan[] read = new Plan[1];
        try {
            read[0] = PlanReader.read(json);
        } catch (UnusablePlanException e) {
            String why = e.getMessage();
            if (why == null || why.isEmpty() || why.lines().count() != 1 || why.chars().anyMatch(Character::isISOControl)) {
                throw new AssertionError("a refusal that is not one printable line: " + why, e);
            }
            return;
        }
        Plan plan = read[0];
        if (Names.nameProblem(plan.site()) != null || Names.nameProblem(plan.version()) != null) {
            throw new AssertionError("a plan read with a site or version that Names refuses: " + plan);
        }
        Plan back = Json.mapper().readValue(Json.mapper().writeValueAsBytes(plan), Plan.class);
        if (!plan.equals(back)) {
            throw new AssertionError("a plan does not survive writing and reading: " + plan + " became " + back);
        }
        Plan.Throughput t = plan.throughput();
        long next = t.nextStartAtOrAfter(now);
        if (next < now || next - now >= t.everyMillis() || Math.floorMod(next - t.offsetMillis(), t.everyMillis()) != 0) {
            throw new AssertionError("next slot " + next + " for now " + now + " is not on the grid of every "
                    + t.everyMillis() + " ms, offset " + t.offsetMillis() + " ms, at or after now");
        }
    }
}
