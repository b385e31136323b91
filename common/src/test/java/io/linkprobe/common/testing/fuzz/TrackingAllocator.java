package io.linkprobe.common.testing.fuzz;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so that a fuzz target can require, at the
 * end of each input, that every one of them was released: a leak is then found at the input that
 * caused it, not minutes later when the garbage collector lets Netty's leak detector see it.
 * Buffers are still wrapped for Netty's leak detector ({@link AbstractByteBufAllocator} does it).
 *
 * <pre>
 * EmbeddedChannel ch = new EmbeddedChannel(false, false, handlers);
 * ch.config().setAllocator(alloc);
 * ch.register();
 * ... feed the input, read and release every output, ch.finishAndReleaseAll() ...
 * alloc.assertAllReleased();
 * </pre>
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> handedOut = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf track(ByteBuf buf) {
        handedOut.add(buf);
        return buf;
    }

    /** A buffer holding {@code bytes}, as a socket would deliver them. */
    public ByteBuf wrap(byte[] bytes) {
        return buffer(Math.max(1, bytes.length)).writeBytes(bytes);
    }

    /** Fails with the count and the first unreleased buffer's refCnt, then forgets every buffer. */
    public void assertAllReleased() {
        List<ByteBuf> live = handedOut.stream().filter(b -> b.refCnt() != 0).toList();
        handedOut.clear();
        if (!live.isEmpty()) {
            throw new AssertionError(live.size() + " buffer(s) not released at the end of the input, e.g. "
                    + live.get(0) + " with refCnt " + live.get(0).refCnt());
        }
    }
}
