package io.linkprobe.agent.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Skips a lab test, saying why, on a machine that cannot build the lab. */
final class LabPreconditions {

    private static final List<String> TOOLS = List.of("bash", "ip", "tc", "ss", "gcc", "iperf3", "irtt");

    private LabPreconditions() {
    }

    static void assumeLabAvailable() {
        assumeTrue(isRoot(), "lab tests need root (network namespaces, tbf, TUN devices): run as root or skip -Plab");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "lab tests need /dev/net/tun for the delay line");
        for (String tool : TOOLS) {
            assumeTrue(onPath(tool), "lab tests need '" + tool + "' on the PATH (apt-get install iproute2 gcc iperf3 irtt)");
        }
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
