package io.linkprobe.collector.archive;

/**
 * What storing a batch did.
 *
 * @param ackedSequence the highest sequence of the agent stored so far (-1 if none)
 */
public record StoreResult(Outcome outcome, long ackedSequence) {
    public enum Outcome {
        /** New; every row is committed. */
        STORED,
        /** The same (agent, sequence) was stored before for the same site; nothing written. */
        DUPLICATE,
        /** The same (agent, sequence) was stored before for another site; nothing written. */
        CONFLICT
    }
}
