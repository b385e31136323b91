package io.linkprobe.collector.archive;

import java.sql.SQLException;

/** Work for the single archive writer; runs inside a transaction shared with other jobs. */
interface WriteJob {

    /**
     * Does the job's writes through the writer's current statements; a failure undoes only this
     * job's writes (savepoint), unless it cost the whole transaction.
     */
    void run(WriteStatements statements) throws SQLException;

    /** Called after the transaction that ran the job committed. */
    void committed();

    /**
     * Called when the job's writes were rolled back (all of them: a job is never half stored),
     * with an {@link ArchiveWriteException} saying why.
     */
    void failed(ArchiveWriteException cause);

    /** Approximate memory held while queued. */
    long bytes();

    /** The partitions the job writes to, created before its transaction begins if they do not exist. */
    default java.util.Set<Partition> partitions() {
        return java.util.Set.of();
    }

    /** The push a store job stores, which the writer may store together with others; null for other jobs. */
    default ArchiveBatch batch() {
        return null;
    }

    /** For a store job stored together with others instead of {@link #run}: what storing it did. */
    default void stored(StoreResult result) {
        throw new UnsupportedOperationException("not a store job");
    }

    /**
     * True for a job that changes the layout (drops a partition): it runs alone, between
     * transactions, with the connection in autocommit mode; its {@link #run} may not be undone.
     */
    default boolean outsideTransaction() {
        return false;
    }
}
