package io.linkprobe.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * What one in-process run of a command line printed and returned, as an operator would see it.
 * Runs are serialised because they swap {@code System.out} and {@code System.err}.
 *
 * <pre>
 * CliRun r = CliRun.of(() -&gt; AgentMain.execute(args));
 * assertEquals(2, r.exit(), r.err());
 * </pre>
 */
public record CliRun(int exit, String out, String err) {

    /** Runs {@code command} with stdout and stderr captured; its int is the exit code. */
    public static synchronized CliRun of(IntSupplier command) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = command.getAsInt();
            return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
