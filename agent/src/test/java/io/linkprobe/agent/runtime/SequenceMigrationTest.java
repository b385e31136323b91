package io.linkprobe.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linkprobe.agent.config.AgentConfig;
import io.linkprobe.agent.push.Outbox;
import io.linkprobe.agent.push.SqliteSpool;
import io.linkprobe.common.config.ConfigLoader;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * First start on a state directory of an agent that kept its push sequence in a {@code sequence}
 * file next to the spool: the spool takes over the higher of the two, and the file goes.
 */
class SequenceMigrationTest {
    /** Far above the wall clock, so that only the migrated values can explain the sequences seen. */
    private static final long FILE_SEQUENCE = System.currentTimeMillis() + 1_000_000_000L;

    private static AgentConfig config(Path stateDir) throws Exception {
        return ConfigLoader.parse("agent.yml", "site: s1\nstate_dir: " + stateDir + "\ncollector: {url: 'http://c:9862'}\n",
                AgentConfig.class);
    }

    /** A spool as agents before the move wrote it: no last_sequence row; {@code batchSeq} null = not in a batch. */
    private static void oldSpool(Path file, Long batchSeq) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE samples (id INTEGER PRIMARY KEY AUTOINCREMENT, batch_seq INTEGER, "
                    + "json BLOB NOT NULL, bytes INTEGER NOT NULL)");
            s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            byte[] json = Json.mapper().writeValueAsBytes((Sample) new AgentHealth(7, 0, 0, 0, 0, 0));
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO samples (batch_seq, json, bytes) VALUES (?, ?, ?)")) {
                ps.setObject(1, batchSeq);
                ps.setBytes(2, json);
                ps.setLong(3, json.length);
                ps.executeUpdate();
            }
        }
    }

    private static SqliteSpool start(Path stateDir) throws Exception {
        return AgentRuntime.openSpool(config(stateDir), AgentState.open(stateDir, null));
    }

    @Test
    void theOldSequenceFileIsTakenOverOnceAndSequencesKeepIncreasingAfterIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sequence"), Long.toString(FILE_SEQUENCE));
        oldSpool(dir.resolve("spool.db"), null);
        long first;
        try (SqliteSpool spool = start(dir)) {
            Outbox.Batch batch = spool.nextBatch(10).orElseThrow();
            first = batch.sequence();
            assertEquals(FILE_SEQUENCE + 1, first);
            assertEquals(7, batch.samples().get(0).endEpochMillis(), "the old spool's result is still there");
            spool.remove(first);
        }
        assertFalse(Files.exists(dir.resolve("sequence")), "one store: the file is gone once the spool has its value");
        try (SqliteSpool spool = start(dir)) {
            spool.add(new AgentHealth(8, 0, 0, 0, 0, 0));
            assertEquals(first + 1, spool.nextBatch(10).orElseThrow().sequence(), "restart: still increasing");
        }
    }

    @Test
    void anOldSpoolsOpenBatchAboveTheFileWinsAndIsReplayedUnderItsSequence(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sequence"), Long.toString(FILE_SEQUENCE));
        oldSpool(dir.resolve("spool.db"), FILE_SEQUENCE + 5);
        try (SqliteSpool spool = start(dir)) {
            Outbox.Batch replay = spool.nextBatch(10).orElseThrow();
            assertEquals(FILE_SEQUENCE + 5, replay.sequence());
            spool.remove(replay.sequence());
            spool.add(new AgentHealth(8, 0, 0, 0, 0, 0));
            assertEquals(FILE_SEQUENCE + 6, spool.nextBatch(10).orElseThrow().sequence());
        }
    }

    @Test
    void anUnreadableOldFileFallsBackToTheWallClock(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sequence"), "not a number");
        long before = System.currentTimeMillis();
        try (SqliteSpool spool = start(dir)) {
            spool.add(new AgentHealth(8, 0, 0, 0, 0, 0));
            assertTrue(spool.nextBatch(10).orElseThrow().sequence() >= before);
        }
        assertFalse(Files.exists(dir.resolve("sequence")));
    }
}
