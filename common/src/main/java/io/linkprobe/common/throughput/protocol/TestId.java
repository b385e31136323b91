package io.linkprobe.common.throughput.protocol;

import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;

/**
 * A random 128-bit test id. It ties the data connections to the control connection that was
 * accepted, and the responder refuses to accept the same id twice (replay protection).
 */
public record TestId(long high, long low) {
    static final int BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static TestId random() {
        return new TestId(RANDOM.nextLong(), RANDOM.nextLong());
    }

    static TestId read(ByteBuf in) {
        return new TestId(in.readLong(), in.readLong());
    }

    void write(ByteBuf out) {
        out.writeLong(high).writeLong(low);
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", high, low);
    }
}
