package io.linkprobe.common.stamp;

/**
 * Which clock a reply's RTT is taken from. With the native socket a reply carries the kernel's
 * receive time (T4), which leaves the sender's wake-up, GC pauses and scheduling out of the RTT; but
 * it is wall-clock time (CLOCK_REALTIME), so it is only compared with T1 read from the same clock,
 * and only when nothing stepped that clock in between: the wall clock and {@code System.nanoTime}
 * (monotonic, never stepped) must agree, within {@link #STEP_TOLERANCE_NANOS}, on how long passed
 * from the send to the read, and T4 must lie between the two. Otherwise (no kernel time, a step,
 * a thread preempted between its two clock reads) the RTT is the monotonic user-space one, as it
 * always was on the Netty socket.
 *
 * <p>Both clocks are slewed alike by NTP; only steps (and read jitter) separate them.
 */
final class ReplyTiming {
    static final long STEP_TOLERANCE_NANOS = 250_000;

    private ReplyTiming() {}

    /**
     * The reply's arrival minus the send, in nanoseconds, before the reflector's turnaround is taken
     * out: from the kernel's timestamp when {@link #kernelUsable}, else monotonic.
     */
    static long elapsedNanos(long sentNanos, long sentEpochNanos, long readNanos, long readEpochNanos,
            long kernelEpochNanos) {
        if (kernelUsable(sentNanos, sentEpochNanos, readNanos, readEpochNanos, kernelEpochNanos)) {
            return kernelEpochNanos - sentEpochNanos;
        }
        return readNanos - sentNanos;
    }

    /** True when the kernel's receive time can stand in for the read (class comment). */
    static boolean kernelUsable(long sentNanos, long sentEpochNanos, long readNanos, long readEpochNanos,
            long kernelEpochNanos) {
        if (kernelEpochNanos <= 0 || sentEpochNanos <= 0) {
            return false;
        }
        long wall = readEpochNanos - sentEpochNanos;
        long mono = readNanos - sentNanos;
        if (Math.abs(wall - mono) > STEP_TOLERANCE_NANOS) {
            return false;
        }
        long kernel = kernelEpochNanos - sentEpochNanos;
        return kernel >= 0 && kernel <= wall;
    }
}
