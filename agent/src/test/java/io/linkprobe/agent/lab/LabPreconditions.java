package io.linkprobe.agent.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Skips a lab test, saying why, on a machine that cannot build the lab. */
final class LabPreconditions {

    private static final Logger log = LoggerFactory.getLogger(LabPreconditions.class);
    private static final List<String> TOOLS = List.of("bash", "ip", "tc", "ss", "gcc", "iperf3", "irtt");

    private LabPreconditions() {
    }

    static void assumeLabAvailable() {
        assume(isRoot(), "lab tests need root (network namespaces, tbf, TUN devices): run as root or leave out -Plab");
        assume(Files.exists(Path.of("/dev/net/tun")), "lab tests need /dev/net/tun for the delay line");
        for (String tool : TOOLS) {
            assume(onPath(tool), "lab tests need '" + tool + "' on the PATH (apt-get install iproute2 gcc iperf3 irtt)");
        }
    }

    /** Says it on the console too: Maven's summary shows only "Skipped: 1". */
    private static void assume(boolean condition, String reason) {
        if (!condition) log.warn("skipping: {}", reason);
        assumeTrue(condition, reason);
    }

    private static boolean isRoot() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            // "Uid: real effective saved fs": the effective uid decides.
            return lines.filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[2]).anyMatch("0"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
