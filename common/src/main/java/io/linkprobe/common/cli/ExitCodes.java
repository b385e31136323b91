package io.linkprobe.common.cli;

import io.linkprobe.common.config.ConfigException;
import picocli.CommandLine;

/**
 * The exit-code contract of both binaries: 0 ok, 1 failure, 2 usage or configuration error. Known
 * user errors print one line without a stack trace; anything else is a bug and prints its trace.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private ExitCodes() {}

    /** Applies the contract to a picocli command line. */
    public static CommandLine configure(CommandLine cl) {
        cl.setExitCodeExceptionMapper(e -> e instanceof ConfigException ? USAGE : FAILURE);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable e = ex;
            if (e instanceof ConfigException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return USAGE;
            }
            if (e instanceof UserException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return FAILURE;
            }
            if (e instanceof CommandLine.ParameterException pe) {
                commandLine.getErr().println("error: " + pe.getMessage());
                return USAGE;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            return USAGE;
        });
        return cl;
    }

    /** "0.1.0" from the jar manifest; "dev" when run from classes. */
    public static String version(Class<?> anchor) {
        String v = anchor.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
