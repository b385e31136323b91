package io.linkprobe.common.wire;

/**
 * A TCP connect-time probe, the fallback where UDP is blocked.
 *
 * @param connectMicros time to an established connection; null when it failed
 * @param error why it failed; null on success
 */
public record ConnectResult(
        String target,
        String host,
        int port,
        long endEpochMillis,
        boolean success,
        Double connectMicros,
        String error) implements Sample {

    @Override
    public Kind kind() {
        return Kind.CONNECT;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.connect(this);
    }
}
