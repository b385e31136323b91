package io.linkprobe.collector.archive;

import java.sql.Connection;
import java.sql.SQLException;

/** Work for the single archive writer; runs inside a transaction shared with other jobs. */
interface WriteJob {

    /** Does the job's writes; a failure undoes only this job's writes (savepoint). */
    void run(Connection connection) throws SQLException;

    /** Called after the transaction that ran the job committed. */
    void committed();

    /** Called when the job's writes were rolled back. */
    void failed(Throwable cause);

    /** Approximate memory held while queued. */
    long bytes();
}
