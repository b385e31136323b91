package io.linkprobe.common.net;

/**
 * The ports linkprobe uses unless told otherwise, declared once for the agent's targets, the
 * responder (standalone and embedded), the collector and every CLI default. Each is configurable.
 */
public final class DefaultPorts {
    /** STAMP (RFC 8762) reflector, UDP: the port the RFC registers (privileged). */
    public static final int STAMP = 862;
    /** Throughput responder, TCP: control and data connections share it. */
    public static final int THROUGHPUT = 9863;
    /** Collector HTTP(S): pushes, /metrics, status page. */
    public static final int COLLECTOR_HTTP = 9862;

    private DefaultPorts() {}
}
