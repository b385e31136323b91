package io.linkprobe.collector.responder;

/** One running part of the embedded responder: the STAMP reflector or the throughput server. */
public interface ResponderPart extends AutoCloseable {
    String STAMP = "stamp";
    String THROUGHPUT = "throughput";

    /** {@link #STAMP} or {@link #THROUGHPUT}. */
    String name();

    /** The port it is bound to (the real one when configured as 0). */
    int port();

    /** Stops it; must not throw. */
    @Override
    void close();
}
