package io.linkprobe.agent.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Another process keeping one of the machine's cores busy, as a gateway's or collector's other
 * work does: {@code timeout 900 sh -c 'while :; do :; done'}, ended by its pid.
 */
final class BusyCore implements AutoCloseable {
    private final Process process;

    private BusyCore(Process process) {
        this.process = process;
    }

    static BusyCore start() {
        try {
            return new BusyCore(new ProcessBuilder(List.of("timeout", "900", "sh", "-c", "while :; do :; done"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a busy loop", e);
        }
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
