package io.linkprobe.collector.archive;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A one-off write through the archive's writer, waited for: recovery at start, rollups. */
final class WriteTask implements WriteJob {
    interface Body {
        void run(WriteStatements statements) throws SQLException;
    }

    private final Body body;
    private final Set<Partition> partitions;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private WriteTask(Set<Partition> partitions, Body body) {
        this.partitions = Set.copyOf(partitions);
        this.body = body;
    }

    /** Runs {@code body} in the writer's next transaction and waits until it committed. */
    static void runAndWait(GroupCommitWriter writer, Body body) throws ArchiveWriteException, InterruptedException {
        runAndWait(writer, Set.of(), body);
    }

    /** The same, creating {@code partitions} first if they do not exist. */
    static void runAndWait(GroupCommitWriter writer, Set<Partition> partitions, Body body)
            throws ArchiveWriteException, InterruptedException {
        WriteTask task = new WriteTask(partitions, body);
        writer.put(task);
        try {
            task.done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ArchiveWriteException w ? w
                    : new ArchiveWriteException(ArchiveWriteException.Kind.ERROR, e.getCause().toString(), e.getCause());
        }
    }

    @Override
    public void run(WriteStatements statements) throws SQLException {
        body.run(statements);
    }

    @Override
    public Set<Partition> partitions() {
        return partitions;
    }

    @Override
    public void committed() {
        done.complete(null);
    }

    @Override
    public void failed(ArchiveWriteException cause) {
        done.completeExceptionally(cause);
    }

    @Override
    public long bytes() {
        return 0;
    }
}
