package io.linkprobe.agent.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every figure a lab test measures is logged and kept in target/lab-figures.txt, pass or fail. */
final class Figures {

    private static final Logger log = LoggerFactory.getLogger(Figures.class);
    private static final Path FILE = Path.of("target", "lab-figures.txt");

    private Figures() {
    }

    static void report(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        log.info("lab figure: {}", line);
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            Files.writeString(FILE, Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
