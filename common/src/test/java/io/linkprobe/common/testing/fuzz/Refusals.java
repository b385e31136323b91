package io.linkprobe.common.testing.fuzz;

import java.util.Arrays;

/**
 * The one way a parser may say no to hostile input is its declared refusal (a ConfigException, a
 * RefusedException, a codec's CorruptedFrameException...). Anything else it throws, a
 * NullPointerException, an IndexOutOfBoundsException, a ClassCastException, is a bug: it escapes as
 * an AssertionError that carries it, and the fuzzer reports the input.
 */
public final class Refusals {
    private Refusals() {}

    /** A parse that may refuse with one of {@code declared}. */
    @FunctionalInterface
    public interface Parse {
        void run() throws Exception;
    }

    /** Runs {@code parse}; returns true when it completed, false when it refused in a declared way. */
    public static boolean accepted(Parse parse, Class<?>... declared) {
        try {
            parse.run();
            return true;
        } catch (Exception e) {
            requireDeclared(e, declared);
            return false;
        }
    }

    /** Throws an AssertionError carrying {@code thrown} unless it is one of {@code declared}. */
    public static void requireDeclared(Throwable thrown, Class<?>... declared) {
        for (Class<?> type : declared) {
            if (type.isInstance(thrown)) {
                return;
            }
        }
        throw new AssertionError("not a declared refusal (" + Arrays.stream(declared).map(Class::getSimpleName).toList()
                + "): " + thrown, thrown);
    }
}
