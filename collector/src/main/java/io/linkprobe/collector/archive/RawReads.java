package io.linkprobe.collector.archive;

import io.linkprobe.collector.archive.codec.CodecException;
import io.linkprobe.collector.archive.codec.PushCodec;
import io.linkprobe.common.wire.Sample;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads of the raw tier through the {@code pushes_v} view: a site's pushes whose samples may end
 * in a range (its {@code (site, last_end_ms)} index in each partition), decoded and cut to the range.
 */
final class RawReads {
    private static final Logger log = LoggerFactory.getLogger(RawReads.class);
    /** Samples ending this long before they were received still count (agents pushing from a spool). */
    private static final String SELECT = "SELECT agent_id, sequence, received_ms, data FROM pushes_v"
            + " WHERE site = ? AND last_end_ms >= ? AND first_end_ms < ?";

    private RawReads() {}

    /** Oldest first, at most {@code limit} (plus what the last push read held beyond it). */
    static List<StoredSample> history(Connection c, String site, long from, long to, int limit) throws SQLException {
        List<StoredSample> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(SELECT + " ORDER BY last_end_ms LIMIT ?")) {
            q.setString(1, site);
            q.setLong(2, from);
            q.setLong(3, to);
            q.setInt(4, limit + 1);
            read(q, from, to, null, out, limit + 1);
        }
        out.sort(Comparator.comparingLong(StoredSample::endMillis));
        return out.size() > limit + 1 ? new ArrayList<>(out.subList(0, limit + 1)) : out;
    }

    /** Of one kind, newest first, at most {@code limit}. */
    static List<StoredSample> recent(Connection c, String site, Sample.Kind kind, long from, long to, int limit)
            throws SQLException {
        List<StoredSample> out = new ArrayList<>();
        int bit = PushCodec.kindBit(kind);
        try (PreparedStatement q = c.prepareStatement(SELECT + " AND (kinds & ?) <> 0 ORDER BY last_end_ms DESC LIMIT ?")) {
            q.setString(1, site);
            q.setLong(2, from);
            q.setLong(3, to);
            q.setInt(4, bit);
            q.setInt(5, limit);
            read(q, from, to, kind, out, limit);
        }
        out.sort(Comparator.comparingLong(StoredSample::endMillis).reversed());
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** Every sample of {@code site} that ended in {@code [from, to)}, in no particular order. */
    static List<Sample> samples(Connection c, String site, long from, long to) throws SQLException {
        List<StoredSample> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(SELECT)) {
            q.setString(1, site);
            q.setLong(2, from);
            q.setLong(3, to);
            read(q, from, to, null, out, Integer.MAX_VALUE);
        }
        return out.stream().map(StoredSample::sample).toList();
    }

    private static void read(PreparedStatement q, long from, long to, Sample.Kind kind, List<StoredSample> out,
            int enough) throws SQLException {
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next() && out.size() < enough) {
                List<Sample> samples;
                try {
                    samples = PushCodec.decode(rs.getBytes(4));
                } catch (CodecException e) {
                    log.warn("archive: the push {}/{} does not decode ({}); skipped", rs.getString(1), rs.getLong(2),
                            e.getMessage());
                    continue;
                }
                for (Sample s : samples) {
                    long end = s.endEpochMillis();
                    if (end >= from && end < to && (kind == null || s.kind() == kind)) {
                        out.add(new StoredSample(rs.getString(1), rs.getLong(2), rs.getLong(3), s));
                    }
                }
            }
        }
    }

    /** The highest sequence of {@code agentId} in any raw partition, or -1. */
    static long maxSequence(Connection c, String agentId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT max(sequence) FROM pushes_v WHERE agent_id = ?")) {
            q.setString(1, agentId);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? -1 : v;
                }
                return -1;
            }
        }
    }

    static List<HourlyRollup> rollups(Connection c, String site, long from, long to) throws SQLException {
        List<HourlyRollup> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT " + RollupRows.COLUMNS + " FROM rollups_v"
                + " WHERE site = ? AND hour_ms >= ? AND hour_ms < ? ORDER BY hour_ms, target")) {
            q.setString(1, site);
            q.setLong(2, from);
            q.setLong(3, to);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(RollupRows.read(rs));
                }
            }
        }
        return out;
    }
}
