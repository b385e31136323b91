package io.linkprobe.common.throughput.measurement;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one buffer a sender writes again and again. Random, so compression on the path (a WAN
 * optimiser, a modem) cannot inflate the goodput; direct, so the kernel copies straight from it.
 * Pooled, so {@code retainedDuplicate()} reuses recycled derived-buffer objects.
 */
public final class Payload {
    /** Bytes per write: as iperf3's default TCP write size (128 KiB). */
    static final int BYTES = 128 * 1024;

    private Payload() {}

    public static ByteBuf create() {
        byte[] random = new byte[BYTES];
        ThreadLocalRandom.current().nextBytes(random);
        return PooledByteBufAllocator.DEFAULT.directBuffer(BYTES, BYTES).writeBytes(random);
    }
}
