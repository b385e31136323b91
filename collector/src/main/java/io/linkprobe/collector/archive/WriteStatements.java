package io.linkprobe.collector.archive;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * The writer's SQL on the writer's connection, used by the writer thread only: storing a push
 * (its key checked across every raw partition, then one row in the partition of the day it was
 * received), the agents' acked sequences, the sites, the site-hours to roll up again, and the
 * rollups themselves. Prepared statements are kept per partition table.
 *
 * <p>Where several collectors share the database ({@link SqlDialect#keyLockSql}), the key is
 * locked for the rest of the transaction before it is looked up, so two collectors storing the same
 * push at once store it once: the second waits for the first's commit and then finds its row.
 */
final class WriteStatements implements AutoCloseable {
    private final Connection connection;
    private final SqlDialect dialect;
    private final Partitions partitions;
    private final Set<Partition> seen = new TreeSet<>();
    private long seenVersion = -1;
    private final PreparedStatement lockKey;
    private final PreparedStatement findPush;
    private final PreparedStatement upsertAgent;
    private final PreparedStatement findAgent;
    private final PreparedStatement upsertSite;
    private final PreparedStatement touch;
    private final PreparedStatement probe;
    private final Map<String, PreparedStatement> byTable = new HashMap<>();
    /** {@link #storeAll}'s statements, prepared when first used (PostgreSQL only). */
    private PreparedStatement lockKeys;
    private PreparedStatement findPushes;
    private PreparedStatement findNames;
    private PreparedStatement addNames;
    private PreparedStatement writeAll;
    /** Name numbers per names table: committed ones, and those written in the open transaction. */
    private final Map<String, Map<String, Long>> names = new HashMap<>();
    private final Map<String, Map<String, Long>> pendingNames = new HashMap<>();

    WriteStatements(Connection c, SqlDialect dialect, Partitions partitions) throws SQLException {
        this.connection = c;
        this.dialect = dialect;
        this.partitions = partitions;
        String max = dialect.greatest();
        prepare(List.of()); // the views over the partitions, which the statements below read
        lockKey = dialect.keyLockSql() == null ? null : c.prepareStatement(dialect.keyLockSql());
        findPush = c.prepareStatement("SELECT site FROM pushes_v WHERE agent_id = ? AND sequence = ?");
        findAgent = c.prepareStatement("SELECT acked_sequence FROM agents WHERE agent_id = ?");
        upsertAgent = c.prepareStatement("INSERT INTO agents (agent_id, site, acked_sequence, last_push_ms)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET site = excluded.site,"
                + " acked_sequence = " + max + "(agents.acked_sequence, excluded.acked_sequence),"
                + " last_push_ms = " + max + "(agents.last_push_ms, excluded.last_push_ms) RETURNING acked_sequence");
        upsertSite = c.prepareStatement("INSERT INTO sites (site, last_push_ms, identity) VALUES (?, ?, ?)"
                + " ON CONFLICT (site) DO UPDATE SET last_push_ms = " + max + "(sites.last_push_ms, excluded.last_push_ms),"
                + " identity = excluded.identity");
        touch = c.prepareStatement("INSERT INTO touched (site, hour_ms, received_ms, version) VALUES (?, ?, ?, 0)"
                + " ON CONFLICT (site, hour_ms) DO UPDATE SET received_ms = excluded.received_ms,"
                + " version = touched.version + 1");
        probe = c.prepareStatement("INSERT INTO writer_probe (id, written_ms) VALUES (1, ?)"
                + " ON CONFLICT (id) DO UPDATE SET written_ms = excluded.written_ms");
    }

    /** The connection these statements run on (the writer's, in manual-commit mode). */
    Connection connection() {
        return connection;
    }

    SqlDialect dialect() {
        return dialect;
    }

    /**
     * Outside any transaction: creates the partitions in {@code needed} that do not exist yet, and
     * makes this connection see every partition there is.
     */
    void prepare(Collection<Partition> needed) throws SQLException {
        boolean missing = false;
        for (Partition p : needed) {
            missing |= !partitions.contains(p);
        }
        if (!missing && seenVersion == partitions.version()) {
            return;
        }
        connection.setAutoCommit(true);
        try {
            for (Partition p : needed) {
                if (!partitions.contains(p)) {
                    dialect.create(connection, p);
                    partitions.add(p);
                }
            }
            sync();
        } finally {
            connection.setAutoCommit(false);
        }
    }

    /** Outside any transaction: drops {@code p} whole (this connection stops seeing it first). */
    void drop(Partition p) throws SQLException {
        connection.setAutoCommit(true);
        try {
            partitions.remove(p);
            sync();
            dialect.drop(connection, p);
        } finally {
            connection.setAutoCommit(false);
        }
    }

    private void sync() throws SQLException {
        long version = partitions.version();
        Set<Partition> wanted = partitions.all();
        for (Partition p : seen) {
            if (!wanted.contains(p)) {
                closeStatementsOf(p);
            }
        }
        dialect.show(connection, seen, wanted);
        seen.clear();
        seen.addAll(wanted);
        seenVersion = version;
    }

    private void closeStatementsOf(Partition p) throws SQLException {
        for (String table : List.of("names", "pushes", "rollups")) {
            String name = dialect.table(p, table);
            PreparedStatement s = byTable.remove(name + "#insert");
            if (s != null) {
                s.close();
            }
            for (String purpose : List.of("#find", "#salvage")) {
                s = byTable.remove(name + purpose);
                if (s != null) {
                    s.close();
                }
            }
            names.remove(name);
            pendingNames.remove(name);
        }
    }

    /** The open transaction committed: names it wrote are known for good. */
    void committed() {
        pendingNames.forEach((table, m) -> names.computeIfAbsent(table, t -> new HashMap<>()).putAll(m));
        pendingNames.clear();
    }

    /** Writes were undone (one job, or the transaction): forget what they may have written. */
    void undone() {
        pendingNames.clear();
    }

    /** Rewrites the one probe row: a real write of one page, to learn whether the disk takes writes. */
    void probe(long nowMillis) throws SQLException {
        probe.setLong(1, nowMillis);
        probe.executeUpdate();
    }

    /** Stores {@code batch} unless its key is already there; the caller's transaction commits it. */
    StoreResult store(ArchiveBatch batch) throws SQLException {
        if (lockKey != null) {
            lockKey.setLong(1, keyHash(batch.agentId(), batch.sequence()));
            lockKey.execute();
        }
        String storedFor = storedFor(batch.agentId(), batch.sequence());
        if (storedFor != null) {
            boolean same = storedFor.equals(batch.site());
            if (same) {
                touch(batch); // harmless, and heals a rollup that missed it
            }
            return new StoreResult(same ? StoreResult.Outcome.DUPLICATE : StoreResult.Outcome.CONFLICT,
                    ackedSequence(batch.agentId()));
        }
        Partition p = batch.partition();
        long agent = nameNo(p, batch.agentId());
        long site = nameNo(p, batch.site());
        PreparedStatement insert = statement(p, "pushes", "#insert", "INSERT INTO " + dialect.table(p, "pushes")
                + " (agent, sequence, site, received_ms, first_end_ms, last_end_ms, kinds, samples, data)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setLong(1, agent);
        insert.setLong(2, batch.sequence());
        insert.setLong(3, site);
        insert.setLong(4, batch.receivedMillis());
        insert.setLong(5, batch.firstEndMillis());
        insert.setLong(6, batch.lastEndMillis());
        insert.setInt(7, batch.kinds());
        insert.setInt(8, batch.sampleCount());
        insert.setBytes(9, batch.data());
        if (insert.executeUpdate() != 1) {
            throw new SQLException("storing " + batch.agentId() + "/" + batch.sequence() + " wrote no row");
        }
        touch(batch);
        long acked = upsertAgent(batch.agentId(), batch.site(), batch.sequence(), batch.receivedMillis());
        upsertSite.setString(1, batch.site());
        upsertSite.setLong(2, batch.receivedMillis());
        upsertSite.setString(3, batch.identityJson());
        upsertSite.executeUpdate();
        return new StoreResult(StoreResult.Outcome.STORED, acked);
    }

    /**
     * Stores {@code batches} (in order) as {@link #store} stores each, but in three statements
     * whatever their number: the keys locked in one, looked up in one, and every row written in one
     * (pushes, touched site-hours, agents, sites); names not seen before cost up to three more. For
     * PostgreSQL ({@link SqlDialect#storesTogether}), where each statement is a round trip to a
     * server process that must get a CPU to answer it: per push that was eight. A failure leaves the transaction to be undone to before the
     * call; the caller then stores the batches one at a time to fail only the bad one.
     */
    List<StoreResult> storeAll(List<ArchiveBatch> batches) throws SQLException {
        int n = batches.size();
        if (lockKey != null) {
            // Sorted, so two collectors storing overlapping keys take their locks in one order.
            long[] keys = batches.stream().mapToLong(b -> keyHash(b.agentId(), b.sequence())).sorted().distinct().toArray();
            if (lockKeys == null) {
                // A function scan returns the array's elements in order, each locked as its row is made.
                lockKeys = connection.prepareStatement("SELECT pg_advisory_xact_lock(k) FROM unnest(?::bigint[]) AS u(k)");
            }
            lockKeys.setArray(1, connection.createArrayOf("bigint", boxed(keys)));
            lockKeys.executeQuery().close();
        }
        // The keys already stored, in any raw partition, and the site each was stored for.
        if (findPushes == null) {
            findPushes = connection.prepareStatement("SELECT k.i, s.name FROM unnest(?::text[], ?::bigint[])"
                    + " WITH ORDINALITY AS k(agent_id, sequence, i) JOIN names a ON a.name = k.agent_id"
                    + " JOIN pushes p ON p.agent = a.no AND p.sequence = k.sequence JOIN names s ON s.no = p.site");
        }
        String[] agentIds = new String[n];
        Long[] sequences = new Long[n];
        for (int i = 0; i < n; i++) {
            agentIds[i] = batches.get(i).agentId();
            sequences[i] = batches.get(i).sequence();
        }
        String[] storedFor = new String[n];
        findPushes.setArray(1, connection.createArrayOf("text", agentIds));
        findPushes.setArray(2, connection.createArrayOf("bigint", sequences));
        try (ResultSet rs = findPushes.executeQuery()) {
            while (rs.next()) {
                storedFor[(int) rs.getLong(1) - 1] = rs.getString(2);
            }
        }
        // A key twice in this call (an agent's retry while the first was queued): the first stores it.
        Map<String, String> storedHere = new HashMap<>();
        StoreResult.Outcome[] outcomes = new StoreResult.Outcome[n];
        Set<String> newNames = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            ArchiveBatch b = batches.get(i);
            String before = storedFor[i] != null ? storedFor[i] : storedHere.get(b.agentId() + "\u0000" + b.sequence());
            if (before != null) {
                outcomes[i] = before.equals(b.site()) ? StoreResult.Outcome.DUPLICATE : StoreResult.Outcome.CONFLICT;
                continue;
            }
            outcomes[i] = StoreResult.Outcome.STORED;
            storedHere.put(b.agentId() + "\u0000" + b.sequence(), b.site());
            newNames.add(b.agentId());
            newNames.add(b.site());
        }
        Map<String, Long> numbers = nameNumbers(newNames);
        // The rows, and what they change in touched, agents and sites (one row each: a statement may not
        // update one row twice), sorted by key so that collectors sharing the database lock rows in one order.
        List<Integer> agentNos = new ArrayList<>();
        List<Long> rowSequences = new ArrayList<>();
        List<Integer> siteNos = new ArrayList<>();
        List<Long> receivedMillis = new ArrayList<>();
        List<Long> firstEnds = new ArrayList<>();
        List<Long> lastEnds = new ArrayList<>();
        List<Short> kinds = new ArrayList<>();
        List<Integer> sampleCounts = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        Map<String, Long> touchedHours = new TreeMap<>();
        Map<String, ArchiveBatch> agentLast = new TreeMap<>();
        Map<String, Long> agentMaxSequence = new HashMap<>();
        Map<String, Long> agentMaxMillis = new HashMap<>();
        Map<String, ArchiveBatch> siteLast = new TreeMap<>();
        Map<String, Long> siteMaxMillis = new HashMap<>();
        Set<String> allAgents = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            ArchiveBatch b = batches.get(i);
            allAgents.add(b.agentId());
            if (outcomes[i] == StoreResult.Outcome.CONFLICT) {
                continue;
            }
            for (long hour : b.hours()) { // a duplicate touches too: harmless, and heals a rollup that missed it
                touchedHours.merge(b.site() + "\u0000" + hour, b.receivedMillis(), Math::max);
            }
            if (outcomes[i] != StoreResult.Outcome.STORED) {
                continue;
            }
            agentNos.add(Math.toIntExact(numbers.get(b.agentId())));
            rowSequences.add(b.sequence());
            siteNos.add(Math.toIntExact(numbers.get(b.site())));
            receivedMillis.add(b.receivedMillis());
            firstEnds.add(b.firstEndMillis());
            lastEnds.add(b.lastEndMillis());
            kinds.add((short) b.kinds());
            sampleCounts.add(b.sampleCount());
            data.add(b.data());
            agentLast.put(b.agentId(), b);
            agentMaxSequence.merge(b.agentId(), b.sequence(), Math::max);
            agentMaxMillis.merge(b.agentId(), b.receivedMillis(), Math::max);
            siteLast.put(b.site(), b);
            siteMaxMillis.merge(b.site(), b.receivedMillis(), Math::max);
        }
        List<String> touchedSites = new ArrayList<>();
        List<Long> touchedHourList = new ArrayList<>();
        List<Long> touchedReceived = new ArrayList<>();
        touchedHours.forEach((key, millis) -> {
            int cut = key.lastIndexOf('\u0000');
            touchedSites.add(key.substring(0, cut));
            touchedHourList.add(Long.parseLong(key.substring(cut + 1)));
            touchedReceived.add(millis);
        });
        List<String> agentIdList = new ArrayList<>(agentLast.keySet());
        List<String> agentSites = new ArrayList<>();
        List<Long> agentSequences = new ArrayList<>();
        List<Long> agentMillis = new ArrayList<>();
        for (String id : agentIdList) {
            agentSites.add(agentLast.get(id).site());
            agentSequences.add(agentMaxSequence.get(id));
            agentMillis.add(agentMaxMillis.get(id));
        }
        List<String> siteNames = new ArrayList<>(siteLast.keySet());
        List<Long> siteMillis = new ArrayList<>();
        List<String> identities = new ArrayList<>();
        for (String site : siteNames) {
            siteMillis.add(siteMaxMillis.get(site));
            identities.add(siteLast.get(site).identityJson());
        }
        // Every write in one statement, one round trip: data-modifying WITH queries all run, whether
        // or not the outer query reads them. The outer query answers every agent's acked sequence:
        // raised by this statement (RETURNING) or, for an agent with only duplicates here, as it was.
        if (writeAll == null) {
            writeAll = connection.prepareStatement("WITH p AS (INSERT INTO pushes"
                    + " (agent, sequence, site, received_ms, first_end_ms, last_end_ms, kinds, samples, data)"
                    + " SELECT * FROM unnest(?::int[], ?::bigint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[],"
                    + " ?::smallint[], ?::int[], ?::bytea[])),"
                    + " t AS (INSERT INTO touched (site, hour_ms, received_ms, version)"
                    + " SELECT s, h, r, 0 FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS u(s, h, r)"
                    + " ON CONFLICT (site, hour_ms) DO UPDATE SET received_ms = excluded.received_ms,"
                    + " version = touched.version + 1),"
                    + " s AS (INSERT INTO sites (site, last_push_ms, identity) SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[])"
                    + " ON CONFLICT (site) DO UPDATE SET last_push_ms = GREATEST(sites.last_push_ms, excluded.last_push_ms),"
                    + " identity = excluded.identity),"
                    + " a AS (INSERT INTO agents (agent_id, site, acked_sequence, last_push_ms)"
                    + " SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[])"
                    + " ON CONFLICT (agent_id) DO UPDATE SET site = excluded.site,"
                    + " acked_sequence = GREATEST(agents.acked_sequence, excluded.acked_sequence),"
                    + " last_push_ms = GREATEST(agents.last_push_ms, excluded.last_push_ms)"
                    + " RETURNING agent_id, acked_sequence)"
                    + " SELECT agent_id, acked_sequence FROM a UNION ALL SELECT agent_id, acked_sequence FROM agents"
                    + " WHERE agent_id = ANY(?::text[]) AND agent_id NOT IN (SELECT agent_id FROM a)");
        }
        int k = 1;
        writeAll.setArray(k++, connection.createArrayOf("int4", agentNos.toArray(new Integer[0])));
        writeAll.setArray(k++, connection.createArrayOf("int8", rowSequences.toArray(new Long[0])));
        writeAll.setArray(k++, connection.createArrayOf("int4", siteNos.toArray(new Integer[0])));
        writeAll.setArray(k++, connection.createArrayOf("int8", receivedMillis.toArray(new Long[0])));
        writeAll.setArray(k++, connection.createArrayOf("int8", firstEnds.toArray(new Long[0])));
        writeAll.setArray(k++, connection.createArrayOf("int8", lastEnds.toArray(new Long[0])));
        writeAll.setArray(k++, connection.createArrayOf("int2", kinds.toArray(new Short[0])));
        writeAll.setArray(k++, connection.createArrayOf("int4", sampleCounts.toArray(new Integer[0])));
        writeAll.setArray(k++, connection.createArrayOf("bytea", data.toArray(new byte[0][])));
        writeAll.setArray(k++, connection.createArrayOf("text", touchedSites.toArray(new String[0])));
        writeAll.setArray(k++, connection.createArrayOf("int8", touchedHourList.toArray(new Long[0])));
        writeAll.setArray(k++, connection.createArrayOf("int8", touchedReceived.toArray(new Long[0])));
        writeAll.setArray(k++, connection.createArrayOf("text", siteNames.toArray(new String[0])));
        writeAll.setArray(k++, connection.createArrayOf("int8", siteMillis.toArray(new Long[0])));
        writeAll.setArray(k++, connection.createArrayOf("text", identities.toArray(new String[0])));
        writeAll.setArray(k++, connection.createArrayOf("text", agentIdList.toArray(new String[0])));
        writeAll.setArray(k++, connection.createArrayOf("text", agentSites.toArray(new String[0])));
        writeAll.setArray(k++, connection.createArrayOf("int8", agentSequences.toArray(new Long[0])));
        writeAll.setArray(k++, connection.createArrayOf("int8", agentMillis.toArray(new Long[0])));
        writeAll.setArray(k, connection.createArrayOf("text", allAgents.toArray(new String[0])));
        Map<String, Long> acked = new HashMap<>();
        try (ResultSet rs = writeAll.executeQuery()) {
            while (rs.next()) {
                acked.put(rs.getString(1), rs.getLong(2));
            }
        }
        List<StoreResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String agent = batches.get(i).agentId();
            Long a = acked.get(agent);
            results.add(new StoreResult(outcomes[i], a != null ? a : ackedSequence(agent)));
        }
        return results;
    }

    /** The numbers of {@code wanted} in the (shared) names table, adding the new ones: at most three statements. */
    private Map<String, Long> nameNumbers(Set<String> wanted) throws SQLException {
        Map<String, Long> known = names.getOrDefault("names", Map.of());
        Map<String, Long> pending = pendingNames.computeIfAbsent("names", t -> new HashMap<>());
        Map<String, Long> numbers = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String name : wanted) {
            Long no = known.get(name);
            if (no == null) {
                no = pending.get(name);
            }
            if (no != null) {
                numbers.put(name, no);
            } else {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return numbers;
        }
        if (findNames == null) {
            findNames = connection.prepareStatement("SELECT name, no FROM names WHERE name = ANY(?::text[])");
            addNames = connection.prepareStatement("INSERT INTO names (name) SELECT unnest(?::text[]) ON CONFLICT (name) DO NOTHING");
        }
        java.sql.Array array = connection.createArrayOf("text", unknown.toArray(new String[0]));
        readNames(array, numbers, pending);
        if (numbers.size() < wanted.size()) {
            addNames.setArray(1, array);
            addNames.executeUpdate();
            readNames(array, numbers, pending);
            for (String name : unknown) {
                if (!numbers.containsKey(name)) {
                    throw new SQLException("name '" + name + "' not found in names after inserting it");
                }
            }
        }
        return numbers;
    }

    private void readNames(java.sql.Array array, Map<String, Long> numbers, Map<String, Long> pending) throws SQLException {
        findNames.setArray(1, array);
        try (ResultSet rs = findNames.executeQuery()) {
            while (rs.next()) {
                numbers.put(rs.getString(1), rs.getLong(2));
                pending.put(rs.getString(1), rs.getLong(2));
            }
        }
    }

    private static Long[] boxed(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    /** The site a push with this key was stored for, in any raw partition; null if none. */
    String storedFor(String agentId, long sequence) throws SQLException {
        findPush.setString(1, agentId);
        findPush.setLong(2, sequence);
        try (ResultSet rs = findPush.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Raises the agent's acked sequence to at least {@code sequence}; returns it. */
    long upsertAgent(String agentId, String site, long sequence, long pushMillis) throws SQLException {
        upsertAgent.setString(1, agentId);
        upsertAgent.setString(2, site);
        upsertAgent.setLong(3, sequence);
        upsertAgent.setLong(4, pushMillis);
        try (ResultSet rs = upsertAgent.executeQuery()) {
            return rs.next() ? rs.getLong(1) : sequence;
        }
    }

    private long ackedSequence(String agentId) throws SQLException {
        findAgent.setString(1, agentId);
        try (ResultSet rs = findAgent.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Marks the batch's site-hours to be rolled up (again). */
    void touch(ArchiveBatch batch) throws SQLException {
        touch(batch.site(), batch.hours(), batch.receivedMillis());
    }

    void touch(String site, long[] hours, long receivedMillis) throws SQLException {
        for (long hour : hours) {
            touch.setString(1, site);
            touch.setLong(2, hour);
            touch.setLong(3, receivedMillis);
            touch.addBatch();
        }
        touch.executeBatch();
    }

    /**
     * Stores a push salvaged from another file, in the partition of the day it was first received,
     * with its hours to roll up and its agent's acked sequence; the caller has checked that its key
     * is not stored. The site's identity is not known from the copy, so {@code sites} is left alone.
     */
    void copy(ArchiveBatch b) throws SQLException {
        insertPush(b.partition(), b.agentId(), b.sequence(), b.site(), b.receivedMillis(), b.firstEndMillis(),
                b.lastEndMillis(), b.kinds(), b.sampleCount(), b.data());
        touch(b);
        upsertAgent(b.agentId(), b.site(), b.sequence(), b.receivedMillis());
    }

    private void insertPush(Partition p, String agentId, long sequence, String site, long receivedMillis, long firstEnd,
            long lastEnd, int kinds, int samples, byte[] data) throws SQLException {
        PreparedStatement insert = statement(p, "pushes", "#insert", "INSERT INTO " + dialect.table(p, "pushes")
                + " (agent, sequence, site, received_ms, first_end_ms, last_end_ms, kinds, samples, data)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setLong(1, nameNo(p, agentId));
        insert.setLong(2, sequence);
        insert.setLong(3, nameNo(p, site));
        insert.setLong(4, receivedMillis);
        insert.setLong(5, firstEnd);
        insert.setLong(6, lastEnd);
        insert.setInt(7, kinds);
        insert.setInt(8, samples);
        insert.setBytes(9, data);
        insert.executeUpdate();
    }

    /** Writes (or replaces) hourly rollups, each into the month partition of its hour. */
    void upsertRollups(List<HourlyRollup> rollups) throws SQLException {
        Map<PreparedStatement, Integer> used = new HashMap<>();
        for (HourlyRollup r : rollups) {
            Partition p = Partition.hourly(r.hourMillis());
            PreparedStatement upsert = statement(p, "rollups", "#insert", RollupRows.upsert(dialect.table(p, "rollups")));
            RollupRows.bind(upsert, r);
            upsert.addBatch();
            used.merge(upsert, 1, Integer::sum);
        }
        for (PreparedStatement s : used.keySet()) {
            s.executeBatch();
        }
    }

    /** Writes rollups salvaged from another file, keeping any row of the same hour computed since. */
    void insertRollupsIfAbsent(List<HourlyRollup> rollups) throws SQLException {
        for (HourlyRollup r : rollups) {
            Partition p = Partition.hourly(r.hourMillis());
            String table = dialect.table(p, "rollups");
            PreparedStatement insert = statement(p, "rollups", "#salvage", "INSERT INTO " + table + " ("
                    + RollupRows.COLUMNS + ") VALUES (" + "?, ".repeat(20) + "?) ON CONFLICT (site, target, hour_ms) DO NOTHING");
            RollupRows.bind(insert, r);
            insert.executeUpdate();
        }
    }

    /** Forgets a site-hour that has been rolled up, unless a push touched it again since it was read. */
    void untouch(String site, long hourMillis, long version) throws SQLException {
        try (PreparedStatement d = connection.prepareStatement(
                "DELETE FROM touched WHERE site = ? AND hour_ms = ? AND version = ?")) {
            d.setString(1, site);
            d.setLong(2, hourMillis);
            d.setLong(3, version);
            d.executeUpdate();
        }
    }

    /** Deletes sites and agents silent since before {@code cutoffMillis}; returns the sites. */
    Set<String> forgetSilent(long cutoffMillis) throws SQLException {
        Set<String> sites = new HashSet<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT site FROM sites WHERE last_push_ms < ?")) {
            q.setLong(1, cutoffMillis);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    sites.add(rs.getString(1));
                }
            }
        }
        for (String table : List.of("sites", "agents")) {
            try (PreparedStatement d = connection.prepareStatement("DELETE FROM " + table + " WHERE last_push_ms < ?")) {
                d.setLong(1, cutoffMillis);
                d.executeUpdate();
            }
        }
        return sites;
    }

    /** The number of {@code name} in the names table of {@code p}, added if new. */
    private long nameNo(Partition p, String name) throws SQLException {
        String table = dialect.table(p, "names");
        Long no = names.getOrDefault(table, Map.of()).get(name);
        if (no == null) {
            no = pendingNames.getOrDefault(table, Map.of()).get(name);
        }
        if (no != null) {
            return no;
        }
        PreparedStatement find = statement(p, "names", "#find", "SELECT no FROM " + table + " WHERE name = ?");
        find.setString(1, name);
        try (ResultSet rs = find.executeQuery()) {
            if (rs.next()) {
                no = rs.getLong(1);
            }
        }
        if (no == null) {
            PreparedStatement insert = statement(p, "names", "#insert", "INSERT INTO " + table + " (name) VALUES (?)"
                    + " ON CONFLICT (name) DO NOTHING");
            insert.setString(1, name);
            insert.executeUpdate();
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("name '" + name + "' not found in " + table + " after inserting it");
                }
                no = rs.getLong(1);
            }
        }
        pendingNames.computeIfAbsent(table, t -> new HashMap<>()).put(name, no);
        return no;
    }

    private PreparedStatement statement(Partition p, String table, String purpose, String sql) throws SQLException {
        String key = dialect.table(p, table) + purpose;
        PreparedStatement s = byTable.get(key);
        if (s == null) {
            s = connection.prepareStatement(sql);
            byTable.put(key, s);
        }
        return s;
    }

    /** The same 64-bit number for a key on every collector: CRC-32C of the agent id, then the sequence. */
    static long keyHash(String agentId, long sequence) {
        CRC32C crc = new CRC32C();
        crc.update(agentId.getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() << 32) ^ (sequence & 0xFFFF_FFFFL) ^ (sequence >>> 32);
    }

    /** Closes the statements prepared per partition (the others close with the connection). */
    @Override
    public void close() {
        for (Statement s : byTable.values()) {
            try {
                s.close();
            } catch (SQLException e) {
                // closing with the connection anyway
            }
        }
        byTable.clear();
    }
}
