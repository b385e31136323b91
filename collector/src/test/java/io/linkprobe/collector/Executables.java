package io.linkprobe.collector;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Finds programs that some tests drive (prometheus, chromium), so that they can skip without them. */
public final class Executables {
    private Executables() {}

    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator)).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst();
    }
}
