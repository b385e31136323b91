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
 * Start-up work after an archive file was found corrupt and moved aside ({@link SqliteFileCheck}),
 * or an archive of the single-file layout was moved aside to be copied into partitions, run once
 * the new archive is open: the moved file's sites and agents' acked sequences are restored at once
 * (the collector lists the sites and their last push before it accepts a push), the event is
 * recorded in {@link Recoveries} and logged, and a {@link Salvage} copies its results and keys (or
 * rollups) in the background. Also resumes a salvage a restart interrupted.
 */
final class ArchiveRecovery {
    private static final Logger log = LoggerFactory.getLogger(ArchiveRecovery.class);

    private ArchiveRecovery() {}

    /** @return the salvage copying the moved file's results, or empty if SQLite cannot read it at all */
    static Optional<Salvage> recover(GroupCommitWriter writer, Path file, Path moved, String reason, long nowMillis,
            ArchiveRetention retention) throws ArchiveException, InterruptedException {
        return recover(writer, file, moved, reason, nowMillis, retention, true);
    }

    /** @param corrupt false for a sound archive of the single-file layout moved aside to be copied */
    static Optional<Salvage> recover(GroupCommitWriter writer, Path file, Path moved, String reason, long nowMillis,
            ArchiveRetention retention, boolean corrupt) throws ArchiveException, InterruptedException {
        CorruptFileReader old = null;
        String unreadable = null;
        try {
            old = CorruptFileReader.open(moved);
        } catch (SQLException e) {
            unreadable = oneLine(e);
        }
        long cutoffMillis = nowMillis - (old != null && old.kind() == CorruptFileReader.Kind.HOURLY
                ? retention.rollup() : retention.raw()).toMillis();
        List<KnownSite> sites = new ArrayList<>();
        List<CorruptFileReader.AgentRow> agents = new ArrayList<>();
        String sitesProblem = old == null ? null : old.readSites(nowMillis - retention.rollup().toMillis(), sites);
        if (old != null) {
            old.readAgents(agents);
        }
        long listed = old == null ? -1 : old.countBatches(cutoffMillis);
        boolean nothingToCopy = old == null || old.kind() == CorruptFileReader.Kind.MAIN;
        try {
            WriteTask.runAndWait(writer, s -> {
                Recoveries.insert(s.connection(), moved, nowMillis, reason, cutoffMillis, listed, sites.size(),
                        nothingToCopy);
                insertSites(s.connection(), sites);
                for (CorruptFileReader.AgentRow a : agents) {
                    s.upsertAgent(a.agentId(), a.site(), a.ackedSequence(), a.lastPushMillis());
                }
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
        if (old != null && old.kind() == CorruptFileReader.Kind.MAIN) {
            kept = sites.size() + " sites with their last push and " + agents.size() + " agents' acked sequences"
                    + (sitesProblem == null ? "" : " (the sites table could not be read whole: " + sitesProblem + ")")
                    + "; the results are in the partition files, which are sound";
            lost = "whatever SQLite cannot read of the moved file's sites and agents: those sites reappear with"
                    + " their next push";
        } else if (old == null) {
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
        if (corrupt) {
            log.error("archive {} is corrupt ({}): moved aside to {} (with its -wal and -shm) and a new archive"
                    + " created. Kept: {}. Lost: {}.", file, reason, moved, kept, lost);
        } else {
            log.warn("archive {} has the single-file layout of linkprobe before archive tiers: moved to {} and a"
                    + " partitioned archive created. Kept: {}. Once the copy has finished the moved file can be deleted.",
                    file, moved, kept);
        }
        if (old == null) {
            return Optional.empty();
        }
        if (nothingToCopy) {
            old.close();
            return Optional.empty();
        }
        return Optional.of(Salvage.start(writer, old, cutoffMillis, listed, sites.size(), Salvage.State.START));
    }

    /** Resumes every salvage a stop interrupted; one whose file is gone or unreadable is given up. */
    static List<Salvage> resume(GroupCommitWriter writer, ReadConnection reader) throws InterruptedException {
        List<Salvage> running = new ArrayList<>();
        List<Recoveries.Unfinished> unfinished;
        try {
            synchronized (reader) {
                unfinished = Recoveries.unfinished(reader.get());
            }
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
