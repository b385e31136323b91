package io.linkprobe.collector.archive;

import io.linkprobe.common.wire.Sample;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls up the site-hours marked in {@code touched} (every push marks the hours its results ended
 * in) once the hour is over: reads the site's raw results of those hours, builds the rollups
 * ({@link RollupBuilder}) and writes them through the writer, a few hundred site-hours a
 * transaction, with the marks they clear. A mark is cleared only if no push touched the hour
 * again since it was read (its version), so results arriving late are rolled up by a later run.
 * Reads happen on this job's own connection, not the writer's thread; a rollup written again
 * replaces the row whole, so running twice (or on two collectors) is harmless.
 */
final class RollupJob {
    private static final Logger log = LoggerFactory.getLogger(RollupJob.class);
    /** An hour is rolled up this long after it ends: pushes arrive up to a minute after their window. */
    static final long LAG_MILLIS = 2 * 60_000L;
    private static final int SITE_HOURS_PER_WRITE = 500;

    private record Mark(String site, long hourMillis, long version) {}

    private final ReadConnection reader;
    private final GroupCommitWriter writer;

    RollupJob(ReadConnection reader, GroupCommitWriter writer) {
        this.reader = reader;
        this.writer = writer;
    }

    void close() {
        reader.close();
    }

    /** @return site-hours rolled up */
    int run(long nowMillis) throws SQLException, ArchiveWriteException, InterruptedException {
        List<Mark> marks = new ArrayList<>();
        synchronized (reader) {
            try (PreparedStatement q = reader.get().prepareStatement("SELECT site, hour_ms, version FROM touched"
                    + " WHERE hour_ms <= ? ORDER BY site, hour_ms")) {
                q.setLong(1, nowMillis - LAG_MILLIS - ArchiveBatch.HOUR_MILLIS);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        marks.add(new Mark(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
            } catch (SQLException e) {
                reader.broken();
                throw e;
            }
        }
        int done = 0;
        List<HourlyRollup> rollups = new ArrayList<>();
        List<Mark> cleared = new ArrayList<>();
        Map<String, List<Mark>> bySite = new LinkedHashMap<>();
        for (Mark m : marks) {
            bySite.computeIfAbsent(m.site(), s -> new ArrayList<>()).add(m);
        }
        for (Map.Entry<String, List<Mark>> site : bySite.entrySet()) {
            for (List<Mark> run : runs(site.getValue())) {
                rollups.addAll(build(site.getKey(), run));
            }
            cleared.addAll(site.getValue());
            if (cleared.size() >= SITE_HOURS_PER_WRITE) {
                write(rollups, cleared);
                done += cleared.size();
                rollups = new ArrayList<>();
                cleared = new ArrayList<>();
            }
        }
        if (!cleared.isEmpty()) {
            write(rollups, cleared);
            done += cleared.size();
        }
        if (done > 0) {
            log.debug("archive: rolled up {} site-hours", done);
        }
        return done;
    }

    /** A site's marked hours (in order) in runs close enough to read the raw results once for each. */
    private static List<List<Mark>> runs(List<Mark> marks) {
        List<List<Mark>> runs = new ArrayList<>();
        List<Mark> run = new ArrayList<>();
        for (Mark m : marks) {
            if (!run.isEmpty() && m.hourMillis() - run.get(run.size() - 1).hourMillis() > 3 * ArchiveBatch.HOUR_MILLIS) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(m);
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    /** The rollups of one run of a site's marked hours, from one read of the raw results spanning them. */
    private List<HourlyRollup> build(String site, List<Mark> marks) throws SQLException {
        Set<Long> hours = new TreeSet<>();
        marks.forEach(m -> hours.add(m.hourMillis()));
        long from = marks.get(0).hourMillis();
        long to = marks.get(marks.size() - 1).hourMillis() + ArchiveBatch.HOUR_MILLIS;
        List<Sample> samples;
        synchronized (reader) {
            try {
                samples = RawReads.samples(reader.get(), site, from, to);
            } catch (SQLException e) {
                reader.broken();
                throw e;
            }
        }
        RollupBuilder builder = new RollupBuilder(site, from, to);
        for (Sample s : samples) {
            long hour = Math.floorDiv(s.endEpochMillis(), ArchiveBatch.HOUR_MILLIS) * ArchiveBatch.HOUR_MILLIS;
            if (hours.contains(hour)) {
                builder.add(s);
            }
        }
        return builder.rollups();
    }

    private void write(List<HourlyRollup> rollups, List<Mark> cleared) throws ArchiveWriteException, InterruptedException {
        Set<Partition> months = new TreeSet<>();
        rollups.forEach(r -> months.add(Partition.hourly(r.hourMillis())));
        WriteTask.runAndWait(writer, months, s -> {
            s.upsertRollups(rollups);
            for (Mark m : cleared) {
                s.untouch(m.site(), m.hourMillis(), m.version());
            }
        });
    }
}
