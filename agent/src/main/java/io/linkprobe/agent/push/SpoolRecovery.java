package io.linkprobe.agent.push;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A corrupt spool at start (garbage, a truncated file, a damaged page): the site must keep
 * measuring, so the file is renamed {@code <spool>.corrupt-<UTC time>} together with its
 * {@code -wal} and {@code -shm} (named so that SQLite still opens the three as one database), a
 * new spool is created, and whatever {@link SpoolSalvage} can read of the old one is carried over:
 * results not yet in a batch, and formed batches under their own sequences, so that the collector
 * acks a batch it already stored as a replay instead of storing it twice. Logged once, saying what
 * was kept and what was lost; counted ({@code recovered_total}, reported in the agent's health:
 * one more than the old file's count where that can be read, and never fewer than the files moved
 * aside beside it).
 *
 * <p>Sequences: the new spool numbers batches above the old file's last sequence where that can
 * still be read, above every salvaged batch, and always at or above the wall clock in
 * milliseconds, which every earlier sequence was formed below; so a recreated spool never reuses a
 * sequence the collector has seen, even when nothing of the old file is readable.
 */
final class SpoolRecovery {
    private static final Logger log = LoggerFactory.getLogger(SpoolRecovery.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SpoolRecovery() {}

    static SqliteSpool recover(Path file, String corruption, long maxBytes, long sequenceFloor,
            LongSupplier wallClockMillis) throws IOException {
        Path aside = moveAside(file, wallClockMillis.getAsLong());
        SpoolSalvage salvage = SpoolSalvage.read(aside);
        SqliteSpool spool;
        try {
            spool = SpoolFile.openChecked(file, maxBytes, sequenceFloor, wallClockMillis);
        } catch (SQLException | CorruptSpoolException e) {
            throw new IOException("cannot create a new spool " + file + " in place of the corrupt one: " + e.getMessage(), e);
        }
        spool.restore(salvage, movedAsideSoFar(file));
        log.warn("The spool {} was corrupt ({}); it was moved aside to {} and a new spool started, so that "
                + "measuring goes on. Kept {}. Lost: {}. Recoveries so far: {} (reported to the collector as "
                + "linkprobe_agent_spool_recovered_total).", file, corruption, aside, kept(salvage), lost(salvage),
                spool.recoveredTotal());
        return spool;
    }

    /** Renames the spool and its -wal/-shm to {@code <name>.corrupt-<time>[-n]}, the three alike. */
    static Path moveAside(Path file, long nowMillis) throws IOException {
        String base = file.getFileName() + ".corrupt-" + STAMP.format(Instant.ofEpochMilli(nowMillis));
        for (int n = 1; ; n++) {
            Path aside = file.resolveSibling(n == 1 ? base : base + "-" + n);
            if (Files.exists(aside)) {
                continue;
            }
            try {
                Files.move(file, aside);
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                throw new IOException("the spool " + file + " is corrupt and cannot be moved aside (" + e.getMessage()
                        + "); the agent needs write access to its directory", e);
            }
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Path companion = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(companion)) {
                    Files.move(companion, aside.resolveSibling(aside.getFileName() + suffix));
                }
            }
            return aside;
        }
    }

    /**
     * Spool files moved aside beside {@code file} so far, this one included: a floor for the
     * recovery count when the old file's own count is in the garbage, so that the collector sees
     * the count rise (it counts increases of an agent's running total).
     */
    private static long movedAsideSoFar(Path file) {
        String prefix = file.getFileName() + ".corrupt-";
        try (var files = Files.list(file.toAbsolutePath().getParent())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && !n.endsWith("-wal") && !n.endsWith("-shm"))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String kept(SpoolSalvage s) {
        if (s.rows.isEmpty()) {
            return "no result";
        }
        long batched = s.batchedRows();
        return s.rows.size() + " results (" + batched + " in " + s.batches() + " formed batches, which keep their "
                + "sequences; " + (s.rows.size() - batched) + " not yet in a batch)";
    }

    private static String lost(SpoolSalvage s) {
        if (s.unreadable != null) {
            return "everything in the old file; SQLite cannot read it (" + s.unreadable + ")";
        }
        if (s.skipped.isEmpty() && s.undecodable == 0) {
            return "nothing that could be read";
        }
        StringBuilder text = new StringBuilder();
        if (!s.skipped.isEmpty()) {
            text.append("the results on unreadable pages, at most ").append(s.skippedIds()).append(" (ids ")
                    .append(s.skipped.stream().map(r -> r[0] == r[1] ? Long.toString(r[0]) : r[0] + "-" + r[1])
                            .collect(Collectors.joining(", ")))
                    .append(')');
        }
        if (s.undecodable > 0) {
            text.append(text.length() > 0 ? "; and " : "").append(s.undecodable)
                    .append(" rows whose content no longer reads as a plausible result");
        }
        return text.toString();
    }
}
