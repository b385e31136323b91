package io.linkprobe.common.wire;

/**
 * A plan an agent cannot run, with the reason as one line ({@code "unusable plan: ..."}): the
 * agent logs it once and keeps the plan it runs.
 */
public final class UnusablePlanException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnusablePlanException(String reason) {
        super(reason.startsWith(PlanReader.PREFIX) ? reason : PlanReader.PREFIX + reason);
    }
}
