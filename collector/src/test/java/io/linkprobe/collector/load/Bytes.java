package io.linkprobe.collector.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer that a push body is assembled in, reused by one thread. */
final class Bytes {
    private byte[] buf;
    private int size;

    Bytes(int capacity) {
        buf = new byte[capacity];
    }

    Bytes clear() {
        size = 0;
        return this;
    }

    Bytes append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** Appends text that is plain ASCII (names, JSON punctuation). */
    Bytes ascii(String text) {
        return append(text.getBytes(StandardCharsets.US_ASCII));
    }

    Bytes append(long value) {
        return ascii(Long.toString(value));
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
