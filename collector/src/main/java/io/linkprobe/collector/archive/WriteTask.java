package io.linkprobe.collector.archive;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A one-off write through the archive's writer, waited for: for the start-up work of recovery. */
final class WriteTask implements WriteJob {
    interface Body {
        void run(WriteStatements statements) throws SQLException;
    }

    private final Body body;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private WriteTask(Body body) {
        this.body = body;
    }

    /** Runs {@code body} in the writer's next transaction and waits until it committed. */
    static void runAndWait(GroupCommitWriter writer, Body body) throws ArchiveWriteException, InterruptedException {
        WriteTask task = new WriteTask(body);
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
