package io.linkprobe.agent.cli;

import io.linkprobe.common.stamp.StampSender;

/**
 * What the one-shot test says about how its STAMP figures were taken, beside the window itself.
 *
 * @param timestamps {@code kernel} or {@code user (why)} ({@link StampSender#timestamps()})
 * @param kernelRtts RTTs from the kernel's receive timestamp
 * @param userRtts RTTs measured in user space (the fallback, or a clock step)
 * @param repliesTooShort datagrams from the target too short to be a STAMP reply
 * @param repliesMalformed datagrams from the target too long or with a bad HMAC
 */
record StampDiagnostics(String timestamps, long kernelRtts, long userRtts, long repliesTooShort, long repliesMalformed) {

    static StampDiagnostics of(StampSender sender) {
        return new StampDiagnostics(sender.timestamps(), sender.kernelRtts(), sender.userRtts(),
                sender.repliesTooShort(), sender.repliesMalformed());
    }

    /** {@code kernel} or {@code user}, without the reason. */
    String source() {
        return timestamps.startsWith("kernel") ? "kernel" : "user";
    }

    /** Why user-space timestamps, or null. */
    String userReason() {
        int open = timestamps.indexOf('(');
        return open < 0 ? null : timestamps.substring(open + 1, timestamps.length() - 1);
    }

    long unusableReplies() {
        return repliesTooShort + repliesMalformed;
    }
}
