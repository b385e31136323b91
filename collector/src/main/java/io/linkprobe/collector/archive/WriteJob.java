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
}
