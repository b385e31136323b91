package io.linkprobe.demo.chaos;

import io.linkprobe.collector.archive.ArchiveDump;
import io.linkprobe.common.wire.AgentHealth;
import io.linkprobe.common.wire.ConnectResult;
import io.linkprobe.common.wire.Json;
import io.linkprobe.common.wire.LatencyWindow;
import io.linkprobe.common.wire.Sample;
import io.linkprobe.common.wire.ThroughputResult;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * One result as the chaos ledger sees it, wherever it is found: in the collector's archive, or
 * still in an agent's spool. Health has no start; its start is its end.
 */
record Result(String site, String agentId, String type, String target, long start, long end) {

    /** What makes a result the same result: a duplicate shares it. */
    record Key(String site, String type, String target, long start, long end) {}

    Key key() {
        return new Key(site, type, target, start, end);
    }

    static Result of(String site, String agentId, byte[] json) throws IOException {
        return of(site, agentId, Json.mapper().readValue(json, Sample.class));
    }

    static Result of(String site, String agentId, Sample s) {
        long start = s.accept(new Sample.Visitor<Long>() {
            @Override
            public Long latency(LatencyWindow w) {
                return w.startEpochMillis();
            }

            @Override
            public Long throughput(ThroughputResult r) {
                return r.startEpochMillis();
            }

            @Override
            public Long connect(ConnectResult c) {
                return c.endEpochMillis();
            }

            @Override
            public Long video(io.linkprobe.common.wire.VideoResult v) {
                return v.startEpochMillis();
            }

            @Override
            public Long health(AgentHealth h) {
                return h.endEpochMillis();
            }
        });
        return new Result(site, agentId, s.kind().wireName(), s.target(), start, s.endEpochMillis());
    }

    private static Connection readOnly(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        return DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
    }

    /**
     * Every result in the collector's SQLite archive (read beside the running collector: WAL),
     * through the raw tier's pushes (the archive's own reader, {@link ArchiveDump}).
     */
    static List<Result> archive(Path db) throws SQLException {
        return results(ArchiveDump.sqlite(db));
    }

    /** Every result in the PostgreSQL archive at {@code url}, however many collectors share it. */
    static List<Result> archivePostgres(String url) throws SQLException {
        return results(ArchiveDump.postgres(url, null));
    }

    private static List<Result> results(List<ArchiveDump.Push> pushes) {
        List<Result> all = new ArrayList<>();
        for (ArchiveDump.Push p : pushes) {
            for (Sample s : p.samples()) {
                all.add(of(p.site(), p.agentId(), s));
            }
        }
        return all;
    }

    /** The results still in an agent's spool file (none if there is no file). */
    static List<Result> spooled(Path spool, String site, String agentId) throws SQLException, IOException {
        List<Result> all = new ArrayList<>();
        if (!java.nio.file.Files.exists(spool)) {
            return all;
        }
        try (Connection c = readOnly(spool); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT json FROM samples ORDER BY id")) {
            while (rs.next()) {
                all.add(of(site, agentId, rs.getBytes(1)));
            }
        }
        return all;
    }

    /** How many results the spool file ever took in (AUTOINCREMENT ids are never reused). */
    static long spooledTotal(Path spool) throws SQLException {
        try (Connection c = readOnly(spool); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'samples'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
