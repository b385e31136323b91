package io.linkprobe.collector.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The writer's SQL, prepared once on the writer's connection and used by the writer thread only.
 * Plain SQL that SQLite and PostgreSQL both run.
 */
final class WriteStatements {
    /** Rows deleted per retention step, so that a step holds the writer for tens of ms, not minutes. */
    static final int RETENTION_CHUNK = 5_000;

    private final Connection connection;
    private final PreparedStatement findBatch;
    private final PreparedStatement insertBatch;
    private final PreparedStatement insertSample;
    private final PreparedStatement findAgent;
    private final PreparedStatement upsertAgent;
    private final PreparedStatement upsertSite;
    private final PreparedStatement deleteSamples;
    private final PreparedStatement deleteBatches;
    private final PreparedStatement findOldSites;
    private final PreparedStatement deleteOldSites;
    private final PreparedStatement deleteOldAgents;
    private final PreparedStatement probe;

    WriteStatements(Connection c) throws SQLException {
        connection = c;
        findBatch = c.prepareStatement("SELECT site FROM batches WHERE agent_id = ? AND sequence = ?");
        insertBatch = c.prepareStatement(
                "INSERT INTO batches (agent_id, sequence, site, received_ms) VALUES (?, ?, ?, ?)");
        insertSample = c.prepareStatement("INSERT INTO samples (site, agent_id, sequence, target, type, end_ms, json)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
        findAgent = c.prepareStatement("SELECT acked_sequence FROM agents WHERE agent_id = ?");
        upsertAgent = c.prepareStatement("INSERT INTO agents (agent_id, site, acked_sequence, last_push_ms)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET site = excluded.site,"
                + " acked_sequence = excluded.acked_sequence, last_push_ms = excluded.last_push_ms");
        upsertSite = c.prepareStatement("INSERT INTO sites (site, last_push_ms, identity) VALUES (?, ?, ?)"
                + " ON CONFLICT (site) DO UPDATE SET last_push_ms = excluded.last_push_ms,"
                + " identity = excluded.identity");
        deleteSamples = c.prepareStatement("DELETE FROM samples WHERE id IN"
                + " (SELECT id FROM samples WHERE end_ms < ? LIMIT " + RETENTION_CHUNK + ")");
        deleteBatches = c.prepareStatement("DELETE FROM batches WHERE (agent_id, sequence) IN"
                + " (SELECT agent_id, sequence FROM batches WHERE received_ms < ? LIMIT " + RETENTION_CHUNK + ")");
        findOldSites = c.prepareStatement("SELECT site FROM sites WHERE last_push_ms < ?");
        deleteOldSites = c.prepareStatement("DELETE FROM sites WHERE last_push_ms < ?");
        deleteOldAgents = c.prepareStatement("DELETE FROM agents WHERE last_push_ms < ?");
        probe = c.prepareStatement("INSERT INTO writer_probe (id, written_ms) VALUES (1, ?)"
                + " ON CONFLICT (id) DO UPDATE SET written_ms = excluded.written_ms");
    }

    /** The connection these statements run on (the writer's, in manual-commit mode). */
    Connection connection() {
        return connection;
    }

    /** Rewrites the one probe row: a real write of one page, to learn whether the disk takes writes. */
    void probe(long nowMillis) throws SQLException {
        probe.setLong(1, nowMillis);
        probe.executeUpdate();
    }

    /** Stores {@code batch} unless its key is already there; the caller's transaction commits it. */
    StoreResult store(ArchiveBatch batch) throws SQLException {
        findBatch.setString(1, batch.agentId());
        findBatch.setLong(2, batch.sequence());
        String storedFor = null;
        try (ResultSet rs = findBatch.executeQuery()) {
            if (rs.next()) {
                storedFor = rs.getString(1);
            }
        }
        long acked = ackedSequence(batch.agentId());
        if (storedFor != null) {
            return new StoreResult(storedFor.equals(batch.site())
                    ? StoreResult.Outcome.DUPLICATE : StoreResult.Outcome.CONFLICT, acked);
        }
        insertBatch.setString(1, batch.agentId());
        insertBatch.setLong(2, batch.sequence());
        insertBatch.setString(3, batch.site());
        insertBatch.setLong(4, batch.receivedMillis());
        insertBatch.executeUpdate();
        if (!batch.samples().isEmpty()) {
            for (ArchiveBatch.Row row : batch.samples()) {
                insertSample.setString(1, batch.site());
                insertSample.setString(2, batch.agentId());
                insertSample.setLong(3, batch.sequence());
                insertSample.setString(4, row.target());
                insertSample.setString(5, row.type());
                insertSample.setLong(6, row.endMillis());
                insertSample.setString(7, row.json());
                insertSample.addBatch();
            }
            insertSample.executeBatch();
        }
        acked = Math.max(acked, batch.sequence());
        upsertAgent.setString(1, batch.agentId());
        upsertAgent.setString(2, batch.site());
        upsertAgent.setLong(3, acked);
        upsertAgent.setLong(4, batch.receivedMillis());
        upsertAgent.executeUpdate();
        upsertSite.setString(1, batch.site());
        upsertSite.setLong(2, batch.receivedMillis());
        upsertSite.setString(3, batch.identityJson());
        upsertSite.executeUpdate();
        return new StoreResult(StoreResult.Outcome.STORED, acked);
    }

    private long ackedSequence(String agentId) throws SQLException {
        findAgent.setString(1, agentId);
        try (ResultSet rs = findAgent.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Deletes up to one chunk of samples and of keys older than {@code cutoffMillis}; true if more remain. */
    boolean deleteChunk(long cutoffMillis) throws SQLException {
        deleteSamples.setLong(1, cutoffMillis);
        int samples = deleteSamples.executeUpdate();
        deleteBatches.setLong(1, cutoffMillis);
        int batches = deleteBatches.executeUpdate();
        return samples == RETENTION_CHUNK || batches == RETENTION_CHUNK;
    }

    /** Deletes sites and agents silent since before {@code cutoffMillis}; returns the sites. */
    Set<String> forgetSilent(long cutoffMillis) throws SQLException {
        Set<String> sites = new HashSet<>();
        findOldSites.setLong(1, cutoffMillis);
        try (ResultSet rs = findOldSites.executeQuery()) {
            while (rs.next()) {
                sites.add(rs.getString(1));
            }
        }
        deleteOldSites.setLong(1, cutoffMillis);
        deleteOldSites.executeUpdate();
        deleteOldAgents.setLong(1, cutoffMillis);
        deleteOldAgents.executeUpdate();
        return sites;
    }
}
