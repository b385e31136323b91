package io.linkprobe.common.wire;

/**
 * A plan an agent cannot run, with the reason as one line ({@code "unusable plan: ..."}): the
 * agent logs it once and keeps the plan it runs.
 */
public final class UnusablePlanException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason one line; any control or separator quoted into it (from the plan) is shown as ? */
    public UnusablePlanException(String reason) {
        super(Names.oneLine(reason.startsWith(PlanReader.PREFIX) ? reason : PlanReader.PREFIX + reason));
    }
}
