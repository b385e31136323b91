package io.linkprobe.agent.lab;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code lab/lab.sh}: the system property {@code linkprobe.lab.script}, else upwards from the working directory. */
final class LabScript {

    private LabScript() {
    }

    static Path path() {
        String configured = System.getProperty("linkprobe.lab.script");
        if (configured != null) return Path.of(configured).toAbsolutePath();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("lab").resolve("lab.sh");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new IllegalStateException("lab/lab.sh not found above " + Path.of("").toAbsolutePath()
                + "; set -Dlinkprobe.lab.script=/path/to/lab.sh");
    }

    /** A program lab.sh builds into lab/build/ (delayline, udpping); built by the first {@code lab.sh up}. */
    static Path binary(String name) {
        return path().getParent().resolve("build").resolve(name);
    }
}
