package io.linkprobe.collector.archive;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up work after the archive file was found corrupt and moved aside ({@link SqliteFileCheck}),
 * run once the new archive is open: the moved file's sites are restored at once (the collector
 * lists them and their last push before it accepts a push), the event is recorded in
 * {@link Recoveries} and logged, and a {@link Salvage} copies its results and keys in the
 * background. Also resumes a salvage a restart interrupted.
 */
final class ArchiveRecovery {
    private static final Logger log = LoggerFactory.getLogger(ArchiveRecovery.class);

    private ArchiveRecovery() {}

    /** @return the salvage copying the moved file's results, or empty if SQLite cannot read it at all */
    static Optional<Salvage> recover(GroupCommitWriter writer, Path file, Path moved, String reason, long nowMillis,
            long cutoffMillis) throws ArchiveException, InterruptedException {
        CorruptFileReader old = null;
        String unreadable = null;
        try {
            old = CorruptFileReader.open(moved);
        } catch (SQLException e) {
            unreadable = oneLine(e);
        }
        List<KnownSite> sites = new ArrayList<>();
        String sitesProblem = old == null ? null : old.readSites(cutoffMillis, sites);
        long listed = old == null ? -1 : old.countBatches(cutoffMillis);
        boolean nothingToCopy = old == null;
        try {
            WriteTask.runAndWait(writer, s -> {
                Recoveries.insert(s.connection(), moved, nowMillis, reason, cutoffMillis, listed, sites.size(),
                        nothingToCopy);
                insertSites(s.connection(), sites);
            });
        } catch (ArchiveWriteException e) {
            if (old != null) {
                old.close();
            }
            throw new ArchiveException("the archive " + file + " was corrupt and has been moved to " + moved
                    + ", but the new archive cannot record it (" + e.getMessage() + "); check free space", e);
        }
        String kept;
        String lost;
        if (old == null) {
            kept = "nothing, SQLite cannot read the moved file either (" + unreadable + ")";
            lost = "every archived result and dedup key (the bytes stay in the moved file); sites reappear with"
                    + " their next push, and batches that agents push again are stored again";
        } else {
            kept = sites.size() + " sites with their last push"
                    + (sitesProblem == null ? "" : " (the sites table could not be read whole: " + sitesProblem + ")")
                    + "; its results and dedup keys within retention are being copied in the background, whole"
                    + " batches only, and a line will say how many";
            lost = "whatever SQLite cannot read of the moved file, counted when the copy ends";
        }
        log.error("archive {} is corrupt ({}): moved aside to {} (with its -wal and -shm) and a new archive"
                + " created. Kept: {}. Lost: {}.", file, reason, moved, kept, lost);
        return old == null ? Optional.empty()
                : Optional.of(Salvage.start(writer, old, cutoffMillis, listed, sites.size(), Salvage.State.START));
    }

    /** Resumes every salvage a stop interrupted; one whose file is gone or unreadable is given up. */
    static List<Salvage> resume(GroupCommitWriter writer, Connection reader) throws InterruptedException {
        List<Salvage> running = new ArrayList<>();
        List<Recoveries.Unfinished> unfinished;
        try {
            unfinished = Recoveries.unfinished(reader);
        } catch (SQLException e) {
            log.warn("archive: cannot read the recoveries table ({}); an interrupted salvage does not resume", e.toString());
            return running;
        }
        for (Recoveries.Unfinished u : unfinished) {
            try {
                CorruptFileReader old = CorruptFileReader.open(u.movedTo());
                log.info("archive salvage from {} resumes after row {} ({} batches copied before the restart)",
                        u.movedTo(), u.state().nextId(), u.state().batches());
                running.add(Salvage.start(writer, old, u.cutoffMillis(), u.listedBatches(), u.sites(), u.state()));
            } catch (SQLException e) {
                log.warn("archive salvage from {} cannot resume ({}): {} batches with {} results had been copied,"
                        + " the rest of that file is not", u.movedTo(), oneLine(e), u.state().batches(), u.state().samples());
                try {
                    WriteTask.runAndWait(writer, s -> Recoveries.abandon(s.connection(), u.movedTo()));
                } catch (ArchiveWriteException w) {
                    log.debug("marking the salvage of {} given up: {}", u.movedTo(), w.getMessage());
                }
            }
        }
        return running;
    }

    private static void insertSites(Connection c, List<KnownSite> sites) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sites (site, last_push_ms, identity) VALUES (?, ?, ?)"
                + " ON CONFLICT (site) DO NOTHING")) {
            for (KnownSite site : sites) {
                p.setString(1, site.site());
                p.setLong(2, site.lastPushMillis());
                p.setString(3, site.identityJson());
                p.addBatch();
            }
            if (!sites.isEmpty()) {
                p.executeBatch();
            }
        }
    }

    private static String oneLine(SQLException e) {
        return String.valueOf(e.getMessage()).replace('\n', ' ');
    }
}
