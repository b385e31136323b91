package io.linkprobe.common.testing.fuzz;

/**
 * What every fuzz target in linkprobe shares.
 *
 * <p>A target is one {@code @FuzzTest} method per class (Jazzer fuzzes one target per JVM; the
 * {@code fuzz} profile forks one JVM per class). In {@code mvn verify} it replays the files under
 * {@code src/test/resources/<package>/<Class>Inputs/<method>/}: the seeds written by hand and every
 * input that once was a finding. {@code mvn -Pfuzz test} fuzzes each target for {@code fuzz.seconds}.
 *
 * <p>A target fails on what a fuzzer must never see: an exception other than the parser's declared
 * refusal ({@link Refusals}), a leaked buffer ({@link TrackingAllocator}, {@link LeakReports}), a
 * hang (libFuzzer's per-input timeout), an OutOfMemoryError or StackOverflowError (any Throwable
 * that escapes the target is a finding).
 */
public final class Fuzzing {
    /**
     * How long a target fuzzes when run with {@code JAZZER_FUZZ=1} outside the Maven profile; the
     * profile's {@code fuzz.seconds} overrides it.
     */
    public static final String DURATION = "60s";

    private Fuzzing() {}
}
